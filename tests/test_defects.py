"""The defects found when the rule "every write goes through the domain" did not hold, each as a test."""
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import publication as publishing
from domain import workflow
from domain.clock import today
from domain.errors import WorkflowError
from models import (
    AuditEntry,
    CongressSession,
    OutboxMessage,
    Publication,
    Reply,
    ReplyCorrection,
    Suggestion,
    Unit,
    User,
    db,
)
from models.enums import Category, Role, Source, State
from tests import helpers
from tests.helpers import login


def _published(district):
    suggestion = helpers.replied(district, "关于增设公交站点的建议")
    publication = db.session.scalar(select(Publication).where(Publication.suggestion_id == suggestion.id))
    publishing.publish(district.office, publication, today())
    db.session.commit()
    return suggestion, publication


# --- a published reply is frozen; a correction goes back to the office ----------------------------------------


def test_a_unit_cannot_rewrite_a_published_reply_and_its_correction_waits_for_the_office(client, district):
    suggestion, publication = _published(district)
    reply = publication.reply
    login(client, "unit")
    tampered = client.post(f"/admin/reply/edit/?id={reply.id}", data={"text": "电话13912345678", "signatory": "x",
                                                                       "version": str(reply.version)})
    assert tampered.status_code == 403
    response = client.post(f"/admin/reply/act/correct_reply/?ids={reply.id}", data={
        "text": "更正：已列入2027年计划。", "reply_category": "B", "reason": "年份写错"}, follow_redirects=True)
    assert "更正答复：1 件已完成" in response.get_data(as_text=True)
    db.session.expire_all()
    correction = db.session.scalar(select(ReplyCorrection))
    assert (correction.previous_text, correction.text) == ("已列入年度计划。", "更正：已列入2027年计划。")
    publication = db.session.get(Publication, publication.id)
    assert publication.status == "published" and publication.correction_pending
    public = client.get(f"/public/{suggestion.id}").get_data(as_text=True)
    assert "已列入年度计划。" in public and "2027" not in public  # the approved text until the office decides again
    told = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template_key == "reply_corrected_deputy"))
    assert told is not None and told.deputy_id == suggestion.lead_deputy_id
    client.post("/logout")
    login(client, "office")
    pending = client.get("/admin/publication/?flt0_2=1").get_data(as_text=True)
    assert "答复已更正，待重新决定" in pending
    client.post("/admin/publication/action/", data={"action": "publish_full", "rowid": [str(publication.id)]})
    assert "更正：已列入2027年计划。" in client.get(f"/public/{suggestion.id}").get_data(as_text=True)


def test_only_the_replying_unit_corrects_and_the_reason_is_required(district):
    suggestion, publication = _published(district)
    with pytest.raises(WorkflowError, match="无权"):
        workflow.correct_reply(district.office, publication.reply, text="x", reply_category="A", reason="y")
    with pytest.raises(WorkflowError, match="只有答复单位"):
        workflow.correct_reply(district.users["unit2"], publication.reply, text="x", reply_category="A", reason="y")
    with pytest.raises(WorkflowError, match="说明理由"):
        workflow.correct_reply(district.users["unit"], publication.reply, text="x", reply_category="A", reason=" ")


# --- accounts and reference data can be administered -------------------------------------------------------


def _user_form(user: User, **changes) -> dict:
    form = {"username": user.username, "display_name": user.display_name, "role_list": sorted(user.roles),
            "unit": str(user.unit_id or ""), "committee": str(user.committee_id or ""),
            "township": str(user.township_id or ""), "deputy": str(user.deputy_id or ""), "version": str(user.version)}
    return form | changes


def test_the_office_saves_an_unchanged_user_changes_roles_and_creates_one(client, district):
    login(client, "office")
    user = district.users["unit"]
    saved = client.post(f"/admin/user/edit/?id={user.id}", data=_user_form(user), follow_redirects=True)
    assert "已经存在" not in saved.get_data(as_text=True) and saved.status_code == 200
    db.session.expire_all()
    client.post(f"/admin/user/edit/?id={user.id}", data=_user_form(db.session.get(User, user.id),
                role_list=["unit", "committee"], committee=str(district.committees[0].id)))
    db.session.expire_all()
    assert db.session.get(User, user.id).roles == {Role.UNIT, Role.COMMITTEE}
    client.post(f"/admin/user/edit/?id={user.id}", data=_user_form(db.session.get(User, user.id), role_list=["unit"]))
    db.session.expire_all()
    assert db.session.get(User, user.id).roles == {Role.UNIT}
    duplicate = client.post("/admin/user/new/", data={"username": "UNIT", "display_name": "重复", "role_list": ["office"],
                                                     "password": "another-pass-9"}, follow_redirects=True)
    assert "用户名“UNIT”已存在" in duplicate.get_data(as_text=True)
    client.post("/admin/user/new/", data={"username": "newclerk", "display_name": "新办事员", "role_list": ["office"],
                                          "password": "first-pass-9"})
    created = db.session.scalar(select(User).where(User.username == "newclerk"))
    assert created is not None and created.must_change_password


def test_deactivate_reactivate_and_reset_a_password(client, district):
    login(client, "office")
    user = district.users["unit2"]
    client.post(f"/admin/user/act/deactivate/?ids={user.id}", data={"reason": "调离岗位"})
    db.session.expire_all()
    assert db.session.get(User, user.id).active is False
    other = helpers.login(client.application.test_client(), "unit2")
    assert "用户名或密码错误" in other.get_data(as_text=True)
    client.post("/admin/user/action/", data={"action": "reactivate", "rowid": [str(user.id)]})
    client.post(f"/admin/user/act/reset_password/?ids={user.id}", data={"password": "temporary-9", "confirm": "temporary-9"})
    db.session.expire_all()
    assert db.session.get(User, user.id).active and db.session.get(User, user.id).must_change_password
    clerk = client.application.test_client()
    assert login(clerk, "unit2", "temporary-9").status_code == 302
    assert clerk.get("/admin/suggestion/").headers["Location"].endswith("/password")
    clerk.post("/password", data={"current": "temporary-9", "new": "my-own-pass-7", "confirm": "my-own-pass-7"})
    assert clerk.get("/admin/suggestion/").status_code == 200
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "User")))
    assert {"停用账号：调离岗位", "启用账号", "重置密码", "修改本人密码"} <= actions


def test_the_office_fixes_a_units_sms_number_and_duplicates_are_refused(client, district):
    login(client, "office")
    unit = district.units[0]
    form = {"name": unit.name, "committee": str(unit.committee_id), "notify_phone": "13700001111", "notify_email": "",
            "version": str(unit.version)}
    assert client.post(f"/admin/unit/edit/?id={unit.id}", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Unit, unit.id).notify_phone == "13700001111"
    clash = client.post(f"/admin/unit/edit/?id={unit.id}", data=form | {"name": district.units[1].name, "version": "2"},
                        follow_redirects=True)
    assert f"承办单位的名称“{district.units[1].name}”已存在" in clash.get_data(as_text=True)
    for endpoint, data in (("committee", {"name": district.committees[0].name}), ("township", {"name": "柯桥街道"})):
        row = db.session.scalar(select({"committee": type(district.committees[0]), "township": type(district.townships[0])}
                                       [endpoint]).limit(1))
        saved = client.post(f"/admin/{endpoint}/edit/?id={row.id}", data=data | {"version": str(row.version)},
                            follow_redirects=True)
        assert "已存在" not in saved.get_data(as_text=True), endpoint
    session = district.session
    saved = client.post(f"/admin/congress_session/edit/?id={session.id}", data={
        "name": session.name, "year": "2026", "opens_on": "2026-01-10", "closes_on": "2026-01-13",
        "pre_submission_opens_on": "", "pre_submission_closes_on": "", "version": str(session.version)},
        follow_redirects=True)
    assert "已存在" not in saved.get_data(as_text=True)


# --- a save that loses a race gets our message ---------------------------------------------------------------


def test_a_save_that_loses_a_race_is_refused_with_the_stale_form_message(client, district):
    unit = district.units[0]
    login(client, "office")

    raced = []

    def someone_else_saves_first(session, flush_context, instances):
        if not raced and any(isinstance(o, Unit) for o in session.dirty):
            raced.append(True)
            session.connection().execute(update(Unit).where(Unit.id == unit.id).values(version=Unit.version + 1))

    event.listen(Session, "before_flush", someone_else_saves_first)
    try:
        response = client.post(f"/admin/unit/edit/?id={unit.id}", data={
            "name": unit.name, "committee": str(unit.committee_id), "notify_phone": "13700002222", "notify_email": "",
            "version": str(unit.version)}, follow_redirects=True)
    finally:
        event.remove(Session, "before_flush", someone_else_saves_first)
    html = response.get_data(as_text=True)
    assert "刚被其他用户修改" in html and "UPDATE statement" not in html and "13700002222" in html


def test_a_failed_create_is_explained_in_chinese(client, district):
    login(client, "office")
    html = client.post("/admin/township/new/", data={"name": ""}, follow_redirects=True).get_data(as_text=True)
    assert "Failed to create record" not in html and ("请填写" in html or "此项为必填项" in html or "保存未成功" in html)


# --- re-handling needs a new contact ------------------------------------------------------------------------


def test_a_second_reply_needs_a_contact_recorded_after_rehandling_started(district):
    suggestion = helpers.evaluated(district, "unsatisfied")  # contact on 2026-02-10, evaluation on 2026-03-10
    unit = helpers.unit_user(district, district.units[0])
    same_day = date(2026, 3, 10)
    workflow.record_contact(unit, suggestion, contacted_on=same_day, method="phone", people="王堃", summary="评价当天沟通",
                            today=same_day)
    db.session.commit()
    workflow.rehandle(district.office, suggestion, same_day)
    db.session.commit()
    with pytest.raises(WorkflowError, match="转重办后再次与代表沟通"):
        workflow.reply(unit, suggestion, reply_category="B", text="再次答复", signatory="张局长", replied_on=same_day,
                       today=same_day)
    db.session.rollback()
    workflow.record_contact(unit, suggestion, contacted_on=same_day, method="visit", people="王堃", summary="重办走访",
                            today=same_day)
    workflow.reply(unit, suggestion, reply_category="B", text="再次答复", signatory="张局长", replied_on=same_day,
                   today=same_day)
    db.session.commit()
    assert suggestion.state == State.REPLIED


# --- case numbers -------------------------------------------------------------------------------------------


def test_a_congress_suggestion_without_a_session_is_refused_and_numbers_never_collide(client, district):
    login(client, "office")
    base = {"source": "congress", "received_on": "2026-01-12", "category": "urban", "title": "关于停车难的建议",
            "body": "停车位不足。", "lead_deputy": str(district.deputies[0].id)}
    refused = client.post("/admin/suggestion/new/", data=base | {"session": "__None"}, follow_redirects=True)
    assert "大会建议须选择届次" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Suggestion.id)) is None
    recess = helpers.register(district, "闭会建议一", source=Source.RECESS)
    congress = helpers.register(district, "大会建议一")
    assert (recess.number_label, congress.number_label) == ("2026闭会第001号", "2026大会第001号")
    second_session = CongressSession(name="区第十八届人民代表大会第七次会议", year=2026, opens_on=date(2026, 9, 1),
                                     closes_on=date(2026, 9, 2))
    db.session.add(second_session)
    db.session.commit()
    later = Suggestion(source=Source.CONGRESS, session=second_session, category=Category.URBAN, title="第七次会议的建议",
                       body="正文", lead_deputy=district.deputies[1])
    workflow.register(district.office, later, date(2026, 9, 1))
    db.session.commit()
    assert later.number_label == "2026大会第002号"
    db.session.add(Suggestion(source=Source.RECESS, year=2026, category="urban", title="t", body="b",
                              lead_deputy_id=district.deputies[0].id, number_label="2026大会第001号"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_merge_by_number_finds_exactly_one(client, district):
    target = helpers.register(district, "并入目标")
    duplicate = helpers.register(district, "重复建议", lead=district.deputies[2])
    login(client, "office")
    client.post(f"/admin/suggestion/act/merge/?ids={duplicate.id}", data={"target_number": target.number_label})
    db.session.expire_all()
    merged = db.session.get(Suggestion, duplicate.id)
    assert merged.state == State.MERGED and merged.merged_into_id == target.id


def test_publication_deadline_is_not_touched_by_a_correction(district):
    suggestion, publication = _published(district)
    due = publication.due_on
    workflow.correct_reply(district.users["unit"], publication.reply, text="更正", reply_category="A", reason="笔误")
    db.session.commit()
    assert db.session.get(Publication, publication.id).due_on == due and due > today() - timedelta(days=400)
    assert db.session.get(Reply, publication.reply_id).text == "更正"
