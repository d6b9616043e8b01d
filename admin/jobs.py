"""我的任务: the user's own background jobs, each with its progress page and its file."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, request, url_for
from flask_admin import expose
from markupsafe import Markup
from sqlalchemy.orm import undefer

from admin.base import ALL_STAFF, ScopedModelView
from models import Job
from models.jobs import DONE, JOB_STATUS_LABELS
from web.format import label_formatter, local_datetime


def _label_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for("job.status", id=model.id), model.label)


class JobView(ScopedModelView):
    roles = ALL_STAFF
    column_list = ["label", "status", "progress", "created_at", "finished_at"]
    column_labels = {"label": "任务", "status": "状态", "progress": "进度（%）", "created_at": "提交时间",
                     "finished_at": "完成时间"}
    column_formatters = {"label": _label_link, "status": label_formatter(JOB_STATUS_LABELS),
                         "created_at": lambda v, c, m, n: local_datetime(m.created_at),
                         "finished_at": lambda v, c, m, n: local_datetime(m.finished_at)}
    column_default_sort = ("id", True)

    @expose("/status/")
    def status(self):
        job = self.get_one(request.args.get("id"))
        return self.render("admin/job.html", job=job, status_labels=JOB_STATUS_LABELS, done=job.status == DONE)

    @expose("/file/")
    def file(self):
        job = self.get_one(request.args.get("id"))
        if job.status != DONE or not job.result_size:
            abort(404)
        content = self.get_query().filter(Job.id == job.id).options(undefer(Job.result)).one().result
        response = Response(content, mimetype=job.result_type)
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.result_name)}"
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
