"""The audit trail, written by a flush listener so that no path can change data unrecorded."""
from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from models import (
    Assignment,
    AuditEntry,
    CalendarDay,
    Commitment,
    Contact,
    Evaluation,
    ExtensionRequest,
    KeyStep,
    KeySupervision,
    Publication,
    Reply,
    ReturnRequest,
    RuleSetting,
    Suggestion,
    SupervisionActivity,
    SupervisionAssignment,
    User,
    db,
)

AUDITED = (
    Suggestion, Assignment, Contact, ExtensionRequest, Reply, Commitment, Evaluation, ReturnRequest,
    RuleSetting, CalendarDay, User, SupervisionAssignment, SupervisionActivity, KeySupervision, KeyStep,
    Publication,
)
IGNORED_FIELDS = {"version", "updated_at", "updated_by_id", "password_hash", "created_at", "recorded_at"}
_INFO_KEY = "audit_operation"


@contextmanager
def operation(actor: User | None, label: str):
    """Label the changes flushed inside the block with who did them and what they were."""
    previous = db.session.info.get(_INFO_KEY)
    db.session.info[_INFO_KEY] = (actor.id if actor else None, label)
    try:
        yield
        db.session.flush()
    finally:
        db.session.info[_INFO_KEY] = previous


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, db.Model):
        return str(value)
    return value


def _changes(obj, is_new: bool) -> dict[str, list]:
    state = inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        if attr.key in IGNORED_FIELDS:
            continue
        history = state.attrs[attr.key].history
        if is_new:
            if history.added and history.added[0] not in (None, ""):
                changes[attr.key] = [None, _plain(history.added[0])]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = [_plain(old), _plain(new)]
    return changes


def _actor_and_label(session: Session, is_new: bool) -> tuple[int | None, str]:
    operation_info = session.info.get(_INFO_KEY)
    if operation_info:
        return operation_info
    actor_id = None
    if has_request_context() and current_user and current_user.is_authenticated:
        actor_id = current_user.id
    return actor_id, "新建" if is_new else "编辑"


def _suggestion_id(obj) -> int | None:
    if isinstance(obj, Suggestion):
        return obj.id
    if isinstance(obj, Commitment):
        return obj.reply.suggestion_id if obj.reply else None
    return getattr(obj, "suggestion_id", None)


def _object_id(obj) -> int | None:
    return getattr(obj, "id", None)


@event.listens_for(Session, "after_flush")
def _record(session: Session, flush_context) -> None:
    entries = []
    for obj, is_new in [(o, True) for o in session.new] + [(o, False) for o in session.dirty]:
        if not isinstance(obj, AUDITED):
            continue
        changes = _changes(obj, is_new)
        if not changes:
            continue
        actor_id, label = _actor_and_label(session, is_new)
        entries.append(
            {
                "user_id": actor_id,
                "suggestion_id": _suggestion_id(obj),
                "object_type": type(obj).__name__,
                "object_id": _object_id(obj),
                "action": label,
                "changes": json.dumps(changes, ensure_ascii=False, default=str),
            }
        )
    if entries:
        session.connection().execute(AuditEntry.__table__.insert(), entries)
