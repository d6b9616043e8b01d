"""Which suggestions are overdue or due soon, as SQL conditions (used by grids, home page, reports)."""
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_

from domain.rules import Rules
from models import Suggestion
from models.enums import OPEN_STATES


def overdue(today: date) -> ColumnElement[bool]:
    return and_(Suggestion.state.in_(OPEN_STATES), Suggestion.due_on < today)


def due_soon(today: date, rules: Rules | None = None) -> ColumnElement[bool]:
    """Open suggestions whose deadline falls within the next `due_soon` days (default 7)."""
    days = (rules or Rules.load()).amount("due_soon")
    return and_(
        Suggestion.state.in_(OPEN_STATES), Suggestion.due_on >= today, Suggestion.due_on <= today + timedelta(days=days)
    )
