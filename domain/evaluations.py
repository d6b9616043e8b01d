"""The three evaluations (三次评价), each the deputy's own.

Round 1 rates the unit's attitude and the three communications, checked against the contacts the unit
recorded; round 2 rates the reply's content (domain.workflow.evaluate); round 3, in a window that opens on
a configurable day (default 1 November), rates whether each commitment of the year's replies was kept.
The lead deputy evaluates in the deputy's pages; the office may record an evaluation given on a paper form,
marked as such, with the scanned form attached. Once written, no one can change an evaluation.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, event, exists, func, not_, or_, select
from sqlalchemy.orm import aliased, joinedload
from werkzeug.datastructures import FileStorage

from domain import attachments, audit, states
from domain.errors import WorkflowError, require
from domain.rules import Rules
from models import (
    AttitudeEvaluation,
    Commitment,
    Contact,
    Evaluation,
    ImplementationEvaluation,
    Reply,
    Suggestion,
    Unit,
    User,
    db,
)
from models.enums import AssignmentRole, CommitmentStatus, EvaluationLevel, ReplyCategory, Role, State

IMPLEMENTATION_RESULTS = (CommitmentStatus.KEPT, CommitmentStatus.PARTLY_KEPT, CommitmentStatus.NOT_KEPT)
PHASE_LABELS = {"before": "办理前沟通", "during": "办理中沟通", "after": "答复后沟通"}


# --- who evaluates ------------------------------------------------------------------------------


def is_lead_deputy(actor: User, suggestion: Suggestion) -> bool:
    return actor.has_role(Role.DEPUTY) and actor.deputy_id is not None and actor.deputy_id == suggestion.lead_deputy_id


def on_paper(actor: User, suggestion: Suggestion, scanned_form: FileStorage | None) -> bool:
    """False when the lead deputy evaluates; True when the office records a paper form (which must be attached)."""
    if is_lead_deputy(actor, suggestion):
        return False
    require(actor.has_role(Role.OFFICE), "评价须由领衔代表本人作出；代表纸质评价表由代表工委录入。")
    require(scanned_form is not None and bool(scanned_form.filename), "录入纸质评价须上传代表签字的评价表扫描件。")
    return True


def attach_scanned_form(actor: User, suggestion: Suggestion, scanned_form: FileStorage | None, record) -> None:
    if record.on_paper:
        attachments.store(actor, suggestion, scanned_form, type(record).__name__, record.id)


def _check_given_on(given_on: date, today: date) -> None:
    require(given_on <= today, "评价日期不能晚于今天。")


def _evaluations_are_final(mapper, connection, target) -> None:
    raise WorkflowError("评价一经提交，任何人不能修改或删除。")


def listen() -> None:
    """No path can change or delete an evaluation once written."""
    for model in (Evaluation, AttitudeEvaluation, ImplementationEvaluation):
        for name in ("before_update", "before_delete"):
            if not event.contains(model, name, _evaluations_are_final):
                event.listen(model, name, _evaluations_are_final)


# --- round 1: attitude and the three communications ------------------------------------------------


def replying_units(suggestion: Suggestion) -> list[Unit]:
    """The units that replied to the deputy (lead or split parts) and whose attitude the deputy rates."""
    replied = set(db.session.scalars(
        select(Reply.unit_id).where(Reply.suggestion_id == suggestion.id, Reply.voided_reason == "")))
    return [a.unit for a in suggestion.assignments if a.role != AssignmentRole.CO_HANDLER and a.unit_id in replied]


def recorded_communications(suggestion: Suggestion, unit: Unit, rules: Rules) -> dict[str, int]:
    """How many contacts the unit recorded before handling, during handling (up to its first reply) and after it."""
    assigned_on = min(a.assigned_on for a in suggestion.assignments if a.unit_id == unit.id)
    replied_on = db.session.scalar(select(func.min(Reply.replied_on)).where(
        Reply.suggestion_id == suggestion.id, Reply.unit_id == unit.id, Reply.voided_reason == ""))
    before_ends = min(rules.due("contact_before_handling", assigned_on), replied_on)
    day = Contact.contacted_on
    row = db.session.execute(
        select(
            func.coalesce(func.sum(case((and_(day >= assigned_on, day <= before_ends), 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(day > before_ends, day <= replied_on), 1), else_=0)), 0),
            func.coalesce(func.sum(case((day > replied_on, 1), else_=0)), 0),
        ).where(Contact.suggestion_id == suggestion.id, Contact.unit_id == unit.id, Contact.voided_reason == "")
    ).one()
    return dict(zip(("before", "during", "after"), (int(n) for n in row)))


def communication_mismatches(said: dict[str, bool], recorded: dict[str, int]) -> str:
    """Where the deputy's answer and the unit's records disagree, in Chinese (empty when they agree)."""
    parts = []
    for phase, label in PHASE_LABELS.items():
        if said[phase] and not recorded[phase]:
            parts.append(f"{label}：代表称有，单位未记录")
        elif not said[phase] and recorded[phase]:
            parts.append(f"{label}：代表称没有，单位记录了{recorded[phase]}次")
    return "；".join(parts)


def evaluate_attitude(
    actor: User, suggestion: Suggestion, unit: Unit, *, level: str, before: bool, during: bool, after: bool,
    comment: str, given_on: date, today: date, scanned_form: FileStorage | None = None, rules: Rules | None = None,
) -> AttitudeEvaluation:
    """Round 1; a mismatch with the recorded contacts is kept on the evaluation and flagged to the office."""
    rules = rules or Rules.load()
    paper = on_paper(actor, suggestion, scanned_form)
    require(suggestion.state in states.ANSWERED, "承办单位答复后才能评价办理态度。")
    require(unit.id in {u.id for u in replying_units(suggestion)}, "该单位没有答复这件建议，无需评价其办理态度。")
    require(level in set(EvaluationLevel), "请选择对办理态度的评价（满意、基本满意、不满意）。")
    require(level != EvaluationLevel.UNSATISFIED or bool(comment.strip()), "评价为不满意时须填写意见。")
    _check_given_on(given_on, today)
    done = db.session.scalar(select(AttitudeEvaluation.id).where(
        AttitudeEvaluation.suggestion_id == suggestion.id, AttitudeEvaluation.unit_id == unit.id))
    require(done is None, f"已评价过{unit.name}的办理态度，评价不能修改。")
    said = {"before": before, "during": during, "after": after}
    with audit.operation(actor, "录入纸质态度评价" if paper else "代表评价办理态度"):
        evaluation = AttitudeEvaluation(
            suggestion=suggestion, unit=unit, level=level, communicated_before=before, communicated_during=during,
            communicated_after=after, comment=comment.strip(), given_on=given_on, on_paper=paper, recorded_by_id=actor.id,
            mismatch=communication_mismatches(said, recorded_communications(suggestion, unit, rules)),
        )
        db.session.add(evaluation)
        db.session.flush()
        attach_scanned_form(actor, suggestion, scanned_form, evaluation)
    return evaluation


# --- round 3: implementation of the commitments, in November -------------------------------------------


def implementation_window(year: int, rules: Rules | None = None) -> tuple[date, date]:
    rules = rules or Rules.load()
    return (rules.day_in_year("implementation_evaluation_opens", year),
            rules.day_in_year("implementation_evaluation_closes", year))


def _reply_year():
    return func.extract("year", Reply.replied_on)


def year_commitments_condition(year: int):
    """The commitments on a year's list: made in that year's replies, plus B-category ones from earlier
    years not yet kept (they roll over until kept)."""
    earlier = aliased(ImplementationEvaluation)  # the caller may join ImplementationEvaluation itself
    earlier_b_not_kept = and_(
        Reply.reply_category == ReplyCategory.B, _reply_year() < year,
        not_(exists().where(earlier.commitment_id == Commitment.id, earlier.year < year,
                            earlier.result == CommitmentStatus.KEPT)),
    )
    return and_(Reply.voided_reason == "", or_(_reply_year() == year, earlier_b_not_kept))


def pending_commitments_condition(year: int):
    """Commitments on the year's list not yet evaluated that year (the query must join Commitment → Reply)."""
    same_year = aliased(ImplementationEvaluation)
    evaluated = exists().where(same_year.commitment_id == Commitment.id, same_year.year == year)
    return and_(year_commitments_condition(year), not_(evaluated))


def evaluate_implementation(
    actor: User, commitment: Commitment, *, result: str, comment: str, given_on: date, today: date,
    scanned_form: FileStorage | None = None, rules: Rules | None = None,
) -> ImplementationEvaluation:
    """Round 3: the commitment is kept, partly kept or not kept; its status follows the evaluation."""
    rules = rules or Rules.load()
    suggestion = commitment.reply.suggestion
    paper = on_paper(actor, suggestion, scanned_form)
    opens_on, closes_on = implementation_window(today.year, rules)
    require(opens_on <= today <= closes_on,
             f"承诺事项落实情况评价时间为每年{opens_on:%m月%d日}至{closes_on:%m月%d日}。")
    require(result in set(IMPLEMENTATION_RESULTS), "请选择落实情况（已落实、部分落实、未落实）。")
    require(result == CommitmentStatus.KEPT or bool(comment.strip()), "未完全落实时须填写意见。")
    _check_given_on(given_on, today)
    on_list = db.session.scalar(select(Commitment.id).join(Commitment.reply).where(
        Commitment.id == commitment.id, year_commitments_condition(today.year)))
    require(on_list is not None, "该承诺事项不在本年度的落实评价范围内。")
    done = db.session.scalar(select(ImplementationEvaluation.id).where(
        ImplementationEvaluation.commitment_id == commitment.id, ImplementationEvaluation.year == today.year))
    require(done is None, "本年度已评价过该承诺事项，评价不能修改。")
    with audit.operation(actor, "录入纸质落实评价" if paper else "代表评价承诺落实"):
        evaluation = ImplementationEvaluation(
            commitment=commitment, suggestion=suggestion, year=today.year, result=result, comment=comment.strip(),
            given_on=given_on, on_paper=paper, recorded_by_id=actor.id,
        )
        db.session.add(evaluation)
        commitment.status = result
        db.session.flush()
        attach_scanned_form(actor, suggestion, scanned_form, evaluation)
    return evaluation


# --- what awaits a deputy ---------------------------------------------------------------------------------


def awaiting(deputy_id: int, today: date, rules: Rules | None = None) -> dict[str, list]:
    """The lead deputy's pending evaluations: replies (content), units (attitude), commitments (in the window)."""
    rules = rules or Rules.load()
    led = Suggestion.lead_deputy_id == deputy_id
    content = db.session.scalars(select(Suggestion).where(led, Suggestion.state == State.REPLIED).order_by(Suggestion.id)).all()
    attitude_done = exists().where(AttitudeEvaluation.suggestion_id == Suggestion.id, AttitudeEvaluation.unit_id == Reply.unit_id)
    attitude = db.session.execute(
        select(Suggestion, Unit).join(Reply, Reply.suggestion_id == Suggestion.id).join(Unit, Unit.id == Reply.unit_id)
        .where(led, Suggestion.state.in_(states.ANSWERED), Reply.voided_reason == "", not_(attitude_done))
        .distinct().order_by(Suggestion.id, Unit.id)
    ).all()
    opens_on, closes_on = implementation_window(today.year, rules)
    commitments = []
    if opens_on <= today <= closes_on:
        commitments = db.session.scalars(
            select(Commitment).join(Commitment.reply).join(Reply.suggestion)
            .options(joinedload(Commitment.reply).joinedload(Reply.suggestion), joinedload(Commitment.reply).joinedload(Reply.unit))
            .where(led, pending_commitments_condition(today.year)).order_by(Commitment.id)
        ).all()
    return {"content": content, "attitude": attitude, "commitments": commitments,
            "window": (opens_on, closes_on)}
