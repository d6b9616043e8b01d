"""How values are shown in the Chinese UI (grids, pages, PDFs): dates in Asia/Shanghai and the domain's labels."""
import json
from datetime import date, datetime

from flask import Flask

from domain import states
from domain.clock import local, today
from models.drafting import REVIEW_ASPECT_LABELS
from models.enums import (
    ASSIGNMENT_ROLE_LABELS,
    CATEGORY_LABELS,
    COMMITMENT_STATUS_LABELS,
    CONTACT_METHOD_LABELS,
    EVALUATION_LEVEL_LABELS,
    HANDLING_MODE_LABELS,
    REPLY_CATEGORY_LABELS,
    REQUEST_STATUS_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
)

LABELS = {
    "state": STATE_LABELS,
    "source": SOURCE_LABELS,
    "category": CATEGORY_LABELS,
    "mode": HANDLING_MODE_LABELS,
    "assignment_role": ASSIGNMENT_ROLE_LABELS,
    "contact_method": CONTACT_METHOD_LABELS,
    "reply_category": REPLY_CATEGORY_LABELS,
    "level": EVALUATION_LEVEL_LABELS,
    "status": REQUEST_STATUS_LABELS,
    "commitment_status": COMMITMENT_STATUS_LABELS,
}


# Column names as the audit trail shows them.
FIELD_LABELS = {
    "state": "状态", "state_reason": "状态说明", "title": "标题", "body": "正文", "category": "类别", "source": "来源",
    "session_id": "届次", "year": "年度", "number": "序号", "number_label": "案号", "number_series": "编号序列",
    "lead_deputy_id": "领衔代表", "handling_mode": "办理方式", "confidential": "不公开", "received_on": "收到日期",
    "assigned_on": "交办日期", "reply_due_on": "答复期限", "due_on": "当前期限", "merged_into_id": "并入建议",
    "suggestion_id": "建议", "unit_id": "单位", "role": "承办方式", "active": "有效", "opinion_due_on": "协办意见期限",
    "signed_at": "签收时间", "signed_by_id": "签收人", "opinion": "协办意见", "opinion_at": "协办意见时间",
    "ended_reason": "结束原因", "reason": "理由", "status": "审批状态", "decided_at": "审批时间",
    "decided_by_id": "审批人", "decision_note": "审批说明", "requested_due_on": "申请延期至",
    "requested_by_id": "申请人", "contacted_on": "沟通日期", "method": "方式", "people": "参加人员",
    "summary": "沟通情况", "recorded_by_id": "记录人", "voided_reason": "作废理由", "reply_category": "答复类别",
    "text": "答复正文", "signatory": "签发人", "replied_on": "答复日期", "round": "轮次", "level": "评价",
    "comment": "意见", "given_on": "评价日期", "on_paper": "纸质评价", "content": "承诺事项", "reply_id": "答复",
    "assignment_id": "交办", "amount": "数值", "unit": "单位", "day": "日期", "is_workday": "工作日",
    "username": "用户名", "display_name": "姓名",
    "committee_id": "委室", "township_id": "镇街", "automatic": "自动分派", "kind": "活动类型", "held_on": "活动日期",
    "place": "地点", "participants": "参加人员", "invited_deputies": "邀请代表", "findings": "督办情况",
    "follow_up": "后续跟踪", "step": "步骤", "done_on": "日期", "reference": "会议/报告", "units_present": "参会单位",
    "details": "内容", "published": "公开", "steps_done": "已完成步骤", "proposed_on": "提出日期",
    "signed_off_by_id": "签字确认人", "signed_off_at": "签字确认时间", "key_supervision_id": "重点督办",
    "proposed_by_id": "提出人", "assigned_by_id": "分派人", "mode": "公开方式", "decided_on": "决定日期",
    "published_on": "公开日期",
}
OBJECT_LABELS = {
    "Suggestion": "建议", "Assignment": "交办", "Contact": "沟通记录", "ExtensionRequest": "延期申请", "Reply": "答复",
    "Commitment": "承诺事项", "Evaluation": "评价", "ReturnRequest": "退回申请", "RuleSetting": "时限规则",
    "CalendarDay": "节假日调整", "User": "用户", "SupervisionAssignment": "督办分工", "SupervisionActivity": "督办活动",
    "KeySupervision": "重点督办", "KeyStep": "重点督办步骤", "Publication": "答复公开",
}
AUDIT_VALUE_LABELS = {"method": CONTACT_METHOD_LABELS, "role": ASSIGNMENT_ROLE_LABELS}


def local_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return local(value).strftime("%Y-%m-%d %H:%M")


def local_date(value: date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def display(row, attr: str) -> str:
    """A record's attribute as the UI shows it: labelled, dates formatted."""
    value = getattr(row, attr)
    if isinstance(value, datetime):
        return local_datetime(value)
    if isinstance(value, date):
        return local_date(value)
    if attr == "round":
        return "重办后" if value == 2 else "首次"
    if attr in LABELS:
        return LABELS[attr].get(value, value)
    return "" if value is None else str(value)


def audit_text(entry) -> str:
    try:
        changes = json.loads(entry.changes or "{}")
    except ValueError:
        return entry.changes
    parts = []
    for field, (old, new) in changes.items():
        labels = AUDIT_VALUE_LABELS.get(field) or LABELS.get(field, {})
        old_text = "∅" if old is None else labels.get(old, old)
        new_text = "∅" if new is None else labels.get(new, new)
        parts.append(f"{FIELD_LABELS.get(field, field)}: {old_text} → {new_text}")
    return "；".join(parts)


def label_formatter(labels: dict):
    """A Flask-Admin column formatter that shows a code by its Chinese label."""
    return lambda view, context, model, name: labels.get(getattr(model, name), getattr(model, name))


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["local_date"] = local_date

    @app.context_processor
    def labels():
        return {"labels": LABELS, "review_aspect_labels": REVIEW_ASPECT_LABELS, "object_labels": OBJECT_LABELS, "today": today(), "display": display,
                "is_overdue": states.is_overdue,
                "audit_text": audit_text}
