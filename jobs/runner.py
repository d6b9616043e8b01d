"""The job worker: claims queued jobs one at a time under a lease, runs them as the user who asked, reports
progress as it goes, and keeps the result (a file) for download.

Why our own table rather than Huey or RQ: jobs must run on the embedded SQLite default without any extra
service, and on PostgreSQL in production with several workers at once; the outbox already proved this
lease mechanism (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, a conditional UPDATE on both), and a job
row in the application's own database gives progress, results and access control for free, visible to every
process. A worker killed mid-job leaves an expired lease; the next worker runs the job again.

Workers: `flask jobs work` (production, as many as wanted); on the embedded default a thread in the web
process does the same (JOBS_IN_PROCESS).
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import and_, or_, select, update

from domain.errors import WorkflowError
from models import Job, User, db
from models.base import utcnow
from models.jobs import DONE, FAILED, PENDING, RUNNING

log = logging.getLogger("jianyitong.jobs")
MAX_ATTEMPTS = 3
RETRY_DELAY = timedelta(seconds=30)


@dataclass(frozen=True)
class Result:
    filename: str
    mimetype: str
    content: bytes


class Progress:
    """Reports how far a job has come, committed at once on its own connection so that pages can show it.
    (On SQLite a job that is writing holds the only write lock: its progress shows when it is done.)"""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = -1

    def __call__(self, done: int, total: int, note: str = "") -> None:
        percent = min(99, int(100 * done / total)) if total else 0
        if percent == self.last and not note or _holds_sqlite_write_lock():
            return
        self.last = percent
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.job_id).values(progress=percent, progress_note=note[:200]))


@dataclass(frozen=True)
class Kind:
    """A kind of job: the function that does it, `function(actor, progress, **arguments) -> Result`."""

    function: Callable[..., Result]


KINDS: dict[str, Kind] = {}


def register(kinds: dict[str, Kind]) -> None:
    """The job kinds of the app, registered once by the application factory (jobs.kinds)."""
    KINDS.update(kinds)


def _holds_sqlite_write_lock() -> bool:
    connection = db.session.connection()
    return connection.dialect.name == "sqlite" and connection.connection.driver_connection.in_transaction


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _due(now: datetime):
    """Queued (and not waiting to retry), or running under a lease that ran out (its worker died)."""
    waited = or_(Job.lease_until.is_(None), Job.lease_until < now)
    return or_(and_(Job.status == PENDING, waited), and_(Job.status == RUNNING, Job.lease_until < now))


def claim_next(worker: str, lease_seconds: int) -> Job | None:
    """Take the oldest due job for this worker; the caller commits before running it."""
    now = utcnow()
    while True:
        row = db.session.execute(
            select(Job.id, Job.status, Job.claim_token).where(_due(now)).order_by(Job.id).limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            return None
        same_claim = Job.claim_token.is_(None) if row.claim_token is None else Job.claim_token == row.claim_token
        taken = db.session.execute(
            update(Job).where(Job.id == row.id, Job.status == row.status, same_claim)
            .values(status=RUNNING, claim_token=secrets.token_hex(16), worker=worker[:80], started_at=now,
                    lease_until=now + timedelta(seconds=lease_seconds), attempts=Job.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 1:
            return db.session.get(Job, row.id, populate_existing=True)


def _finish(job_id: int, **values) -> None:
    db.session.execute(update(Job).where(Job.id == job_id).values(claim_token=None, lease_until=None,
                                                                  finished_at=utcnow(), **values))


def run(job: Job) -> str:
    """Run one claimed job as the user who asked; record its result or its failure; the caller commits, so a job
    that writes (an import) is kept whole or not at all. Returns the new status."""
    kind = KINDS.get(job.kind)
    actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
    job_id, attempts = job.id, job.attempts
    try:
        if kind is None:
            raise LookupError(f"没有这种后台任务：{job.kind}")
        if actor is not None and not actor.active:
            raise PermissionError("申请该任务的账号已停用。")
        with current_app.test_request_context("/"):
            result = kind.function(actor, Progress(job_id), **json.loads(job.arguments or "{}"))
    except Exception as error:  # a job's failure is recorded for the user, never lost
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        permanent = attempts >= MAX_ATTEMPTS or isinstance(error, (LookupError, PermissionError, WorkflowError))
        _finish(job_id, status=FAILED if permanent else PENDING, error=str(error)[:2000])
        if not permanent:  # try again later, not at once
            db.session.execute(update(Job).where(Job.id == job_id).values(lease_until=utcnow() + RETRY_DELAY * attempts))
        return FAILED if permanent else PENDING
    _finish(job_id, status=DONE, progress=100, progress_note="", error="", result=result.content,
            result_name=result.filename, result_type=result.mimetype, result_size=len(result.content))
    return DONE


def expire_results(days: int) -> None:
    """Results are kept `days` days (JOB_RESULT_DAYS), then dropped; the job row stays as the record."""
    cutoff = utcnow() - timedelta(days=days)
    db.session.execute(update(Job).where(Job.finished_at < cutoff, Job.result.isnot(None)).values(result=None, result_size=0))


def work(limit: int = 100, lease_seconds: int = 600, worker: str | None = None) -> dict[str, int]:
    """The worker's loop: claim, commit, run, commit; up to `limit` jobs. Returns counts by outcome."""
    worker = worker or worker_name()
    expire_results(current_app.config.get("JOB_RESULT_DAYS", 7))
    counts: dict[str, int] = {}
    for _ in range(limit):
        job = claim_next(worker, lease_seconds)
        db.session.commit()
        if job is None:
            break
        outcome = run(job)
        db.session.commit()
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def start_in_process(app: Flask, interval: float = 1.0) -> threading.Thread:
    """On the embedded default: a daemon thread of the web process works the queue (no extra service)."""

    def loop() -> None:
        while True:
            try:
                with app.app_context():
                    if not work(limit=10):
                        time.sleep(interval)
            except Exception:  # keep the thread alive; the next round tries again
                log.exception("in-process job worker")
                time.sleep(interval)

    thread = threading.Thread(target=loop, name="jobs-worker", daemon=True)
    thread.start()
    return thread
