"""Working-day arithmetic on the official Chinese calendar (holidays and 调休 included).

The built-in data comes from the chinesecalendar package; the office can add or correct
days in the CalendarDay table (e.g. a year the package does not know yet).
"""
from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from models import CalendarDay, db


class WorkCalendar:
    def __init__(self, overrides: dict[date, bool] | None = None) -> None:
        self.overrides = overrides or {}

    @classmethod
    def load(cls) -> WorkCalendar:
        rows = db.session.execute(select(CalendarDay.day, CalendarDay.is_workday)).all()
        return cls({day: is_workday for day, is_workday in rows})

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # outside the package's years: weekends only
            return day.weekday() < 5

    def add_working_days(self, start: date, count: int) -> date:
        """The count-th working day after start (start itself is not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after start up to and including end."""
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(days=n)))


def add_months(start: date, months: int) -> date:
    """Same day of the month, months later (clamped to the month's end)."""
    return start + relativedelta(months=months)
