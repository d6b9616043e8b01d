"""Asking for long work to be done in the background (exports, merged PDFs, imports) and finding one's jobs.

A job is requested by a user, for a kind of work the worker knows (jobs.kinds); the request is audited like
any other change. The same request made again (same dedup key) while the first is queued or running returns
the first job instead of a new one — and also once it is done, when the key names the data it was made from
(`reuse_done`, e.g. a key with the public data generation). Only the user who asked sees a job.
"""
from __future__ import annotations

import json

from sqlalchemy import select

from domain import audit
from domain.errors import require
from models import Job, User, db
from models.jobs import DONE, PENDING, RUNNING


def request_job(actor: User, kind: str, label: str, arguments: dict, dedup_key: str | None = None,
                reuse_done: bool = False) -> Job:
    """Queue a job for the actor, or return the same one already queued or running (or done, with reuse_done)."""
    require(actor is not None and actor.is_authenticated, "请先登录。")
    key = f"{actor.id}:{dedup_key}" if dedup_key else None
    if key:
        reusable = (PENDING, RUNNING, DONE) if reuse_done else (PENDING, RUNNING)
        existing = db.session.scalar(
            select(Job).where(Job.dedup_key == key, Job.status.in_(reusable)).order_by(Job.id.desc()).limit(1)
        )
        if existing is not None:
            return existing
    with audit.operation(actor, f"请求后台任务：{label}"):
        job = Job(kind=kind, label=label, arguments=json.dumps(arguments, ensure_ascii=False, sort_keys=True),
                  requested_by_id=actor.id, dedup_key=key)
        db.session.add(job)
    return job
