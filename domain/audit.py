"""The audit trail, written by a flush listener so that no path can change data unrecorded.

Every model is audited — creations, changes (old → new), changes of linked collections (co-signers,
role grants), and deletes should one ever happen — except the mechanical tables in NOT_AUDITED. Personal
data (phone and ID numbers, addresses) and secrets are never copied into the trail: it records that
they changed, not what to. The actor is the one named by `operation`, else the one the request
boundary bound to the session. Inside a request every change must come from a named domain operation:
a flush of audited changes outside one is refused (OutsideOperation), so no view can write around the domain.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from domain.clock import local
from domain.errors import StaleError
from models import (
    AuditEntry,
    NumberCounter,
    OutboxAttempt,
    PublicCacheGeneration,
    Suggestion,
    TextFingerprint,
    User,
    db,
)
from models.base import utcnow

NOT_AUDITED = (AuditEntry, OutboxAttempt, TextFingerprint, NumberCounter, PublicCacheGeneration)
IGNORED_FIELDS = {"version", "updated_at", "updated_by_id", "created_at", "recorded_at", "granted_at"}
MASKED_FIELDS = {"password_hash", "phone", "id_number", "address"}
MASK = "（已修改，内容不记入日志）"
_OPERATION_KEY = "audit_operation"
_ACTOR_KEY = "audit_actor"
_REQUEST_KEY = "audit_in_request"


class OutsideOperation(RuntimeError):
    """A request tried to change data without going through a domain operation (a programming error)."""


@contextmanager
def operation(actor: User | None, label: str):
    """Label the changes flushed inside the block with who did them and what they were."""
    previous = db.session.info.get(_OPERATION_KEY)
    db.session.info[_OPERATION_KEY] = (actor.id if actor else None, label)
    try:
        yield
        db.session.flush()
    finally:
        db.session.info[_OPERATION_KEY] = previous


def bind_actor(session: Session, actor_id: int | None) -> None:
    """The user on whose behalf the session works in this request (set by the request boundary)."""
    session.info[_ACTOR_KEY] = actor_id
    session.info[_REQUEST_KEY] = True


def unbind_actor(session: Session) -> None:
    session.info.pop(_ACTOR_KEY, None)
    session.info.pop(_REQUEST_KEY, None)


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, db.Model):
        return str(value)
    return value


def _value(key: str, value):
    return MASK if key in MASKED_FIELDS and value not in (None, "") else _plain(value)


def _column_changes(state, kind: str) -> dict[str, list]:
    changes = {}
    for attr in state.mapper.column_attrs:
        if attr.key in IGNORED_FIELDS:
            continue
        history = state.attrs[attr.key].history
        if kind == "new":
            added = history.added[0] if history.added else None
            if added not in (None, ""):
                changes[attr.key] = [None, _value(attr.key, added)]
        elif kind == "deleted":
            old = history.unchanged[0] if history.unchanged else (history.deleted[0] if history.deleted else None)
            if old not in (None, ""):
                changes[attr.key] = [_value(attr.key, old), None]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = [_value(attr.key, old), _value(attr.key, new)]
    return changes


def _collection_changes(state) -> dict[str, list]:
    """Linked collections (co-signers, leaders, role grants): the names before and after."""
    changes = {}
    for relationship in state.mapper.relationships:
        if not relationship.uselist or relationship.viewonly:
            continue
        history = state.attrs[relationship.key].history
        if not (history.added or history.deleted):
            continue
        before = sorted(str(o) for o in (*history.unchanged, *history.deleted) if _counts(o))
        after = sorted(str(o) for o in (*history.unchanged, *history.added) if _counts(o))
        if before != after:
            changes[relationship.key] = ["、".join(before), "、".join(after)]
    return changes


def _counts(obj) -> bool:
    """A revoked role grant is kept as a row but no longer counts."""
    return getattr(obj, "revoked_at", None) is None


def _actor_and_label(session: Session, kind: str) -> tuple[int | None, str]:
    operation_info = session.info.get(_OPERATION_KEY)
    if operation_info:
        return operation_info
    if session.info.get(_REQUEST_KEY):
        raise OutsideOperation("a request changed data outside a domain operation")
    return session.info.get(_ACTOR_KEY), {"new": "新建", "dirty": "编辑", "deleted": "删除"}[kind]


def _suggestion_id(obj) -> int | None:
    if isinstance(obj, Suggestion):
        return obj.id
    if hasattr(obj, "suggestion_id"):
        return obj.suggestion_id
    reply = getattr(obj, "reply", None)  # commitments, corrections
    return reply.suggestion_id if reply is not None else None


def _entries(session: Session, objects, kind: str) -> list[dict]:
    entries = []
    for obj in objects:
        if isinstance(obj, NOT_AUDITED):
            continue
        state = inspect(obj)
        changes = _column_changes(state, kind)
        if kind == "dirty":
            changes |= _collection_changes(state)
        if not changes and kind != "deleted":
            continue
        actor_id, label = _actor_and_label(session, kind)
        entries.append({
            "user_id": actor_id, "suggestion_id": _suggestion_id(obj), "object_type": type(obj).__name__,
            "object_id": getattr(obj, "id", None), "action": label if kind != "deleted" else f"删除（{label}）",
            "changes": json.dumps(changes, ensure_ascii=False, default=str), "at": utcnow(),
        })
    return entries


def _record(session: Session, flush_context) -> None:
    entries = (_entries(session, session.new, "new") + _entries(session, session.dirty, "dirty")
               + _entries(session, session.deleted, "deleted"))
    if entries:
        session.connection().execute(AuditEntry.__table__.insert(), entries)


def listen() -> None:
    if not event.contains(Session, "after_flush", _record):
        event.listen(Session, "after_flush", _record)


def mark_changed_by(obj, actor: User) -> None:
    """Record who changed the row, if anything changed at all (an unchanged save writes nothing)."""
    if db.session.is_modified(obj):
        obj.updated_by_id = actor.id


# --- who changed a record last (for refusing a stale form) -------------------------------------------------


def last_change(obj) -> AuditEntry | None:
    return db.session.scalar(
        select(AuditEntry).where(AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id)
        .order_by(AuditEntry.id.desc()).limit(1)
    )


def stale_message(obj) -> str:
    entry = last_change(obj)
    who = entry.user.display_name if entry and entry.user else "其他用户"
    when = local(entry.at).strftime("%Y-%m-%d %H:%M") if entry else "刚才"
    return (f"保存未成功：该记录已被{who}于{when}修改。为避免覆盖他人的修改，您的内容没有保存，"
            "仍保留在下方表单中；请复制您的修改后重新打开本页再保存。")


def check_unchanged(obj, expected_version) -> None:
    """Refuse a form opened on an older version of the record (optimistic locking)."""
    if expected_version is not None and str(obj.version) != str(expected_version).strip():
        raise StaleError(stale_message(obj))
