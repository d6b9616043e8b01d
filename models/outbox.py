"""Notices to deputies and units: editable templates, the outbox, and each delivery attempt."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Versioned, db, utcnow


class MessageTemplate(Versioned, db.Model):
    """The Chinese text of one kind of notice, with {placeholders}; edited by the office."""

    __tablename__ = "message_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)

    def __str__(self) -> str:
        return self.label


class OutboxMessage(db.Model):
    """One message to one address, written in the same transaction as its event and sent later by the sender."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(160), unique=True)  # one message per event, reminder and channel
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)  # sent to the provider
    template_key: Mapped[str] = mapped_column(String(40), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # sms | email
    recipient: Mapped[str] = mapped_column(String(120))  # the person's or unit's name
    address: Mapped[str] = mapped_column(String(120))  # phone number or e-mail address
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("suggestion.id"), index=True)
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("deputy.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    provider: Mapped[str] = mapped_column(String(20), default="")
    provider_receipt: Mapped[str] = mapped_column(String(200), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    history: Mapped[list[OutboxAttempt]] = relationship(back_populates="message", order_by="OutboxAttempt.id")

    def __str__(self) -> str:
        return f"{self.recipient} {self.subject}"


class OutboxAttempt(db.Model):
    """One step in a message's life: claimed, sent, failed, retried, requeued."""

    __tablename__ = "outbox_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    worker: Mapped[str] = mapped_column(String(80), default="")
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")

    message: Mapped[OutboxMessage] = relationship(back_populates="history")
