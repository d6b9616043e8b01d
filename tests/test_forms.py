"""The back office's forms through the real app: CSRF, stale forms, bad input, and the happy path."""
import re
from datetime import date

from domain import workflow
from domain.clock import today
from models import AuditEntry, Contact, Reply, Suggestion, db
from models.enums import State
from tests import helpers
from tests.helpers import login


def _csrf_token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_a_write_without_csrf_token_changes_nothing(csrf_app, client, district):
    suggestion = helpers.evaluated(district, "satisfied")
    refused = login(client, "office")
    assert refused.status_code == 400 and "安全令牌" in refused.get_data(as_text=True)
    token = _csrf_token(client, "/login")
    client.post("/login", data={"username": "office", "password": helpers.PASSWORD, "csrf_token": token})
    response = client.post("/admin/suggestion/action/", data={"action": "close", "rowid": [str(suggestion.id)]})
    assert response.status_code == 400
    assert db.session.get(Suggestion, suggestion.id).state == State.EVALUATED
    response = client.post(f"/admin/suggestion/edit/?id={suggestion.id}",
                           data={"title": "被篡改", "body": "x", "category": "urban", "confidential": "0", "version": "1"})
    assert response.status_code == 400
    token = _csrf_token(client, "/admin/suggestion/")
    client.post("/admin/suggestion/action/", data={"action": "close", "rowid": [str(suggestion.id)], "csrf_token": token})
    assert db.session.get(Suggestion, suggestion.id).state == State.CLOSED


def _edit(client, suggestion, title, version):
    return client.post(f"/admin/suggestion/edit/?id={suggestion.id}", data={
        "title": title, "body": "正文", "category": "urban", "confidential": "0", "version": str(version)})


def test_a_stale_form_is_refused_and_the_first_save_survives(app, district):
    suggestion = helpers.register(district)
    second_office = helpers.make_user("office2", helpers.Role.OFFICE)
    second_office.display_name = "李工委"
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(first, "office")
    login(second, "office2")
    version = suggestion.version
    assert _edit(second, suggestion, "第二人保存的标题", version).status_code == 302
    response = _edit(first, suggestion, "第一人过期的标题", version)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "李工委" in html and "没有保存" in html
    assert "第一人过期的标题" in html  # what the user typed is still in the form
    db.session.expire_all()
    assert db.session.get(Suggestion, suggestion.id).title == "第二人保存的标题"


def test_a_stale_reference_edit_is_refused(app, district):
    unit = district.units[0]
    client = app.test_client()
    login(client, "office")
    form = {"name": unit.name, "committee": str(unit.committee_id), "notify_phone": "13900000001", "version": "1"}
    assert client.post(f"/admin/unit/edit/?id={unit.id}", data=form).status_code == 302
    stale = client.post(f"/admin/unit/edit/?id={unit.id}", data=form | {"notify_phone": "13900000002"})
    assert "没有保存" in stale.get_data(as_text=True) and "13900000002" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(unit), unit.id).notify_phone == "13900000001"


def test_office_registers_a_suggestion_through_the_form(client, district):
    login(client, "office")
    response = client.post("/admin/suggestion/new/", data={
        "source": "congress", "session": str(district.session.id), "received_on": "2026-01-12", "category": "urban",
        "title": "关于改善柯桥街道停车难的建议", "body": "停车位不足。", "lead_deputy": str(district.deputies[0].id),
        "co_signers": [str(district.deputies[1].id)],
    })
    assert response.status_code == 302
    suggestion = db.session.scalar(db.select(Suggestion))
    assert suggestion.number_label == "2026大会第001号" and suggestion.state == State.SUBMITTED
    assert [d.name for d in suggestion.co_signers] == ["李喆"]


def test_bad_registration_is_explained_and_saves_nothing(client, district):
    login(client, "office")
    response = client.post("/admin/suggestion/new/", data={
        "source": "congress", "received_on": "不是日期", "category": "urban", "title": "", "body": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "此项为必填项" in html
    assert db.session.scalar(db.select(db.func.count(Suggestion.id))) == 0


def test_assign_then_sign_then_contact_then_reply_through_the_ui(app, district):
    suggestion = helpers.register(district)
    office, unit = app.test_client(), app.test_client()
    login(office, "office")
    login(unit, "unit")
    response = office.post(f"/admin/suggestion/act/assign/?ids={suggestion.id}", data={
        "mode": "joint", "lead_unit": str(district.units[0].id)})
    assert response.status_code == 302
    assert db.session.get(Suggestion, suggestion.id).state == State.ASSIGNED
    unit.post("/admin/suggestion/action/", data={"action": "sign", "rowid": [str(suggestion.id)]})
    refused = unit.post(f"/admin/suggestion/act/reply/?ids={suggestion.id}", data={
        "reply_category": "A", "text": "已解决", "signatory": "张局长", "replied_on": today().isoformat()})
    assert "答复前须至少记录一次与代表的沟通" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Reply.id))) == 0
    unit.post(f"/admin/suggestion/act/record_contact/?ids={suggestion.id}", data={
        "contacted_on": today().isoformat(), "method": "face_to_face", "people": "王堃", "summary": "当面沟通"})
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 1
    response = unit.post(f"/admin/suggestion/act/reply/?ids={suggestion.id}", data={
        "reply_category": "B", "text": "已列入计划", "signatory": "张局长", "replied_on": today().isoformat(),
        "commitments-0-content": "年底前完成", "commitments-0-due_on": date(today().year, 12, 31).isoformat()})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Suggestion, suggestion.id).state == State.REPLIED
    details = unit.get(f"/admin/suggestion/details/?id={suggestion.id}").get_data(as_text=True)
    assert "已列入计划" in details and "年底前完成" in details


def test_commitment_without_due_date_is_refused_in_chinese(client, district):
    suggestion = helpers.handling(district)
    helpers.contacted(district, suggestion, district.units[0], on=today())
    login(client, "unit")
    response = client.post(f"/admin/suggestion/act/reply/?ids={suggestion.id}", data={
        "reply_category": "B", "text": "已列入计划", "signatory": "张局长", "replied_on": today().isoformat(),
        "commitments-0-content": "年底前完成"})
    assert "每项承诺事项都须填写完成期限" in response.get_data(as_text=True)
    assert db.session.get(Suggestion, suggestion.id).state == State.HANDLING


def test_bulk_action_reports_refusals_and_does_the_rest(client, district):
    closable = helpers.evaluated(district, "satisfied", "可办结的建议")
    unsatisfied = helpers.evaluated(district, "unsatisfied", "不满意的建议")
    login(client, "office")
    response = client.post("/admin/suggestion/action/", data={
        "action": "close", "rowid": [str(closable.id), str(unsatisfied.id)]}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "1 件已完成" in html and "1 件未办理" in html and "应转重办" in html
    assert db.session.get(Suggestion, closable.id).state == State.CLOSED
    assert db.session.get(Suggestion, unsatisfied.id).state == State.EVALUATED


def test_office_decides_an_extension_from_its_grid(client, district):
    suggestion = helpers.handling(district)
    request = workflow.request_extension(district.users["unit"], suggestion, date(2026, 7, 1), "需协调资金")
    db.session.commit()
    login(client, "office")
    refused = client.post(f"/admin/extension/act/decide_extension/?ids={request.id}", data={"decision": "refuse", "note": ""})
    assert "不同意延期时须说明理由" in refused.get_data(as_text=True)
    client.post(f"/admin/extension/act/decide_extension/?ids={request.id}", data={"decision": "approve", "note": ""})
    db.session.expire_all()
    assert db.session.get(Suggestion, suggestion.id).due_on == date(2026, 7, 1)


def test_audit_trail_is_readable_and_not_editable(client, district):
    helpers.handling(district)
    login(client, "office")
    html = client.get("/admin/audit/").get_data(as_text=True)
    assert "交办" in html and "签收" in html
    entry = db.session.scalar(db.select(AuditEntry))
    assert client.get(f"/admin/audit/edit/?id={entry.id}").status_code == 403
    assert client.post("/admin/audit/delete/", data={"id": str(entry.id)}).status_code == 403
    assert client.get("/admin/audit/new/").status_code == 403


def test_suggestions_cannot_be_deleted(client, district):
    suggestion = helpers.register(district)
    login(client, "office")
    assert client.post("/admin/suggestion/delete/", data={"id": str(suggestion.id)}).status_code == 403
    assert db.session.get(Suggestion, suggestion.id) is not None


def test_void_a_contact_with_a_reason(client, district):
    suggestion = helpers.handling(district)
    helpers.contacted(district, suggestion, district.units[0])
    contact = db.session.scalar(db.select(Contact))
    login(client, "office")
    empty = client.post(f"/admin/contact/act/void_contact/?ids={contact.id}", data={"reason": ""})
    assert "此项为必填项" in empty.get_data(as_text=True)
    client.post(f"/admin/contact/act/void_contact/?ids={contact.id}", data={"reason": "录入重复"})
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).voided_reason == "录入重复"


def test_a_mistyped_date_is_explained_and_nothing_is_recorded(client, district):
    suggestion = helpers.handling(district)
    login(client, "unit")
    response = client.post(f"/admin/suggestion/act/record_contact/?ids={suggestion.id}", data={
        "contacted_on": "2026-13-45", "method": "phone", "people": "王堃", "summary": "电话沟通"})
    html = response.get_data(as_text=True)
    assert "不是有效的日期值" in html and "王堃" in html  # the typed text is kept in the form
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 0
