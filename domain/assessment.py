"""The annual assessment of units and townships (激励机制).

The scoring rules are data (AssessmentItem rows the office edits: items, weights, bonuses).
What each item measures is code: ITEM_FUNCTIONS maps an item code to a function that returns one
SQL aggregate, rows of (subject id, numerator, denominator) for a year. An item whose code has
no function scores nothing and says so.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, case, exists, func, or_, select

from domain import satisfaction, states
from domain.statistics import current_reply
from models import (
    AssessmentItem,
    Assignment,
    Commitment,
    Contact,
    Deputy,
    Evaluation,
    KeySupervision,
    Reply,
    Suggestion,
    Township,
    Unit,
    db,
)
from models.enums import AssignmentRole, CommitmentStatus, EvaluationLevel, ReplyCategory, State

UNIT, TOWNSHIP = "unit", "township"
SUBJECT_LABELS = {UNIT: "承办单位", TOWNSHIP: "镇街"}
RATE, TOP_BONUS, COUNT_BONUS = "rate", "top_bonus", "count_bonus"
KIND_LABELS = {RATE: "按比率计分", TOP_BONUS: "排名前列加分", COUNT_BONUS: "按件加分"}

ItemQuery = Callable[[int, date], Select]
SATISFIED_LEVELS = (EvaluationLevel.SATISFIED.value, EvaluationLevel.BASICALLY_SATISFIED.value)


@dataclass(frozen=True)
class ItemFunction:
    query: ItemQuery
    numerator_label: str
    denominator_label: str


@dataclass(frozen=True)
class DefaultItem:
    code: str
    label: str
    subject: str
    kind: str
    weight: float
    parameter: int = 0


DEFAULT_ITEMS = [
    DefaultItem("timeliness", "按期答复", UNIT, RATE, 20),
    DefaultItem("contact_rate", "办前办中沟通", UNIT, RATE, 15),
    DefaultItem("content_satisfaction", "答复内容满意度（首次评价）", UNIT, RATE, 15),
    DefaultItem("attitude_satisfaction", "办理态度满意度", UNIT, RATE, 10),
    DefaultItem("implementation_satisfaction", "承诺落实满意度（11月评价）", UNIT, RATE, 10),
    DefaultItem("rehandling", "未被转重办", UNIT, RATE, 5),
    DefaultItem("commitments_kept", "承诺事项落实", UNIT, RATE, 10),
    DefaultItem("key_suggestions_handled", "重点督办建议办理", UNIT, RATE, 5),
    DefaultItem("adoption_rate", "采纳率（A+B 类答复）", UNIT, RATE, 5),
    DefaultItem("resolution_rate", "解决率（A 类答复）", UNIT, RATE, 5),
    DefaultItem("top_units_bonus", "办理成效前五名加分", UNIT, TOP_BONUS, 5, 5),
    DefaultItem("acceptance_rate", "代表建议立案率", TOWNSHIP, RATE, 10),
    DefaultItem("key_suggestion_township_bonus", "领衔代表建议列为重点督办加分", TOWNSHIP, COUNT_BONUS, 2),
]


def seed_assessment_items() -> None:
    """Write the default items as editable rows where none exist yet."""
    existing = set(db.session.scalars(select(AssessmentItem.code)))
    for position, item in enumerate(DEFAULT_ITEMS, start=1):
        if item.code not in existing:
            db.session.add(AssessmentItem(code=item.code, label=item.label, subject=item.subject, kind=item.kind,
                                          weight=item.weight, parameter=item.parameter, position=position))
    db.session.flush()


def load_items(subject: str) -> list[AssessmentItem]:
    """The active items for units or townships; the defaults while the office has saved none."""
    rows = db.session.scalars(select(AssessmentItem).order_by(AssessmentItem.position, AssessmentItem.id)).all()
    if not rows:
        rows = [AssessmentItem(code=d.code, label=d.label, subject=d.subject, kind=d.kind, weight=d.weight,
                               parameter=d.parameter, position=i, active=True) for i, d in enumerate(DEFAULT_ITEMS)]
    return [row for row in rows if row.subject == subject and row.active]


# --- the measures ------------------------------------------------------------------------

def replying_assignments(year: int):
    """Active lead or split assignments of the year's suggestions: the parts a unit answers for."""
    return and_(
        Assignment.active.is_(True), Assignment.role.in_((AssignmentRole.LEAD, AssignmentRole.SPLIT)),
        Suggestion.id == Assignment.suggestion_id, Suggestion.year == year,
    )


def _first_reply_of_assignment():
    return and_(Reply.suggestion_id == Assignment.suggestion_id, Reply.unit_id == Assignment.unit_id,
                Reply.round == 1, Reply.voided_reason == "")


def count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def timeliness(year: int, as_of: date) -> Select:
    replied = exists().where(_first_reply_of_assignment())
    on_time = exists().where(_first_reply_of_assignment(), Reply.replied_on <= Suggestion.reply_due_on)
    return (
        select(Assignment.unit_id, count_if(on_time), func.count(Assignment.id))
        .join(Suggestion, Suggestion.id == Assignment.suggestion_id)
        .where(replying_assignments(year), Suggestion.reply_due_on.isnot(None),
               or_(replied, Suggestion.reply_due_on < as_of))
        .group_by(Assignment.unit_id)
    )


def contact_rate(year: int, as_of: date) -> Select:
    contacted = exists().where(Contact.suggestion_id == Assignment.suggestion_id, Contact.unit_id == Assignment.unit_id,
                               Contact.voided_reason == "")
    return (
        select(Assignment.unit_id, count_if(contacted), func.count(Assignment.id))
        .join(Suggestion, Suggestion.id == Assignment.suggestion_id)
        .where(replying_assignments(year), Assignment.signed_at.isnot(None))
        .group_by(Assignment.unit_id)
    )


def _first_evaluations(year: int, counted) -> Select:
    return (
        select(Assignment.unit_id, count_if(counted), func.count(Evaluation.id))
        .join(Suggestion, Suggestion.id == Assignment.suggestion_id)
        .join(Evaluation, and_(Evaluation.suggestion_id == Assignment.suggestion_id, Evaluation.round == 1))
        .where(replying_assignments(year))
        .group_by(Assignment.unit_id)
    )


def content_satisfaction(year: int, as_of: date) -> Select:
    return _first_evaluations(year, Evaluation.level.in_((EvaluationLevel.SATISFIED, EvaluationLevel.BASICALLY_SATISFIED)))


def rehandling(year: int, as_of: date) -> Select:
    return _first_evaluations(year, Evaluation.level != EvaluationLevel.UNSATISFIED)


def commitments_kept(year: int, as_of: date) -> Select:
    kept = case((Commitment.status == CommitmentStatus.KEPT, 1.0),
                (Commitment.status == CommitmentStatus.PARTLY_KEPT, 0.5), else_=0.0)
    return (
        select(Reply.unit_id, func.coalesce(func.sum(kept), 0), func.count(Commitment.id))
        .join(Reply, Reply.id == Commitment.reply_id)
        .join(Suggestion, Suggestion.id == Reply.suggestion_id)
        .where(Suggestion.year == year, Reply.voided_reason == "", Commitment.status != CommitmentStatus.OPEN)
        .group_by(Reply.unit_id)
    )


def _current_replies(year: int, counted) -> Select:
    return (
        select(Reply.unit_id, count_if(counted), func.count(Reply.id))
        .join(Suggestion, Suggestion.id == Reply.suggestion_id)
        .where(Suggestion.year == year, current_reply())
        .group_by(Reply.unit_id)
    )


def adoption_rate(year: int, as_of: date) -> Select:
    return _current_replies(year, Reply.reply_category.in_((ReplyCategory.A, ReplyCategory.B)))


def resolution_rate(year: int, as_of: date) -> Select:
    return _current_replies(year, Reply.reply_category == ReplyCategory.A)


def acceptance_rate(year: int, as_of: date) -> Select:
    refused = Suggestion.state.in_((State.NOT_ACCEPTED, State.MERGED))  # withdrawn ones were accepted
    return (
        select(Deputy.township_id, func.count(Suggestion.id) - count_if(refused), func.count(Suggestion.id))
        .join(Deputy, Deputy.id == Suggestion.lead_deputy_id)
        .where(Suggestion.year == year, Suggestion.number.isnot(None))
        .group_by(Deputy.township_id)
    )


def _satisfaction(kind: str) -> ItemQuery:
    """Attitude or implementation evaluations of the year that were satisfied (or basically), per unit."""
    def query(year: int, as_of: date) -> Select:
        source = satisfaction.levels(kind, year)
        return (
            select(source.c.unit_id, count_if(source.c.level.in_(SATISFIED_LEVELS)), func.count())
            .select_from(source).group_by(source.c.unit_id)
        )

    return query


def _key_of_year(year: int):
    return and_(KeySupervision.suggestion_id == Suggestion.id, KeySupervision.year == year,
                KeySupervision.steps_done >= states.DECIDED_STEP)


def key_suggestions_handled(year: int, as_of: date) -> Select:
    on_time = exists().where(
        Reply.suggestion_id == Assignment.suggestion_id, Reply.unit_id == Assignment.unit_id, Reply.round == 1,
        Reply.voided_reason == "", Reply.replied_on <= Suggestion.reply_due_on,
    )
    return (
        select(Assignment.unit_id, count_if(on_time), func.count(Assignment.id))
        .join(Suggestion, Suggestion.id == Assignment.suggestion_id)
        .where(replying_assignments(year), exists().where(_key_of_year(year)))
        .group_by(Assignment.unit_id)
    )


def key_suggestion_township_bonus(year: int, as_of: date) -> Select:
    return (
        select(Deputy.township_id, func.count(Suggestion.id), func.count(Suggestion.id))
        .join(Deputy, Deputy.id == Suggestion.lead_deputy_id)
        .where(exists().where(_key_of_year(year)))
        .group_by(Deputy.township_id)
    )


# code → what it measures, with the labels of its numerator and denominator.
ITEM_FUNCTIONS: dict[str, ItemFunction] = {
    "timeliness": ItemFunction(timeliness, "按期答复", "已答复或已到期"),
    "contact_rate": ItemFunction(contact_rate, "记录了与代表沟通", "已签收"),
    "content_satisfaction": ItemFunction(content_satisfaction, "满意或基本满意", "首次评价"),
    "attitude_satisfaction": ItemFunction(_satisfaction("attitude"), "满意或基本满意", "态度评价"),
    "implementation_satisfaction": ItemFunction(_satisfaction("implementation"), "已落实或部分落实", "承诺事项落实评价"),
    "rehandling": ItemFunction(rehandling, "未转重办", "首次评价"),
    "commitments_kept": ItemFunction(commitments_kept, "已落实（部分落实计半）", "已评定的承诺事项"),
    "key_suggestions_handled": ItemFunction(key_suggestions_handled, "按期答复的重点督办建议", "承办的重点督办建议"),
    "adoption_rate": ItemFunction(adoption_rate, "A、B 类答复", "答复"),
    "resolution_rate": ItemFunction(resolution_rate, "A 类答复", "答复"),
    "acceptance_rate": ItemFunction(acceptance_rate, "立案", "正式提交"),
    "key_suggestion_township_bonus": ItemFunction(key_suggestion_township_bonus, "领衔建议列为重点督办", "件"),
}


# --- the computation ---------------------------------------------------------------------


@dataclass
class ItemScore:
    item: AssessmentItem
    points: float = 0.0
    numerator: float | None = None
    denominator: int | None = None
    explanation: str = ""

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass
class SubjectScore:
    subject_id: int
    name: str
    items: list[ItemScore] = field(default_factory=list)
    rank: int = 0
    base_rank: int = 0

    @property
    def base(self) -> float:
        return round(sum(s.points for s in self.items if s.item.kind == RATE), 2)

    @property
    def bonus(self) -> float:
        return round(sum(s.points for s in self.items if s.item.kind != RATE), 2)

    @property
    def total(self) -> float:
        return round(self.base + self.bonus, 2)


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _rate_score(item: AssessmentItem, function: ItemFunction, row) -> ItemScore:
    if row is None or not row[1]:
        return ItemScore(item, 0.0, 0, 0, "本年度无可考核的数据，不得分。")
    numerator, denominator = float(row[0]), int(row[1])
    points = round(item.weight * numerator / denominator, 2)
    explanation = (f"{function.numerator_label} {_number(numerator)} / {function.denominator_label} {denominator}"
                   f" = {numerator / denominator:.1%}，× {_number(item.weight)} 分 = {points:.2f} 分")
    return ItemScore(item, points, numerator, denominator, explanation)


def _pending(item: AssessmentItem) -> ItemScore:
    return ItemScore(item, 0.0, explanation="该项尚无计算方法，暂不计分。")


def _subjects(subject: str) -> list[tuple[int, str]]:
    model = Unit if subject == UNIT else Township
    return db.session.execute(select(model.id, model.name).order_by(model.id)).all()


def _measure(item: AssessmentItem, year: int, as_of: date) -> dict[int, tuple] | None:
    function = ITEM_FUNCTIONS.get(item.code)
    if function is None:
        return None
    return {row[0]: (row[1], row[2]) for row in db.session.execute(function.query(year, as_of))}


def _rank(scores: list[SubjectScore], key) -> list[int]:
    """Competition ranking (1, 2, 2, 4) by the key, highest first."""
    values = [key(s) for s in scores]
    return [1 + sum(1 for other in values if other > value) for value in values]


def assess(subject: str, year: int, as_of: date) -> list[SubjectScore]:
    """Every unit's (or township's) score for a year, item by item, ranked."""
    items = load_items(subject)
    scores = [SubjectScore(subject_id, name) for subject_id, name in _subjects(subject)]
    for item in items:
        measured = _measure(item, year, as_of) if item.kind != TOP_BONUS else {}
        for score in scores:
            if item.kind == TOP_BONUS:
                continue
            if measured is None:
                score.items.append(_pending(item))
            elif item.kind == RATE:
                score.items.append(_rate_score(item, ITEM_FUNCTIONS[item.code], measured.get(score.subject_id)))
            else:
                score.items.append(_count_bonus(item, measured.get(score.subject_id)))
    for score, rank in zip(scores, _rank(scores, lambda s: s.base)):
        score.base_rank = rank
    for item in (i for i in items if i.kind == TOP_BONUS):
        for score in scores:
            score.items.append(_top_bonus(item, score))
    scores.sort(key=lambda s: (-s.total, s.name))
    for score, rank in zip(scores, _rank(scores, lambda s: s.total)):
        score.rank = rank
    for score in scores:
        score.items.sort(key=lambda s: (s.item.position, s.item.id or 0))
    return scores


def _count_bonus(item: AssessmentItem, row) -> ItemScore:
    count = int(row[0]) if row else 0
    points = round(item.weight * count, 2)
    return ItemScore(item, points, count, None, f"{count} 件 × {_number(item.weight)} 分 = {points:.2f} 分")


def _top_bonus(item: AssessmentItem, score: SubjectScore) -> ItemScore:
    if score.base > 0 and score.base_rank <= item.parameter:
        return ItemScore(item, float(item.weight), explanation=(
            f"基础得分 {score.base:.2f} 分，排第 {score.base_rank} 名（前 {item.parameter} 名），加 {_number(item.weight)} 分"))
    return ItemScore(item, 0.0, explanation=f"基础得分排第 {score.base_rank} 名，未进入前 {item.parameter} 名")

