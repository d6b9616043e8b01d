"""The outbox and each message's history (read-only), and the notice templates the office edits."""
from __future__ import annotations

from flask_admin.contrib.sqla.filters import FilterEqual
from sqlalchemy.orm import selectinload

from admin.base import ScopedModelView
from admin.records import datetime_cell
from admin.reference import ReferenceView
from domain import notices
from models import OutboxMessage
from models.enums import Role

OFFICE = frozenset({Role.OFFICE})


def _labelled(labels, name):
    return lambda view, context, model, _: labels.get(getattr(model, name), getattr(model, name))


TEMPLATE_LABELS = {t.key: t.label for t in notices.DEFAULT_TEMPLATES}


class OutboxView(ScopedModelView):
    roles = OFFICE
    can_view_details = True
    details_template = "admin/outbox_details.html"
    action_names = ("requeue",)
    column_default_sort = ("id", True)
    column_list = ["created_at", "template_key", "channel", "recipient", "address", "status", "attempts", "sent_at",
                   "provider_receipt", "last_error"]
    column_details_list = ["created_at", "template_key", "channel", "recipient", "address", "subject", "body", "status",
                           "attempts", "next_attempt_at", "provider", "provider_receipt", "sent_at", "last_error",
                           "idempotency_key", "dedup_key"]
    column_labels = {"created_at": "写入时间", "template_key": "类型", "channel": "渠道", "recipient": "收件人",
                     "address": "号码/邮箱", "subject": "标题", "body": "内容", "status": "状态", "attempts": "尝试次数",
                     "next_attempt_at": "下次尝试", "provider": "发送通道", "provider_receipt": "回执", "sent_at": "发送时间",
                     "last_error": "最近错误", "idempotency_key": "幂等键", "dedup_key": "去重键"}
    column_formatters = {"created_at": datetime_cell("created_at"), "sent_at": datetime_cell("sent_at"),
                         "next_attempt_at": datetime_cell("next_attempt_at"),
                         "template_key": _labelled(TEMPLATE_LABELS, "template_key"),
                         "channel": _labelled(notices.CHANNEL_LABELS, "channel"),
                         "status": _labelled(notices.STATUS_LABELS, "status")}
    column_filters = [FilterEqual(OutboxMessage.status, "状态", options=list(notices.STATUS_LABELS.items())),
                      FilterEqual(OutboxMessage.channel, "渠道", options=list(notices.CHANNEL_LABELS.items()))]
    column_searchable_list = ["recipient", "address", "body"]

    def get_query(self):
        return super().get_query().options(selectinload(OutboxMessage.history))


class MessageTemplateView(ReferenceView):
    column_list = ["label", "subject", "body"]
    column_labels = {"label": "通知类型", "subject": "邮件标题", "body": "内容"}
    form_args = {"body": {"label": "内容（可用占位符：" + "、".join("{" + p + "}" for p in sorted(notices.PLACEHOLDERS)) + "）"}}
    form_widget_args = {"body": {"rows": 5}}
