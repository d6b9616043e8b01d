"""Grid filters on suggestions that need a sub-query (unit, township, committee, deadlines)."""
from __future__ import annotations

from flask import has_app_context
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from sqlalchemy import exists, select

from domain import states
from domain.clock import today
from domain.rules import Rules
from models import (
    Assignment,
    Committee,
    CongressSession,
    Deputy,
    Suggestion,
    Township,
    Unit,
    db,
)
from web.boundary import MAX_ID


def options_of(model):
    """Options read per request (the grid refreshes them); none while the app is being set up."""

    def options():
        if not has_app_context():
            return []
        return [(str(row.id), row.name) for row in db.session.scalars(select(model).order_by(model.id))]

    return options


class IdFilter(BaseSQLAFilter):
    """A filter on an integer column (an id, a year, a step): the value must be a plausible whole number."""

    def validate(self, value) -> bool:
        text = str(value)
        return text.isascii() and text.isdigit() and int(text) <= MAX_ID

    def clean(self, value):
        return int(value)

    def operation(self):
        return "是"

    def apply(self, query, value, alias=None):
        return query.filter(self.column == value)


class UnitFilter(IdFilter):
    def __init__(self):
        super().__init__(Suggestion.id, "承办单位", options=options_of(Unit))

    def apply(self, query, value, alias=None):
        return query.filter(
            exists().where(Assignment.suggestion_id == Suggestion.id, Assignment.active.is_(True), Assignment.unit_id == value)
        )


class CommitteeFilter(IdFilter):
    def __init__(self):
        super().__init__(Suggestion.id, "联系委室", options=options_of(Committee))

    def apply(self, query, value, alias=None):
        units = select(Unit.id).where(Unit.committee_id == value)
        return query.filter(
            exists().where(Assignment.suggestion_id == Suggestion.id, Assignment.active.is_(True), Assignment.unit_id.in_(units))
        )


class TownshipFilter(IdFilter):
    def __init__(self):
        super().__init__(Suggestion.lead_deputy_id, "领衔代表所在镇街", options=options_of(Township))

    def apply(self, query, value, alias=None):
        return query.filter(Suggestion.lead_deputy_id.in_(select(Deputy.id).where(Deputy.township_id == value)))


class SessionFilter(IdFilter):
    def __init__(self):
        super().__init__(Suggestion.session_id, "届次", options=options_of(CongressSession))

    def apply(self, query, value, alias=None):
        return query.filter(Suggestion.session_id == value)


class _FlagFilter(BaseSQLAFilter):
    def __init__(self, name: str):
        super().__init__(Suggestion.due_on, name, options=[("1", "是")])

    def validate(self, value) -> bool:
        return value == "1"

    def operation(self):
        return ""


class OverdueFilter(_FlagFilter):
    def __init__(self):
        super().__init__("已超期")

    def apply(self, query, value, alias=None):
        return query.filter(states.overdue(today()))


class DueSoonFilter(_FlagFilter):
    def __init__(self):
        super().__init__("临期（7日内到期）")

    def apply(self, query, value, alias=None):
        return query.filter(states.due_soon(today(), Rules.load().amount("due_soon")))
