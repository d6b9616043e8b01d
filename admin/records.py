"""Grids of the records kept about suggestions: contacts, replies, requests, evaluations, audit."""
from __future__ import annotations

from flask import url_for
from flask_admin.contrib.sqla.filters import FilterEqual
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload

from admin.base import ALL_STAFF, ScopedModelView
from models import AuditEntry, Contact, Evaluation, ExtensionRequest, Reply, ReturnRequest
from models.enums import (
    CONTACT_METHOD_LABELS,
    EVALUATION_LEVEL_LABELS,
    REPLY_CATEGORY_LABELS,
    REQUEST_STATUS_LABELS,
    Role,
)
from web.format import OBJECT_LABELS, audit_text, label_formatter, local_date, local_datetime

STAFF_READERS = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE})


def suggestion_link(view, context, model, name):
    url = url_for("suggestion.details_view", id=model.suggestion_id)
    return Markup('<a href="{}">{}</a>').format(url, model.suggestion)


def date_cell(name):
    return lambda view, context, model, _: local_date(getattr(model, name))


def datetime_cell(name):
    return lambda view, context, model, _: local_datetime(getattr(model, name))


class RecordView(ScopedModelView):
    """A grid of one kind of record about suggestions, scoped through its suggestion."""

    roles = ALL_STAFF
    export_roles = ALL_STAFF
    column_default_sort = ("id", True)
    column_display_all_relations = False
    action_row_template = "admin/_record_row.html"

    def get_query(self):
        return super().get_query().options(joinedload(self.model.suggestion))


class ContactView(RecordView):
    action_names = ("void_contact",)
    column_list = ["suggestion", "unit", "contacted_on", "method", "people", "summary", "voided_reason"]
    column_labels = {"suggestion": "建议", "unit": "承办单位", "contacted_on": "沟通日期", "method": "方式",
                     "people": "参加人员", "summary": "沟通情况", "voided_reason": "作废理由"}
    column_formatters = {"suggestion": suggestion_link, "method": label_formatter(CONTACT_METHOD_LABELS),
                         "contacted_on": date_cell("contacted_on")}
    column_filters = [FilterEqual(Contact.method, "方式", options=[(k.value, v) for k, v in CONTACT_METHOD_LABELS.items()])]
    column_searchable_list = ["people", "summary"]

    def get_query(self):
        return super().get_query().options(joinedload(Contact.unit))


def _reply_round(view, context, model, name):
    text = "重办答复" if model.round == 2 else "首次答复"
    return text + (f"（已更正 {len(model.corrections)} 次）" if model.corrections else "")


class ReplyView(RecordView):
    """Replies are never edited: the replying unit files a correction, the office may void one before evaluation."""

    action_names = ("correct_reply", "void_reply")
    column_list = ["suggestion", "unit", "round", "reply_category", "signatory", "replied_on", "voided_reason"]
    column_labels = {"suggestion": "建议", "unit": "承办单位", "round": "轮次", "reply_category": "答复类别",
                     "signatory": "签发人", "replied_on": "答复日期", "text": "答复正文", "voided_reason": "作废理由"}
    column_formatters = {"suggestion": suggestion_link, "reply_category": label_formatter(REPLY_CATEGORY_LABELS),
                         "replied_on": date_cell("replied_on"), "round": _reply_round}
    column_filters = [FilterEqual(Reply.reply_category, "答复类别", options=[(k.value, v) for k, v in REPLY_CATEGORY_LABELS.items()])]
    column_searchable_list = ["text", "signatory"]

    def get_query(self):
        return super().get_query().options(joinedload(Reply.unit), selectinload(Reply.corrections))


REQUEST_STATUS_OPTIONS = [(k.value, v) for k, v in REQUEST_STATUS_LABELS.items()]


class ExtensionRequestView(RecordView):
    action_names = ("decide_extension",)
    column_list = ["suggestion", "unit", "requested_due_on", "reason", "status", "requested_at", "decision_note"]
    column_labels = {"suggestion": "建议", "unit": "申请单位", "requested_due_on": "申请延期至", "reason": "理由",
                     "status": "状态", "requested_at": "申请时间", "decision_note": "审批说明"}
    column_formatters = {"suggestion": suggestion_link, "status": label_formatter(REQUEST_STATUS_LABELS),
                         "requested_due_on": date_cell("requested_due_on"), "requested_at": datetime_cell("requested_at")}
    column_filters = [FilterEqual(ExtensionRequest.status, "状态", options=REQUEST_STATUS_OPTIONS)]

    def get_query(self):
        return super().get_query().options(joinedload(ExtensionRequest.unit))


class ReturnRequestView(RecordView):
    action_names = ("decide_return",)
    column_list = ["suggestion", "unit", "reason", "status", "requested_at", "decision_note"]
    column_labels = {"suggestion": "建议", "unit": "申请单位", "reason": "退回理由", "status": "状态",
                     "requested_at": "申请时间", "decision_note": "审批说明"}
    column_formatters = {"suggestion": suggestion_link, "status": label_formatter(REQUEST_STATUS_LABELS),
                         "requested_at": datetime_cell("requested_at")}
    column_filters = [FilterEqual(ReturnRequest.status, "状态", options=REQUEST_STATUS_OPTIONS)]

    def get_query(self):
        return super().get_query().options(joinedload(ReturnRequest.unit))


class EvaluationView(RecordView):
    column_list = ["suggestion", "round", "level", "comment", "given_on", "on_paper"]
    column_labels = {"suggestion": "建议", "round": "轮次", "level": "评价", "comment": "代表意见",
                     "given_on": "评价日期", "on_paper": "纸质评价表"}
    column_formatters = {"suggestion": suggestion_link, "level": label_formatter(EVALUATION_LEVEL_LABELS),
                         "given_on": date_cell("given_on"), "on_paper": lambda v, c, m, n: "是" if m.on_paper else "否"}
    column_filters = [FilterEqual(Evaluation.level, "评价", options=[(k.value, v) for k, v in EVALUATION_LEVEL_LABELS.items()])]


class AuditView(ScopedModelView):
    """The audit trail: readable by office, government office and committees; editable by nobody."""

    roles = STAFF_READERS
    export_roles = frozenset({Role.OFFICE})
    column_list = ["at", "user", "action", "object_type", "object_id", "suggestion_id", "changes"]
    column_labels = {"at": "时间", "user": "操作人", "action": "操作", "object_type": "对象", "object_id": "对象编号",
                     "suggestion_id": "建议编号", "changes": "变更（原值 → 新值）"}
    column_formatters = {"at": datetime_cell("at"), "changes": lambda v, c, m, n: audit_text(m),
                         "object_type": lambda v, c, m, n: OBJECT_LABELS.get(m.object_type, m.object_type)}
    column_default_sort = ("id", True)
    column_filters = ["action", "object_type", "suggestion_id"]

    def get_query(self):
        return super().get_query().options(joinedload(AuditEntry.user))
