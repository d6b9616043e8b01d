"""Every transition of the workflow: allowed ones work, refused ones explain why and change nothing."""
from datetime import date

import pytest
from sqlalchemy import func, select

from domain import workflow
from domain.workflow import TRANSITIONS, WorkflowError
from models import (
    AuditEntry,
    Contact,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReturnRequest,
    Suggestion,
    db,
)
from models.enums import RequestStatus, Role, Source, State
from tests import helpers

TODAY = date(2026, 2, 5)
IN_WINDOW = date(2025, 12, 1)  # the session opens 2026-01-10: pre-submission 2025-11-10 … 2025-12-26


def _pending_return(district, suggestion):
    request = ReturnRequest(assignment=suggestion.active_assignments[0], suggestion=suggestion,
                            unit_id=district.units[0].id, reason="职责不符", requested_by_id=district.users["unit"].id)
    db.session.add(request)
    db.session.commit()
    return request


def _reply(district, suggestion):
    reply = Reply(suggestion=suggestion, unit_id=district.units[0].id, reply_category="A", text="已列入计划。",
                  signatory="张局长", replied_on=TODAY)
    db.session.add(reply)
    db.session.commit()
    return reply


def _contact(district, suggestion):
    contact = Contact(suggestion=suggestion, unit_id=district.units[0].id, contacted_on=TODAY, method="phone",
                      people="王堃", summary="电话沟通")
    db.session.add(contact)
    db.session.commit()
    return contact


def _pending_extension(district, suggestion):
    request = ExtensionRequest(suggestion=suggestion, unit_id=district.units[0].id, reason="需协调资金",
                               requested_due_on=date(2026, 6, 30), requested_by_id=district.users["unit"].id)
    db.session.add(request)
    db.session.commit()
    return request


CALLS = {
    "pre_submit": lambda a, s, d: workflow.pre_submit(a, s, TODAY),
    "start_review": lambda a, s, d: workflow.start_review(a, s),
    "return_for_revision": lambda a, s, d: workflow.return_for_revision(a, s, "请补充数据"),
    "submit": lambda a, s, d: workflow.submit(a, s, TODAY),
    "assign": lambda a, s, d: workflow.assign(a, s, lead_unit=d.units[2], today=TODAY),
    "sign": lambda a, s, d: workflow.sign(a, s),
    "request_return": lambda a, s, d: workflow.request_return(a, s, "不属于本单位职责", TODAY),
    "decide_return": lambda a, s, d: workflow.decide_return(a, d.pending, True, ""),
    "record_contact": lambda a, s, d: workflow.record_contact(
        a, s, contacted_on=TODAY, method="phone", people="王堃", summary="沟通", today=TODAY),
    "record_opinion": lambda a, s, d: workflow.record_opinion(a, s, "同意主办单位意见"),
    "request_extension": lambda a, s, d: workflow.request_extension(a, s, date(2026, 6, 30), "需协调资金"),
    "decide_extension": lambda a, s, d: workflow.decide_extension(a, d.pending, True, ""),
    "reply": lambda a, s, d: workflow.reply(a, s, reply_category="A", text="已解决", signatory="张局长",
                                            replied_on=TODAY, today=TODAY),
    "correct_reply": lambda a, s, d: workflow.correct_reply(a, d.pending, text="更正后的答复", reply_category="B",
                                                            reason="数据有误"),
    "evaluate": lambda a, s, d: workflow.evaluate(a, s, level="satisfied", comment="", given_on=TODAY, today=TODAY),
    "record_paper_evaluation": lambda a, s, d: workflow.evaluate(a, s, level="satisfied", comment="", given_on=TODAY,
                                                                 today=TODAY, scanned_form=helpers.scanned_form()),
    "close": lambda a, s, d: workflow.close(a, s),
    "rehandle": lambda a, s, d: workflow.rehandle(a, s, TODAY),
    "not_accept": lambda a, s, d: workflow.not_accept(a, s, "属于信访事项"),
    "merge": lambda a, s, d: workflow.merge(a, s, d.pending),
    "withdraw": lambda a, s, d: workflow.withdraw(a, s, "代表书面申请撤回"),
    "void_contact": lambda a, s, d: workflow.void_record(a, d.pending, "录入错误"),
    "void_reply": lambda a, s, d: workflow.void_record(a, d.pending, "录入错误"),
}
PREPARE = {
    "decide_return": _pending_return,
    "decide_extension": _pending_extension,
    "merge": lambda district, suggestion: helpers.register(district, "另一件建议"),
    "correct_reply": _reply,
    "void_reply": _reply,
    "void_contact": _contact,
}
ACTOR_BY_ROLE = {Role.OFFICE: "office", Role.UNIT: "unit", Role.DEPUTY: "deputy", Role.TOWNSHIP: "township",
                 Role.COMMITTEE: "committee", Role.GOV_OFFICE: "govoffice", Role.LEADER: "leader"}


def test_every_action_has_a_test_call():
    assert set(CALLS) == set(TRANSITIONS)


def _prepare(district, action, suggestion) -> None:
    """Create the pending request a decision needs, before the snapshot is taken."""
    if action in PREPARE:
        district.pending = PREPARE[action](district, suggestion)


def _snapshot(suggestion):
    counts = tuple(db.session.scalar(select(func.count()).select_from(m)) for m in
                   (AuditEntry, Contact, Reply, Evaluation))
    return suggestion.state, suggestion.version, counts


def _actor(district, action):
    role = sorted(TRANSITIONS[action].roles)[0] if Role.OFFICE not in TRANSITIONS[action].roles else Role.OFFICE
    return district.users[ACTOR_BY_ROLE[role]]


REFUSED_BY_STATE = [(action, state) for action, t in TRANSITIONS.items() if t.states is not None
                    for state in State if state not in t.states]


@pytest.mark.parametrize("action, state", REFUSED_BY_STATE)
def test_action_in_a_wrong_state_is_refused_and_changes_nothing(district, action, state):
    suggestion = helpers.handling(district)
    helpers.set_state(suggestion, state)
    actor = _actor(district, action)
    _prepare(district, action, suggestion)
    before = _snapshot(suggestion)
    with pytest.raises(WorkflowError, match="不能执行"):
        CALLS[action](actor, suggestion, district)
    db.session.rollback()
    assert _snapshot(db.session.get(Suggestion, suggestion.id)) == before


REFUSED_BY_ROLE = [(action, role) for action, t in TRANSITIONS.items() for role in Role if role not in t.roles]


@pytest.mark.parametrize("action, role", REFUSED_BY_ROLE)
def test_action_by_a_wrong_role_is_refused(district, action, role):
    suggestion = helpers.handling(district)
    helpers.set_state(suggestion, sorted(TRANSITIONS[action].states or {State.HANDLING})[0])
    _prepare(district, action, suggestion)
    before = _snapshot(suggestion)
    actor = district.users[ACTOR_BY_ROLE[role]]
    target = getattr(district, "pending", suggestion) if TRANSITIONS[action].target is not Suggestion else suggestion
    with pytest.raises(WorkflowError, match="无权"):
        workflow.ACTIONS[action].check(actor, target)  # as the request boundary checks every declared action
    function = workflow.ACTIONS[action].function
    if not any(a.function is function and a.allowed_for(actor) for a in workflow.ACTIONS.values()):
        with pytest.raises(WorkflowError):  # the domain function refuses too, unless it also serves an action of this role
            CALLS[action](actor, suggestion, district)
    db.session.rollback()
    assert _snapshot(db.session.get(Suggestion, suggestion.id)) == before


# --- before numbering --------------------------------------------------------------------------


def _draft(district, title="关于增设公交站点的建议"):
    suggestion = Suggestion(source=Source.CONGRESS, session=district.session, year=2026, category="transport",
                            title=title, body="正文", lead_deputy=district.deputies[0], state=State.DRAFT)
    db.session.add(suggestion)
    db.session.commit()
    return suggestion


def test_pre_review_round_trip_then_numbering(district):
    office, deputy = district.office, district.users["deputy"]
    suggestion = _draft(district)
    workflow.pre_submit(deputy, suggestion, IN_WINDOW)
    assert suggestion.state == State.PRE_SUBMITTED
    workflow.start_review(district.users["committee"], suggestion)
    with pytest.raises(WorkflowError, match="初审意见"):
        workflow.return_for_revision(office, suggestion, "  ")
    workflow.return_for_revision(office, suggestion, "数据请核实")
    assert suggestion.state == State.RETURNED_FOR_REVISION and suggestion.state_reason == "数据请核实"
    workflow.pre_submit(deputy, suggestion, IN_WINDOW)
    workflow.submit(office, suggestion, date(2026, 1, 12))
    assert suggestion.state == State.SUBMITTED
    assert suggestion.number == 1 and suggestion.number_label == "2026大会第001号"


def test_numbers_are_sequential_per_series(district):
    first = helpers.register(district, "一")
    second = helpers.register(district, "二")
    recess = helpers.register(district, "三", source=Source.RECESS, received_on=date(2026, 5, 6))
    assert (first.number, second.number, recess.number) == (1, 2, 1)
    assert recess.number_label == "2026闭会第001号"


def test_recess_suggestion_must_be_assigned_within_five_working_days(district):
    recess = helpers.register(district, "直通车", source=Source.RECESS, received_on=date(2026, 9, 29))
    # 09-30, then the holiday until 10-07, then 10-08, 10-09, Sat 10-10 (adjusted), 10-12.
    assert recess.due_on == date(2026, 10, 12)
    workflow.assign(district.office, recess, lead_unit=district.units[0], today=date(2026, 10, 12))
    assert recess.reply_due_on == date(2026, 11, 2)


def test_register_requires_title_and_body(district):
    suggestion = Suggestion(source=Source.CONGRESS, session=district.session, category="urban", title=" ",
                            body="正文", lead_deputy=district.deputies[0])
    with pytest.raises(WorkflowError, match="标题"):
        workflow.register(district.office, suggestion, TODAY)


# --- assignment -------------------------------------------------------------------------------


def test_assignment_sets_deadlines_and_signing_starts_handling(district):
    suggestion = helpers.assigned(district, co_handlers=[district.units[1]], on=date(2026, 2, 2))
    assert suggestion.state == State.ASSIGNED
    assert suggestion.reply_due_on == date(2026, 5, 2) == suggestion.due_on
    co = [a for a in suggestion.assignments if a.role == "co_handler"][0]
    assert co.opinion_due_on == date(2026, 3, 2)
    workflow.sign(district.users["unit"], suggestion)
    assert suggestion.state == State.ASSIGNED  # the co-handler has not signed yet
    with pytest.raises(WorkflowError, match="已签收"):
        workflow.sign(district.users["unit"], suggestion)
    workflow.sign(district.users["unit2"], suggestion)
    assert suggestion.state == State.HANDLING


def test_assign_needs_one_lead_unit_not_also_co_handler(district):
    suggestion = helpers.register(district)
    with pytest.raises(WorkflowError, match="主办单位"):
        workflow.assign(district.office, suggestion, lead_unit=None, today=TODAY)
    with pytest.raises(WorkflowError, match="不能同时"):
        workflow.assign(district.office, suggestion, lead_unit=district.units[0], co_handlers=[district.units[0]], today=TODAY)
    with pytest.raises(WorkflowError, match="至少需要两个"):
        workflow.assign(district.office, suggestion, lead_unit=None, split_units=[district.units[0]], today=TODAY)
    assert suggestion.state == State.SUBMITTED and not suggestion.assignments


def test_a_unit_cannot_act_on_a_suggestion_not_assigned_to_it(district):
    suggestion = helpers.assigned(district)
    with pytest.raises(WorkflowError, match="未交办给您的单位"):
        workflow.sign(district.users["unit2"], suggestion)


def test_return_request_within_seven_working_days_then_reassignment(district):
    suggestion = helpers.assigned(district, co_handlers=[district.units[1]], on=date(2026, 9, 29))
    unit = district.users["unit"]
    with pytest.raises(WorkflowError, match="7个工作日"):
        workflow.request_return(unit, suggestion, "不属于本单位职责", date(2026, 10, 15))
    request = workflow.request_return(unit, suggestion, "不属于本单位职责", date(2026, 10, 14))
    with pytest.raises(WorkflowError, match="待审批"):
        workflow.request_return(unit, suggestion, "再次申请", date(2026, 10, 14))
    workflow.decide_return(district.office, request, True, "")
    assert suggestion.state == State.SUBMITTED and suggestion.active_assignments == []
    workflow.assign(district.office, suggestion, lead_unit=district.units[2], today=date(2026, 10, 14))
    assert [a.unit_id for a in suggestion.active_assignments] == [district.units[2].id]


def test_refused_return_keeps_the_assignment_and_needs_a_reason(district):
    suggestion = helpers.assigned(district)
    request = workflow.request_return(district.users["unit"], suggestion, "不属于本单位职责", date(2026, 2, 3))
    with pytest.raises(WorkflowError, match="说明理由"):
        workflow.decide_return(district.office, request, False, "")
    workflow.decide_return(district.office, request, False, "属于住建职责，请继续办理")
    assert request.status == RequestStatus.REFUSED and suggestion.state == State.ASSIGNED
    with pytest.raises(WorkflowError, match="已处理"):
        workflow.decide_return(district.office, request, True, "")


def test_co_handler_return_ends_only_its_part(district):
    suggestion = helpers.handling(district, co_handlers=[district.units[1]])
    request = workflow.request_return(district.users["unit2"], suggestion, "无相关职能", date(2026, 2, 4))
    workflow.decide_return(district.office, request, True, "")
    assert suggestion.state == State.HANDLING
    assert [a.unit_id for a in suggestion.active_assignments] == [district.units[0].id]


# --- handling and reply -----------------------------------------------------------------------


def test_reply_needs_a_recorded_contact(district):
    suggestion = helpers.handling(district)
    unit = district.users["unit"]
    with pytest.raises(WorkflowError, match="至少记录一次"):
        CALLS["reply"](unit, suggestion, district)
    helpers.contacted(district, suggestion, district.units[0], on=date(2026, 2, 4))
    CALLS["reply"](unit, suggestion, district)
    assert suggestion.state == State.REPLIED and suggestion.due_on is None


def test_contact_dates_are_checked(district):
    suggestion = helpers.handling(district)
    with pytest.raises(WorkflowError, match="不能晚于今天"):
        workflow.record_contact(district.users["unit"], suggestion, contacted_on=date(2026, 3, 1), method="phone",
                                people="王堃", summary="沟通", today=date(2026, 2, 5))
    with pytest.raises(WorkflowError, match="早于交办"):
        workflow.record_contact(district.users["unit"], suggestion, contacted_on=date(2026, 1, 1), method="phone",
                                people="王堃", summary="沟通", today=date(2026, 2, 5))


def test_co_handler_gives_an_opinion_and_does_not_reply(district):
    suggestion = helpers.handling(district, co_handlers=[district.units[1]])
    co_unit = district.users["unit2"]
    helpers.contacted(district, suggestion, district.units[1])
    with pytest.raises(WorkflowError, match="协办单位不直接答复"):
        CALLS["reply"](co_unit, suggestion, district)
    with pytest.raises(WorkflowError, match="只有协办单位"):
        workflow.record_opinion(district.users["unit"], suggestion, "意见")
    workflow.record_opinion(co_unit, suggestion, "建议结合学区规划统筹")
    assert suggestion.assignments[1].opinion == "建议结合学区规划统筹"


def test_split_suggestion_is_replied_when_every_part_is(district):
    suggestion = helpers.register(district)
    workflow.assign(district.office, suggestion, lead_unit=None, split_units=district.units[:2], today=date(2026, 2, 2))
    for unit in district.units[:2]:
        workflow.sign(helpers.unit_user(district, unit), suggestion)
        helpers.contacted(district, suggestion, unit)
    CALLS["reply"](district.users["unit"], suggestion, district)
    assert suggestion.state == State.HANDLING
    CALLS["reply"](district.users["unit2"], suggestion, district)
    assert suggestion.state == State.REPLIED


def test_commitments_are_recorded_with_their_due_dates(district):
    suggestion = helpers.handling(district)
    helpers.contacted(district, suggestion, district.units[0], on=date(2026, 2, 4))
    with pytest.raises(WorkflowError, match="完成期限"):
        workflow.reply(district.users["unit"], suggestion, reply_category="B", text="列入计划", signatory="张局长",
                       replied_on=TODAY, commitments=[("年内完成改造", date(2026, 1, 1))], today=TODAY)
    reply = workflow.reply(district.users["unit"], suggestion, reply_category="B", text="列入计划", signatory="张局长",
                           replied_on=TODAY, commitments=[("年内完成改造", date(2026, 12, 31))], today=TODAY)
    assert [(c.content, c.due_on) for c in reply.commitments] == [("年内完成改造", date(2026, 12, 31))]


def test_extension_moves_the_deadline_up_to_six_months(district):
    suggestion = helpers.handling(district)  # assigned 2026-02-02, due 2026-05-02
    unit = district.users["unit"]
    with pytest.raises(WorkflowError, match="最迟"):
        workflow.request_extension(unit, suggestion, date(2026, 8, 3), "需协调资金")
    with pytest.raises(WorkflowError, match="须晚于现期限"):
        workflow.request_extension(unit, suggestion, date(2026, 4, 1), "需协调资金")
    request = workflow.request_extension(unit, suggestion, date(2026, 8, 2), "需协调资金")
    workflow.decide_extension(district.office, request, True, "")
    assert suggestion.reply_due_on == suggestion.due_on == date(2026, 8, 2)


def test_refused_extension_keeps_the_deadline(district):
    suggestion = helpers.handling(district)
    request = workflow.request_extension(district.users["unit"], suggestion, date(2026, 6, 1), "人手不足")
    workflow.decide_extension(district.office, request, False, "理由不充分")
    assert suggestion.due_on == date(2026, 5, 2) and request.status == RequestStatus.REFUSED


# --- evaluation, re-handling, closing --------------------------------------------------------


def test_satisfied_evaluation_then_close(district):
    suggestion = helpers.evaluated(district, "satisfied")
    workflow.close(district.office, suggestion)
    assert suggestion.state == State.CLOSED


def test_unsatisfied_must_be_rehandled_with_its_own_deadline(district):
    suggestion = helpers.evaluated(district, "unsatisfied")
    with pytest.raises(WorkflowError, match="应转重办"):
        workflow.close(district.office, suggestion)
    workflow.rehandle(district.office, suggestion, date(2026, 3, 10))
    assert suggestion.state == State.REHANDLING and suggestion.due_on == date(2026, 4, 10)
    unit = district.users["unit"]
    with pytest.raises(WorkflowError, match="再次与代表沟通"):
        workflow.reply(unit, suggestion, reply_category="B", text="再次答复", signatory="张局长",
                       replied_on=date(2026, 3, 20), today=date(2026, 3, 20))
    helpers.contacted(district, suggestion, district.units[0], on=date(2026, 3, 15))
    second = workflow.reply(unit, suggestion, reply_category="B", text="再次答复", signatory="张局长",
                            replied_on=date(2026, 3, 20), today=date(2026, 3, 20))
    assert second.round == 2 and suggestion.state == State.REPLIED
    workflow.evaluate(district.users["deputy"], suggestion, level="unsatisfied", comment="仍不满意", given_on=date(2026, 3, 25),
                      today=date(2026, 3, 25))
    with pytest.raises(WorkflowError, match="已重办过"):
        workflow.rehandle(district.office, suggestion, date(2026, 3, 26))
    workflow.close(district.office, suggestion)
    assert suggestion.state == State.CLOSED


def test_satisfied_cannot_be_rehandled_and_unsatisfied_needs_a_comment(district):
    suggestion = helpers.replied(district)
    with pytest.raises(WorkflowError, match="须填写代表意见"):
        workflow.evaluate(district.users["deputy"], suggestion, level="unsatisfied", comment="", given_on=TODAY, today=date(2026, 3, 5))
    workflow.evaluate(district.users["deputy"], suggestion, level="basically_satisfied", comment="", given_on=date(2026, 3, 5),
                      today=date(2026, 3, 5))
    with pytest.raises(WorkflowError, match="不满意的建议才能转重办"):
        workflow.rehandle(district.office, suggestion, date(2026, 3, 6))


# --- side exits ---------------------------------------------------------------------------------


def test_not_accepted_needs_a_reason(district):
    suggestion = helpers.register(district)
    with pytest.raises(WorkflowError, match="说明理由"):
        workflow.not_accept(district.office, suggestion, "")
    workflow.not_accept(district.office, suggestion, "属于个人诉求")
    assert suggestion.state == State.NOT_ACCEPTED and suggestion.state_reason == "属于个人诉求"


def test_merge_keeps_every_deputy_as_co_signer(district):
    target = helpers.register(district, "关于A路拓宽的建议", lead=district.deputies[0])
    duplicate = helpers.register(district, "关于拓宽A路的建议", lead=district.deputies[2], co_signers=[district.deputies[3]])
    with pytest.raises(WorkflowError, match="建议本身"):
        workflow.merge(district.office, duplicate, duplicate)
    workflow.merge(district.office, duplicate, target)
    assert duplicate.state == State.MERGED and duplicate.merged_into_id == target.id
    assert {d.name for d in target.co_signers} == {"陈昇", "张赟"}


def test_withdraw_ends_the_assignments(district):
    suggestion = helpers.handling(district)
    workflow.withdraw(district.office, suggestion, "代表书面申请撤回")
    assert suggestion.state == State.WITHDRAWN and suggestion.active_assignments == []


def test_every_change_is_in_the_audit_trail(district):
    suggestion = helpers.handling(district)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.suggestion_id == suggestion.id)
                                 .order_by(AuditEntry.id)).all()
    actions = [e.action for e in entries]
    assert actions[:1] == ["登记"] and "交办" in actions and "签收" in actions
    state_changes = [e.changes for e in entries if e.object_type == "Suggestion" and '"state"' in e.changes]
    assert any('"submitted", "assigned"' in c for c in state_changes)
    signed = [e for e in entries if e.action == "签收" and e.object_type == "Assignment"][0]
    assert signed.user_id == district.users["unit"].id


def test_pending_requests_lapse_when_the_suggestion_moves_on(district):
    suggestion = helpers.handling(district)
    extension = workflow.request_extension(district.users["unit"], suggestion, date(2026, 6, 1), "需协调资金")
    helpers.contacted(district, suggestion, district.units[0], on=date(2026, 2, 4))
    CALLS["reply"](district.users["unit"], suggestion, district)
    assert extension.status == RequestStatus.LAPSED and "已答复" in extension.decision_note
    other = helpers.assigned(district, "另一件")
    returned = workflow.request_return(district.users["unit"], other, "职责不符", date(2026, 2, 3))
    workflow.withdraw(district.office, other, "代表申请撤回")
    assert returned.status == RequestStatus.LAPSED


def test_reply_and_evaluation_dates_follow_the_handling(district):
    suggestion = helpers.handling(district)  # assigned 2026-02-02
    helpers.contacted(district, suggestion, district.units[0], on=date(2026, 2, 4))
    with pytest.raises(WorkflowError, match="早于交办日期"):
        workflow.reply(district.users["unit"], suggestion, reply_category="A", text="已解决", signatory="张局长",
                       replied_on=date(2026, 1, 30), today=TODAY)
    CALLS["reply"](district.users["unit"], suggestion, district)  # replied 2026-02-05
    with pytest.raises(WorkflowError, match="不能早于答复日期"):
        workflow.evaluate(district.users["deputy"], suggestion, level="satisfied", comment="", given_on=date(2026, 2, 4),
                          today=TODAY)


def test_voiding_a_second_reply_restores_the_rehandling_deadline(district):
    suggestion = helpers.evaluated(district, "unsatisfied")
    workflow.rehandle(district.office, suggestion, date(2026, 3, 10))
    helpers.contacted(district, suggestion, district.units[0], on=date(2026, 3, 15))
    second = workflow.reply(district.users["unit"], suggestion, reply_category="B", text="再次答复", signatory="张局长",
                            replied_on=date(2026, 3, 20), today=date(2026, 3, 20))
    workflow.void_record(district.office, second, "答复附件有误")
    assert suggestion.state == State.REHANDLING and suggestion.due_on == date(2026, 4, 10)

