"""Background jobs: long work (large exports, merged PDFs, imports) done outside the request, with progress,
its result kept for download."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from models.base import db, utcnow
from models.people import User

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
JOB_STATUS_LABELS = {PENDING: "排队中", RUNNING: "进行中", DONE: "已完成", FAILED: "失败"}


class Job(db.Model):
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_id", "status", "id"), Index("ix_job_dedup_key", "dedup_key"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    arguments: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    label: Mapped[str] = mapped_column(String(200))  # what the user asked for, in Chinese
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    dedup_key: Mapped[str | None] = mapped_column(String(200))  # the same request, while still good, reuses the job
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    progress: Mapped[int] = mapped_column(default=0)  # 0 to 100
    progress_note: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    claim_token: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    worker: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")
    result_name: Mapped[str] = mapped_column(String(200), default="")
    result_type: Mapped[str] = mapped_column(String(100), default="")
    result_size: Mapped[int] = mapped_column(default=0)
    result: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    requested_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.label
