"""The deputy's first and third evaluations: the unit's attitude (round 1) and each commitment's implementation (round 3).

The second, of the reply's content, is models.suggestion.Evaluation. Each is the deputy's own: given in the
deputy's pages, or recorded by the office from a paper form (on_paper, with the scanned form attached).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.people import Unit
from models.suggestion import Commitment, Suggestion


class AttitudeEvaluation(db.Model):
    """Round 1: the unit's attitude and the three communications (before handling, during, after the reply)."""

    __tablename__ = "attitude_evaluation"
    __table_args__ = (UniqueConstraint("suggestion_id", "unit_id", name="uq_attitude_evaluation_suggestion_unit"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    level: Mapped[str] = mapped_column(String(30))
    communicated_before: Mapped[bool]
    communicated_during: Mapped[bool]
    communicated_after: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    mismatch: Mapped[str] = mapped_column(Text, default="")  # differences from the unit's recorded contacts
    given_on: Mapped[date]
    on_paper: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    suggestion: Mapped[Suggestion] = relationship()
    unit: Mapped[Unit] = relationship()


class ImplementationEvaluation(db.Model):
    """Round 3: in November, whether a commitment made in a reply was kept; one per commitment and year."""

    __tablename__ = "implementation_evaluation"
    __table_args__ = (UniqueConstraint("commitment_id", "year", name="uq_implementation_evaluation_commitment_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    result: Mapped[str] = mapped_column(String(20))  # kept | partly_kept | not_kept
    comment: Mapped[str] = mapped_column(Text, default="")
    given_on: Mapped[date]
    on_paper: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    commitment: Mapped[Commitment] = relationship()
    suggestion: Mapped[Suggestion] = relationship()
