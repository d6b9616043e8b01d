"""Deadline arithmetic on the official calendar, across the 2025 and 2026 holidays."""
from datetime import date

import pytest

from domain.rules import Rules, seed_rule_settings
from domain.workdays import WorkCalendar, add_months
from models import CalendarDay, RuleSetting, db


@pytest.mark.parametrize(
    "start, count, expected",
    [
        # 2025 National Day and Mid-Autumn: 10-01..10-08 off, Sun 09-28 and Sat 10-11 worked.
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        (date(2025, 9, 30), 1, date(2025, 10, 9)),
        (date(2025, 9, 30), 3, date(2025, 10, 11)),
        # 2025 Spring Festival: 01-28..02-04 off, Sun 01-26 and Sat 02-08 worked.
        (date(2025, 1, 24), 1, date(2025, 1, 26)),
        (date(2025, 1, 27), 1, date(2025, 2, 5)),
        # 2026 New Year: 01-01..01-03 off, Sun 01-04 worked.
        (date(2025, 12, 31), 1, date(2026, 1, 4)),
        # 2026 Spring Festival: 02-15..02-23 off, Sat 02-14 and Sat 02-28 worked.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        # A recess suggestion assigned 2026-02-10 is due 15 working days later, after the holiday.
        (date(2026, 2, 10), 15, date(2026, 3, 9)),
        # 2026 May Day: 05-01..05-05 off, Sat 05-09 worked.
        (date(2026, 4, 30), 5, date(2026, 5, 11)),
        # 2026 National Day: 10-01..10-07 off, Sat 10-10 worked.
        (date(2026, 9, 30), 2, date(2026, 10, 9)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
    ],
)
def test_working_days_follow_the_official_calendar(start, count, expected):
    assert WorkCalendar().add_working_days(start, count) == expected


def test_working_days_between_counts_only_working_days():
    # 2026-02-13 (Fri) → 2026-02-24 (Tue): 02-14 (adjusted Sat) and 02-24.
    assert WorkCalendar().working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2


def test_office_override_changes_the_calendar():
    db.session.add(CalendarDay(day=date(2026, 3, 2), is_workday=False, note="临时调整"))
    db.session.commit()
    assert WorkCalendar.load().add_working_days(date(2026, 2, 27), 2) == date(2026, 3, 3)
    assert WorkCalendar().add_working_days(date(2026, 2, 27), 2) == date(2026, 3, 2)


def test_years_the_package_does_not_know_fall_back_to_weekends():
    assert WorkCalendar().add_working_days(date(2031, 1, 3), 1) == date(2031, 1, 6)


def test_calendar_months_clamp_to_the_end_of_month():
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_rule_values_are_data_the_office_can_change():
    seed_rule_settings()
    db.session.commit()
    assert Rules.load().due("recess_reply", date(2026, 2, 10)) == date(2026, 3, 9)
    setting = db.session.scalar(db.select(RuleSetting).where(RuleSetting.key == "recess_reply"))
    setting.amount = 10
    db.session.commit()
    assert Rules.load().due("recess_reply", date(2026, 2, 10)) == date(2026, 3, 2)
    assert Rules.load().due("reply", date(2026, 2, 2)) == date(2026, 5, 2)
