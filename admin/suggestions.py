"""The suggestion grid and its details page; the workflow actions are declared in domain.workflow."""
from __future__ import annotations

from flask import request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from admin.base import ALL_STAFF, ScopedModelView
from admin.drafts import pre_congress_panels
from admin.filters import (
    CommitteeFilter,
    DueSoonFilter,
    OverdueFilter,
    SessionFilter,
    TownshipFilter,
    UnitFilter,
)
from admin.supervision import may_print, supervision_details, supervision_read_actions
from domain import actions, states, workflow
from domain.access import REVIEW_ROLES, record_scope
from domain.clock import today
from models import (
    AuditEntry,
    Contact,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReturnRequest,
    Suggestion,
    db,
)
from models.enums import (
    ASSIGNMENT_ROLE_LABELS,
    CATEGORY_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
    Role,
)
from web.format import label_formatter, local_date

# The suggestion's actions offered in the grid, and those offered only on its page (the panels' forms).
GRID_ACTIONS = (
    "pre_submit", "start_review", "return_for_revision", "submit", "assign", "sign", "request_return", "record_contact",
    "record_opinion", "request_extension", "reply", "record_paper_evaluation", "close", "rehandle", "not_accept", "merge",
    "withdraw", "propose_key",
)
PAGE_ACTIONS = ("add_review_comment", "record_preparation_step", "add_co_signer", "remove_co_signer", "set_supervision_class")


def due_on_cell(view, context, model, name):
    if not model.due_on:
        return ""
    text = local_date(model.due_on)
    if states.is_overdue(model, today()):
        return Markup('<span class="badge badge-danger">超期</span> ') + text
    return text


def units_cell(view, context, model, name):
    return "、".join(f"{a.unit.name}（{ASSIGNMENT_ROLE_LABELS[a.role]}）" for a in model.active_assignments)


def title_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for("suggestion.details_view", id=model.id), model.title)


class SuggestionEditForm(FlaskForm):
    title = StringField("标题", validators=[DataRequired("此项为必填项。"), Length(max=200)])
    body = TextAreaField("正文", validators=[DataRequired("此项为必填项。"), Length(max=50000)], render_kw={"rows": 12})
    category = SelectField("类别", choices=[(k.value, v) for k, v in CATEGORY_LABELS.items()])
    confidential = SelectField("是否涉密/不公开", choices=[("0", "否"), ("1", "是")], coerce=lambda v: v in (True, "1", 1))
    version = HiddenField()


class SuggestionView(ScopedModelView):
    roles = ALL_STAFF
    create_roles = frozenset({Role.OFFICE})
    edit_roles = frozenset({Role.OFFICE})
    export_roles = ALL_STAFF
    can_view_details = True
    details_template = "admin/suggestion_details.html"
    action_row_template = "admin/_suggestion_row.html"
    action_names = GRID_ACTIONS + PAGE_ACTIONS

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
        "due_on": due_on_cell,
        "units": units_cell,
        "title": title_link,
        "assigned_on": lambda v, c, m, n: local_date(m.assigned_on),
    }
    column_export_list = ["number_label", "title", "lead_deputy", "source", "category", "state", "units", "assigned_on", "due_on"]
    column_formatters_export = {
        "source": label_formatter(SOURCE_LABELS),
        "category": label_formatter(CATEGORY_LABELS),
        "state": label_formatter(STATE_LABELS),
        "units": units_cell,
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
        "session": {"label": "届次（大会建议必选）"},
    }

    def init_actions(self) -> None:
        super().init_actions()
        self._actions = [(name, label) for name, label in self._actions if name not in PAGE_ACTIONS]

    def read_actions(self) -> dict:
        return supervision_read_actions(self)

    def read_action_allowed(self, name: str) -> bool:
        return may_print(current_user)

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

    # --- create and edit go through the domain ---------------------------------------

    def create(self, actor, form):
        suggestion = Suggestion(
            source=form.source.data, session=form.session.data, category=form.category.data,
            title=form.title.data or "", body=form.body.data or "", lead_deputy=form.lead_deputy.data,
            co_signers=list(form.co_signers.data or []), confidential=bool(form.confidential.data),
        )
        return workflow.register(actor, suggestion, form.received_on.data)

    def update(self, actor, form, model):
        workflow.edit(actor, model, title=form.title.data, body=form.body.data, category=form.category.data,
                      confidential=form.confidential.data, expected_version=self.version_of(form))

    def get_save_return_url(self, model, is_created=False):
        return url_for(".details_view", id=model.id)

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
        offered = {name: self.declared_actions[name] for name in GRID_ACTIONS}
        return self.render(
            self.details_template, model=suggestion, actions=actions.allowed(offered, current_user, suggestion),
            audit_entries=audit_entries, return_url=url_for(".index_view"), **records,
            **supervision_details(current_user, suggestion),
            **pre_congress_panels(suggestion),
        )
