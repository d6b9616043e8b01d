"""Rules and calendar data that the office edits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Versioned, db


class RuleSetting(Versioned, db.Model):
    """One configurable deadline rule: an amount of working days, calendar days or months."""

    __tablename__ = "rule_setting"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    amount: Mapped[int]
    unit: Mapped[str] = mapped_column(String(20))  # working_days | days | months

    def __str__(self) -> str:
        return self.label


class CalendarDay(Versioned, db.Model):
    """An official holiday or adjusted working day (调休) that overrides the built-in calendar."""

    __tablename__ = "calendar_day"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(String(60), default="")
