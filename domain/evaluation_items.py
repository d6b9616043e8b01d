"""The attitude and implementation rounds of the three evaluations, as annual assessment items.

Imported once at start-up (app.py).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select

from domain import assessment, satisfaction
from domain.assessment import count_if, register_item
from models.enums import EvaluationLevel

SATISFIED = (EvaluationLevel.SATISFIED.value, EvaluationLevel.BASICALLY_SATISFIED.value)


def _satisfaction_item(kind: str):
    def query(year: int, as_of: date) -> Select:
        source = satisfaction.levels(kind, year)
        return (
            select(source.c.unit_id, count_if(source.c.level.in_(SATISFIED)), func.count())
            .select_from(source).group_by(source.c.unit_id)
        )

    return query


register_item("attitude_satisfaction", "满意或基本满意", "态度评价")(_satisfaction_item("attitude"))
register_item("implementation_satisfaction", "已落实或部分落实", "承诺事项落实评价")(_satisfaction_item("implementation"))
for code in ("attitude_satisfaction", "implementation_satisfaction"):
    assessment.PENDING_ITEMS.pop(code, None)
