"""Satisfaction rates of the three evaluations for a year: overall, per unit, per township, as SQL aggregates.

Attitude and content count the suggestions of the year (content: each suggestion's final evaluation, after
re-handling if any); implementation counts the year's evaluations of commitments, kept counting as satisfied,
partly kept as basically satisfied. Rate = (satisfied + basically satisfied) / evaluated.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import aliased

from models import (
    Assignment,
    AttitudeEvaluation,
    Commitment,
    Deputy,
    Evaluation,
    ImplementationEvaluation,
    Reply,
    Suggestion,
    Township,
    Unit,
    db,
)
from models.enums import AssignmentRole, CommitmentStatus, EvaluationLevel

KIND_LABELS = {"attitude": "办理态度（第一次评价）", "content": "答复内容（第二次评价）", "implementation": "承诺落实（第三次评价）"}
GROUPS = (None, "unit", "township")


@dataclass(frozen=True)
class Rate:
    label: str
    evaluated: int
    satisfied: int
    basically_satisfied: int
    unsatisfied: int

    @property
    def rate(self) -> float | None:
        """Share of satisfied and basically satisfied, 0–1; None when nothing was evaluated."""
        return (self.satisfied + self.basically_satisfied) / self.evaluated if self.evaluated else None


def _attitude(year: int):
    return (select(AttitudeEvaluation.level.label("level"), AttitudeEvaluation.unit_id.label("unit_id"),
                   AttitudeEvaluation.suggestion_id.label("suggestion_id"))
            .join(Suggestion, Suggestion.id == AttitudeEvaluation.suggestion_id).where(Suggestion.year == year))


def _content(year: int, per_unit: bool):
    """Each suggestion's final content evaluation; per unit, once for each unit that replied."""
    later = aliased(Evaluation)
    final = ~select(later.id).where(later.suggestion_id == Evaluation.suggestion_id, later.round > Evaluation.round).exists()
    unit_id = Assignment.unit_id if per_unit else literal(None)
    query = (select(Evaluation.level.label("level"), unit_id.label("unit_id"), Evaluation.suggestion_id.label("suggestion_id"))
             .join(Suggestion, Suggestion.id == Evaluation.suggestion_id).where(Suggestion.year == year, final))
    if per_unit:
        query = query.join(Assignment, (Assignment.suggestion_id == Evaluation.suggestion_id) & Assignment.active.is_(True)
                           & (Assignment.role != AssignmentRole.CO_HANDLER))
    return query


def _implementation(year: int):
    level = case((ImplementationEvaluation.result == CommitmentStatus.KEPT, EvaluationLevel.SATISFIED.value),
                 (ImplementationEvaluation.result == CommitmentStatus.PARTLY_KEPT, EvaluationLevel.BASICALLY_SATISFIED.value),
                 else_=EvaluationLevel.UNSATISFIED.value)
    return (select(level.label("level"), Reply.unit_id.label("unit_id"),
                   ImplementationEvaluation.suggestion_id.label("suggestion_id"))
            .join(Commitment, Commitment.id == ImplementationEvaluation.commitment_id)
            .join(Reply, Reply.id == Commitment.reply_id).where(ImplementationEvaluation.year == year))


def _source(kind: str, year: int, by: str | None):
    if kind == "attitude":
        return _attitude(year).subquery()
    if kind == "content":
        return _content(year, by == "unit").subquery()
    return _implementation(year).subquery()


def rates(kind: str, year: int, by: str | None = None) -> list[Rate]:
    """One kind's rates for a year: one overall row (by=None), or one row per unit or per township."""
    source = _source(kind, year, by)
    counts = [func.count(),
              *(func.coalesce(func.sum(case((source.c.level == level.value, 1), else_=0)), 0) for level in EvaluationLevel)]
    if by is None:
        query = select(literal("全区"), *counts).select_from(source)
    elif by == "unit":
        query = (select(Unit.name, *counts).select_from(source).join(Unit, Unit.id == source.c.unit_id)
                 .group_by(Unit.id, Unit.name).order_by(Unit.name))
    else:
        query = (select(Township.name, *counts).select_from(source)
                 .join(Suggestion, Suggestion.id == source.c.suggestion_id)
                 .join(Deputy, Deputy.id == Suggestion.lead_deputy_id).join(Township, Township.id == Deputy.township_id)
                 .group_by(Township.id, Township.name).order_by(Township.name))
    return [Rate(label, int(total), int(s), int(b), int(u)) for label, total, s, b, u in db.session.execute(query).all()]


def all_rates(year: int) -> dict[str, dict[str | None, list[Rate]]]:
    """Every kind by every grouping, for the statistics page (nine aggregate queries)."""
    return {kind: {by: rates(kind, year, by) for by in GROUPS} for kind in KIND_LABELS}


def levels(kind: str, year: int):
    """A sub-query of (level, unit_id, suggestion_id): every evaluation of one kind in a year, per unit."""
    return _source(kind, year, "unit")
