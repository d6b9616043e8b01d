"""Every rule about a suggestion's state: the transitions, who may make them, and their deadlines.

TRANSITIONS is the table of the suggestion's life: each action's label, roles, the states it starts
from, the form that collects its input and whether it applies to several suggestions at once. Each
is carried out by the function of the same name below, which takes the acting user, checks the role
and the rules, changes the objects and flushes. It never commits: the request boundary commits once.
A refused transition raises WorkflowError with a Chinese message and changes nothing.
The named groups of states and the derived facts (overdue, current deadline…) are in domain.states.
"""
from __future__ import annotations

import sys
from datetime import date

from sqlalchemy import func, select

from domain import actions, audit, evaluations, notices, preparation, publication, recess, reference, states, supervision
from domain.actions import action
from domain.errors import WorkflowError, require
from domain.numbering import next_number_statement
from domain.rules import Rules
from models import (
    Assignment,
    Commitment,
    CongressSession,
    Contact,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReplyCorrection,
    ReturnRequest,
    Suggestion,
    Unit,
    User,
    db,
)
from models.base import utcnow
from models.enums import (
    CATEGORY_LABELS,
    AssignmentRole,
    ContactMethod,
    EvaluationLevel,
    HandlingMode,
    ReplyCategory,
    RequestStatus,
    Role,
    Source,
    State,
)

OFFICE, UNIT = {Role.OFFICE}, {Role.UNIT}
REVIEWERS = {Role.OFFICE, Role.COMMITTEE, Role.GOV_OFFICE}
DRAFTERS = {Role.DEPUTY, Role.TOWNSHIP, Role.OFFICE}
NUMBERED_NOT_ASSIGNED = states.BEFORE_NUMBERING | {State.SUBMITTED}

TRANSITIONS = {
    "pre_submit": action("预交", DRAFTERS, states.EDITABLE, bulk=True),
    "start_review": action("开始初审", REVIEWERS, {State.PRE_SUBMITTED}, bulk=True),
    "return_for_revision": action("退回修改", REVIEWERS, {State.UNDER_REVIEW}, form="reason", bulk=True),
    "submit": action("正式提交并编号", OFFICE, states.BEFORE_NUMBERING, bulk=True, confirm="确定将所选建议正式提交并编号吗？"),
    "assign": action("交办", OFFICE, {State.SUBMITTED}, form="assign", bulk=True),
    "sign": action("签收", UNIT, {State.ASSIGNED, State.HANDLING}, bulk=True),
    "request_return": action("申请退回", UNIT, {State.ASSIGNED, State.HANDLING}, form="reason"),
    "decide_return": action("审批退回申请", OFFICE, {State.ASSIGNED, State.HANDLING}, form="decision", bulk=True,
                            target=ReturnRequest),
    "record_contact": action("记录沟通", UNIT, states.WITH_UNITS | {State.REPLIED, State.EVALUATED}, form="contact"),
    "record_opinion": action("提交协办意见", UNIT, {State.HANDLING, State.REHANDLING}, form="opinion"),
    "request_extension": action("申请延期", UNIT, {State.ASSIGNED, State.HANDLING}, form="extension"),
    "decide_extension": action("审批延期申请", OFFICE, {State.ASSIGNED, State.HANDLING}, form="decision", bulk=True,
                               target=ExtensionRequest),
    "reply": action("答复", UNIT, {State.HANDLING, State.REHANDLING}, form="reply"),
    "correct_reply": action("更正答复", UNIT, states.ANSWERED, form="correction", target=Reply),
    "evaluate": action("评价答复", {Role.DEPUTY}, {State.REPLIED}),  # in the deputy's own pages
    "record_paper_evaluation": action("录入纸质评价", OFFICE, {State.REPLIED}, form="evaluate", function="evaluate"),
    "close": action("办结", OFFICE, {State.EVALUATED}, bulk=True, confirm="确定将所选建议办结吗？"),
    "rehandle": action("转重办", OFFICE, {State.EVALUATED}, bulk=True, confirm="确定将所选建议转重办吗？"),
    "not_accept": action("不予立案", OFFICE, NUMBERED_NOT_ASSIGNED, form="not_accept", bulk=True, function="refuse"),
    "merge": action("并案", OFFICE, NUMBERED_NOT_ASSIGNED, form="merge"),
    "withdraw": action("撤回", OFFICE, NUMBERED_NOT_ASSIGNED | {State.ASSIGNED, State.HANDLING}, form="reason", bulk=True),
    "void_contact": action("作废", OFFICE, form="reason", bulk=True, target=Contact, function="void_record"),
    "void_reply": action("作废", OFFICE, {State.REPLIED}, form="reason", bulk=True, target=Reply, function="void_record"),
}
LEFT_STATES = {"not_accept": State.NOT_ACCEPTED, "merge": State.MERGED, "withdraw": State.WITHDRAWN}


def _check(name: str, actor: User, target) -> None:
    ACTIONS[name].check(actor, target)


def allowed_actions(actor: User, suggestion: Suggestion) -> list[str]:
    """The transitions on the suggestion whose role and state rules this user meets now."""
    return [a.name for a in actions.allowed(ACTIONS, actor, suggestion) if a.target is Suggestion]


def _set_state(suggestion: Suggestion, state: State, actor: User | None, reason: str | None = None) -> None:
    suggestion.state = state
    suggestion.updated_by_id = actor.id if actor else None
    if reason is not None:
        suggestion.state_reason = reason
    states.sync_deadline(suggestion)


def _own_assignment(actor: User, suggestion: Suggestion) -> Assignment:
    for assignment in suggestion.active_assignments:
        if actor.unit_id is not None and assignment.unit_id == actor.unit_id:
            return assignment
    raise WorkflowError("该建议未交办给您的单位。")


# --- before the congress -------------------------------------------------------------


def pre_submit(actor: User, suggestion: Suggestion, today: date, rules: Rules | None = None) -> None:
    """The lead deputy (or the township, or the office) pre-submits inside the window; the text is kept as a revision."""
    _check("pre_submit", actor, suggestion)
    preparation.check_acts_for_lead_deputy(actor, suggestion)
    preparation.check_window(suggestion, today, rules or Rules.load())
    with audit.operation(actor, "预交"):
        preparation.keep_revision(actor, suggestion)
        _set_state(suggestion, State.PRE_SUBMITTED, actor, "")


def start_review(actor: User, suggestion: Suggestion) -> None:
    _check("start_review", actor, suggestion)
    with audit.operation(actor, "开始初审"):
        _set_state(suggestion, State.UNDER_REVIEW, actor)


def return_for_revision(actor: User, suggestion: Suggestion, reason: str) -> None:
    """Back to the lead deputy with the reviewers' reason (初审意见)."""
    _check("return_for_revision", actor, suggestion)
    require(bool(reason.strip()), "退回修改须填写初审意见。")
    with audit.operation(actor, "退回修改"):
        _set_state(suggestion, State.RETURNED_FOR_REVISION, actor, reason.strip())


# --- numbering and registration ---------------------------------------------------------------


def number_series(suggestion: Suggestion) -> str:
    """Congress suggestions are numbered per year of their session, recess ones per year of receipt."""
    if suggestion.source == Source.CONGRESS:
        return f"congress-{suggestion.session.year}"
    return f"recess-{suggestion.year}"


def _check_source_and_session(suggestion: Suggestion) -> None:
    require(suggestion.source in set(Source), "请选择建议来源（大会建议或闭会建议）。")
    if suggestion.source == Source.CONGRESS:
        session = suggestion.session
        if session is None and suggestion.session_id:
            session = db.session.get(CongressSession, suggestion.session_id)
        require(session is not None, "大会建议须选择届次。")
        suggestion.session = session
    else:
        suggestion.session = None


def submit(actor: User, suggestion: Suggestion, today: date, rules: Rules | None = None, received_on: date | None = None) -> None:
    """Formal submission: the suggestion gets its number (案号) and, if recess, its assignment deadline.
    It counts as received today unless another day of receipt is given."""
    _check("submit", actor, suggestion)
    received_on = received_on or today
    _check_source_and_session(suggestion)
    rules = rules or Rules.load()
    with audit.operation(actor, "正式提交并编号"):
        series = number_series(suggestion)
        number = db.session.execute(next_number_statement(db.session.get_bind().dialect.name, series)).scalar_one()
        suggestion.number_series, suggestion.number = series, number
        kind = "大会" if suggestion.source == Source.CONGRESS else "闭会"
        suggestion.number_label = f"{series.split('-')[1]}{kind}第{number:03d}号"
        suggestion.received_on = received_on
        if suggestion.source == Source.RECESS:
            suggestion.assign_due_on = rules.due(recess.rule_key(suggestion, "recess_assign"), received_on)
        _set_state(suggestion, State.SUBMITTED, actor, "")


def register(actor: User, suggestion: Suggestion, received_on: date, rules: Rules | None = None) -> Suggestion:
    """The office registers a suggestion received on paper: it is created and numbered at once."""
    require(actor.has_role(Role.OFFICE), "只有代表工委可以登记建议。")
    require(bool((suggestion.title or "").strip()) and bool((suggestion.body or "").strip()), "建议标题和正文不能为空。")
    require(suggestion.category in CATEGORY_LABELS, "请选择建议类别。")
    require(suggestion.lead_deputy is not None, "请选择领衔代表。")
    _check_source_and_session(suggestion)
    suggestion.title, suggestion.body = suggestion.title.strip(), suggestion.body.strip()
    suggestion.state = State.DRAFT
    suggestion.year = suggestion.session.year if suggestion.session else received_on.year
    with audit.operation(actor, "登记"):
        db.session.add(suggestion)
    submit(actor, suggestion, received_on, rules)
    return suggestion


def edit(actor: User, suggestion: Suggestion, *, title: str, body: str, category: str, confidential: bool,
         expected_version) -> None:
    """The office corrects a registered suggestion's text, category or confidentiality."""
    require(actor.has_role(Role.OFFICE), "只有代表工委可以修改已登记的建议。")
    require(suggestion.number is not None, "草稿请在“建议草稿”中由领衔代表一方修改。")
    audit.check_unchanged(suggestion, expected_version)
    require(bool(title.strip()) and bool(body.strip()), "建议标题和正文不能为空。")
    require(len(title.strip()) <= 200, "建议标题不能超过 200 字。")
    require(category in CATEGORY_LABELS, "请选择建议类别。")
    with audit.operation(actor, "修改建议"):
        suggestion.title, suggestion.body, suggestion.category = title.strip(), body.strip(), category
        suggestion.confidential = bool(confidential)
        audit.mark_changed_by(suggestion, actor)


# --- assignment and signing ----------------------------------------------------------


def assign(
    actor: User,
    suggestion: Suggestion,
    *,
    lead_unit: Unit | None,
    co_handlers: list[Unit] = (),
    split_units: list[Unit] = (),
    today: date,
    rules: Rules | None = None,
) -> None:
    """Assign to one lead unit and any co-handlers, or split among several units."""
    _check("assign", actor, suggestion)
    rules = rules or Rules.load()
    if split_units:
        require(lead_unit is None and not co_handlers, "分办时不再指定主办和协办单位。")
        require(len({u.id for u in split_units}) >= 2, "分办至少需要两个承办单位。")
        parts = [(unit, AssignmentRole.SPLIT) for unit in split_units]
        mode = HandlingMode.SPLIT
    else:
        require(lead_unit is not None, "请指定一个主办单位。")
        require(lead_unit.id not in {u.id for u in co_handlers}, "主办单位不能同时作为协办单位。")
        parts = [(lead_unit, AssignmentRole.LEAD)] + [(unit, AssignmentRole.CO_HANDLER) for unit in co_handlers]
        mode = HandlingMode.JOINT
    reply_rule = recess.rule_key(suggestion, "recess_reply") if suggestion.source == Source.RECESS else "reply"
    with audit.operation(actor, "交办"):
        for unit, role in dict((u.id, (u, r)) for u, r in parts).values():
            opinion_due = rules.due("co_handler_opinion", today) if role == AssignmentRole.CO_HANDLER else None
            db.session.add(
                Assignment(suggestion=suggestion, unit=unit, role=role, assigned_on=today, opinion_due_on=opinion_due)
            )
        suggestion.handling_mode = mode
        suggestion.assigned_on = today
        suggestion.reply_due_on = rules.due(reply_rule, today)
        _set_state(suggestion, State.ASSIGNED, actor, "")
        supervision.assign_automatically(suggestion, today)
        db.session.flush()
        notices.on_assigned(suggestion)


def sign(actor: User, suggestion: Suggestion) -> None:
    """The unit signs for its assignment; when every unit has signed, handling starts."""
    _check("sign", actor, suggestion)
    assignment = _own_assignment(actor, suggestion)
    require(assignment.signed_at is None, "本单位已签收该建议。")
    with audit.operation(actor, "签收"):
        assignment.signed_at = utcnow()
        assignment.signed_by_id = actor.id
        if all(a.signed_at for a in suggestion.active_assignments):
            _set_state(suggestion, State.HANDLING, actor)


def request_return(actor: User, suggestion: Suggestion, reason: str, today: date, rules: Rules | None = None) -> ReturnRequest:
    _check("request_return", actor, suggestion)
    rules = rules or Rules.load()
    assignment = _own_assignment(actor, suggestion)
    require(bool(reason.strip()), "申请退回须说明理由。")
    deadline = rules.due("return_request", assignment.assigned_on)
    require(today <= deadline, f"申请退回须在交办后{rules.amount('return_request')}个工作日内（{deadline:%Y-%m-%d}前）提出。")
    pending = db.session.scalar(
        select(ReturnRequest.id).where(
            ReturnRequest.assignment_id == assignment.id, ReturnRequest.status == RequestStatus.PENDING
        )
    )
    require(pending is None, "本单位已有待审批的退回申请。")
    with audit.operation(actor, "申请退回"):
        request = ReturnRequest(
            assignment=assignment, suggestion=suggestion, unit_id=assignment.unit_id,
            reason=reason.strip(), requested_by_id=actor.id,
        )
        db.session.add(request)
    return request


def _record_decision(actor: User, request: ReturnRequest | ExtensionRequest, approve: bool, note: str, kind: str) -> None:
    """The office's decision on a pending request; a refusal needs a reason."""
    require(request.status == RequestStatus.PENDING, f"该{kind}申请已处理。")
    require(approve or bool(note.strip()), f"不同意{kind}时须说明理由。")
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_at = utcnow()
    request.decided_by_id = actor.id
    request.decision_note = note.strip()


def decide_return(actor: User, request: ReturnRequest, approve: bool, note: str) -> None:
    """Approving ends the unit's assignment; if it was the lead (or the last split part) the office re-assigns."""
    suggestion = request.suggestion
    _check("decide_return", actor, request)
    with audit.operation(actor, "同意退回" if approve else "不同意退回"):
        _record_decision(actor, request, approve, note, "退回")
        if not approve:
            return
        assignment = request.assignment
        assignment.active = False
        assignment.ended_reason = f"退回：{request.reason}"
        remaining = [a for a in suggestion.assignments if a.active and a.id != assignment.id]
        needs_reassignment = assignment.role == AssignmentRole.LEAD or not remaining
        if needs_reassignment:
            for other in remaining:
                other.active = False
                other.ended_reason = "主办单位退回，重新交办"
            suggestion.assigned_on = None
            suggestion.reply_due_on = None
            _set_state(suggestion, State.SUBMITTED, actor, f"{assignment.unit.name}申请退回已同意，待重新交办")
        elif all(a.signed_at for a in remaining):
            _set_state(suggestion, State.HANDLING, actor)


# --- handling ------------------------------------------------------------------------


def record_contact(
    actor: User, suggestion: Suggestion, *, contacted_on: date, method: str, people: str, summary: str, today: date
) -> Contact:
    _check("record_contact", actor, suggestion)
    assignment = _own_assignment(actor, suggestion)
    require(method in set(ContactMethod), "请选择沟通方式。")
    require(bool(people.strip()) and bool(summary.strip()), "请填写参加人员和沟通情况。")
    require(contacted_on <= today, "沟通日期不能晚于今天。")
    require(contacted_on >= assignment.assigned_on, "沟通日期不能早于交办日期。")
    with audit.operation(actor, "记录沟通"):
        contact = Contact(
            suggestion=suggestion, unit_id=assignment.unit_id, contacted_on=contacted_on, method=method,
            people=people.strip(), summary=summary.strip(), recorded_by_id=actor.id, recorded_at=utcnow(),
        )
        db.session.add(contact)
    return contact


def record_opinion(actor: User, suggestion: Suggestion, opinion: str) -> None:
    """A co-handler's written opinion to the lead unit."""
    _check("record_opinion", actor, suggestion)
    assignment = _own_assignment(actor, suggestion)
    require(assignment.role == AssignmentRole.CO_HANDLER, "只有协办单位需要提交协办意见。")
    require(bool(opinion.strip()), "协办意见不能为空。")
    with audit.operation(actor, "提交协办意见"):
        assignment.opinion = opinion.strip()
        assignment.opinion_at = utcnow()


def request_extension(
    actor: User, suggestion: Suggestion, requested_due_on: date, reason: str, rules: Rules | None = None
) -> ExtensionRequest:
    _check("request_extension", actor, suggestion)
    rules = rules or Rules.load()
    assignment = _own_assignment(actor, suggestion)
    require(assignment.role in (AssignmentRole.LEAD, AssignmentRole.SPLIT), "协办单位不能申请延期，请由主办单位申请。")
    require(bool(reason.strip()), "申请延期须说明理由。")
    latest = rules.due("reply_with_extension", suggestion.assigned_on)
    require(requested_due_on > suggestion.reply_due_on, f"延期后的答复期限须晚于现期限 {suggestion.reply_due_on:%Y-%m-%d}。")
    require(requested_due_on <= latest, f"延期后的答复期限最迟为交办后{rules.amount('reply_with_extension')}个月（{latest:%Y-%m-%d}）。")
    pending = db.session.scalar(
        select(ExtensionRequest.id).where(
            ExtensionRequest.suggestion_id == suggestion.id, ExtensionRequest.status == RequestStatus.PENDING
        )
    )
    require(pending is None, "该建议已有待审批的延期申请。")
    with audit.operation(actor, "申请延期"):
        request = ExtensionRequest(
            suggestion=suggestion, unit_id=assignment.unit_id, reason=reason.strip(),
            requested_due_on=requested_due_on, requested_by_id=actor.id,
        )
        db.session.add(request)
    return request


def decide_extension(actor: User, request: ExtensionRequest, approve: bool, note: str) -> None:
    suggestion = request.suggestion
    _check("decide_extension", actor, request)
    with audit.operation(actor, "同意延期" if approve else "不同意延期"):
        _record_decision(actor, request, approve, note, "延期")
        if approve:
            suggestion.reply_due_on = request.requested_due_on
            suggestion.updated_by_id = actor.id
            states.sync_deadline(suggestion)


def _lapse_pending_requests(suggestion: Suggestion, why: str) -> None:
    """Requests still pending when the suggestion moves on can no longer be decided: they lapse."""
    for model in (ExtensionRequest, ReturnRequest):
        pending = db.session.scalars(
            select(model).where(model.suggestion_id == suggestion.id, model.status == RequestStatus.PENDING)
        )
        for request in pending:
            request.status = RequestStatus.LAPSED
            request.decided_at = utcnow()
            request.decision_note = f"建议{why}，申请自动失效"


def _current_round(suggestion: Suggestion) -> int:
    return 2 if suggestion.state == State.REHANDLING else 1


def _contacted_in_this_round(suggestion: Suggestion, assignment: Assignment, round_: int) -> bool:
    """A first reply needs a contact since assignment; a second one a contact recorded after re-handling started."""
    conditions = [Contact.suggestion_id == suggestion.id, Contact.unit_id == assignment.unit_id, Contact.voided_reason == ""]
    if round_ == 2:
        conditions += [Contact.recorded_at >= suggestion.rehandling_started_at,
                       Contact.contacted_on >= suggestion.rehandling_started_on]
    else:
        conditions.append(Contact.contacted_on >= assignment.assigned_on)
    return db.session.scalar(select(func.count(Contact.id)).where(*conditions)) > 0


def reply(
    actor: User,
    suggestion: Suggestion,
    *,
    reply_category: str,
    text: str,
    signatory: str,
    replied_on: date,
    commitments: list[tuple[str, date]] = (),
    today: date,
) -> Reply:
    """The lead unit (or each split unit) replies to the deputy; it must have contacted the deputy first."""
    _check("reply", actor, suggestion)
    assignment = _own_assignment(actor, suggestion)
    require(assignment.role != AssignmentRole.CO_HANDLER, "协办单位不直接答复代表，请向主办单位提交协办意见。")
    require(assignment.signed_at is not None, "请先签收该建议。")
    require(reply_category in set(ReplyCategory), "请选择答复类别（A、B、C）。")
    require(bool(text.strip()) and bool(signatory.strip()), "答复正文和签发人不能为空。")
    require(replied_on <= today, "答复日期不能晚于今天。")
    require(replied_on >= assignment.assigned_on, "答复日期不能早于交办日期。")
    round_ = _current_round(suggestion)
    require(_contacted_in_this_round(suggestion, assignment, round_),
            "答复前须至少记录一次与代表的沟通。" if round_ == 1 else "重办答复前须在转重办后再次与代表沟通并记录。")
    if round_ == 2:
        require(replied_on >= suggestion.rehandling_started_on, "重办答复的日期不能早于转重办的日期。")
    already = db.session.scalar(
        select(Reply.id).where(
            Reply.suggestion_id == suggestion.id, Reply.unit_id == assignment.unit_id,
            Reply.round == round_, Reply.voided_reason == "",
        )
    )
    require(already is None, "本单位已答复过该建议。")
    for content, due_on in commitments:
        require(bool(content.strip()), "承诺事项内容不能为空。")
        require(due_on >= replied_on, "承诺事项的完成期限不能早于答复日期。")
    with audit.operation(actor, "答复"):
        answer = Reply(
            suggestion=suggestion, unit_id=assignment.unit_id, round=round_, reply_category=reply_category,
            text=text.strip(), signatory=signatory.strip(), replied_on=replied_on,
            recorded_by_id=actor.id, updated_by_id=actor.id,
        )
        db.session.add(answer)
        for content, due_on in commitments:
            db.session.add(Commitment(reply=answer, content=content.strip(), due_on=due_on))
        db.session.flush()
        if _all_parts_replied(suggestion, round_):
            _lapse_pending_requests(suggestion, "已答复")
            _set_state(suggestion, State.REPLIED, actor)
            notices.on_replied(suggestion, answer)
    return answer


def correct_reply(actor: User, reply: Reply, *, text: str, reply_category: str, reason: str) -> ReplyCorrection:
    """The replying unit corrects a reply it sent: the old text is kept beside the new one, the office decides
    again on its publication (the public keeps reading the approved text until then) and the deputy is told."""
    _check("correct_reply", actor, reply)
    require(actor.unit_id is not None and actor.unit_id == reply.unit_id, "只有答复单位可以更正本单位的答复。")
    require(reply.voided_reason == "", "该答复已作废，不能更正。")
    require(bool(text.strip()), "更正后的答复正文不能为空。")
    require(reply_category in set(ReplyCategory), "请选择答复类别（A、B、C）。")
    require(bool(reason.strip()), "更正答复须说明理由。")
    require(text.strip() != reply.text or reply_category != reply.reply_category, "更正后的内容与原答复相同。")
    number = 1 + (db.session.scalar(select(func.count(ReplyCorrection.id)).where(ReplyCorrection.reply_id == reply.id)) or 0)
    with audit.operation(actor, "更正答复"):
        correction = ReplyCorrection(
            reply_id=reply.id, number=number, previous_text=reply.text, previous_category=reply.reply_category,
            text=text.strip(), reply_category=reply_category, reason=reason.strip(), corrected_by_id=actor.id,
        )
        db.session.add(correction)
        reply.text, reply.reply_category, reply.updated_by_id = text.strip(), reply_category, actor.id
        publication.reopen_after_correction(reply)
        db.session.flush()
        notices.on_reply_corrected(reply.suggestion, reply, number)
    return correction


def _all_parts_replied(suggestion: Suggestion, round_: int) -> bool:
    replying_units = {a.unit_id for a in suggestion.active_assignments if a.role != AssignmentRole.CO_HANDLER}
    replied_units = set(
        db.session.scalars(
            select(Reply.unit_id).where(
                Reply.suggestion_id == suggestion.id, Reply.round == round_, Reply.voided_reason == ""
            )
        )
    )
    return replying_units <= replied_units


# --- evaluation and closing ----------------------------------------------------------


def latest_evaluation(suggestion: Suggestion) -> Evaluation | None:
    return db.session.scalar(
        select(Evaluation).where(Evaluation.suggestion_id == suggestion.id).order_by(Evaluation.round.desc()).limit(1)
    )


def evaluate(
    actor: User, suggestion: Suggestion, *, level: str, comment: str, given_on: date, today: date, scanned_form=None
) -> Evaluation:
    """The lead deputy evaluates the reply's content, or the office records a paper form with its scan attached."""
    lead = evaluations.is_lead_deputy(actor, suggestion)
    require(lead or not actor.has_role(Role.DEPUTY) or actor.has_role(Role.OFFICE),
            "评价须由领衔代表本人作出；代表纸质评价表由代表工委录入。")
    _check("evaluate" if lead else "record_paper_evaluation", actor, suggestion)
    on_paper = evaluations.on_paper(actor, suggestion, scanned_form)
    require(level in set(EvaluationLevel), "请选择评价结果（满意、基本满意、不满意）。")
    require(given_on <= today, "评价日期不能晚于今天。")
    require(level != EvaluationLevel.UNSATISFIED or bool(comment.strip()), "评价为不满意时须填写代表意见。")
    round_, replied_on = db.session.execute(
        select(func.max(Reply.round), func.max(Reply.replied_on))
        .where(Reply.suggestion_id == suggestion.id, Reply.voided_reason == "")
    ).one()
    require(replied_on is None or given_on >= replied_on, f"评价日期不能早于答复日期 {replied_on}。")
    round_ = round_ or 1
    with audit.operation(actor, "录入纸质评价" if on_paper else "代表评价答复"):
        evaluation = Evaluation(
            suggestion=suggestion, round=round_, level=level, comment=comment.strip(), given_on=given_on,
            on_paper=on_paper, recorded_by_id=actor.id,
        )
        db.session.add(evaluation)
        _set_state(suggestion, State.EVALUATED, actor)
        db.session.flush()
        evaluations.attach_scanned_form(actor, suggestion, scanned_form, evaluation)
    return evaluation


def close(actor: User, suggestion: Suggestion) -> None:
    """Closing needs an evaluation; an unsatisfied first evaluation must go to re-handling instead."""
    _check("close", actor, suggestion)
    evaluation = latest_evaluation(suggestion)
    require(evaluation is not None, "办结前须录入代表评价。")
    require(
        evaluation.level != EvaluationLevel.UNSATISFIED or evaluation.round >= 2,
        "代表对答复不满意，应转重办，不能直接办结。",
    )
    with audit.operation(actor, "办结"):
        _set_state(suggestion, State.CLOSED, actor)


def rehandle(actor: User, suggestion: Suggestion, today: date, rules: Rules | None = None) -> None:
    """An unsatisfied first evaluation sends the suggestion back to the replying units with a new deadline."""
    _check("rehandle", actor, suggestion)
    rules = rules or Rules.load()
    evaluation = latest_evaluation(suggestion)
    require(evaluation is not None and evaluation.level == EvaluationLevel.UNSATISFIED, "只有代表评价为不满意的建议才能转重办。")
    require(evaluation.round == 1, "该建议已重办过一次，请办结。")
    with audit.operation(actor, "转重办"):
        suggestion.rehandling_due_on = rules.due("rehandling_reply", today)
        suggestion.rehandling_started_on = today
        suggestion.rehandling_started_at = utcnow()
        _set_state(suggestion, State.REHANDLING, actor)
        notices.on_rehandled(suggestion)


# --- side exits ------------------------------------------------------------------------


def not_accept(actor: User, suggestion: Suggestion, reason: str) -> None:
    _check("not_accept", actor, suggestion)
    require(bool(reason.strip()), "不予立案须说明理由。")
    with audit.operation(actor, "不予立案"):
        _set_state(suggestion, State.NOT_ACCEPTED, actor, reason.strip())


def refuse(actor: User, suggestion: Suggestion, reason: str, note: str = "") -> None:
    """Not accepted (不予立案) with a reason from the office's list; the deputy sees it as the state reason."""
    require(reason in reference.not_accepted_reasons(), "请从列表中选择不予立案的理由。")
    not_accept(actor, suggestion, f"{reason}。{note.strip()}" if note.strip() else reason)


def merge(actor: User, suggestion: Suggestion, target: Suggestion) -> None:
    """Merge into another suggestion; every deputy of the merged one becomes a co-signer of the target."""
    _check("merge", actor, suggestion)
    require(target.id != suggestion.id, "不能并入建议本身。")
    require(target.state not in states.LEFT_THE_PROCESS, "目标建议已并案、不予立案或撤回，不能并入。")
    with audit.operation(actor, "并案"):
        signers = {d.id: d for d in target.co_signers}
        for deputy in [suggestion.lead_deputy, *suggestion.co_signers]:
            if deputy.id != target.lead_deputy_id and deputy.id not in signers:
                target.co_signers.append(deputy)
                signers[deputy.id] = deputy
        suggestion.merged_into = target
        _set_state(suggestion, State.MERGED, actor, f"并入 {target}")


def withdraw(actor: User, suggestion: Suggestion, reason: str) -> None:
    _check("withdraw", actor, suggestion)
    require(bool(reason.strip()), "撤回须说明理由（如代表书面申请）。")
    with audit.operation(actor, "撤回"):
        _lapse_pending_requests(suggestion, "已撤回")
        for assignment in suggestion.active_assignments:
            assignment.active = False
            assignment.ended_reason = "建议撤回"
        _set_state(suggestion, State.WITHDRAWN, actor, reason.strip())


def void_record(actor: User, record: Contact | Reply, reason: str) -> None:
    """Records are never deleted; a mistaken contact, or a reply before it is evaluated, is voided with a reason."""
    _check("void_reply" if isinstance(record, Reply) else "void_contact", actor, record)
    require(bool(reason.strip()), "作废须说明理由。")
    require(record.voided_reason == "", "该记录已作废。")
    with audit.operation(actor, "作废"):
        record.voided_reason = reason.strip()
        if isinstance(record, Reply):
            _set_state(record.suggestion, State.HANDLING if record.round == 1 else State.REHANDLING, actor)


ACTIONS = actions.bind(sys.modules[__name__], TRANSITIONS)
