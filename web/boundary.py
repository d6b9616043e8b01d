"""The request boundary: request → domain operation → one commit (after indico's request handler).

Views never write. They hand the acting user to a domain operation through `perform` (one operation)
or `run` (one declared action on the selected rows: each row in its own savepoint, so that a refused
row changes nothing while the others go through). Either way the request commits once, and every
refusal — a rule of the domain, a stale form, a duplicate caught by the database — reaches the user as a
Chinese message, never as an internal error.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from flask import flash
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from domain import access, audit
from domain.actions import BoundAction
from domain.clock import today
from domain.errors import WorkflowError
from models import db

MAX_ID = 2**31 - 1
STALE = "保存未成功：该记录刚被其他用户修改，您的内容没有保存。请重新打开本页核对后再保存。"
DUPLICATE = "保存未成功：内容与已有记录重复，或引用的记录已不存在。您的内容没有保存，请核对后重试。"


def actor():
    """The signed-in user as a plain object (never the proxy) for the domain."""
    return current_user._get_current_object()


def bind_actor() -> None:
    """Before each request: the signed-in user is the actor, and every change must come from a domain operation."""
    audit.bind_actor(db.session, current_user.id if current_user.is_authenticated else None)


def unbind_actor(error=None) -> None:
    audit.unbind_actor(db.session)


def begin_write() -> None:
    """Open the write transaction now. On SQLite, BEGIN IMMEDIATE takes the write lock before the rows to
    change are read, and makes savepoints part of the one transaction (pysqlite would otherwise begin it
    only at the first write, and releasing a first savepoint would commit)."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def refusal(error: Exception) -> str:
    """The Chinese message for an operation refused by the domain or by the database."""
    if isinstance(error, WorkflowError):
        return str(error)
    if isinstance(error, StaleDataError):
        return STALE
    return DUPLICATE


REFUSALS = (WorkflowError, StaleDataError, IntegrityError)


def perform(operation: Callable, *, done: str | None = None):
    """Run one domain operation for the signed-in user and commit; on refusal roll back and say why.
    Returns the operation's result, or None when it was refused."""
    try:
        begin_write()
        result = operation(actor())
        db.session.commit()
    except REFUSALS as error:
        db.session.rollback()
        flash(refusal(error), "danger")
        return None
    if done:
        flash(done, "success")
    return True if result is None else result


def parse_ids(values: Iterable) -> list[int]:
    """The selected row ids that are plausible numbers; anything else is ignored."""
    ids = []
    for value in values:
        text = str(value).strip()
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID and int(text) not in ids:
            ids.append(int(text))
    return ids


def targets(user, bound: BoundAction, ids: Iterable[int]) -> list:
    """The rows an action may be applied to: those among `ids` inside the user's row-level scope."""
    model = bound.target
    return db.session.scalars(access.scoped(user, model, ids).order_by(model.id)).all()


def foreseen_refusals(user, bound: BoundAction, rows) -> dict[int, str]:
    """Rows the action cannot apply to as they stand (role or state), with the reason, before anything is sent."""
    refused = {}
    for row in rows:
        try:
            bound.check(user, row)
        except WorkflowError as error:
            refused[row.id] = str(error)
    return refused


@dataclass
class Report:
    label: str
    done: list = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)
    missing: int = 0

    def message(self) -> str:
        text = f"{self.label}：{len(self.done)} 件已完成"
        not_done = len(self.refused) + self.missing
        if not_done:
            reasons = [f"{_name(row)}：{reason}" for row, reason in self.refused]
            if self.missing:
                reasons.append(f"{self.missing} 件所选记录不存在或您无权访问")
            text += f"；{not_done} 件未办理：" + "；".join(reasons)
        return text + "。"

    def flash(self) -> None:
        flash(self.message(), "success" if self.done and not (self.refused or self.missing) else
              ("warning" if self.done else "danger"))


def _name(row) -> str:
    suggestion = getattr(row, "suggestion", None)
    return str(suggestion if suggestion is not None else row)


def run(bound: BoundAction, ids: Iterable[int], arguments: Mapping | Callable = None) -> Report:
    """Apply a declared action to the selected rows in the user's scope, each in its own savepoint, and commit once.
    `arguments` is the form's values, or a function of the row giving them."""
    user, ids = actor(), list(ids)
    begin_write()
    report = Report(bound.label)
    rows = targets(user, bound, ids)
    report.missing = len(ids) - len(rows)
    for row in rows:
        try:
            values = arguments(row) if callable(arguments) else (arguments or {})
            with db.session.begin_nested():
                bound.check(user, row)
                bound.perform(user, row, values, today())
            report.done.append(row)
        except REFUSALS as error:
            report.refused.append((row, refusal(error)))
    try:
        db.session.commit()
    except REFUSALS as error:
        db.session.rollback()
        report.refused = [(row, refusal(error)) for row in report.done] + report.refused
        report.done = []
    return report

