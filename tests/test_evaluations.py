"""The three evaluations: who may give them, their windows, the re-handling loop, rollover of commitments."""
from datetime import date

import pytest
from sqlalchemy import func, select

from domain import evaluations, workflow
from domain.errors import WorkflowError
from domain.notices import DEFAULT_TEMPLATES
from models import (
    Attachment,
    AttitudeEvaluation,
    Commitment,
    Evaluation,
    ImplementationEvaluation,
    Reply,
    RuleSetting,
    db,
)
from models.enums import CommitmentStatus, State
from tests import helpers

NOV = date(2026, 11, 2)


def _deputy(district):
    return district.users["deputy"]  # deputy of district.deputies[0], the default lead deputy


def _evaluate(actor, suggestion, level="satisfied", comment="", **kwargs):
    return workflow.evaluate(actor, suggestion, level=level, comment=comment, given_on=date(2026, 3, 10),
                             today=date(2026, 3, 10), **kwargs)


def _replied_with_commitments(district, title="关于修缮乡村道路的建议", category="B", on=date(2026, 3, 2), unit=None, lead=None):
    suggestion = helpers.handling(district, title, unit=unit or district.units[0], lead=lead or district.deputies[0])
    unit = suggestion.active_assignments[0].unit
    helpers.contacted(district, suggestion, unit, on=on)
    workflow.reply(helpers.unit_user(district, unit), suggestion, reply_category=category, text="列入计划", signatory="张局长",
                   replied_on=on, today=on, commitments=[("年内完成路面修缮", date(2026, 9, 30)), ("增设路灯", date(2026, 12, 31))])
    db.session.commit()
    return suggestion


# --- round 2: content, the deputy's own ---------------------------------------------------------------


def test_the_lead_deputy_evaluates_the_reply_in_person(district):
    suggestion = helpers.replied(district)
    evaluation = _evaluate(_deputy(district), suggestion)
    assert evaluation.on_paper is False and suggestion.state == State.EVALUATED


def test_a_co_signer_another_deputy_or_a_unit_cannot_evaluate(district):
    co_signer = helpers.make_user("cosigner", helpers.Role.DEPUTY, deputy_id=district.deputies[1].id)
    other = helpers.make_user("other-deputy", helpers.Role.DEPUTY, deputy_id=district.deputies[3].id)
    db.session.commit()
    suggestion = helpers.replied(district, co_signers=[district.deputies[1]])
    for actor in (co_signer, other):
        with pytest.raises(WorkflowError, match="领衔代表本人"):
            _evaluate(actor, suggestion)
    with pytest.raises(WorkflowError, match="无权"):
        _evaluate(district.users["unit"], suggestion)
    assert suggestion.state == State.REPLIED


def test_the_office_records_a_paper_form_only_with_its_scan(district, app, tmp_path):
    app.config["ATTACHMENT_DIR"] = str(tmp_path)
    suggestion = helpers.replied(district)
    with pytest.raises(WorkflowError, match="扫描件"):
        _evaluate(district.office, suggestion)
    evaluation = _evaluate(district.office, suggestion, scanned_form=helpers.scanned_form())
    db.session.commit()
    assert evaluation.on_paper is True
    scan = db.session.scalar(select(Attachment).where(Attachment.owner_type == "Evaluation", Attachment.owner_id == evaluation.id))
    assert scan is not None and scan.filename == "评价表.pdf"
    app.config.pop("ATTACHMENT_DIR")


def test_no_one_can_change_an_evaluation_afterwards(district):
    suggestion = helpers.replied(district)
    evaluation = _evaluate(_deputy(district), suggestion)
    db.session.commit()
    evaluation.level = "unsatisfied"
    with pytest.raises(WorkflowError, match="不能修改"):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Evaluation, evaluation.id).level == "satisfied"


def test_rehandling_loop_with_the_deputy_evaluating_twice(district):
    suggestion = helpers.replied(district)
    _evaluate(_deputy(district), suggestion, "unsatisfied", "未解决实际问题")
    db.session.commit()
    workflow.rehandle(district.office, suggestion, date(2026, 3, 12))
    assert suggestion.state == State.REHANDLING and suggestion.due_on == date(2026, 4, 12)
    helpers.contacted(district, suggestion, district.units[0], on=date(2026, 3, 20))
    workflow.reply(district.users["unit"], suggestion, reply_category="A", text="已解决", signatory="张局长",
                   replied_on=date(2026, 3, 25), today=date(2026, 3, 25))
    second = workflow.evaluate(_deputy(district), suggestion, level="basically_satisfied", comment="",
                               given_on=date(2026, 3, 28), today=date(2026, 3, 28))
    assert second.round == 2
    workflow.close(district.office, suggestion)
    assert suggestion.state == State.CLOSED


# --- round 1: attitude and the three communications ----------------------------------------------------


def test_attitude_is_checked_against_the_recorded_contacts(district):
    # assigned 2026-02-02, contact 2026-02-10 (before handling), reply 2026-03-02; no contact during or after.
    suggestion = helpers.replied(district)
    evaluation = evaluations.evaluate_attitude(
        _deputy(district), suggestion, district.units[0], level="satisfied", before=True, during=True, after=False,
        comment="", given_on=date(2026, 3, 5), today=date(2026, 3, 5))
    assert evaluation.mismatch == "办理中沟通：代表称有，单位未记录"
    assert evaluations.recorded_communications(suggestion, district.units[0], evaluations.Rules.load()) == {
        "before": 1, "during": 0, "after": 0}


def test_attitude_matching_the_records_is_not_flagged_and_is_given_once(district):
    suggestion = helpers.replied(district)
    helpers.contacted(district, suggestion, district.units[0], on=date(2026, 3, 4))
    evaluation = evaluations.evaluate_attitude(
        _deputy(district), suggestion, district.units[0], level="basically_satisfied", before=True, during=False,
        after=True, comment="", given_on=date(2026, 3, 5), today=date(2026, 3, 5))
    assert evaluation.mismatch == ""
    with pytest.raises(WorkflowError, match="不能修改"):
        evaluations.evaluate_attitude(_deputy(district), suggestion, district.units[0], level="unsatisfied", before=False,
                                      during=False, after=False, comment="改主意", given_on=date(2026, 3, 6),
                                      today=date(2026, 3, 6))


def test_attitude_needs_a_reply_from_that_unit(district):
    suggestion = helpers.handling(district)
    with pytest.raises(WorkflowError, match="答复后"):
        evaluations.evaluate_attitude(_deputy(district), suggestion, district.units[0], level="satisfied", before=True,
                                      during=True, after=True, comment="", given_on=date(2026, 3, 5), today=date(2026, 3, 5))
    replied = helpers.replied(district, "另一件建议")
    with pytest.raises(WorkflowError, match="没有答复"):
        evaluations.evaluate_attitude(_deputy(district), replied, district.units[1], level="satisfied", before=True,
                                      during=True, after=True, comment="", given_on=date(2026, 3, 5), today=date(2026, 3, 5))
    assert db.session.scalar(select(func.count(AttitudeEvaluation.id))) == 0


# --- round 3: implementation, in November ------------------------------------------------------------------


def _implement(district, commitment, result, today, comment="尚未完成"):
    return evaluations.evaluate_implementation(_deputy(district), commitment, result=result,
                                               comment="" if result == "kept" else comment, given_on=today, today=today)


def test_implementation_window_opens_on_1_november_by_default(district):
    suggestion = _replied_with_commitments(district)
    commitment = db.session.scalars(select(Commitment).join(Reply).where(Reply.suggestion_id == suggestion.id)).first()
    with pytest.raises(WorkflowError, match="11月01日至12月31日"):
        _implement(district, commitment, "kept", date(2026, 10, 31))
    evaluation = _implement(district, commitment, "partly_kept", date(2026, 11, 1))
    assert evaluation.year == 2026 and commitment.status == CommitmentStatus.PARTLY_KEPT
    with pytest.raises(WorkflowError, match="已评价过"):
        _implement(district, commitment, "kept", date(2026, 11, 3))


def test_the_window_is_a_rule_the_office_can_change(district):
    suggestion = _replied_with_commitments(district)
    commitment = db.session.scalars(select(Commitment).join(Reply).where(Reply.suggestion_id == suggestion.id)).first()
    db.session.add(RuleSetting(key="implementation_evaluation_opens", label="开始日", amount=1015, unit="month_day"))
    db.session.commit()
    assert _implement(district, commitment, "kept", date(2026, 10, 20)).result == "kept"


def test_b_category_commitments_roll_over_until_kept(district):
    b_reply = _replied_with_commitments(district, "B类答复建议", "B")
    a_reply = _replied_with_commitments(district, "A类答复建议", "A")
    b_first, b_second = db.session.scalars(select(Commitment).join(Reply).where(Reply.suggestion_id == b_reply.id)
                                           .order_by(Commitment.id)).all()
    a_first, _ = db.session.scalars(select(Commitment).join(Reply).where(Reply.suggestion_id == a_reply.id)
                                    .order_by(Commitment.id)).all()
    _implement(district, b_first, "not_kept", NOV)
    _implement(district, b_second, "kept", NOV)
    _implement(district, a_first, "not_kept", NOV)
    db.session.commit()

    def listed(year):
        return set(db.session.scalars(select(Commitment.id).join(Commitment.reply)
                                      .where(evaluations.year_commitments_condition(year))))

    assert listed(2027) == {b_first.id}  # B not kept rolls over; B kept and A/C do not
    _implement(district, b_first, "kept", date(2027, 11, 5))
    db.session.commit()
    assert listed(2028) == set()
    assert db.session.scalar(select(func.count(ImplementationEvaluation.id))) == 4


def test_what_awaits_the_deputy(district):
    suggestion = _replied_with_commitments(district)
    waiting = evaluations.awaiting(district.deputies[0].id, date(2026, 10, 1))
    assert [s.id for s in waiting["content"]] == [suggestion.id]
    assert [(s.id, u.id) for s, u in waiting["attitude"]] == [(suggestion.id, district.units[0].id)]
    assert waiting["commitments"] == []  # the window is not open yet
    assert len(evaluations.awaiting(district.deputies[0].id, NOV)["commitments"]) == 2
    assert evaluations.awaiting(district.deputies[2].id, NOV) == {"content": [], "attitude": [], "commitments": [],
                                                                  "window": (date(2026, 11, 1), date(2026, 12, 31))}


def test_demo_loader_adds_evaluations_through_the_domain(district):
    from demo import evaluations as demo_evaluations
    from models import MessageTemplate

    _replied_with_commitments(district)
    demo_evaluations.load(evaluations.Rules.load(), NOV)
    db.session.commit()
    assert db.session.scalar(select(func.count(MessageTemplate.id))) == len(DEFAULT_TEMPLATES)
    assert db.session.scalar(select(func.count(Evaluation.id))) == 1
    assert db.session.scalar(select(func.count(AttitudeEvaluation.id))) == 1
    assert db.session.scalar(select(func.count(ImplementationEvaluation.id))) == 2


def test_the_office_records_a_paper_form_in_the_back_office(client, app, district, tmp_path):
    from io import BytesIO

    app.config["ATTACHMENT_DIR"] = str(tmp_path)
    suggestion = helpers.replied(district)
    helpers.login(client, "office")
    url = f"/admin/suggestion/act/record_paper_evaluation/?ids={suggestion.id}"
    refused = client.post(url, data={"level": "satisfied", "given_on": "2026-03-10"}, follow_redirects=True)
    assert "评价表扫描件" in refused.get_data(as_text=True)
    assert db.session.get(type(suggestion), suggestion.id).state == State.REPLIED
    client.post(url, content_type="multipart/form-data", data={
        "level": "satisfied", "given_on": "2026-03-10",
        "scanned_form": (BytesIO(b"%PDF-1.4\n%%EOF\n"), "王堃评价表.pdf")})
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.suggestion_id == suggestion.id))
    assert evaluation.on_paper is True
    scan = db.session.scalar(select(Attachment).where(Attachment.owner_type == "Evaluation"))
    assert scan.filename == "王堃评价表.pdf"
    client.post("/logout")
    helpers.login(client, "deputy")
    assert client.get(f"/attachments/{scan.id}").status_code == 200  # the deputy may read the scan of their own form
    client.post("/logout")
    helpers.login(client, "unit2")
    assert client.get(f"/attachments/{scan.id}").status_code == 404
    app.config.pop("ATTACHMENT_DIR")
