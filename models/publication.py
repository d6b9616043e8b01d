"""Publication of replies (公开): the office's decision per reply and the public page's cache generation."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.people import User
from models.suggestion import Reply, Suggestion


class PublicationStatus:
    PENDING = "pending"
    PUBLISHED = "published"
    NOT_PUBLIC = "not_public"
    WITHDRAWN = "withdrawn"


PUBLICATION_STATUS_LABELS = {
    PublicationStatus.PENDING: "待决定",
    PublicationStatus.PUBLISHED: "已公开",
    PublicationStatus.NOT_PUBLIC: "不予公开",
    PublicationStatus.WITHDRAWN: "已撤回公开",
}


class PublicationMode:
    FULL = "full"
    SUMMARY = "summary"


PUBLICATION_MODE_LABELS = {PublicationMode.FULL: "公开全文", PublicationMode.SUMMARY: "公开摘要"}


class Publication(db.Model):
    """The office's decision on publishing one reply, tracked against the publication deadline."""

    __tablename__ = "publication"
    __table_args__ = (
        Index("ix_publication_status_suggestion", "status", "suggestion_id"),
        Index("ix_publication_status_due", "status", "due_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id"), unique=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=PublicationStatus.PENDING)
    mode: Mapped[str] = mapped_column(String(10), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    # What the office approved, frozen when it decided: the public reads this, never the live reply.
    published_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    published_category: Mapped[str] = mapped_column(String(1), default="", server_default="")
    correction_pending: Mapped[bool] = mapped_column(default=False, server_default="0")  # the unit corrected the reply since
    reason: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date]
    decided_on: Mapped[date | None]
    published_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reply: Mapped[Reply] = relationship()
    suggestion: Mapped[Suggestion] = relationship()
    decided_by: Mapped[User | None] = relationship()

    @property
    def public_text(self) -> str:
        """What the public reads: the text the office approved (the reply in full, or its summary)."""
        return self.published_text

    def __str__(self) -> str:
        return f"{self.suggestion} 的答复公开"


class PublicCacheGeneration(db.Model):
    """One row whose number goes up whenever what the public may see changes (public page cache)."""

    __tablename__ = "public_cache_generation"
    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(default=0)

