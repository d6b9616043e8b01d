"""Starting a background job from a page: queue it through the boundary, then show its progress page."""
from flask import redirect, request, url_for

from domain.jobs import request_job
from web import boundary


def start_job(kind: str, label: str, arguments: dict, dedup_key: str | None = None, reuse_done: bool = False):
    job = boundary.perform(lambda actor: request_job(actor, kind, label, arguments, dedup_key, reuse_done))
    if job is None:
        return redirect(request.referrer or url_for("admin.index"))
    return redirect(url_for("job.status", id=job.id))
