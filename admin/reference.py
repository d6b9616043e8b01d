"""Reference data and settings the office keeps, and user accounts: every save goes through domain.reference
or domain.accounts (role, version, values, duplicates), every grid lists its columns, nothing is deleted."""
from __future__ import annotations

from wtforms import PasswordField, SelectMultipleField
from wtforms.validators import Length, Optional

from admin.base import ScopedModelView
from domain import accounts, reference
from domain.access import REFERENCE_ADMINISTRATORS
from domain.rules import RULE_UNIT_LABELS
from models import (
    User,
)
from models.enums import CATEGORY_LABELS, ROLE_LABELS
from web.format import label_formatter, local_datetime


class ReferenceView(ScopedModelView):
    """A kind of reference data (domain.reference.KINDS): its form fields and labels come from its declaration."""

    column_default_sort = "id"

    def __init__(self, model, *args, **kwargs):
        kind = reference.KINDS[model]
        roles = frozenset(REFERENCE_ADMINISTRATORS[model])
        self.roles = self.edit_roles = self.export_roles = roles
        self.create_roles = roles if kind.can_create else frozenset()
        self.form_columns = list(kind.fields)
        self.column_labels = {**kind.labels, **(self.column_labels or {})}
        self.form_args = {name: {"label": label, **(self.form_args or {}).get(name, {})} for name, label in kind.labels.items()}
        super().__init__(model, *args, **kwargs)

    def _values(self, form) -> dict:
        return {name: form[name].data for name in self.form_columns}

    def create(self, actor, form):
        return reference.save(actor, self.model, None, self._values(form))

    def update(self, actor, form, model):
        reference.save(actor, self.model, model, self._values(form), expected_version=self.version_of(form))


def _yes_no(name):
    return lambda view, context, model, _: "是" if getattr(model, name) else "否"


class TownshipView(ReferenceView):
    column_list = ["name"]
    column_searchable_list = ["name"]


class DeputyGroupView(ReferenceView):
    column_list = ["name", "township"]
    column_searchable_list = ["name"]


class DeputyView(ReferenceView):
    column_list = ["name", "township", "deputy_group", "occupation", "phone"]
    column_searchable_list = ["name"]
    column_filters = ["township.name"]
    column_labels = {"township.name": "镇街"}


class CommitteeView(ReferenceView):
    column_list = ["name"]


class UnitView(ReferenceView):
    column_list = ["name", "committee", "notify_phone", "notify_email"]
    column_searchable_list = ["name"]


class CongressSessionView(ReferenceView):
    column_list = ["name", "year", "opens_on", "closes_on", "pre_submission_opens_on", "pre_submission_closes_on"]


class RuleSettingView(ReferenceView):
    column_list = ["label", "amount", "unit"]
    column_labels = {"label": "规则"}
    column_formatters = {"unit": lambda v, c, m, n: RULE_UNIT_LABELS.get(m.unit, m.unit)}
    form_choices = {"unit": list(RULE_UNIT_LABELS.items())}


class CalendarDayView(ReferenceView):
    column_list = ["day", "is_workday", "note"]
    column_formatters = {"is_workday": _yes_no("is_workday")}
    column_default_sort = ("day", True)


class NotAcceptedReasonView(ReferenceView):
    """The list of reasons offered when a suggestion is not accepted (不予立案)."""

    column_list = ["label", "position", "active"]
    column_formatters = {"active": _yes_no("active")}
    column_default_sort = "position"


class CategoryCommitteeView(ReferenceView):
    """Which committee pre-reviews the drafts of each category."""

    column_list = ["category", "committee"]
    column_formatters = {"category": label_formatter(CATEGORY_LABELS)}
    form_choices = {"category": [(k.value, v) for k, v in CATEGORY_LABELS.items()]}
    column_default_sort = "category"


class UserView(ScopedModelView):
    """Accounts: created and changed through domain.accounts; deactivated, reactivated and reset as actions."""

    roles = edit_roles = create_roles = export_roles = frozenset(REFERENCE_ADMINISTRATORS[User])
    action_names = ("deactivate", "reactivate", "reset_password")
    column_list = ["username", "display_name", "role_names", "unit", "committee", "township", "deputy", "active",
                   "must_change_password", "created_at"]
    column_labels = {"username": "用户名", "display_name": "姓名", "role_names": "角色", "unit": "承办单位",
                     "committee": "委室", "township": "镇街", "deputy": "代表", "active": "启用",
                     "must_change_password": "待修改密码", "created_at": "创建时间"}
    column_formatters = {"role_names": lambda v, c, m, n: "、".join(ROLE_LABELS[r] for r in sorted(m.roles)),
                         "active": _yes_no("active"), "must_change_password": _yes_no("must_change_password"),
                         "created_at": lambda v, c, m, n: local_datetime(m.created_at)}
    column_export_list = ["username", "display_name", "role_names", "unit", "committee", "township", "deputy", "active"]
    column_searchable_list = ["username", "display_name"]
    form_columns = ["username", "display_name", "role_list", "password", "unit", "committee", "township", "deputy"]
    form_extra_fields = {
        "role_list": SelectMultipleField("角色", choices=[(r.value, label) for r, label in ROLE_LABELS.items()]),
        "password": PasswordField("初始密码（新建时必填；已有账号请用“重置密码”）", validators=[Optional(), Length(max=200)]),
    }
    form_args = {"username": {"label": "用户名"}, "display_name": {"label": "姓名"}, "unit": {"label": "承办单位"},
                 "committee": {"label": "委室"}, "township": {"label": "镇街"}, "deputy": {"label": "代表"}}
    form_ajax_refs = {"deputy": {"fields": ["name"], "page_size": 10}}

    def on_form_prefill(self, form, id):
        form.role_list.data = [r.value for r in self.get_one(id).roles]

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        del form.password  # an existing account's password is reset by the action, never edited here
        return form

    def _save(self, actor, form, user):
        return accounts.save_user(
            actor, user, username=form.username.data or "", display_name=form.display_name.data or "",
            roles=form.role_list.data or [], unit=form.unit.data, committee=form.committee.data,
            township=form.township.data, deputy=form.deputy.data,
            password=form.password.data if "password" in form else "", expected_version=self.version_of(form),
        )

    def create(self, actor, form):
        return self._save(actor, form, None)

    def update(self, actor, form, model):
        self._save(actor, form, model)
