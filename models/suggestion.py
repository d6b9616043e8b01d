"""Congress sessions, suggestions and every record kept about a suggestion."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Versioned, db, utcnow
from models.enums import (
    AssignmentRole,
    CommitmentStatus,
    HandlingMode,
    RequestStatus,
    Source,
    State,
)
from models.people import Deputy, Unit, User


class CongressSession(Versioned, db.Model):
    """A meeting of the district People's Congress (届次)."""

    __tablename__ = "congress_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    year: Mapped[int] = mapped_column(index=True)
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    # The pre-submission window; empty means the rules' default before opens_on.
    pre_submission_opens_on: Mapped[date | None]
    pre_submission_closes_on: Mapped[date | None]

    def __str__(self) -> str:
        return self.name


class Suggestion(Versioned, db.Model):
    __tablename__ = "suggestion"
    __table_args__ = (
        UniqueConstraint("number_series", "number", name="uq_suggestion_series_number"),
        UniqueConstraint("number_label", name="uq_suggestion_number_label"),
        Index("ix_suggestion_state_due", "state", "due_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20), default=Source.CONGRESS)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("congress_session.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    number_series: Mapped[str | None] = mapped_column(String(40))
    number: Mapped[int | None]
    number_label: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20), index=True)
    lead_deputy_id: Mapped[int] = mapped_column(ForeignKey("deputy.id"), index=True)
    state: Mapped[str] = mapped_column(String(30), default=State.SUBMITTED, index=True)
    handling_mode: Mapped[str] = mapped_column(String(10), default=HandlingMode.JOINT)
    confidential: Mapped[bool] = mapped_column(default=False)
    received_on: Mapped[date | None]
    assigned_on: Mapped[date | None]
    reply_due_on: Mapped[date | None]
    rehandling_due_on: Mapped[date | None]
    rehandling_started_on: Mapped[date | None]
    rehandling_started_at: Mapped[datetime | None]  # a second reply needs a contact recorded after this
    due_on: Mapped[date | None] = mapped_column(index=True)
    assign_due_on: Mapped[date | None]  # recess suggestions: the assignment deadline, kept after assignment
    supervision_class: Mapped[str] = mapped_column(String(10), default="ordinary", server_default="ordinary")
    state_reason: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("suggestion.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    session: Mapped[CongressSession | None] = relationship()
    lead_deputy: Mapped[Deputy] = relationship()
    co_signers: Mapped[list[Deputy]] = relationship(secondary="suggestion_co_signer", order_by="Deputy.id")
    merged_into: Mapped[Suggestion | None] = relationship(remote_side=[id])
    updated_by: Mapped[User | None] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="suggestion", order_by="Assignment.id"
    )

    @property
    def active_assignments(self) -> list[Assignment]:
        return [a for a in self.assignments if a.active]

    @property
    def display_number(self) -> str:
        return self.number_label or "未编号"

    def __str__(self) -> str:
        return f"{self.display_number} {self.title}"


suggestion_co_signer = db.Table(
    "suggestion_co_signer",
    db.Column("suggestion_id", ForeignKey("suggestion.id", ondelete="CASCADE"), primary_key=True),
    db.Column("deputy_id", ForeignKey("deputy.id"), primary_key=True, index=True),
)


class NumberCounter(db.Model):
    """The last number given in a series (a session's congress suggestions or a year's recess ones)."""

    __tablename__ = "number_counter"
    series: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Assignment(db.Model):
    """A unit's part in handling a suggestion (交办)."""

    __tablename__ = "assignment"
    __table_args__ = (Index("ix_assignment_unit_active", "unit_id", "active", "suggestion_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    role: Mapped[str] = mapped_column(String(20), default=AssignmentRole.LEAD)
    active: Mapped[bool] = mapped_column(default=True)
    assigned_on: Mapped[date]
    opinion_due_on: Mapped[date | None]
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    opinion: Mapped[str] = mapped_column(Text, default="")
    opinion_at: Mapped[datetime | None]
    ended_reason: Mapped[str] = mapped_column(Text, default="")

    suggestion: Mapped[Suggestion] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship(lazy="joined")
    signed_by: Mapped[User | None] = relationship()


class ReturnRequest(db.Model):
    """A unit's request to return a misrouted suggestion (退回)."""

    __tablename__ = "return_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), index=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    suggested_unit: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.PENDING, index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decision_note: Mapped[str] = mapped_column(Text, default="")

    assignment: Mapped[Assignment] = relationship()
    suggestion: Mapped[Suggestion] = relationship()
    unit: Mapped[Unit] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Contact(db.Model):
    """A contact between a unit and the deputy (沟通、面商)."""

    __tablename__ = "contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    contacted_on: Mapped[date]
    method: Mapped[str] = mapped_column(String(20))
    people: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    voided_reason: Mapped[str] = mapped_column(Text, default="")

    suggestion: Mapped[Suggestion] = relationship()
    unit: Mapped[Unit] = relationship()


class ExtensionRequest(db.Model):
    """A unit's request for more time to reply (延期)."""

    __tablename__ = "extension_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.PENDING, index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decision_note: Mapped[str] = mapped_column(Text, default="")

    suggestion: Mapped[Suggestion] = relationship()
    unit: Mapped[Unit] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Reply(Versioned, db.Model):
    """A unit's reply to the deputy (答复); round 2 is the reply after re-handling."""

    __tablename__ = "reply"
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    round: Mapped[int] = mapped_column(default=1)
    reply_category: Mapped[str] = mapped_column(String(1))
    text: Mapped[str] = mapped_column(Text)
    signatory: Mapped[str] = mapped_column(String(60))
    replied_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    voided_reason: Mapped[str] = mapped_column(Text, default="")

    suggestion: Mapped[Suggestion] = relationship()
    unit: Mapped[Unit] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    commitments: Mapped[list[Commitment]] = relationship(back_populates="reply", order_by="Commitment.id")
    corrections: Mapped[list[ReplyCorrection]] = relationship(order_by="ReplyCorrection.number", viewonly=True)


class ReplyCorrection(db.Model):
    """A correction of a reply after it was sent: the text before and after, side by side (答复更正)."""

    __tablename__ = "reply_correction"
    __table_args__ = (UniqueConstraint("reply_id", "number", name="uq_reply_correction_reply_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id"), index=True)
    number: Mapped[int]
    previous_text: Mapped[str] = mapped_column(Text)
    previous_category: Mapped[str] = mapped_column(String(1))
    text: Mapped[str] = mapped_column(Text)
    reply_category: Mapped[str] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(Text)
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)

    reply: Mapped[Reply] = relationship(viewonly=True)
    corrected_by: Mapped[User | None] = relationship()


class Commitment(db.Model):
    """Something a unit promised in a reply (承诺事项)."""

    __tablename__ = "commitment"
    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id"), index=True)
    content: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=CommitmentStatus.OPEN)

    reply: Mapped[Reply] = relationship(back_populates="commitments")


class Evaluation(db.Model):
    """The deputy's evaluation of a reply's content (评价)."""

    __tablename__ = "evaluation"
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    round: Mapped[int] = mapped_column(default=1)
    level: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    given_on: Mapped[date]
    on_paper: Mapped[bool] = mapped_column(default=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    suggestion: Mapped[Suggestion] = relationship()
