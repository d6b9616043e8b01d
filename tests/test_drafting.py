"""Drafting before the congress: window, revisions and diff, co-signers, 三下三上, pre-review, not accepted, access."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from domain import drafting, preparation, reference, workflow
from domain.clock import today
from domain.errors import WorkflowError
from domain.rules import Rules
from models import CategoryCommittee, NotAcceptedReason, PreparationStep, Revision, Suggestion, db
from models.enums import Role, Source, State
from tests import helpers
from tests.helpers import login

IN_WINDOW = date(2025, 12, 1)  # the session opens 2026-01-10


def _draft(district, user="deputy", lead=None, title="关于增设公交站点的建议", body="柯桥街道公交站点过少。"):
    draft = drafting.create_draft(district.users[user], source=Source.CONGRESS, session=district.session,
                                  lead_deputy=lead, title=title, body=body, category="transport", today=IN_WINDOW)
    db.session.commit()
    return draft


@pytest.fixture
def routed(district):
    """Transport drafts are pre-reviewed by the first committee (the `committee` user's)."""
    db.session.add(CategoryCommittee(category="transport", committee_id=district.committees[0].id))
    db.session.commit()
    return district


# --- the window -----------------------------------------------------------------------------------------


def test_default_window_is_two_months_to_fifteen_days_before_the_congress(district):
    assert preparation.pre_submission_window(district.session, Rules.load()) == (date(2025, 11, 10), date(2025, 12, 26))


@pytest.mark.parametrize("day, allowed", [(date(2025, 11, 9), False), (date(2025, 11, 10), True),
                                          (date(2025, 12, 26), True), (date(2025, 12, 27), False)])
def test_pre_submission_only_inside_the_window(district, day, allowed):
    draft = _draft(district)
    if allowed:
        workflow.pre_submit(district.users["deputy"], draft, day)
        assert draft.state == State.PRE_SUBMITTED
    else:
        with pytest.raises(WorkflowError, match="不在预交期内.*大会期间正式提交"):
            workflow.pre_submit(district.users["deputy"], draft, day)
        assert draft.state == State.DRAFT
        assert db.session.scalar(select(Revision.id)) is None


def test_the_window_is_configurable_per_session(district):
    district.session.pre_submission_opens_on = date(2025, 12, 20)
    district.session.pre_submission_closes_on = date(2026, 1, 5)
    draft = _draft(district)
    with pytest.raises(WorkflowError, match="2025-12-20 至 2026-01-05"):
        workflow.pre_submit(district.users["deputy"], draft, IN_WINDOW)
    workflow.pre_submit(district.users["deputy"], draft, date(2026, 1, 3))
    assert draft.state == State.PRE_SUBMITTED


def test_a_late_draft_is_submitted_formally_at_the_congress_and_recess_drafts_have_no_window(district):
    late = _draft(district)
    workflow.submit(district.office, late, date(2026, 1, 11))
    assert late.state == State.SUBMITTED and late.number == 1
    recess = drafting.create_draft(district.users["township"], source=Source.RECESS, session=None,
                                   lead_deputy=district.deputies[1], title="关于修复村道的建议", body="村道破损。",
                                   category="transport", today=date(2026, 5, 6))
    workflow.pre_submit(district.users["township"], recess, date(2026, 5, 6))
    assert recess.state == State.PRE_SUBMITTED and recess.year == 2026 and recess.session_id is None


# --- drafts, co-signers, 三下三上 ---------------------------------------------------------------------------


def test_who_may_draft_for_whom(district):
    own = _draft(district)
    assert own.lead_deputy_id == district.deputies[0].id  # a deputy drafts as lead
    with pytest.raises(WorkflowError, match="领衔代表本人"):
        _draft(district, "deputy", lead=district.deputies[2])
    assert _draft(district, "township", lead=district.deputies[1]).lead_deputy_id == district.deputies[1].id
    with pytest.raises(WorkflowError, match="领衔代表本人"):
        _draft(district, "township", lead=district.deputies[2])  # another township's deputy
    with pytest.raises(WorkflowError, match="无权起草"):
        _draft(district, "unit", lead=district.deputies[0])
    with pytest.raises(WorkflowError, match="不能为空"):
        _draft(district, title=" ")


def test_co_signers_join_and_leave_before_submission_only(district):
    draft = _draft(district)
    deputy, lead = district.users["deputy"], district.deputies[0]
    drafting.add_co_signer(deputy, draft, district.deputies[2])
    with pytest.raises(WorkflowError, match="已是附议代表"):
        drafting.add_co_signer(deputy, draft, district.deputies[2])
    with pytest.raises(WorkflowError, match="领衔代表不能"):
        drafting.add_co_signer(deputy, draft, lead)
    co_signer_user = helpers.make_user("chen", Role.DEPUTY, deputy_id=district.deputies[2].id)
    drafting.remove_co_signer(co_signer_user, draft, district.deputies[2])  # leaves by themselves
    assert draft.co_signers == []
    drafting.add_co_signer(deputy, draft, district.deputies[3])
    workflow.submit(district.office, draft, date(2026, 1, 11))
    with pytest.raises(WorkflowError, match="正式提交后"):
        drafting.add_co_signer(deputy, draft, district.deputies[1])
    with pytest.raises(WorkflowError, match="正式提交后"):
        drafting.remove_co_signer(deputy, draft, district.deputies[3])


def test_township_records_the_preparation_steps_with_dates(district):
    draft = _draft(district, "township", lead=district.deputies[1])
    township = district.users["township"]
    drafting.record_preparation_step(township, draft, step="find_issues", done_on=date(2025, 11, 12), note="走访选区",
                                     today=IN_WINDOW)
    drafting.record_preparation_step(township, draft, step="find_issues", done_on=date(2025, 11, 14), note="更正日期",
                                     today=IN_WINDOW)
    with pytest.raises(WorkflowError, match="不能晚于今天"):
        drafting.record_preparation_step(township, draft, step="area_forum", done_on=date(2025, 12, 2), note="",
                                         today=IN_WINDOW)
    with pytest.raises(WorkflowError, match="请选择酝酿步骤"):
        drafting.record_preparation_step(township, draft, step="lunch", done_on=IN_WINDOW, note="", today=IN_WINDOW)
    steps = drafting.preparation_steps(draft)
    assert [label for label, _ in steps][:2] == ["深入选区找案源", "小组筛选整理整合"]
    assert steps[0][1].done_on == date(2025, 11, 14) and steps[1][1] is None
    other_township = helpers.make_user("lizhu", Role.TOWNSHIP, township_id=district.townships[1].id)
    with pytest.raises(WorkflowError, match="领衔代表本人"):
        drafting.record_preparation_step(other_township, draft, step="expert_check", done_on=IN_WINDOW, note="",
                                         today=IN_WINDOW)


# --- pre-review: revisions, comments, diff, not accepted ----------------------------------------------------------


def test_every_revision_is_kept_and_the_diff_shows_what_changed(routed):
    district = routed
    deputy, committee = district.users["deputy"], district.users["committee"]
    draft = _draft(district, body="柯桥街道公交站点过少，群众出行不便。")
    workflow.pre_submit(deputy, draft, IN_WINDOW)
    workflow.start_review(committee, draft)
    drafting.add_review_comment(committee, draft, aspect="facts", text="请补充站点数量", suggested_units="区交通运输局")
    workflow.return_for_revision(committee, draft, "请补充数据后再预交")
    drafting.save_draft(deputy, draft, title=draft.title, body="柯桥街道现有公交站点12个，群众出行不便。", category="transport")
    workflow.pre_submit(deputy, draft, date(2025, 12, 10))
    kept = preparation.revisions(draft)
    assert [r.number for r in kept] == [1, 2]
    assert kept[0].body == "柯桥街道公交站点过少，群众出行不便。" and kept[1].body.startswith("柯桥街道现有")
    segments = preparation.text_diff(kept[0].body, kept[1].body)
    assert ("insert", "现有") in segments and ("delete", "过少") in segments
    assert drafting.review_comments(draft)[0].revision_number == 1


def test_saving_is_refused_once_pre_submitted_and_for_others(district):
    draft = _draft(district)
    workflow.pre_submit(district.users["deputy"], draft, IN_WINDOW)
    with pytest.raises(WorkflowError, match="只有草稿或退回修改"):
        drafting.save_draft(district.users["deputy"], draft, title="改", body="改", category="transport")


def test_review_goes_to_the_committee_of_the_category_and_the_government_office(client, routed):
    district = routed
    draft = _draft(district)
    login(client, "committee")
    assert client.get(f"/admin/suggestion/details/?id={draft.id}").status_code == 404  # a draft is not yet theirs
    workflow.pre_submit(district.users["deputy"], draft, IN_WINDOW)
    db.session.commit()
    html = client.get(f"/admin/suggestion/details/?id={draft.id}").get_data(as_text=True)
    assert "添加初审意见" in html
    response = client.post(f"/admin/suggestion/act/add_review_comment/?ids={draft.id}", data={"aspect": "wording", "text": "标题请精炼"},
                           follow_redirects=True)
    assert "填写初审意见：1 件已完成" in response.get_data(as_text=True)
    client.post("/logout")
    other = helpers.make_user("edu", Role.COMMITTEE, committee_id=district.committees[1].id)
    db.session.commit()
    assert other and login(client, "edu").status_code == 302
    assert client.get(f"/admin/suggestion/details/?id={draft.id}").status_code == 404
    assert client.post(f"/admin/suggestion/act/add_review_comment/?ids={draft.id}", data={"aspect": "wording", "text": "x"}).status_code == 404
    client.post("/logout")
    login(client, "govoffice")
    assert "添加初审意见" in client.get(f"/admin/suggestion/details/?id={draft.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, "deputy")  # the lead deputy reads the comments and the diff
    html = client.get(f"/admin/suggestion/details/?id={draft.id}").get_data(as_text=True)
    assert "标题请精炼" in html and "添加初审意见" not in html
    assert client.post(f"/admin/suggestion/act/add_review_comment/?ids={draft.id}", data={"aspect": "wording", "text": "x"}).status_code == 403


def test_deputy_sees_the_diff_between_revisions_on_the_page(client, district):
    draft = _draft(district, body="第一稿正文。")
    workflow.pre_submit(district.users["deputy"], draft, IN_WINDOW)
    workflow.start_review(district.office, draft)
    workflow.return_for_revision(district.office, draft, "请修改")
    db.session.commit()
    login(client, "deputy")
    response = client.post(f"/admin/draft/edit/?id={draft.id}", data={
        "title": draft.title, "body": "第二稿正文。", "category": "transport", "version": str(draft.version)})
    assert response.status_code == 302
    html = client.get(f"/admin/suggestion/details/?id={draft.id}").get_data(as_text=True)
    assert '<del class="diff-del">一</del><ins class="diff-ins">二</ins>' in html and "当前文本（尚未再次预交）" in html


def test_not_accepted_with_a_reason_from_the_configurable_list(client, district):
    draft = _draft(district)
    with pytest.raises(WorkflowError, match="从列表中选择"):
        workflow.refuse(district.office, draft, "随便写的理由")
    db.session.add(NotAcceptedReason(label="反映的是个人家庭事务", position=1))
    db.session.commit()
    assert reference.not_accepted_reasons() == ["反映的是个人家庭事务"]
    login(client, "office")
    page = client.get(f"/admin/suggestion/act/not_accept/?ids={draft.id}").get_data(as_text=True)
    assert "反映的是个人家庭事务" in page
    client.post(f"/admin/suggestion/act/not_accept/?ids={draft.id}",
                data={"reason": "反映的是个人家庭事务", "note": "请通过信访渠道反映"})
    db.session.expire_all()
    refused = db.session.get(Suggestion, draft.id)
    assert refused.state == State.NOT_ACCEPTED and refused.state_reason == "反映的是个人家庭事务。请通过信访渠道反映"
    client.post("/logout")
    login(client, "deputy")
    assert "反映的是个人家庭事务" in client.get("/admin/draft/").get_data(as_text=True)


# --- the drafts grid and its row-level access ------------------------------------------------------------


@pytest.fixture
def drafts(district):
    own = _draft(district, title="王堃领衔的草稿AAA")
    co_signed = _draft(district, "township", lead=district.deputies[1], title="李喆领衔王堃附议的草稿BBB")
    drafting.add_co_signer(district.users["township"], co_signed, district.deputies[0])
    other_township = helpers.make_user("lizhu", Role.TOWNSHIP, township_id=district.townships[1].id)
    foreign = drafting.create_draft(other_township, source=Source.CONGRESS, session=district.session,
                                    lead_deputy=district.deputies[2], title="漓渚镇陈昇的草稿CCC", body="正文",
                                    category="urban", today=IN_WINDOW)
    neighbour = _draft(district, "township", lead=district.deputies[1], title="李喆单独领衔的草稿DDD")
    db.session.commit()
    return district, own, co_signed, foreign, neighbour


def test_deputy_sees_only_drafts_they_lead_or_co_sign_on_every_path(client, drafts):
    district, own, co_signed, foreign, neighbour = drafts
    login(client, "deputy")
    grid = client.get("/admin/draft/").get_data(as_text=True)
    assert "草稿AAA" in grid and "草稿BBB" in grid and "草稿CCC" not in grid and "草稿DDD" not in grid
    for hidden in (foreign, neighbour):
        assert client.get(f"/admin/suggestion/details/?id={hidden.id}").status_code == 404
        assert client.get(f"/admin/draft/details/?id={hidden.id}").status_code == 404
        assert client.get(f"/admin/draft/edit/?id={hidden.id}").status_code == 404
        for action in ("record_preparation_step", "add_co_signer", "remove_co_signer", "add_review_comment", "merge"):
            assert client.post(f"/admin/suggestion/act/{action}/?ids={hidden.id}", data={}).status_code in (403, 404)
    assert "草稿DDD" not in client.get("/admin/draft/?search=草稿").get_data(as_text=True)
    # A co-signer may read but not edit the lead deputy's draft.
    response = client.post(f"/admin/draft/edit/?id={co_signed.id}", data={
        "title": "篡改", "body": "篡改", "category": "urban", "version": str(co_signed.version)}, follow_redirects=True)
    assert "领衔代表本人" in response.get_data(as_text=True)
    assert db.session.get(Suggestion, co_signed.id).title == "李喆领衔王堃附议的草稿BBB"


def test_township_sees_only_its_deputy_groups_drafts(client, drafts):
    district, own, co_signed, foreign, neighbour = drafts
    login(client, "township")
    grid = client.get("/admin/draft/").get_data(as_text=True)
    assert "草稿AAA" in grid and "草稿BBB" in grid and "草稿DDD" in grid and "草稿CCC" not in grid
    assert client.get(f"/admin/suggestion/details/?id={foreign.id}").status_code == 404
    response = client.post(f"/admin/suggestion/act/record_preparation_step/?ids={neighbour.id}", data={"step": "area_forum", "done_on": "2025-11-20"},
                           follow_redirects=True)
    assert "记录酝酿步骤：1 件已完成" in response.get_data(as_text=True)
    assert db.session.scalar(select(PreparationStep.step)) == "area_forum"
    assert client.post(f"/admin/suggestion/act/record_preparation_step/?ids={foreign.id}", data={"step": "area_forum", "done_on": "2025-11-20"}
                       ).status_code == 404


def test_township_creates_a_draft_for_its_deputy_but_not_for_another_townships(client, district):
    login(client, "township")
    form = client.get("/admin/draft/new/").get_data(as_text=True)
    assert "李喆" in form and "陈昇" not in form
    data = {"source": "congress", "session_id": district.session.id, "category": "urban", "title": "代写的草稿", "body": "正文"}
    client.post("/admin/draft/new/", data={**data, "lead_deputy_id": district.deputies[2].id})
    assert db.session.scalar(select(Suggestion.id).where(Suggestion.title == "代写的草稿")) is None
    client.post("/admin/draft/new/", data={**data, "lead_deputy_id": district.deputies[1].id})
    created = db.session.scalar(select(Suggestion).where(Suggestion.title == "代写的草稿"))
    assert created.state == State.DRAFT and created.lead_deputy_id == district.deputies[1].id


@pytest.mark.parametrize("username", ["unit", "leader"])
def test_units_and_leaders_have_no_drafts(client, district, username):
    _draft(district)
    login(client, username)
    assert client.get("/admin/draft/").status_code == 403
    assert client.get("/admin/draft/new/").status_code == 403
    assert client.post("/admin/suggestion/act/record_preparation_step/?ids=1", data={}).status_code == 403


def test_anonymous_is_sent_to_login(client, district):
    draft = _draft(district)
    for url in ("/admin/draft/", "/admin/draft/new/", f"/admin/suggestion/act/add_review_comment/?ids={draft.id}", "/admin/recess/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_the_pre_submit_button_works_for_the_lead_deputy_only(client, district):
    now = today()
    district.session.pre_submission_opens_on, district.session.pre_submission_closes_on = now, now
    own = _draft(district)
    drafting.add_co_signer(district.users["deputy"], own, district.deputies[2])
    helpers.make_user("chen", Role.DEPUTY, deputy_id=district.deputies[2].id)
    db.session.commit()
    login(client, "chen")  # a co-signer cannot pre-submit
    response = client.post("/admin/suggestion/action/", data={"action": "pre_submit", "rowid": [str(own.id)]},
                           follow_redirects=True)
    assert "只有领衔代表本人" in response.get_data(as_text=True)
    assert db.session.get(Suggestion, own.id).state == State.DRAFT
    client.post("/logout")
    login(client, "deputy")
    client.post("/admin/suggestion/action/", data={"action": "pre_submit", "rowid": [str(own.id)]})
    db.session.expire_all()
    assert db.session.get(Suggestion, own.id).state == State.PRE_SUBMITTED
    assert [r.number for r in preparation.revisions(own)] == [1]


def test_the_demo_loader_adds_drafts_with_steps_comments_and_two_revisions(district):
    from demo.pre_congress import load

    now = today()
    district.session.pre_submission_opens_on, district.session.pre_submission_closes_on = now - timedelta(days=30), now
    helpers.register(district, "闭会直通车", source=Source.RECESS, received_on=now)
    load(Rules.load(), now)
    drafts = db.session.scalars(select(Suggestion).where(Suggestion.number.is_(None)).order_by(Suggestion.id)).all()
    assert len(drafts) == 2 and drafts[0].state == State.PRE_SUBMITTED
    assert [r.number for r in preparation.revisions(drafts[0])] == [1, 2]
    assert len(drafting.preparation_steps(drafts[1])) == 6 and drafting.review_comments(drafts[0])
    assert db.session.scalar(select(Suggestion.supervision_class).where(Suggestion.source == Source.RECESS)) == "urgent"
    assert reference.not_accepted_reasons() == reference.DEFAULT_NOT_ACCEPTED_REASONS
