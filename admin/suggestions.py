"""The suggestion grid, its details page, and every workflow action."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from admin.base import ALL_STAFF, ScopedModelView, VersionedFormMixin
from admin.drafts import pre_congress_panels
from admin.filters import (
    CommitteeFilter,
    DueSoonFilter,
    OverdueFilter,
    SessionFilter,
    TownshipFilter,
    UnitFilter,
)
from admin.supervision import SuggestionSupervisionActions, supervision_details
from domain import drafting, workflow
from domain.access import record_scope, suggestion_scope
from domain.workflow import TRANSITIONS, WorkflowError
from forms.drafting import NotAcceptForm
from forms.workflow import (
    AssignForm,
    ContactForm,
    EvaluateForm,
    ExtensionForm,
    MergeForm,
    OpinionForm,
    ReasonForm,
    ReplyForm,
)
from models import (
    AuditEntry,
    Contact,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReturnRequest,
    Suggestion,
    Unit,
    db,
)
from models.enums import (
    ASSIGNMENT_ROLE_LABELS,
    CATEGORY_LABELS,
    OPEN_STATES,
    SOURCE_LABELS,
    STATE_LABELS,
    Role,
)
from views.filters import label_formatter, local_date, today

REVIEW_ROLES = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE})


def _due_on(view, context, model, name):
    if not model.due_on:
        return ""
    text = local_date(model.due_on)
    if model.state in OPEN_STATES and model.due_on < today():
        return Markup('<span class="badge badge-danger">超期</span> ') + text
    return text


def _units(view, context, model, name):
    parts = [f"{a.unit.name}（{ASSIGNMENT_ROLE_LABELS[a.role]}）" for a in model.active_assignments]
    return "、".join(parts)


def _title_link(view, context, model, name):
    url = url_for(".details_view", id=model.id)
    return Markup('<a href="{}">{}</a>').format(url, model.title)


class SuggestionEditForm(FlaskForm):
    title = StringField("标题", validators=[DataRequired("此项为必填项。"), Length(max=200)])
    body = TextAreaField("正文", validators=[DataRequired("此项为必填项。"), Length(max=50000)], render_kw={"rows": 12})
    category = SelectField("类别", choices=[(k.value, v) for k, v in CATEGORY_LABELS.items()])
    confidential = SelectField("是否涉密/不公开", choices=[("0", "否"), ("1", "是")], coerce=lambda v: v in (True, "1", 1))
    version = HiddenField()


# Actions whose input comes from a form page: name → (form class, page title).
FORM_ACTIONS = {
    "assign": AssignForm,
    "return_for_revision": ReasonForm,
    "record_contact": ContactForm,
    "record_opinion": OpinionForm,
    "request_extension": ExtensionForm,
    "request_return": ReasonForm,
    "reply": ReplyForm,
    "evaluate": EvaluateForm,
    "not_accept": NotAcceptForm,
    "merge": MergeForm,
    "withdraw": ReasonForm,
}
BULK_FORM_ACTIONS = {"assign", "not_accept", "withdraw", "return_for_revision"}
DEPUTY_PAGE_ACTIONS = {"evaluate"}


class SuggestionView(SuggestionSupervisionActions, VersionedFormMixin, ScopedModelView):
    roles = ALL_STAFF
    create_roles = frozenset({Role.OFFICE})
    edit_roles = frozenset({Role.OFFICE})
    export_roles = ALL_STAFF
    details_template = "admin/suggestion_details.html"
    form_template = "admin/workflow_form.html"

    column_list = ["number_label", "title", "lead_deputy", "source", "category", "state", "units", "assigned_on", "due_on"]
    column_labels = {
        "number_label": "案号", "title": "标题", "lead_deputy": "领衔代表", "lead_deputy.name": "领衔代表",
        "source": "来源", "category": "类别", "state": "状态", "units": "承办单位", "assigned_on": "交办日期",
        "due_on": "当前期限", "session": "届次", "body": "正文", "co_signers": "附议代表",
        "confidential": "不公开", "received_on": "收到日期", "year": "年度",
    }
    column_sortable_list = ["number_label", "title", "state", "category", "assigned_on", "due_on", ("lead_deputy", "lead_deputy.name")]
    column_default_sort = ("id", True)
    column_searchable_list = ["title", "number_label", "lead_deputy.name"]
    column_formatters = {
        "source": label_formatter(SOURCE_LABELS),
        "category": label_formatter(CATEGORY_LABELS),
        "state": label_formatter(STATE_LABELS),
        "due_on": _due_on,
        "units": _units,
        "title": _title_link,
        "assigned_on": lambda v, c, m, n: local_date(m.assigned_on),
    }
    column_export_list = ["number_label", "title", "lead_deputy", "source", "category", "state", "units", "assigned_on", "due_on"]
    column_formatters_export = {
        "source": label_formatter(SOURCE_LABELS),
        "category": label_formatter(CATEGORY_LABELS),
        "state": label_formatter(STATE_LABELS),
        "units": _units,
        "lead_deputy": lambda v, c, m, n: m.lead_deputy.name,
        "due_on": lambda v, c, m, n: local_date(m.due_on),
        "assigned_on": lambda v, c, m, n: local_date(m.assigned_on),
        "title": lambda v, c, m, n: m.title,
    }
    column_filters = [
        SessionFilter(),
        FilterEqual(Suggestion.state, "状态", options=[(k.value, v) for k, v in STATE_LABELS.items()]),
        FilterEqual(Suggestion.category, "类别", options=[(k.value, v) for k, v in CATEGORY_LABELS.items()]),
        FilterEqual(Suggestion.source, "来源", options=[(k.value, v) for k, v in SOURCE_LABELS.items()]),
        UnitFilter(),
        TownshipFilter(),
        CommitteeFilter(),
        OverdueFilter(),
        DueSoonFilter(),
    ]
    form_columns = ["source", "session", "received_on", "category", "title", "body", "lead_deputy", "co_signers", "confidential"]
    form_choices = {
        "source": [(k.value, v) for k, v in SOURCE_LABELS.items()],
        "category": [(k.value, v) for k, v in CATEGORY_LABELS.items()],
    }
    form_ajax_refs = {
        "lead_deputy": {"fields": ["name"], "page_size": 10},
        "co_signers": {"fields": ["name"], "page_size": 10},
    }
    form_extra_fields = {
        "received_on": DateField("收到日期", validators=[InputRequired("请填写收到日期。")], format="%Y-%m-%d", default=today),
    }
    form_args = {
        "title": {"validators": [DataRequired("此项为必填项。"), Length(max=200)]},
        "body": {"validators": [DataRequired("此项为必填项。")]},
        "lead_deputy": {"validators": [DataRequired("请选择领衔代表。")]},
    }

    def scope(self):
        return suggestion_scope(current_user)

    def get_query(self):
        return super().get_query().options(
            joinedload(Suggestion.lead_deputy), selectinload(Suggestion.assignments)
        )

    def filter_url_arg(self, filter_class) -> str:
        """The query-string key that applies a filter of this class, e.g. for links from the home page."""
        index, flt = next((i, f) for i, f in enumerate(self._filters) if isinstance(f, filter_class))
        return f"flt0_{self.get_filter_arg(index, flt)}"

    def _get_filter_groups(self):
        self._refresh_filters_cache()  # units, townships, committees and sessions change at run time
        return super()._get_filter_groups()

    def get_edit_form(self):
        return SuggestionEditForm

    def is_action_allowed(self, name: str) -> bool:
        transition = TRANSITIONS.get(name)
        if name in DEPUTY_PAGE_ACTIONS:  # deputies evaluate in their own pages (/my/); here the office records paper forms
            return current_user.has_role(Role.OFFICE)
        if transition is None:
            return super().is_action_allowed(name)  # the supervision actions
        return current_user.has_role(*transition.roles)

    # --- create and edit go through the domain ---------------------------------------

    def create_model(self, form):
        suggestion = Suggestion(
            source=form.source.data, session=form.session.data, category=form.category.data,
            title=form.title.data or "", body=form.body.data or "", lead_deputy=form.lead_deputy.data,
            co_signers=list(form.co_signers.data or []), confidential=bool(form.confidential.data),
        )
        try:
            workflow.register(current_user, suggestion, form.received_on.data)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return False
        flash(f"已登记建议，案号 {suggestion.display_number}。", "success")
        return suggestion

    # --- details -------------------------------------------------------------------------

    @expose("/details/")
    def details_view(self):
        suggestion = self.get_one(request.args.get("id"))
        records = {
            name: db.session.scalars(
                select(model).where(model.suggestion_id == suggestion.id, record_scope(current_user, model)).order_by(model.id)
            ).all()
            for name, model in [
                ("contacts", Contact), ("replies", Reply), ("extensions", ExtensionRequest),
                ("return_requests", ReturnRequest), ("evaluations", Evaluation),
            ]
        }
        audit_entries = []
        if current_user.has_role(*REVIEW_ROLES):
            audit_entries = db.session.scalars(
                select(AuditEntry).options(joinedload(AuditEntry.user))
                .where(AuditEntry.suggestion_id == suggestion.id).order_by(AuditEntry.id.desc())
            ).all()
        return self.render(
            self.details_template, model=suggestion, actions=self._available_actions(suggestion),
            audit_entries=audit_entries, return_url=url_for(".index_view"), form_actions=FORM_ACTIONS, **records,
            **supervision_details(current_user, suggestion),
            **pre_congress_panels(suggestion),
        )

    def _available_actions(self, suggestion):
        return [(name, TRANSITIONS[name].label) for name in workflow.allowed_actions(current_user, suggestion)
                if name in self._actions_data and self.is_action_allowed(name)]

    # --- list actions --------------------------------------------------------------------

    def _visible(self, ids) -> list[Suggestion]:
        keys = [int(i) for i in ids if str(i).isdigit()]
        return self.get_query().filter(Suggestion.id.in_(keys)).order_by(Suggestion.id).all()

    def _run_each(self, ids, label: str, operation) -> None:
        """Apply one operation to each selected suggestion; report what was done and what was refused."""
        suggestions = self._visible(ids)
        if not suggestions:
            flash("没有可操作的建议：所选记录不存在或您无权访问。", "danger")
            return
        done, refused = 0, []
        for suggestion in suggestions:
            try:
                operation(suggestion)
                done += 1
            except WorkflowError as error:
                refused.append(str(error))
        db.session.commit()
        if done:
            flash(f"{label}：已完成 {done} 条。", "success")
        for message in refused:
            flash(message, "danger")

    def _open_form(self, name: str, ids):
        keys = [str(i) for i in ids if str(i).isdigit()]
        if len(keys) > 1 and name not in BULK_FORM_ACTIONS:
            flash(f"“{TRANSITIONS[name].label}”一次只能对一条建议操作。", "warning")
            return redirect(url_for(".index_view"))
        return redirect(url_for(".workflow_form", action_name=name, ids=",".join(keys)))

    @action("pre_submit", "预交")
    def action_pre_submit(self, ids):
        self._run_each(ids, "预交", lambda s: workflow.pre_submit(current_user, s, today()))

    @action("start_review", "开始初审")
    def action_start_review(self, ids):
        self._run_each(ids, "开始初审", lambda s: workflow.start_review(current_user, s))

    @action("return_for_revision", "退回修改")
    def action_return_for_revision(self, ids):
        return self._open_form("return_for_revision", ids)

    @action("submit", "正式提交并编号", "确定将所选建议正式提交并编号吗？")
    def action_submit(self, ids):
        self._run_each(ids, "正式提交并编号", lambda s: workflow.submit(current_user, s, today()))

    @action("assign", "交办")
    def action_assign(self, ids):
        return self._open_form("assign", ids)

    @action("sign", "签收")
    def action_sign(self, ids):
        self._run_each(ids, "签收", lambda s: workflow.sign(current_user, s))

    @action("request_return", "申请退回")
    def action_request_return(self, ids):
        return self._open_form("request_return", ids)

    @action("record_contact", "记录沟通")
    def action_record_contact(self, ids):
        return self._open_form("record_contact", ids)

    @action("record_opinion", "提交协办意见")
    def action_record_opinion(self, ids):
        return self._open_form("record_opinion", ids)

    @action("request_extension", "申请延期")
    def action_request_extension(self, ids):
        return self._open_form("request_extension", ids)

    @action("reply", "答复")
    def action_reply(self, ids):
        return self._open_form("reply", ids)

    @action("evaluate", "录入纸质评价")
    def action_evaluate(self, ids):
        return self._open_form("evaluate", ids)

    @action("close", "办结", "确定将所选建议办结吗？")
    def action_close(self, ids):
        self._run_each(ids, "办结", lambda s: workflow.close(current_user, s))

    @action("rehandle", "转重办", "确定将所选建议转重办吗？")
    def action_rehandle(self, ids):
        self._run_each(ids, "转重办", lambda s: workflow.rehandle(current_user, s, today()))

    @action("not_accept", "不予立案")
    def action_not_accept(self, ids):
        return self._open_form("not_accept", ids)

    @action("merge", "并案")
    def action_merge(self, ids):
        return self._open_form("merge", ids)

    @action("withdraw", "撤回")
    def action_withdraw(self, ids):
        return self._open_form("withdraw", ids)

    # --- form pages for actions that need input --------------------------------------------

    @expose("/act/<action_name>/", methods=("GET", "POST"))
    def workflow_form(self, action_name: str):
        if action_name not in FORM_ACTIONS:
            abort(404)
        if not self.is_action_allowed(action_name):
            abort(403)
        suggestions = self._visible(request.args.get("ids", "").split(","))
        if not suggestions:
            abort(404)
        form = FORM_ACTIONS[action_name]()
        if action_name == "assign":
            form.set_units(db.session.scalars(select(Unit).order_by(Unit.id)))
        if action_name == "not_accept":
            form.reason.choices = [(reason, reason) for reason in drafting.not_accepted_reasons()]
        if form.validate_on_submit():
            try:
                for suggestion in suggestions:
                    self._perform(action_name, form, suggestion)
            except WorkflowError as error:
                db.session.rollback()
                flash(str(error), "danger")
            else:
                db.session.commit()
                flash(f"{TRANSITIONS[action_name].label}：已完成 {len(suggestions)} 条。", "success")
                if len(suggestions) == 1:
                    return redirect(url_for(".details_view", id=suggestions[0].id))
                return redirect(url_for(".index_view"))
        elif request.method == "POST":
            flash("表单有误，请按提示修改后再提交。", "danger")
        return self.render(
            self.form_template, form=form, suggestions=suggestions, title=TRANSITIONS[action_name].label,
            return_url=url_for(".index_view"),
        )

    def _perform(self, name: str, form, suggestion: Suggestion) -> None:
        actor, now = current_user, today()
        if name == "assign":
            self._assign(form, suggestion)
        elif name == "return_for_revision":
            workflow.return_for_revision(actor, suggestion, form.reason.data)
        elif name == "record_contact":
            workflow.record_contact(actor, suggestion, contacted_on=form.contacted_on.data, method=form.method.data,
                                    people=form.people.data, summary=form.summary.data, today=now)
        elif name == "record_opinion":
            workflow.record_opinion(actor, suggestion, form.opinion.data)
        elif name == "request_extension":
            workflow.request_extension(actor, suggestion, form.requested_due_on.data, form.reason.data)
        elif name == "request_return":
            workflow.request_return(actor, suggestion, form.reason.data, now)
        elif name == "reply":
            workflow.reply(actor, suggestion, reply_category=form.reply_category.data, text=form.text.data,
                           signatory=form.signatory.data, replied_on=form.replied_on.data,
                           commitments=form.commitment_pairs(), today=now)
        elif name == "evaluate":
            workflow.evaluate(actor, suggestion, level=form.level.data, comment=form.comment.data or "",
                              given_on=form.given_on.data, today=now, scanned_form=form.scanned_form.data)
        elif name == "not_accept":
            drafting.refuse(actor, suggestion, form.reason.data, form.note.data or "")
        elif name == "merge":
            workflow.merge(actor, suggestion, self._merge_target(form.target_number.data))
        elif name == "withdraw":
            workflow.withdraw(actor, suggestion, form.reason.data)

    def _assign(self, form: AssignForm, suggestion: Suggestion) -> None:
        units = {u.id: u for u in db.session.scalars(select(Unit))}
        if form.mode.data == "split":
            workflow.assign(current_user, suggestion, lead_unit=None,
                            split_units=[units[i] for i in form.split_units.data], today=today())
        else:
            workflow.assign(current_user, suggestion, lead_unit=units.get(form.lead_unit.data),
                            co_handlers=[units[i] for i in form.co_handlers.data], today=today())

    def _merge_target(self, number_label: str) -> Suggestion:
        target = self.get_query().filter(Suggestion.number_label == number_label.strip()).order_by(Suggestion.id.desc()).first()
        if target is None:
            raise WorkflowError(f"找不到案号为“{number_label.strip()}”的建议。")
        return target
