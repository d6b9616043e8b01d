"""The office's publication grid: decide for each reply, tracked against the publication deadline."""
from __future__ import annotations

from flask import url_for
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from admin.base import ScopedModelView
from domain import publication as publishing
from domain.clock import today
from models import Publication, Reply
from models.enums import Role
from models.publication import PUBLICATION_MODE_LABELS, PUBLICATION_STATUS_LABELS
from web.format import local_date

OFFICE = frozenset({Role.OFFICE})


class LateFilter(BaseSQLAFilter):
    def __init__(self):
        super().__init__(Publication.due_on, "超过公开时限", options=[("1", "是")])

    def validate(self, value) -> bool:
        return value == "1"

    def operation(self):
        return ""

    def apply(self, query, value, alias=None):
        return query.filter(publishing.late(today()))


class CorrectionFilter(LateFilter):
    def __init__(self):
        BaseSQLAFilter.__init__(self, Publication.correction_pending, "答复已更正待重新决定", options=[("1", "是")])

    def apply(self, query, value, alias=None):
        return query.filter(Publication.correction_pending.is_(True))


def _due_on(view, context, model, name):
    text = local_date(model.due_on)
    if publishing.is_late(model, today()):
        return Markup('<span class="badge badge-danger">超期</span> {}').format(text)
    return text


def _suggestion_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for("suggestion.details_view", id=model.suggestion_id), model.suggestion)


def _status(view, context, model, name):
    label = PUBLICATION_STATUS_LABELS.get(model.status, model.status)
    if model.mode:
        label += f"（{PUBLICATION_MODE_LABELS[model.mode]}）"
    if model.correction_pending:
        label += "（答复已更正，待重新决定）"
    if model.reply.voided_reason:
        label += "（答复已作废）"
    return label


class PublicationView(ScopedModelView):
    roles = OFFICE
    export_roles = OFFICE
    action_names = ("publish_full", "publish_summary", "decline", "withdraw")
    action_row_template = "admin/_publication_row.html"
    column_list = ["suggestion", "unit", "reply_category", "replied_on", "due_on", "status", "published_on", "reason"]
    column_labels = {"suggestion": "建议", "unit": "答复单位", "reply_category": "答复类别", "replied_on": "答复日期",
                     "due_on": "公开期限", "status": "公开决定", "published_on": "公开日期", "reason": "不公开/撤回理由"}
    column_formatters = {
        "suggestion": _suggestion_link, "due_on": _due_on, "status": _status,
        "unit": lambda v, c, m, n: m.reply.unit.name,
        "reply_category": lambda v, c, m, n: m.reply.reply_category,
        "replied_on": lambda v, c, m, n: local_date(m.reply.replied_on),
        "published_on": lambda v, c, m, n: local_date(m.published_on),
    }
    column_formatters_export = {**column_formatters, "suggestion": lambda v, c, m, n: str(m.suggestion),
                                "due_on": lambda v, c, m, n: local_date(m.due_on)}
    column_sortable_list = ["due_on", "published_on", "status"]
    column_default_sort = ("due_on", False)
    column_filters = [
        FilterEqual(Publication.status, "公开决定", options=list(PUBLICATION_STATUS_LABELS.items())),
        LateFilter(),
        CorrectionFilter(),
    ]

    def get_query(self):
        return super().get_query().options(
            joinedload(Publication.suggestion), joinedload(Publication.reply).joinedload(Reply.unit)
        )
