"""The statistics dashboard: a year or a session at a glance, over the suggestions the user may see."""
from __future__ import annotations

from flask import request
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import func, select

from admin.base import ALL_STAFF, StaffView
from domain import statistics
from domain.clock import today
from models import CongressSession, Suggestion, db


def known_years() -> list[int]:
    """Every year from the newest suggestion's back to the oldest's (two index look-ups, no scan)."""
    first, last = db.session.execute(select(func.min(Suggestion.year), func.max(Suggestion.year))).one()
    return list(range(last, first - 1, -1)) if first else []


def chosen_year(args, years: list[int]) -> int:
    """The year asked for, if it is a plausible number; otherwise this year (or the latest year with data)."""
    value = args.get("year", "")
    if value.isdigit() and len(value) == 4:
        return int(value)
    return today().year if not years or today().year in years else years[0]


def chosen_session(args, sessions: list[CongressSession]) -> CongressSession | None:
    value = args.get("session", "")
    return next((s for s in sessions if str(s.id) == value), None)


class StatisticsView(StaffView):
    roles = ALL_STAFF

    @expose("/")
    def index(self):
        years = known_years()
        sessions = list(db.session.scalars(select(CongressSession).order_by(CongressSession.opens_on.desc())))
        session = chosen_session(request.args, sessions)
        year = session.year if session else chosen_year(request.args, years)
        figures = statistics.dashboard(current_user, year=year, session_id=session.id if session else None, today=today())
        return self.render("admin/statistics.html", figures=figures, years=years or [year], year=year,
                           sessions=sessions, session=session, target=statistics.TARGET_RATE)

