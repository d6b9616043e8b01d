"""What the public page shows: published results only, searched and filtered, never personal data.

Bad query parameters are ignored, never an error. Key suggestions can be filtered on, and those whose
step 6 decided to publish show their supervision result (the outcome of the step-5 consultation).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from domain import states
from domain.publication import published_replies, published_suggestions
from models import (
    Assignment,
    CongressSession,
    Deputy,
    KeyStep,
    Publication,
    Reply,
    Suggestion,
    Unit,
    db,
)
from models.enums import CATEGORY_LABELS, ReplyCategory

PAGE_SIZE = 20
MAX_PAGE = 10_000
MAX_ID = 2**31 - 1
MAX_SEARCH_LENGTH = 60
PDF_LIST_LIMIT = 300


CONSULTATION_STEP, PUBLICATION_STEP = 5, 6


def published_supervision_results(ids: list[int]) -> Mapping[int, str]:
    """The supervision result of each key suggestion whose step 6 decided to publish it."""
    published = select(KeyStep.suggestion_id).where(
        KeyStep.step == PUBLICATION_STEP, KeyStep.published.is_(True), KeyStep.suggestion_id.in_(ids)
    )
    rows = db.session.execute(
        select(KeyStep.suggestion_id, KeyStep.details)
        .where(KeyStep.step == CONSULTATION_STEP, KeyStep.suggestion_id.in_(published))
    )
    return {suggestion_id: details for suggestion_id, details in rows}


def _positive_int(value: str | None, upper: int = MAX_ID) -> int | None:
    if value is None or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= upper else None


@dataclass
class PublicFilters:
    q: str = ""
    year: int | None = None
    session: int | None = None
    category: str | None = None
    unit: int | None = None
    reply_category: str | None = None
    key: bool = False
    page: int = 1

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> PublicFilters:
        """Read the query string; a value that does not make sense is dropped."""
        q = "".join(ch for ch in (args.get("q") or "") if ch.isprintable()).strip()[:MAX_SEARCH_LENGTH]
        category = args.get("category")
        reply_category = args.get("reply_category")
        return cls(
            q=q,
            year=_positive_int(args.get("year"), 9999),
            session=_positive_int(args.get("session")),
            category=category if category in CATEGORY_LABELS else None,
            unit=_positive_int(args.get("unit")),
            reply_category=reply_category if reply_category in set(ReplyCategory) else None,
            key=args.get("key") == "1",
            page=_positive_int(args.get("page"), MAX_PAGE) or 1,
        )

    def as_args(self, **changes) -> dict[str, str]:
        """The filters as query-string arguments (for links), without empty ones."""
        values = {"q": self.q, "year": self.year, "session": self.session, "category": self.category,
                  "unit": self.unit, "reply_category": self.reply_category, "key": "1" if self.key else None,
                  "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def condition(self) -> ColumnElement[bool]:
        clauses = [published_suggestions()]
        if self.q:
            literal = self.q.replace("\\", "").replace("%", "").replace("_", "")
            pattern = f"%{literal}%"
            clauses.append(or_(
                Suggestion.title.ilike(pattern), Suggestion.number_label.ilike(pattern),
                Suggestion.lead_deputy_id.in_(select(Deputy.id).where(Deputy.name.ilike(pattern))),
            ))
        if self.year:
            clauses.append(Suggestion.year == self.year)
        if self.session:
            clauses.append(Suggestion.session_id == self.session)
        if self.category:
            clauses.append(Suggestion.category == self.category)
        if self.unit:
            clauses.append(exists().where(Assignment.suggestion_id == Suggestion.id, Assignment.active.is_(True),
                                          Assignment.unit_id == self.unit))
        if self.reply_category:
            clauses.append(Suggestion.id.in_(
                select(Publication.suggestion_id)
                .where(published_replies(), Publication.published_category == self.reply_category)))
        if self.key:
            clauses.append(states.key_decided())
        return and_(*clauses)


@dataclass
class PublicResult:
    """One published suggestion as the public sees it."""

    suggestion: Suggestion
    publications: list[Publication] = field(default_factory=list)
    supervision_result: str = ""

    @property
    def units(self) -> list[Assignment]:
        return self.suggestion.active_assignments

    @property
    def reply_categories(self) -> str:
        return "、".join(sorted({p.published_category for p in self.publications}))

    @property
    def published_on(self):
        return max((p.published_on for p in self.publications), default=None)


def _results(suggestions: list[Suggestion]) -> list[PublicResult]:
    ids = [s.id for s in suggestions]
    publications = db.session.scalars(
        select(Publication).options(joinedload(Publication.reply).joinedload(Reply.unit))
        .where(Publication.suggestion_id.in_(ids), published_replies()).order_by(Publication.id)
    ).all() if ids else []
    by_suggestion: dict[int, list[Publication]] = {}
    for publication in publications:
        by_suggestion.setdefault(publication.suggestion_id, []).append(publication)
    supervision = published_supervision_results(ids) if ids else {}
    return [PublicResult(s, by_suggestion.get(s.id, []), supervision.get(s.id, "")) for s in suggestions]


def _suggestions(condition, limit: int, offset: int = 0) -> list[Suggestion]:
    return db.session.scalars(
        select(Suggestion).options(joinedload(Suggestion.lead_deputy), joinedload(Suggestion.session),
                                   selectinload(Suggestion.assignments))
        .where(condition).order_by(Suggestion.year.desc(), Suggestion.id.desc()).limit(limit).offset(offset)
    ).all()


def count(filters: PublicFilters) -> int:
    """How many published results match (every page of one search shares it)."""
    return db.session.scalar(select(func.count(Suggestion.id)).where(filters.condition())) or 0


def page(filters: PublicFilters) -> list[PublicResult]:
    """One page of published results, newest first."""
    return _results(_suggestions(filters.condition(), PAGE_SIZE, (filters.page - 1) * PAGE_SIZE))


def listing(filters: PublicFilters) -> list[PublicResult]:
    """The results for the PDF of a filtered list (at most PDF_LIST_LIMIT)."""
    return _results(_suggestions(filters.condition(), PDF_LIST_LIMIT))


def result(suggestion_id: int) -> PublicResult | None:
    """One published suggestion, or None when it is unpublished, confidential or unknown."""
    if not 0 < suggestion_id <= MAX_ID:
        return None
    found = _suggestions(and_(Suggestion.id == suggestion_id, published_suggestions()), 1)
    return _results(found)[0] if found else None


def filter_options() -> dict[str, list[tuple[str, str]]]:
    """The choices offered by the filter form (years from the index's two ends: no scan)."""
    first, last = db.session.execute(select(func.min(Suggestion.year), func.max(Suggestion.year))).one()
    years = range(last, first - 1, -1) if first else []
    sessions = db.session.execute(select(CongressSession.id, CongressSession.name).order_by(CongressSession.opens_on.desc()))
    units = db.session.execute(select(Unit.id, Unit.name).order_by(Unit.name))
    return {
        "year": [(str(y), f"{y}年") for y in years],
        "session": [(str(i), name) for i, name in sessions],
        "category": [(k.value, v) for k, v in CATEGORY_LABELS.items()],
        "unit": [(str(i), name) for i, name in units],
        "reply_category": [(c.value, f"{c.value} 类") for c in ReplyCategory],
    }
