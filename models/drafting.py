"""Before the congress: revisions, review comments, preparation steps, refusal reasons, duplicate fingerprints."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Versioned, db, utcnow
from models.people import Committee, User


class PreparationStepKind(StrEnum):
    """The "三下三上" steps of preparing a draft in the deputy group."""

    FIND_ISSUES = "find_issues"
    SORT_AND_MERGE = "sort_and_merge"
    AREA_FORUM = "area_forum"
    ASK_LOCAL_LEADERS = "ask_local_leaders"
    EXPERT_CHECK = "expert_check"
    FINALISE = "finalise"


PREPARATION_STEP_LABELS = {
    PreparationStepKind.FIND_ISSUES: "深入选区找案源",
    PreparationStepKind.SORT_AND_MERGE: "小组筛选整理整合",
    PreparationStepKind.AREA_FORUM: "分片座谈补充完善",
    PreparationStepKind.ASK_LOCAL_LEADERS: "征求属地党政领导意见",
    PreparationStepKind.EXPERT_CHECK: "业务线办把关",
    PreparationStepKind.FINALISE: "集中会商酝酿定稿",
}


class ReviewAspect(StrEnum):
    WORDING = "wording"
    FACTS = "facts"
    NATURE = "nature"
    UNITS = "units"
    OTHER = "other"


REVIEW_ASPECT_LABELS = {
    ReviewAspect.WORDING: "文字表述",
    ReviewAspect.FACTS: "事实数据",
    ReviewAspect.NATURE: "是否属于建议",
    ReviewAspect.UNITS: "建议承办单位",
    ReviewAspect.OTHER: "其他",
}


class SupervisionClass(StrEnum):
    ORDINARY = "ordinary"
    URGENT = "urgent"


SUPERVISION_CLASS_LABELS = {SupervisionClass.ORDINARY: "一般", SupervisionClass.URGENT: "紧急"}


class Revision(db.Model):
    """The text of a draft as it was pre-submitted (every pre-submission keeps one)."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("suggestion_id", "number", name="uq_revision_suggestion_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    created_by: Mapped[User | None] = relationship()


class ReviewComment(db.Model):
    """A pre-review comment (初审意见) on a draft, for the lead deputy."""

    __tablename__ = "review_comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    revision_number: Mapped[int | None]
    aspect: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    suggested_units: Mapped[str] = mapped_column(String(200), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class PreparationStep(db.Model):
    """One "三下三上" step done for a draft, with its date."""

    __tablename__ = "preparation_step"
    __table_args__ = (UniqueConstraint("suggestion_id", "step", name="uq_preparation_step_suggestion_step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    step: Mapped[str] = mapped_column(String(30))
    done_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotAcceptedReason(Versioned, db.Model):
    """One entry of the office's list of reasons for not accepting a suggestion (不予立案)."""

    __tablename__ = "not_accepted_reason"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.label


class CategoryCommittee(Versioned, db.Model):
    """Which committee pre-reviews the drafts of a category."""

    __tablename__ = "category_committee"
    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(20), unique=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"), index=True)

    committee: Mapped[Committee] = relationship()


class TextFingerprint(db.Model):
    """A suggestion's character-bigram fingerprint for duplicate detection; `seq` orders the changes."""

    __tablename__ = "text_fingerprint"
    __table_args__ = (Index("ix_text_fingerprint_seq", "seq"),)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int]
    year: Mapped[int]
    session_id: Mapped[int | None]
    grams: Mapped[bytes] = mapped_column(LargeBinary)
