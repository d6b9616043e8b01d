"""Publication of replies: the office's decision per reply, the deadline, the audit trail, the grid."""
from datetime import date

import pytest
from sqlalchemy import select

from domain import publication as publishing
from domain import workflow
from domain.errors import WorkflowError
from models import AuditEntry, Publication, PublicationStatus, Reply, db
from tests import helpers
from tests.helpers import login

TODAY = date(2026, 3, 20)


def _publication(suggestion) -> Publication:
    return db.session.scalar(select(Publication).where(Publication.suggestion_id == suggestion.id))


def test_every_reply_opens_a_pending_publication_due_in_20_working_days(district):
    suggestion = helpers.replied(district, on=date(2026, 3, 2))
    publication = _publication(suggestion)
    assert publication.status == PublicationStatus.PENDING
    assert publication.reply.suggestion_id == suggestion.id
    assert publication.due_on == date(2026, 3, 30)  # 20 working days after Monday 2 March 2026


def test_publish_in_full_then_withdraw_with_a_reason_are_audited(district):
    suggestion = helpers.replied(district)
    publication = _publication(suggestion)
    publishing.publish(district.office, publication, TODAY)
    db.session.commit()
    assert (publication.status, publication.mode, publication.published_on) == ("published", "full", TODAY)
    with pytest.raises(WorkflowError, match="须说明理由"):
        publishing.withdraw(district.office, publication, " ", TODAY)
    publishing.withdraw(district.office, publication, "答复内容有误", TODAY)
    db.session.commit()
    assert publication.status == PublicationStatus.WITHDRAWN and publication.reason == "答复内容有误"
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "Publication")).all()
    assert "公开答复" in actions and "撤回公开" in actions


def test_summary_needs_text_and_decline_needs_a_reason(district):
    publication = _publication(helpers.replied(district))
    with pytest.raises(WorkflowError, match="摘要"):
        publishing.publish(district.office, publication, TODAY, summary="  ")
    with pytest.raises(WorkflowError, match="理由"):
        publishing.decline(district.office, publication, "", TODAY)
    publishing.decline(district.office, publication, "涉及个人隐私", TODAY)
    assert publication.status == PublicationStatus.NOT_PUBLIC


def test_only_the_office_decides_and_confidential_or_voided_replies_are_never_published(district):
    suggestion = helpers.replied(district)
    publication = _publication(suggestion)
    with pytest.raises(WorkflowError, match="只有代表工委"):
        publishing.publish(district.users["unit"], publication, TODAY)
    suggestion.confidential = True
    with pytest.raises(WorkflowError, match="涉密"):
        publishing.publish(district.office, publication, TODAY)
    suggestion.confidential = False
    publication.reply.voided_reason = "录入错误"
    with pytest.raises(WorkflowError, match="作废"):
        publishing.publish(district.office, publication, TODAY)
    assert publication.status == PublicationStatus.PENDING


def test_late_publications_are_flagged(district):
    on_time = _publication(helpers.replied(district, "按时公开的建议", on=date(2026, 3, 2)))
    pending = _publication(helpers.replied(district, "逾期未决定的建议", on=date(2026, 3, 2)))
    published_late = _publication(helpers.replied(district, "逾期才公开的建议", on=date(2026, 3, 2)))
    publishing.publish(district.office, on_time, date(2026, 3, 30))
    publishing.publish(district.office, published_late, date(2026, 4, 1))
    db.session.commit()
    late_ids = set(db.session.scalars(select(Publication.id).where(publishing.late(date(2026, 4, 2)))))
    assert late_ids == {pending.id, published_late.id}
    assert not publishing.is_late(pending, date(2026, 3, 30)) and publishing.is_late(pending, date(2026, 3, 31))


def test_grid_bulk_publish_and_withdraw_form(client, district):
    a = helpers.replied(district, "甲建议")
    b = helpers.replied(district, "乙建议")
    ids = [str(_publication(s).id) for s in (a, b)]
    login(client, "office")
    assert "甲建议" in client.get("/admin/publication/").get_data(as_text=True)
    response = client.post("/admin/publication/action/", data={"action": "publish_full", "rowid": ids},
                           follow_redirects=True)
    assert "公开全文：2 件已完成" in response.get_data(as_text=True)
    response = client.post(f"/admin/publication/act/withdraw/?ids={','.join(ids)}", data={"reason": "需要修改"},
                           follow_redirects=True)
    assert "撤回公开：2 件已完成" in response.get_data(as_text=True)
    db.session.expire_all()
    assert {p.status for p in db.session.scalars(select(Publication))} == {PublicationStatus.WITHDRAWN}


def test_grid_summary_form_is_prefilled_and_publishes_the_summary(client, district):
    publication = _publication(helpers.replied(district))
    login(client, "office")
    page = client.get(f"/admin/publication/act/publish_summary/?ids={publication.id}").get_data(as_text=True)
    assert "已列入年度计划。" in page
    client.post(f"/admin/publication/act/publish_summary/?ids={publication.id}", data={"summary": "经审定的摘要"})
    db.session.expire_all()
    publication = db.session.get(Publication, publication.id)
    assert (publication.mode, publication.summary) == ("summary", "经审定的摘要")


@pytest.mark.parametrize("username", ["govoffice", "committee", "unit", "township", "deputy", "leader"])
def test_publication_grid_and_forms_are_office_only(client, district, username):
    publication = _publication(helpers.replied(district))
    login(client, username)
    assert client.get("/admin/publication/").status_code == 403
    assert client.get(f"/admin/publication/act/decline/?ids={publication.id}").status_code == 403
    response = client.post("/admin/publication/action/", data={"action": "publish_full", "rowid": [str(publication.id)]})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Publication, publication.id).status == PublicationStatus.PENDING


def test_anonymous_is_sent_to_login_from_the_publication_grid(client, district):
    assert "/login" in client.get("/admin/publication/").location


def test_voided_reply_keeps_its_publication_but_it_is_never_public(client, district):
    suggestion = helpers.replied(district)
    publishing.publish(district.office, _publication(suggestion), TODAY)
    db.session.commit()
    assert client.get(f"/public/{suggestion.id}").status_code == 200
    reply = db.session.scalar(select(Reply).where(Reply.suggestion_id == suggestion.id))
    workflow.void_record(district.office, reply, "录入错误")
    db.session.commit()
    assert client.get(f"/public/{suggestion.id}").status_code == 404
    publication = _publication(suggestion)
    assert publication.status == PublicationStatus.WITHDRAWN and publication.reason == "答复已作废：录入错误"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "Publication", AuditEntry.action == "作废"))
    assert entry is not None and "withdrawn" in entry.changes
