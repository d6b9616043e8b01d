"""Statistics of a year or a session, as SQL aggregates over the suggestions a user may see."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, case, distinct, exists, func, select
from sqlalchemy.orm import aliased

from domain import states
from domain.access import suggestion_scope
from domain.rules import Rules
from models import Assignment, Committee, Deputy, Reply, Suggestion, Township, Unit, User, db
from models.enums import CATEGORY_LABELS, STATE_LABELS, ReplyCategory

# The seed: adoption (A + B) and resolution (A) rates are kept above 70%.
TARGET_RATE = 0.70
# Suggestions that were accepted for handling (they count in the unit, committee and rate figures).


def current_reply() -> ColumnElement[bool]:
    """A reply in force: not voided, and not followed by a later round from the same unit."""
    later = aliased(Reply)
    return and_(
        Reply.voided_reason == "",
        ~exists().where(
            later.suggestion_id == Reply.suggestion_id, later.unit_id == Reply.unit_id,
            later.round > Reply.round, later.voided_reason == "",
        ),
    )


@dataclass
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def meets_target(self) -> bool:
        return self.value is not None and self.value >= TARGET_RATE


@dataclass
class Dashboard:
    total: int = 0
    overdue: int = 0
    due_soon: int = 0
    by_state: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_unit: list[tuple[str, int]] = field(default_factory=list)
    by_township: list[tuple[str, int]] = field(default_factory=list)
    by_committee: list[tuple[str, int]] = field(default_factory=list)
    by_reply_category: list[tuple[str, int]] = field(default_factory=list)
    adoption: Rate = field(default_factory=lambda: Rate(0, 0))
    resolution: Rate = field(default_factory=lambda: Rate(0, 0))
    timeliness: Rate = field(default_factory=lambda: Rate(0, 0))


def _selected(user: User, year: int | None, session_id: int | None) -> ColumnElement[bool]:
    chosen = Suggestion.session_id == session_id if session_id else Suggestion.year == year
    return and_(chosen, suggestion_scope(user))


def _counts_by(column, condition, *joins, distinct_suggestions: bool = False) -> list[tuple[str, int]]:
    counted = func.count(distinct(Suggestion.id)) if distinct_suggestions else func.count(Suggestion.id)
    query = select(column, counted).select_from(Suggestion)
    for target, on in joins:
        query = query.join(target, on)
    rows = db.session.execute(query.where(condition).group_by(column).order_by(counted.desc(), column)).all()
    return [(name, count) for name, count in rows]


def dashboard(user: User, *, year: int | None = None, session_id: int | None = None, today: date,
              rules: Rules | None = None) -> Dashboard:
    """Every figure of the statistics page for the suggestions of a year (or a session) this user may see."""
    rules = rules or Rules.load()
    chosen = _selected(user, year, session_id)
    handled = and_(chosen, Suggestion.state.not_in(states.LEFT_THE_PROCESS))
    result = Dashboard()
    totals = db.session.execute(
        select(
            func.count(Suggestion.id),
            func.coalesce(func.sum(case((states.overdue(today), 1), else_=0)), 0),
            func.coalesce(func.sum(case((states.due_soon(today, rules.amount("due_soon")), 1), else_=0)), 0),
        ).where(chosen)
    ).one()
    result.total, result.overdue, result.due_soon = totals
    result.by_state = [(STATE_LABELS.get(s, s), n) for s, n in _counts_by(Suggestion.state, chosen)]
    result.by_category = [(CATEGORY_LABELS.get(c, c), n) for c, n in _counts_by(Suggestion.category, chosen)]
    # Aliases, so that the row-level scope's own sub-queries on these tables stay uncorrelated.
    assignment, unit, deputy = aliased(Assignment), aliased(Unit), aliased(Deputy)
    active = (assignment, and_(assignment.suggestion_id == Suggestion.id, assignment.active.is_(True)))
    result.by_unit = _counts_by(unit.name, handled, active, (unit, unit.id == assignment.unit_id), distinct_suggestions=True)
    result.by_committee = _counts_by(Committee.name, handled, active, (unit, unit.id == assignment.unit_id),
                                     (Committee, Committee.id == unit.committee_id), distinct_suggestions=True)
    result.by_township = _counts_by(Township.name, chosen, (deputy, deputy.id == Suggestion.lead_deputy_id),
                                    (Township, Township.id == deputy.township_id))
    _reply_figures(result, chosen)
    return result


def _reply_figures(result: Dashboard, chosen: ColumnElement[bool]) -> None:
    """Reply categories of the replies in force, and first-reply timeliness, in one pass over the replies."""
    first = Reply.round == 1
    on_time = and_(first, Suggestion.reply_due_on.isnot(None), Reply.replied_on <= Suggestion.reply_due_on)
    rows = db.session.execute(
        select(Reply.reply_category, func.sum(case((current_reply(), 1), else_=0)),
               func.sum(case((first, 1), else_=0)), func.sum(case((on_time, 1), else_=0)))
        .join(Suggestion, Suggestion.id == Reply.suggestion_id)
        .where(chosen, Reply.voided_reason == "").group_by(Reply.reply_category)
    ).all()
    in_force = {category: int(current or 0) for category, current, _, _ in rows}
    result.by_reply_category = [(c.value, in_force.get(c.value, 0)) for c in ReplyCategory]
    replied = sum(in_force.values())
    a, b = in_force.get(ReplyCategory.A, 0), in_force.get(ReplyCategory.B, 0)
    result.adoption = Rate(a + b, replied)
    result.resolution = Rate(a, replied)
    result.timeliness = Rate(sum(int(r[3] or 0) for r in rows), sum(int(r[2] or 0) for r in rows))
