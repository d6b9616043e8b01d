"""Publication of replies (公开): the office decides for each reply, within the publication deadline.

Every reply gets a pending Publication when it is recorded (a flush listener, so no path can
skip it), due `publication` working days after the reply. The office publishes it in full or as
an approved summary, or decides not to publish it with a reason; a publication can be withdrawn
with a reason. What the office approved is frozen on the publication: the public reads that text and
category, never the live reply. A unit's later correction of the reply leaves the approved text public
and asks the office to decide again. Every change bumps the public cache generation so the public
page drops stale copies.
"""
from __future__ import annotations

import sys
from datetime import date

from sqlalchemy import ColumnElement, and_, event, exists, inspect, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from domain import actions, audit
from domain.actions import action
from domain.errors import require
from domain.rules import Rules
from models import (
    Assignment,
    CongressSession,
    Deputy,
    KeyStep,
    KeySupervision,
    Publication,
    PublicationMode,
    PublicationStatus,
    PublicCacheGeneration,
    Reply,
    Suggestion,
    Unit,
    User,
    db,
)
from models.base import utcnow
from models.enums import Role

# Changes to these objects may change what the public page shows.
PUBLIC_SOURCES = (Publication, Reply, Suggestion, Deputy, Unit, Assignment, KeySupervision, KeyStep, CongressSession)


def _check_office(actor: User) -> None:
    require(actor.has_role(Role.OFFICE), "只有代表工委可以决定答复是否公开。")


def _check_publishable(publication: Publication) -> None:
    require(publication.reply.voided_reason == "", "该答复已作废，不能公开。")
    require(not publication.suggestion.confidential, "该建议已标记为涉密/不公开，不能公开。")


def _decide(actor: User, publication: Publication, status: str, today: date) -> None:
    publication.status = status
    publication.decided_on = today
    publication.decided_by_id = actor.id
    publication.decided_at = utcnow()


def publish(actor: User, publication: Publication, today: date, summary: str | None = None) -> None:
    """Publish the reply in full, or (with a summary) its approved summary; the approved text is frozen."""
    _check_office(actor)
    require(publication.status != PublicationStatus.PUBLISHED or publication.correction_pending,
            "该答复已公开（答复单位未更正答复，无需再次决定）。")
    _check_publishable(publication)
    require(summary is None or bool(summary.strip()), "公开摘要时须填写经审定的摘要。")
    with audit.operation(actor, "公开答复" if summary is None else "公开答复摘要"):
        _decide(actor, publication, PublicationStatus.PUBLISHED, today)
        publication.mode = PublicationMode.FULL if summary is None else PublicationMode.SUMMARY
        publication.summary = "" if summary is None else summary.strip()
        publication.published_text = publication.reply.text if summary is None else summary.strip()
        publication.published_category = publication.reply.reply_category
        publication.correction_pending = False
        publication.published_on = today
        publication.reason = ""


def publish_full(actor: User, publication: Publication, today: date) -> None:
    publish(actor, publication, today)


def publish_summary(actor: User, publication: Publication, summary: str, today: date) -> None:
    publish(actor, publication, today, summary=summary)


def reopen_after_correction(reply: Reply) -> None:
    """A corrected reply needs a new decision; until then the public keeps reading the approved text."""
    publication = db.session.scalar(select(Publication).where(Publication.reply_id == reply.id))
    if publication is not None and publication.status != PublicationStatus.PENDING:
        publication.correction_pending = True


def decline(actor: User, publication: Publication, reason: str, today: date) -> None:
    """Decide not to publish a reply (不予公开); the reason is kept, never shown to the public."""
    _check_office(actor)
    require(publication.status == PublicationStatus.PENDING, "只有待决定的答复可以决定不予公开；已公开的请撤回。")
    require(bool(reason.strip()), "不予公开须说明理由。")
    with audit.operation(actor, "决定不予公开"):
        _decide(actor, publication, PublicationStatus.NOT_PUBLIC, today)
        publication.correction_pending = False
        publication.reason = reason.strip()


def withdraw(actor: User, publication: Publication, reason: str, today: date) -> None:
    """Take a published reply off the public page, with a reason."""
    _check_office(actor)
    require(publication.status == PublicationStatus.PUBLISHED, "只有已公开的答复可以撤回公开。")
    require(bool(reason.strip()), "撤回公开须说明理由。")
    with audit.operation(actor, "撤回公开"):
        _decide(actor, publication, PublicationStatus.WITHDRAWN, today)
        publication.correction_pending = False
        publication.reason = reason.strip()


# --- the deadline ---------------------------------------------------------------------


def late(today: date) -> ColumnElement[bool]:
    """Publications past the deadline: still undecided after it, or published after it."""
    return or_(
        and_(Publication.status == PublicationStatus.PENDING, Publication.due_on < today),
        and_(Publication.published_on.isnot(None), Publication.published_on > Publication.due_on),
    )


def is_late(publication: Publication, today: date) -> bool:
    if publication.status == PublicationStatus.PENDING:
        return publication.due_on < today
    return publication.published_on is not None and publication.published_on > publication.due_on


# --- what the public may see ----------------------------------------------------------


def published_replies() -> ColumnElement[bool]:
    """Publications the public may read: published, reply not voided, suggestion not confidential."""
    return and_(
        Publication.status == PublicationStatus.PUBLISHED,
        Publication.reply_id.in_(select(Reply.id).where(Reply.voided_reason == "")),
        Publication.suggestion_id.in_(select(Suggestion.id).where(Suggestion.confidential.is_(False))),
    )


def published_suggestions() -> ColumnElement[bool]:
    """A WHERE clause on Suggestion: the suggestions with at least one reply the public may read.

    A voided reply's publication is withdrawn in the same flush (below), so the status alone tells.
    """
    return and_(
        Suggestion.confidential.is_(False),
        exists().where(Publication.suggestion_id == Suggestion.id, Publication.status == PublicationStatus.PUBLISHED),
    )


# --- a pending publication for every new reply; the public cache generation ------------


def _open_publications(session: Session, replies: list[Reply]) -> None:
    with session.no_autoflush:
        rules = Rules.load()
        for reply in replies:
            suggestion_id = reply.suggestion.id if reply.suggestion is not None else reply.suggestion_id
            session.add(Publication(reply=reply, suggestion_id=suggestion_id, due_on=rules.due("publication", reply.replied_on)))


def bump_public_generation(connection) -> None:
    """Tell every process that the public page's cached copies are stale."""
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(PublicCacheGeneration).values(id=1, generation=1).on_conflict_do_update(
        index_elements=[PublicCacheGeneration.id], set_={"generation": PublicCacheGeneration.generation + 1}
    )
    connection.execute(statement)


def current_public_generation() -> int:
    return db.session.scalar(select(PublicCacheGeneration.generation).where(PublicCacheGeneration.id == 1)) or 0


def _withdraw_voided(session: Session, replies: list[Reply]) -> None:
    """A published reply that is voided leaves the public page with it."""
    with session.no_autoflush:
        for reply in replies:
            publication = session.scalar(select(Publication).where(Publication.reply_id == reply.id))
            if publication is not None and publication.status == PublicationStatus.PUBLISHED:
                publication.status = PublicationStatus.WITHDRAWN
                publication.reason = f"答复已作废：{reply.voided_reason}"
                publication.decided_at = utcnow()


def _newly_voided(reply: Reply) -> bool:
    return bool(inspect(reply).attrs.voided_reason.history.added) and bool(reply.voided_reason)


def _before_flush(session: Session, flush_context, instances) -> None:
    new_replies = [obj for obj in session.new if isinstance(obj, Reply)]
    if new_replies:
        _open_publications(session, new_replies)
    voided = [obj for obj in session.dirty if isinstance(obj, Reply) and _newly_voided(obj)]
    if voided:
        _withdraw_voided(session, voided)


def _after_flush(session: Session, flush_context) -> None:
    """Any change (deletes included) to what a public page is made of makes every cached page stale."""
    touched = [obj for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, PUBLIC_SOURCES)]
    if any(obj in session.new or obj in session.deleted or session.is_modified(obj) for obj in touched):
        bump_public_generation(session.connection())


def listen() -> None:
    for name, listener in (("before_flush", _before_flush), ("after_flush", _after_flush)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


PUBLICATION_ACTIONS = {
    "publish_full": action("公开全文", {Role.OFFICE}, bulk=True, target=Publication, confirm="确定公开所选答复的全文吗？"),
    "publish_summary": action("公开摘要", {Role.OFFICE}, form="summary", target=Publication),
    "decline": action("不予公开", {Role.OFFICE}, form="reason", bulk=True, target=Publication),
    "withdraw": action("撤回公开", {Role.OFFICE}, form="reason", bulk=True, target=Publication),
}
ACTIONS = actions.bind(sys.modules[__name__], PUBLICATION_ACTIONS)
