"""Grids of the records kept about suggestions: contacts, replies, requests, evaluations, audit."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from admin.base import ALL_STAFF, ScopedModelView, VersionedFormMixin
from domain import workflow
from domain.access import record_scope
from domain.workflow import WorkflowError
from forms.workflow import DecisionForm, ReasonForm
from models import (
    AuditEntry,
    Contact,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReturnRequest,
    db,
)
from models.enums import (
    CONTACT_METHOD_LABELS,
    EVALUATION_LEVEL_LABELS,
    REPLY_CATEGORY_LABELS,
    REQUEST_STATUS_LABELS,
    Role,
    State,
)
from views.filters import OBJECT_LABELS, audit_text, label_formatter, local_date, local_datetime

STAFF_READERS = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE})


def _suggestion_link(view, context, model, name):
    url = url_for("suggestion.details_view", id=model.suggestion_id)
    return Markup('<a href="{}">{}</a>').format(url, model.suggestion)


def _date(name):
    return lambda view, context, model, _: local_date(getattr(model, name))


def _datetime(name):
    return lambda view, context, model, _: local_datetime(getattr(model, name))


class RecordView(ScopedModelView):
    """A read-only grid of one kind of record, scoped through its suggestion."""

    roles = ALL_STAFF
    export_roles = ALL_STAFF
    column_default_sort = ("id", True)
    column_display_all_relations = False

    def scope(self):
        return record_scope(current_user, self.model)

    def get_query(self):
        return super().get_query().options(joinedload(self.model.suggestion))


class VoidableView(RecordView):
    """Records the office voids with a reason (never deletes): a bulk action and its form."""

    void_title = "作废记录"

    @action("void", "作废")
    def action_void(self, ids):
        return redirect(url_for(".void_form", ids=",".join(i for i in ids if i.isdigit())))

    def is_action_allowed(self, name):
        return current_user.has_role(Role.OFFICE)

    @expose("/void/", methods=("GET", "POST"))
    def void_form(self):
        return _void_form(self, self.void_title)


class ContactView(VoidableView):
    void_title = "作废沟通记录"
    column_list = ["suggestion", "unit", "contacted_on", "method", "people", "summary", "voided_reason"]
    column_labels = {"suggestion": "建议", "unit": "承办单位", "contacted_on": "沟通日期", "method": "方式",
                     "people": "参加人员", "summary": "沟通情况", "voided_reason": "作废理由"}
    column_formatters = {"suggestion": _suggestion_link, "method": label_formatter(CONTACT_METHOD_LABELS),
                         "contacted_on": _date("contacted_on")}
    column_filters = [FilterEqual(Contact.method, "方式", options=[(k.value, v) for k, v in CONTACT_METHOD_LABELS.items()])]
    column_searchable_list = ["people", "summary"]

    def get_query(self):
        return super().get_query().options(joinedload(Contact.unit))


class ReplyView(VersionedFormMixin, VoidableView):
    void_title = "作废答复"
    edit_roles = frozenset({Role.UNIT, Role.OFFICE})
    column_list = ["suggestion", "unit", "round", "reply_category", "signatory", "replied_on", "voided_reason"]
    column_labels = {"suggestion": "建议", "unit": "承办单位", "round": "轮次", "reply_category": "答复类别",
                     "signatory": "签发人", "replied_on": "答复日期", "text": "答复正文", "voided_reason": "作废理由"}
    column_formatters = {"suggestion": _suggestion_link, "reply_category": label_formatter(REPLY_CATEGORY_LABELS),
                         "replied_on": _date("replied_on"), "round": lambda v, c, m, n: "重办答复" if m.round == 2 else "首次答复"}
    column_filters = [FilterEqual(Reply.reply_category, "答复类别", options=[(k.value, v) for k, v in REPLY_CATEGORY_LABELS.items()])]
    column_searchable_list = ["text", "signatory"]
    form_columns = ["text", "signatory"]
    form_args = {"text": {"label": "答复正文"}, "signatory": {"label": "签发人"}}
    form_widget_args = {"text": {"rows": 14}}

    def get_query(self):
        return super().get_query().options(joinedload(Reply.unit))

    def update_model(self, form, model):
        if model.suggestion.state != State.REPLIED or model.voided_reason:
            flash("代表评价后或已作废的答复不能再修改。", "danger")
            return False
        return super().update_model(form, model)


def _void_form(view: RecordView, title: str):
    if not current_user.has_role(Role.OFFICE):
        return view.inaccessible_callback("void_form")
    return _batch_form(view, ReasonForm(), title, "已作废",
                       lambda record, form: workflow.void_record(current_user, record, form.reason.data))


def _batch_form(view: RecordView, form, title: str, done: str, operate):
    """A form applied to the selected records: all are done, or (on a refusal) none."""
    keys = [int(i) for i in request.args.get("ids", "").split(",") if i.isdigit()]
    records = view.get_query().filter(view.model.id.in_(keys)).all()
    if not records:
        flash("没有可操作的记录：所选记录不存在或您无权访问。", "danger")
        return redirect(url_for(".index_view"))
    if form.validate_on_submit():
        try:
            for record in records:
                operate(record, form)
        except WorkflowError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(f"{done} {len(records)} 条。", "success")
            return redirect(url_for(".index_view"))
    return view.render("admin/record_form.html", form=form, records=records, title=title,
                       return_url=url_for(".index_view"))


class RequestView(RecordView):
    """Extension and return requests: the office approves or refuses them."""

    decide = None  # the domain function that decides one request
    column_filters_status = [(k.value, v) for k, v in REQUEST_STATUS_LABELS.items()]

    def is_action_allowed(self, name):
        return current_user.has_role(Role.OFFICE)

    @action("decide", "审批")
    def action_decide(self, ids):
        return redirect(url_for(".decide_form", ids=",".join(i for i in ids if i.isdigit())))

    @expose("/decide/", methods=("GET", "POST"))
    def decide_form(self):
        if not current_user.has_role(Role.OFFICE):
            return self.inaccessible_callback("decide_form")
        decide = type(self).decide
        return _batch_form(self, DecisionForm(), "审批申请", "已审批", lambda item, form: decide(
            current_user, item, form.decision.data == "approve", form.note.data or ""))


class ExtensionRequestView(RequestView):
    decide = staticmethod(workflow.decide_extension)
    column_list = ["suggestion", "unit", "requested_due_on", "reason", "status", "requested_at", "decision_note"]
    column_labels = {"suggestion": "建议", "unit": "申请单位", "requested_due_on": "申请延期至", "reason": "理由",
                     "status": "状态", "requested_at": "申请时间", "decision_note": "审批说明"}
    column_formatters = {"suggestion": _suggestion_link, "status": label_formatter(REQUEST_STATUS_LABELS),
                         "requested_due_on": _date("requested_due_on"), "requested_at": _datetime("requested_at")}
    column_filters = [FilterEqual(ExtensionRequest.status, "状态", options=RequestView.column_filters_status)]

    def get_query(self):
        return super().get_query().options(joinedload(ExtensionRequest.unit))


class ReturnRequestView(RequestView):
    decide = staticmethod(workflow.decide_return)
    column_list = ["suggestion", "unit", "reason", "status", "requested_at", "decision_note"]
    column_labels = {"suggestion": "建议", "unit": "申请单位", "reason": "退回理由", "status": "状态",
                     "requested_at": "申请时间", "decision_note": "审批说明"}
    column_formatters = {"suggestion": _suggestion_link, "status": label_formatter(REQUEST_STATUS_LABELS),
                         "requested_at": _datetime("requested_at")}
    column_filters = [FilterEqual(ReturnRequest.status, "状态", options=RequestView.column_filters_status)]

    def get_query(self):
        return super().get_query().options(joinedload(ReturnRequest.unit))


class EvaluationView(RecordView):
    column_list = ["suggestion", "round", "level", "comment", "given_on", "on_paper"]
    column_labels = {"suggestion": "建议", "round": "轮次", "level": "评价", "comment": "代表意见",
                     "given_on": "评价日期", "on_paper": "纸质评价表"}
    column_formatters = {"suggestion": _suggestion_link, "level": label_formatter(EVALUATION_LEVEL_LABELS),
                         "given_on": _date("given_on")}
    column_filters = [FilterEqual(Evaluation.level, "评价", options=[(k.value, v) for k, v in EVALUATION_LEVEL_LABELS.items()])]


class AuditView(ScopedModelView):
    """The audit trail: readable by office, government office and committees; editable by nobody."""

    roles = STAFF_READERS
    export_roles = frozenset({Role.OFFICE})
    can_view_details = False
    column_list = ["at", "user", "action", "object_type", "object_id", "suggestion_id", "changes"]
    column_labels = {"at": "时间", "user": "操作人", "action": "操作", "object_type": "对象", "object_id": "对象编号",
                     "suggestion_id": "建议编号", "changes": "变更（原值 → 新值）"}
    column_formatters = {"at": _datetime("at"), "changes": lambda v, c, m, n: audit_text(m),
                         "object_type": lambda v, c, m, n: OBJECT_LABELS.get(m.object_type, m.object_type)}
    column_default_sort = ("id", True)
    column_filters = ["action", "object_type", "suggestion_id"]

    def scope(self):
        if current_user.has_role(Role.OFFICE):
            return AuditEntry.id.isnot(None)
        return record_scope(current_user, AuditEntry)

    def get_query(self):
        return super().get_query().options(joinedload(AuditEntry.user))

