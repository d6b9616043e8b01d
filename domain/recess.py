"""The recess through-train (闭会建议直通车): deadlines by supervision class and the timeliness measure."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select

from domain import actions, audit, states
from domain.actions import action
from domain.errors import require
from domain.rules import Rules
from models import Reply, Suggestion, User, db
from models.drafting import SUPERVISION_CLASS_LABELS, SupervisionClass
from models.enums import Role, Source, State


def rule_key(suggestion: Suggestion, base: str) -> str:
    """The deadline rule of a recess suggestion's class: `recess_assign` or `recess_assign_urgent`, …"""
    return f"{base}_urgent" if suggestion.supervision_class == SupervisionClass.URGENT else base


def set_supervision_class(actor: User, suggestion: Suggestion, supervision_class: str, rules: Rules | None = None) -> None:
    """The office classes a recess suggestion; its running deadline follows the class's rule."""
    require(actor.has_role(Role.OFFICE), "只有代表工委可以设置督办类别。")
    require(suggestion.source == Source.RECESS, "只有闭会建议（直通车）分类督办。")
    require(supervision_class in set(SupervisionClass), "请选择督办类别（紧急或一般）。")
    rules = rules or Rules.load()
    with audit.operation(actor, f"设为{SUPERVISION_CLASS_LABELS[SupervisionClass(supervision_class)]}督办"):
        suggestion.supervision_class = supervision_class
        suggestion.updated_by_id = actor.id
        if suggestion.state == State.SUBMITTED and suggestion.received_on:
            suggestion.assign_due_on = rules.due(rule_key(suggestion, "recess_assign"), suggestion.received_on)
        elif suggestion.assigned_on and suggestion.state in (State.ASSIGNED, State.HANDLING):
            suggestion.reply_due_on = rules.due(rule_key(suggestion, "recess_reply"), suggestion.assigned_on)
        states.sync_deadline(suggestion)


@dataclass(frozen=True)
class Timeliness:
    """How many recess suggestions were assigned and replied to on time, of those whose deadline has come."""

    assign_due: int
    assigned_on_time: int
    reply_due: int
    replied_on_time: int

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def assigned_share(self) -> float | None:
        return self._share(self.assigned_on_time, self.assign_due)

    @property
    def replied_share(self) -> float | None:
        return self._share(self.replied_on_time, self.reply_due)


def timeliness(year: int, today: date, supervision_class: str | None = None) -> Timeliness:
    """One SQL aggregate over the year's numbered recess suggestions (optionally of one class)."""
    first_reply = (
        select(Reply.suggestion_id, func.min(Reply.replied_on).label("replied_on"))
        .where(Reply.round == 1, Reply.voided_reason == "")
        .group_by(Reply.suggestion_id)
        .subquery()
    )
    assigned = Suggestion.assigned_on.isnot(None)
    replied = first_reply.c.replied_on.isnot(None)

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    conditions = [
        Suggestion.source == Source.RECESS, Suggestion.year == year, Suggestion.number.isnot(None),
        Suggestion.state.notin_(states.LEFT_THE_PROCESS),
    ]
    if supervision_class:
        conditions.append(Suggestion.supervision_class == supervision_class)
    row = db.session.execute(
        select(
            count(assigned | (Suggestion.assign_due_on < today)),
            count(and_(assigned, Suggestion.assigned_on <= Suggestion.assign_due_on)),
            count(and_(assigned, replied | (Suggestion.reply_due_on < today))),
            count(and_(replied, first_reply.c.replied_on <= Suggestion.reply_due_on)),
        )
        .select_from(Suggestion)
        .outerjoin(first_reply, first_reply.c.suggestion_id == Suggestion.id)
        .where(*conditions)
    ).one()
    return Timeliness(*(int(value) for value in row))


RECESS_ACTIONS = {
    "set_supervision_class": action("设置督办类别", {Role.OFFICE}, states.DEADLINE_RUNNING, form="supervision_class"),
}
ACTIONS = actions.bind(sys.modules[__name__], RECESS_ACTIONS)
