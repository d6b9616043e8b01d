"""Supervision: committees' supervision assignments and activities, and key supervision in seven steps."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from models.base import db, utcnow
from models.people import Committee, Township, User
from models.suggestion import Suggestion


class ActivityKind(StrEnum):
    INSPECTION = "inspection"
    INTERVIEW = "interview"
    FORUM = "forum"
    SURVEY = "survey"
    TRACKING_CALL = "tracking_call"


ACTIVITY_KIND_LABELS = {
    ActivityKind.INSPECTION: "视察",
    ActivityKind.INTERVIEW: "约谈",
    ActivityKind.FORUM: "座谈",
    ActivityKind.SURVEY: "调研",
    ActivityKind.TRACKING_CALL: "电话跟踪",
}

# The seven steps of key supervision (重点督办“七步法”).
KEY_STEP_LABELS = {
    1: "主任会议研究确定",
    2: "明确领办督办区领导",
    3: "召开专题交办会",
    4: "联系委室跟踪督办",
    5: "年底集中面商",
    6: "办理结果社会公开",
    7: "人代会上书面报告",
}


class SupervisionAssignment(db.Model):
    """The committee that supervises a suggestion's handling (联动督办)."""

    __tablename__ = "supervision_assignment"
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), unique=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"), index=True)
    automatic: Mapped[bool] = mapped_column(default=True)
    assigned_on: Mapped[date]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    suggestion: Mapped[Suggestion] = relationship(backref=backref("supervision", uselist=False))
    committee: Mapped[Committee] = relationship()


class SupervisionActivity(db.Model):
    """A supervision activity by a committee or a township's deputy group (视察、约谈、座谈…)."""

    __tablename__ = "supervision_activity"
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200))
    participants: Mapped[str] = mapped_column(Text)
    invited_deputies: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[str] = mapped_column(Text, default="")
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committee.id"), index=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    suggestion: Mapped[Suggestion] = relationship(
        backref=backref("supervision_activities", order_by="SupervisionActivity.held_on")
    )
    committee: Mapped[Committee | None] = relationship()
    township: Mapped[Township | None] = relationship()

    @property
    def organiser(self) -> str:
        return str(self.committee or self.township or "")


key_supervision_leader = db.Table(
    "key_supervision_leader",
    db.Column("key_supervision_id", ForeignKey("key_supervision.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", ForeignKey("app_user.id"), primary_key=True, index=True),
)


class KeySupervision(db.Model):
    """A suggestion proposed for, then decided on, key supervision (重点督办)."""

    __tablename__ = "key_supervision"
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), unique=True)
    year: Mapped[int] = mapped_column(index=True)
    proposed_on: Mapped[date]
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    steps_done: Mapped[int] = mapped_column(default=0, index=True)

    suggestion: Mapped[Suggestion] = relationship(backref=backref("key_supervision", uselist=False))
    leaders: Mapped[list[User]] = relationship(secondary=key_supervision_leader, order_by="User.id")
    steps: Mapped[list[KeyStep]] = relationship(back_populates="key_supervision", order_by="KeyStep.step")

    @property
    def decided(self) -> bool:
        return self.steps_done >= 1

    def step(self, number: int) -> KeyStep | None:
        return next((s for s in self.steps if s.step == number), None)


class KeyStep(db.Model):
    """One of the seven steps, done once, in order, with date, people and evidence."""

    __tablename__ = "key_step"
    __table_args__ = (UniqueConstraint("key_supervision_id", "step", name="uq_key_step_key_supervision_step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key_supervision_id: Mapped[int] = mapped_column(ForeignKey("key_supervision.id"), index=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    step: Mapped[int]
    done_on: Mapped[date]
    people: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(200), default="")
    reference: Mapped[str] = mapped_column(String(120), default="")
    units_present: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    signed_off_at: Mapped[datetime | None]

    key_supervision: Mapped[KeySupervision] = relationship(back_populates="steps")
    suggestion: Mapped[Suggestion] = relationship()
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])

    @property
    def label(self) -> str:
        return KEY_STEP_LABELS[self.step]
