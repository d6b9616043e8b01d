"""The outbox and each message's history (read-only), and the notice templates the office edits."""
from __future__ import annotations

from flask import flash
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.validators import DataRequired, Length

from admin.base import ScopedModelView
from admin.records import _datetime
from domain import delivery, notices
from domain.workflow import WorkflowError
from models import OutboxMessage, db
from models.enums import Role

OFFICE = frozenset({Role.OFFICE})


def _labelled(labels, name):
    return lambda view, context, model, _: labels.get(getattr(model, name), getattr(model, name))


TEMPLATE_LABELS = {t.key: t.label for t in notices.DEFAULT_TEMPLATES}


class OutboxView(ScopedModelView):
    roles = OFFICE
    details_template = "admin/outbox_details.html"
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
    column_formatters = {"created_at": _datetime("created_at"), "sent_at": _datetime("sent_at"),
                         "next_attempt_at": _datetime("next_attempt_at"),
                         "template_key": _labelled(TEMPLATE_LABELS, "template_key"),
                         "channel": _labelled(notices.CHANNEL_LABELS, "channel"),
                         "status": _labelled(notices.STATUS_LABELS, "status")}
    column_filters = [FilterEqual(OutboxMessage.status, "状态", options=list(notices.STATUS_LABELS.items())),
                      FilterEqual(OutboxMessage.channel, "渠道", options=list(notices.CHANNEL_LABELS.items()))]
    column_searchable_list = ["recipient", "address", "body"]

    def get_query(self):
        return super().get_query().options(selectinload(OutboxMessage.history))

    def is_action_allowed(self, name):
        return current_user.has_role(Role.OFFICE)

    @action("requeue", "重新发送", "确认这些消息确实未送达，重新发送吗？")
    def action_requeue(self, ids):
        keys = [int(i) for i in ids if str(i).isdigit()]
        done, refused = 0, []
        for message in self.get_query().filter(OutboxMessage.id.in_(keys)):
            try:
                delivery.requeue(current_user, message)
                done += 1
            except WorkflowError as error:
                refused.append(f"{message.recipient}：{error}")
        db.session.commit()
        if done:
            flash(f"已重新排队 {done} 条消息。", "success")
        for text in refused:
            flash(text, "danger")


class MessageTemplateView(ScopedModelView):
    roles = OFFICE
    edit_roles = OFFICE
    can_view_details = False
    column_list = ["label", "subject", "body"]
    column_labels = {"label": "通知类型", "subject": "邮件标题", "body": "内容"}
    form_columns = ["subject", "body"]
    form_args = {"subject": {"label": "邮件标题", "validators": [DataRequired("此项为必填项。"), Length(max=120)]},
                 "body": {"label": "内容（可用占位符：" + "、".join("{" + p + "}" for p in sorted(notices.PLACEHOLDERS)) + "）",
                          "validators": [DataRequired("此项为必填项。"), Length(max=500)]}}
    form_widget_args = {"body": {"rows": 5}}

    def on_model_change(self, form, model, is_created):
        unknown = notices.unknown_placeholders(model.subject + model.body)
        if unknown:
            raise ValueError("无法识别的占位符：" + "、".join("{" + name + "}" for name in sorted(unknown)))

    def handle_view_exception(self, exc):
        if isinstance(exc, ValueError):
            flash(str(exc), "danger")
            return True
        return super().handle_view_exception(exc)
