"""Deadline rules as data: defaults from domain.md, overridable in the RuleSetting table."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from domain.workdays import WorkCalendar, add_months
from models import RuleSetting, db

WORKING_DAYS = "working_days"
DAYS = "days"
MONTHS = "months"
MONTH_DAY = "month_day"  # a day of each year written as MMDD, e.g. 1101 for 1 November
RULE_UNIT_LABELS = {WORKING_DAYS: "工作日", DAYS: "自然日", MONTHS: "个月", MONTH_DAY: "每年月日（MMDD）"}


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    amount: int
    unit: str


DEFAULT_RULES = [
    Rule("pre_submission_opens", "预交窗口：会前开放（月）", 2, MONTHS),
    Rule("pre_submission_closes", "预交窗口：会前截止（自然日）", 15, DAYS),
    Rule("recess_assign", "闭会建议交办时限（一般）", 5, WORKING_DAYS),
    Rule("recess_assign_urgent", "闭会建议交办时限（紧急）", 2, WORKING_DAYS),
    Rule("return_request", "承办单位申请退回时限", 7, WORKING_DAYS),
    Rule("co_handler_opinion", "协办单位书面意见时限", 1, MONTHS),
    Rule("reply", "答复代表时限", 3, MONTHS),
    Rule("reply_with_extension", "经批准延期后的最长答复时限", 6, MONTHS),
    Rule("recess_reply", "闭会建议答复时限（一般）", 15, WORKING_DAYS),
    Rule("recess_reply_urgent", "闭会建议答复时限（紧急）", 7, WORKING_DAYS),
    Rule("rehandling_reply", "不满意重办后再次答复时限", 1, MONTHS),
    Rule("publication", "答复后公开时限", 20, WORKING_DAYS),
    Rule("due_soon", "临期提醒（自然日）", 7, DAYS),
    Rule("contact_before_handling", "办理前沟通：交办后多久内", 1, MONTHS),
    Rule("implementation_evaluation_opens", "承诺事项落实评价开始日（如 1101 即11月1日）", 1101, MONTH_DAY),
    Rule("implementation_evaluation_closes", "承诺事项落实评价截止日（如 1231 即12月31日）", 1231, MONTH_DAY),
]
DEFAULTS = {rule.key: rule for rule in DEFAULT_RULES}


class Rules:
    """The rule values in force, read once per operation."""

    def __init__(self, rules: dict[str, Rule], calendar: WorkCalendar) -> None:
        self.rules = rules
        self.calendar = calendar

    @classmethod
    def load(cls) -> Rules:
        rules = dict(DEFAULTS)
        for row in db.session.scalars(select(RuleSetting)):
            rules[row.key] = Rule(row.key, row.label, row.amount, row.unit)
        return cls(rules, WorkCalendar.load())

    def due(self, key: str, start: date) -> date:
        rule = self.rules[key]
        if rule.unit == WORKING_DAYS:
            return self.calendar.add_working_days(start, rule.amount)
        if rule.unit == MONTHS:
            return add_months(start, rule.amount)
        return start + timedelta(days=rule.amount)

    def amount(self, key: str) -> int:
        return self.rules[key].amount

    def day_in_year(self, key: str, year: int) -> date:
        """A MONTH_DAY rule as a date of the given year."""
        return month_day(self.rules[key].amount, year)


def month_day(amount: int, year: int) -> date:
    """1101 → 1 November of `year`; raises ValueError for an impossible day."""
    return date(year, amount // 100, amount % 100)


def seed_rule_settings() -> None:
    """Write the default rules as editable rows where none exist yet."""
    existing = set(db.session.scalars(select(RuleSetting.key)))
    for rule in DEFAULT_RULES:
        if rule.key not in existing:
            db.session.add(RuleSetting(key=rule.key, label=rule.label, amount=rule.amount, unit=rule.unit))
    db.session.flush()
