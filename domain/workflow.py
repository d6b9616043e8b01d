"""Every rule about a suggestion's state: transitions, who may make them, and their deadlines.

Each public function takes the acting user, checks the role and the rules, changes the
objects and flushes. It never commits: the caller commits once per request. A refused
transition raises WorkflowError with a Chinese message and changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from domain import audit, notices, preparation, recess
from domain.errors import WorkflowError
from domain.numbering import next_number_statement
from domain.rules import Rules
from models import (
    Assignment,
    Commitment,
    Contact,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReturnRequest,
    Suggestion,
    Unit,
    User,
    db,
)
from models.base import utcnow
from models.enums import (
    STATE_LABELS,
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


@dataclass(frozen=True)
class Transition:
    label: str
    from_states: frozenset[State]
    roles: frozenset[Role]


def _t(label: str, states: set[State], roles: set[Role]) -> Transition:
    return Transition(label, frozenset(states), frozenset(roles))


REVIEWERS = {Role.OFFICE, Role.COMMITTEE, Role.GOV_OFFICE}
BEFORE_NUMBERING = {State.DRAFT, State.PRE_SUBMITTED, State.UNDER_REVIEW, State.RETURNED_FOR_REVISION}
AFTER_ASSIGNMENT = {State.ASSIGNED, State.HANDLING, State.REHANDLING}

TRANSITIONS: dict[str, Transition] = {
    "pre_submit": _t("预交", {State.DRAFT, State.RETURNED_FOR_REVISION}, {Role.DEPUTY, Role.TOWNSHIP, Role.OFFICE}),
    "start_review": _t("开始初审", {State.PRE_SUBMITTED}, REVIEWERS),
    "return_for_revision": _t("退回修改", {State.UNDER_REVIEW}, REVIEWERS),
    "submit": _t("正式提交并编号", BEFORE_NUMBERING, {Role.OFFICE}),
    "assign": _t("交办", {State.SUBMITTED}, {Role.OFFICE}),
    "sign": _t("签收", {State.ASSIGNED, State.HANDLING}, {Role.UNIT}),
    "request_return": _t("申请退回", {State.ASSIGNED, State.HANDLING}, {Role.UNIT}),
    "decide_return": _t("审批退回申请", {State.ASSIGNED, State.HANDLING}, {Role.OFFICE}),
    "record_contact": _t(
        "记录沟通", {State.ASSIGNED, State.HANDLING, State.REHANDLING, State.REPLIED, State.EVALUATED}, {Role.UNIT}
    ),
    "record_opinion": _t("提交协办意见", {State.HANDLING, State.REHANDLING}, {Role.UNIT}),
    "request_extension": _t("申请延期", {State.ASSIGNED, State.HANDLING}, {Role.UNIT}),
    "decide_extension": _t("审批延期申请", {State.ASSIGNED, State.HANDLING}, {Role.OFFICE}),
    "reply": _t("答复", {State.HANDLING, State.REHANDLING}, {Role.UNIT}),
    "evaluate": _t("评价答复", {State.REPLIED}, {Role.OFFICE, Role.DEPUTY}),
    "close": _t("办结", {State.EVALUATED}, {Role.OFFICE}),
    "rehandle": _t("转重办", {State.EVALUATED}, {Role.OFFICE}),
    "not_accept": _t("不予立案", BEFORE_NUMBERING | {State.SUBMITTED}, {Role.OFFICE}),
    "merge": _t("并案", BEFORE_NUMBERING | {State.SUBMITTED}, {Role.OFFICE}),
    "withdraw": _t("撤回", BEFORE_NUMBERING | {State.SUBMITTED, State.ASSIGNED, State.HANDLING}, {Role.OFFICE}),
}


def _check(action: str, actor: User, suggestion: Suggestion) -> Transition:
    transition = TRANSITIONS[action]
    if not actor.has_role(*transition.roles):
        raise WorkflowError(f"您的角色无权执行“{transition.label}”。")
    if suggestion.state not in transition.from_states:
        state = STATE_LABELS[State(suggestion.state)]
        raise WorkflowError(f"建议《{suggestion.title}》当前状态为“{state}”，不能执行“{transition.label}”。")
    return transition


def allowed_actions(actor: User, suggestion: Suggestion) -> list[str]:
    """The actions whose role and state rules this user meets now (finer rules are checked on use)."""
    return [
        name
        for name, t in TRANSITIONS.items()
        if suggestion.state in t.from_states and actor.has_role(*t.roles)
    ]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise WorkflowError(message)


def _set_state(suggestion: Suggestion, state: State, actor: User | None, reason: str | None = None) -> None:
    suggestion.state = state
    suggestion.updated_by_id = actor.id if actor else None
    if reason is not None:
        suggestion.state_reason = reason


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


def return_for_revision(actor: User, suggestion: Suggestion, review_comment: str) -> None:
    _check("return_for_revision", actor, suggestion)
    _require(bool(review_comment.strip()), "退回修改须填写初审意见。")
    with audit.operation(actor, "退回修改"):
        _set_state(suggestion, State.RETURNED_FOR_REVISION, actor, review_comment.strip())


def _next_number(series: str) -> int:
    """Take the next number of a series atomically; the row stays locked until commit."""
    dialect = db.session.get_bind().dialect.name
    return db.session.execute(next_number_statement(dialect, series)).scalar_one()


def number_series(suggestion: Suggestion) -> str:
    """Congress suggestions are numbered per session, recess ones per year."""
    if suggestion.source == Source.RECESS or suggestion.session_id is None:
        return f"recess-{suggestion.year}"
    return f"session-{suggestion.session_id}"


def submit(actor: User, suggestion: Suggestion, received_on: date, rules: Rules | None = None) -> None:
    """Formal submission: the suggestion gets its number (案号) and, if recess, its assignment deadline."""
    _check("submit", actor, suggestion)
    rules = rules or Rules.load()
    with audit.operation(actor, "正式提交并编号"):
        series = number_series(suggestion)
        number = _next_number(series)
        suggestion.number_series, suggestion.number = series, number
        kind = "闭会" if suggestion.source == Source.RECESS else "大会"
        suggestion.number_label = f"{suggestion.year}{kind}第{suggestion.number:03d}号"
        suggestion.received_on = received_on
        if suggestion.source == Source.RECESS:
            suggestion.assign_due_on = rules.due(recess.rule_key(suggestion, "recess_assign"), received_on)
        suggestion.due_on = suggestion.assign_due_on
        _set_state(suggestion, State.SUBMITTED, actor, "")


def register(actor: User, suggestion: Suggestion, received_on: date, rules: Rules | None = None) -> Suggestion:
    """The office registers a suggestion received on paper: it is created and numbered at once."""
    _require(actor.has_role(Role.OFFICE), "只有代表工委可以登记建议。")
    _require(bool(suggestion.title.strip()) and bool(suggestion.body.strip()), "建议标题和正文不能为空。")
    suggestion.state = State.DRAFT
    suggestion.year = suggestion.session.year if suggestion.session else received_on.year
    with audit.operation(actor, "登记"):
        db.session.add(suggestion)
    submit(actor, suggestion, received_on, rules)
    return suggestion


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
        _require(lead_unit is None and not co_handlers, "分办时不再指定主办和协办单位。")
        _require(len({u.id for u in split_units}) >= 2, "分办至少需要两个承办单位。")
        parts = [(unit, AssignmentRole.SPLIT) for unit in split_units]
        mode = HandlingMode.SPLIT
    else:
        _require(lead_unit is not None, "请指定一个主办单位。")
        _require(lead_unit.id not in {u.id for u in co_handlers}, "主办单位不能同时作为协办单位。")
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
        suggestion.due_on = suggestion.reply_due_on
        _set_state(suggestion, State.ASSIGNED, actor, "")
        from domain.supervision import assign_automatically  # supervision imports this module

        assign_automatically(suggestion, today)
        db.session.flush()
        notices.on_assigned(suggestion)


def sign(actor: User, suggestion: Suggestion) -> None:
    """The unit signs for its assignment; when every unit has signed, handling starts."""
    _check("sign", actor, suggestion)
    assignment = _own_assignment(actor, suggestion)
    _require(assignment.signed_at is None, "本单位已签收该建议。")
    with audit.operation(actor, "签收"):
        assignment.signed_at = utcnow()
        assignment.signed_by_id = actor.id
        if all(a.signed_at for a in suggestion.active_assignments):
            _set_state(suggestion, State.HANDLING, actor)


def request_return(actor: User, suggestion: Suggestion, reason: str, today: date, rules: Rules | None = None) -> ReturnRequest:
    _check("request_return", actor, suggestion)
    rules = rules or Rules.load()
    assignment = _own_assignment(actor, suggestion)
    _require(bool(reason.strip()), "申请退回须说明理由。")
    deadline = rules.due("return_request", assignment.assigned_on)
    _require(today <= deadline, f"申请退回须在交办后{rules.amount('return_request')}个工作日内（{deadline:%Y-%m-%d}前）提出。")
    pending = db.session.scalar(
        select(ReturnRequest.id).where(
            ReturnRequest.assignment_id == assignment.id, ReturnRequest.status == RequestStatus.PENDING
        )
    )
    _require(pending is None, "本单位已有待审批的退回申请。")
    with audit.operation(actor, "申请退回"):
        request = ReturnRequest(
            assignment=assignment, suggestion=suggestion, unit_id=assignment.unit_id,
            reason=reason.strip(), requested_by_id=actor.id,
        )
        db.session.add(request)
    return request


def _record_decision(actor: User, request: ReturnRequest | ExtensionRequest, approve: bool, note: str, kind: str) -> None:
    """The office's decision on a pending request; a refusal needs a reason."""
    _require(request.status == RequestStatus.PENDING, f"该{kind}申请已处理。")
    _require(approve or bool(note.strip()), f"不同意{kind}时须说明理由。")
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_at = utcnow()
    request.decided_by_id = actor.id
    request.decision_note = note.strip()


def decide_return(actor: User, request: ReturnRequest, approve: bool, note: str) -> None:
    """Approving ends the unit's assignment; if it was the lead (or the last split part) the office re-assigns."""
    suggestion = request.suggestion
    _check("decide_return", actor, suggestion)
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
            suggestion.due_on = None
            _set_state(suggestion, State.SUBMITTED, actor, f"{assignment.unit.name}申请退回已同意，待重新交办")
        elif all(a.signed_at for a in remaining):
            _set_state(suggestion, State.HANDLING, actor)


# --- handling ------------------------------------------------------------------------


def record_contact(
    actor: User, suggestion: Suggestion, *, contacted_on: date, method: str, people: str, summary: str, today: date
) -> Contact:
    _check("record_contact", actor, suggestion)
    assignment = _own_assignment(actor, suggestion)
    _require(method in set(ContactMethod), "请选择沟通方式。")
    _require(bool(people.strip()) and bool(summary.strip()), "请填写参加人员和沟通情况。")
    _require(contacted_on <= today, "沟通日期不能晚于今天。")
    _require(contacted_on >= assignment.assigned_on, "沟通日期不能早于交办日期。")
    with audit.operation(actor, "记录沟通"):
        contact = Contact(
            suggestion=suggestion, unit_id=assignment.unit_id, contacted_on=contacted_on, method=method,
            people=people.strip(), summary=summary.strip(), recorded_by_id=actor.id,
        )
        db.session.add(contact)
    return contact


def record_opinion(actor: User, suggestion: Suggestion, opinion: str) -> None:
    """A co-handler's written opinion to the lead unit."""
    _check("record_opinion", actor, suggestion)
    assignment = _own_assignment(actor, suggestion)
    _require(assignment.role == AssignmentRole.CO_HANDLER, "只有协办单位需要提交协办意见。")
    _require(bool(opinion.strip()), "协办意见不能为空。")
    with audit.operation(actor, "提交协办意见"):
        assignment.opinion = opinion.strip()
        assignment.opinion_at = utcnow()


def request_extension(
    actor: User, suggestion: Suggestion, requested_due_on: date, reason: str, rules: Rules | None = None
) -> ExtensionRequest:
    _check("request_extension", actor, suggestion)
    rules = rules or Rules.load()
    assignment = _own_assignment(actor, suggestion)
    _require(assignment.role in (AssignmentRole.LEAD, AssignmentRole.SPLIT), "协办单位不能申请延期，请由主办单位申请。")
    _require(bool(reason.strip()), "申请延期须说明理由。")
    latest = rules.due("reply_with_extension", suggestion.assigned_on)
    _require(requested_due_on > suggestion.reply_due_on, f"延期后的答复期限须晚于现期限 {suggestion.reply_due_on:%Y-%m-%d}。")
    _require(requested_due_on <= latest, f"延期后的答复期限最迟为交办后{rules.amount('reply_with_extension')}个月（{latest:%Y-%m-%d}）。")
    pending = db.session.scalar(
        select(ExtensionRequest.id).where(
            ExtensionRequest.suggestion_id == suggestion.id, ExtensionRequest.status == RequestStatus.PENDING
        )
    )
    _require(pending is None, "该建议已有待审批的延期申请。")
    with audit.operation(actor, "申请延期"):
        request = ExtensionRequest(
            suggestion=suggestion, unit_id=assignment.unit_id, reason=reason.strip(),
            requested_due_on=requested_due_on, requested_by_id=actor.id,
        )
        db.session.add(request)
    return request


def decide_extension(actor: User, request: ExtensionRequest, approve: bool, note: str) -> None:
    suggestion = request.suggestion
    _check("decide_extension", actor, suggestion)
    with audit.operation(actor, "同意延期" if approve else "不同意延期"):
        _record_decision(actor, request, approve, note, "延期")
        if approve:
            suggestion.reply_due_on = request.requested_due_on
            suggestion.due_on = request.requested_due_on
            suggestion.updated_by_id = actor.id


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
    _require(assignment.role != AssignmentRole.CO_HANDLER, "协办单位不直接答复代表，请向主办单位提交协办意见。")
    _require(assignment.signed_at is not None, "请先签收该建议。")
    _require(reply_category in set(ReplyCategory), "请选择答复类别（A、B、C）。")
    _require(bool(text.strip()) and bool(signatory.strip()), "答复正文和签发人不能为空。")
    _require(replied_on <= today, "答复日期不能晚于今天。")
    _require(replied_on >= assignment.assigned_on, "答复日期不能早于交办日期。")
    round_ = _current_round(suggestion)
    contacts_since = _rehandling_started_on(suggestion) if round_ == 2 else assignment.assigned_on
    contacted = db.session.scalar(
        select(func.count(Contact.id)).where(
            Contact.suggestion_id == suggestion.id, Contact.unit_id == assignment.unit_id,
            Contact.voided_reason == "", Contact.contacted_on >= contacts_since,
        )
    )
    _require(contacted > 0, "答复前须至少记录一次与代表的沟通。" if round_ == 1 else "重办答复前须再次与代表沟通并记录。")
    already = db.session.scalar(
        select(Reply.id).where(
            Reply.suggestion_id == suggestion.id, Reply.unit_id == assignment.unit_id,
            Reply.round == round_, Reply.voided_reason == "",
        )
    )
    _require(already is None, "本单位已答复过该建议。")
    for content, due_on in commitments:
        _require(bool(content.strip()), "承诺事项内容不能为空。")
        _require(due_on >= replied_on, "承诺事项的完成期限不能早于答复日期。")
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
            suggestion.due_on = None
            _lapse_pending_requests(suggestion, "已答复")
            _set_state(suggestion, State.REPLIED, actor)
            notices.on_replied(suggestion, answer)
    return answer


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


def _rehandling_started_on(suggestion: Suggestion) -> date:
    return db.session.scalar(
        select(func.max(Evaluation.given_on)).where(
            Evaluation.suggestion_id == suggestion.id, Evaluation.level == EvaluationLevel.UNSATISFIED
        )
    )


# --- evaluation and closing ----------------------------------------------------------


def latest_evaluation(suggestion: Suggestion) -> Evaluation | None:
    return db.session.scalar(
        select(Evaluation).where(Evaluation.suggestion_id == suggestion.id).order_by(Evaluation.round.desc()).limit(1)
    )


def evaluate(
    actor: User, suggestion: Suggestion, *, level: str, comment: str, given_on: date, today: date, scanned_form=None
) -> Evaluation:
    """The lead deputy evaluates the reply's content, or the office records a paper form with its scan attached."""
    from domain import evaluations  # evaluations builds on this module

    _check("evaluate", actor, suggestion)
    on_paper = evaluations.on_paper(actor, suggestion, scanned_form)
    _require(level in set(EvaluationLevel), "请选择评价结果（满意、基本满意、不满意）。")
    _require(given_on <= today, "评价日期不能晚于今天。")
    _require(level != EvaluationLevel.UNSATISFIED or bool(comment.strip()), "评价为不满意时须填写代表意见。")
    round_, replied_on = db.session.execute(
        select(func.max(Reply.round), func.max(Reply.replied_on))
        .where(Reply.suggestion_id == suggestion.id, Reply.voided_reason == "")
    ).one()
    _require(replied_on is None or given_on >= replied_on, f"评价日期不能早于答复日期 {replied_on}。")
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
    _require(evaluation is not None, "办结前须录入代表评价。")
    _require(
        evaluation.level != EvaluationLevel.UNSATISFIED or evaluation.round >= 2,
        "代表对答复不满意，应转重办，不能直接办结。",
    )
    with audit.operation(actor, "办结"):
        suggestion.due_on = None
        _set_state(suggestion, State.CLOSED, actor)


def rehandle(actor: User, suggestion: Suggestion, today: date, rules: Rules | None = None) -> None:
    """An unsatisfied first evaluation sends the suggestion back to the replying units with a new deadline."""
    _check("rehandle", actor, suggestion)
    rules = rules or Rules.load()
    evaluation = latest_evaluation(suggestion)
    _require(evaluation is not None and evaluation.level == EvaluationLevel.UNSATISFIED, "只有代表评价为不满意的建议才能转重办。")
    _require(evaluation.round == 1, "该建议已重办过一次，请办结。")
    with audit.operation(actor, "转重办"):
        suggestion.rehandling_due_on = rules.due("rehandling_reply", today)
        suggestion.due_on = suggestion.rehandling_due_on
        _set_state(suggestion, State.REHANDLING, actor)
        notices.on_rehandled(suggestion)


# --- side exits ------------------------------------------------------------------------


def not_accept(actor: User, suggestion: Suggestion, reason: str) -> None:
    _check("not_accept", actor, suggestion)
    _require(bool(reason.strip()), "不予立案须说明理由。")
    with audit.operation(actor, "不予立案"):
        suggestion.due_on = None
        _set_state(suggestion, State.NOT_ACCEPTED, actor, reason.strip())


def merge(actor: User, suggestion: Suggestion, target: Suggestion) -> None:
    """Merge into another suggestion; every deputy of the merged one becomes a co-signer of the target."""
    _check("merge", actor, suggestion)
    _require(target.id != suggestion.id, "不能并入建议本身。")
    _require(target.state not in (State.MERGED, State.NOT_ACCEPTED, State.WITHDRAWN), "目标建议已并案、不予立案或撤回，不能并入。")
    with audit.operation(actor, "并案"):
        signers = {d.id: d for d in target.co_signers}
        for deputy in [suggestion.lead_deputy, *suggestion.co_signers]:
            if deputy.id != target.lead_deputy_id and deputy.id not in signers:
                target.co_signers.append(deputy)
                signers[deputy.id] = deputy
        suggestion.merged_into = target
        suggestion.due_on = None
        _set_state(suggestion, State.MERGED, actor, f"并入 {target}")


def withdraw(actor: User, suggestion: Suggestion, reason: str) -> None:
    _check("withdraw", actor, suggestion)
    _require(bool(reason.strip()), "撤回须说明理由（如代表书面申请）。")
    with audit.operation(actor, "撤回"):
        _lapse_pending_requests(suggestion, "已撤回")
        for assignment in suggestion.active_assignments:
            assignment.active = False
            assignment.ended_reason = "建议撤回"
        suggestion.due_on = None
        _set_state(suggestion, State.WITHDRAWN, actor, reason.strip())


def void_record(actor: User, record: Contact | Reply, reason: str) -> None:
    """Records are never deleted; a mistaken contact or reply is voided with a reason by the office."""
    _require(actor.has_role(Role.OFFICE), "只有代表工委可以作废记录。")
    _require(bool(reason.strip()), "作废须说明理由。")
    _require(record.voided_reason == "", "该记录已作废。")
    if isinstance(record, Reply):
        _require(record.suggestion.state in (State.REPLIED,), "只能在代表评价前作废答复。")
    with audit.operation(actor, "作废"):
        record.voided_reason = reason.strip()
        if isinstance(record, Reply) and record.round == 1:
            record.suggestion.due_on = record.suggestion.reply_due_on
            _set_state(record.suggestion, State.HANDLING, actor)
        elif isinstance(record, Reply):
            record.suggestion.due_on = record.suggestion.rehandling_due_on
            _set_state(record.suggestion, State.REHANDLING, actor)
