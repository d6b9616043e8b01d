"""Reference data that the office maintains: organisations, people, sessions, users, rules, calendar."""
from __future__ import annotations

from flask import flash
from flask_login import current_user
from wtforms import PasswordField, SelectMultipleField
from wtforms.validators import Length, Optional

from admin.base import ScopedModelView
from domain.rules import DEFAULTS, MONTH_DAY, RULE_UNIT_LABELS, month_day
from models.enums import CATEGORY_LABELS, ROLE_LABELS, Role

OFFICE = frozenset({Role.OFFICE})


class ReferenceView(ScopedModelView):
    roles = OFFICE
    create_roles = OFFICE
    edit_roles = OFFICE
    export_roles = OFFICE
    column_default_sort = "id"


class TownshipView(ReferenceView):
    column_labels = {"name": "名称"}
    form_columns = ["name"]
    column_searchable_list = ["name"]


class DeputyGroupView(ReferenceView):
    column_list = ["name", "township"]
    column_labels = {"name": "名称", "township": "镇街"}
    form_columns = ["name", "township"]
    column_searchable_list = ["name"]


class DeputyView(ReferenceView):
    column_list = ["name", "township", "deputy_group", "occupation", "phone"]
    column_labels = {"name": "姓名", "township": "镇街", "deputy_group": "代表小组", "occupation": "职业",
                     "phone": "手机", "id_number": "身份证号", "address": "地址"}
    form_columns = ["name", "township", "deputy_group", "occupation", "phone", "id_number", "address"]
    column_searchable_list = ["name"]
    column_filters = ["township.name"]


class CommitteeView(ReferenceView):
    column_labels = {"name": "名称"}
    form_columns = ["name"]


class UnitView(ReferenceView):
    column_list = ["name", "committee", "notify_phone", "notify_email"]
    column_labels = {"name": "名称", "committee": "联系委室", "notify_phone": "通知手机", "notify_email": "通知邮箱"}
    form_columns = ["name", "committee", "notify_phone", "notify_email"]
    column_searchable_list = ["name"]


class CongressSessionView(ReferenceView):
    column_labels = {"name": "名称", "year": "年度", "opens_on": "开幕日期", "closes_on": "闭幕日期",
                     "pre_submission_opens_on": "预交开始（空则会前2个月）", "pre_submission_closes_on": "预交截止（空则会前15天）"}
    form_columns = ["name", "year", "opens_on", "closes_on", "pre_submission_opens_on", "pre_submission_closes_on"]


class UserView(ReferenceView):
    column_list = ["username", "display_name", "role_names", "unit", "committee", "township", "deputy", "active"]
    column_labels = {"username": "用户名", "display_name": "姓名", "role_names": "角色", "unit": "承办单位",
                     "committee": "委室", "township": "镇街", "deputy": "代表", "active": "启用"}
    column_formatters = {"role_names": lambda v, c, m, n: "、".join(ROLE_LABELS[r] for r in sorted(m.roles))}
    column_searchable_list = ["username", "display_name"]
    form_columns = ["username", "display_name", "role_list", "new_password", "active", "unit", "committee", "township", "deputy"]
    form_extra_fields = {
        "role_list": SelectMultipleField("角色", choices=[(r.value, label) for r, label in ROLE_LABELS.items()]),
        "new_password": PasswordField("新密码（留空则不修改）", validators=[Optional(), Length(min=8, max=200, message="密码至少 8 位。")]),
    }
    form_ajax_refs = {"deputy": {"fields": ["name"], "page_size": 10}}

    def on_form_prefill(self, form, id):
        form.role_list.data = [r.value for r in self.get_one(id).roles]

    def on_model_change(self, form, model, is_created):
        if is_created and not form.new_password.data:
            raise ValueError("新建用户须设置密码。")
        if form.new_password.data:
            model.set_password(form.new_password.data)
        model.roles = {Role(r) for r in form.role_list.data}
        if model.id == current_user.id and Role.OFFICE not in model.roles:
            raise ValueError("不能取消自己的代表工委角色。")

    def handle_view_exception(self, exc):
        if isinstance(exc, ValueError):
            flash(str(exc), "danger")
            return True
        return super().handle_view_exception(exc)


class RuleSettingView(ReferenceView):
    create_roles = frozenset()
    column_list = ["label", "amount", "unit"]
    column_labels = {"label": "规则", "amount": "数值", "unit": "单位"}
    column_formatters = {"unit": lambda v, c, m, n: RULE_UNIT_LABELS.get(m.unit, m.unit)}
    form_columns = ["amount", "unit"]
    form_choices = {"unit": list(RULE_UNIT_LABELS.items())}
    form_args = {"amount": {"label": "数值"}, "unit": {"label": "单位"}}

    def on_model_change(self, form, model, is_created):
        default = DEFAULTS.get(model.key)
        if default and (default.unit == MONTH_DAY) != (model.unit == MONTH_DAY):
            raise ValueError("该规则的单位不能改为此类型。")
        if model.unit == MONTH_DAY:
            try:
                month_day(model.amount or 0, 2024)
            except ValueError:
                raise ValueError("请按月日填写，如 1101 表示11月1日。") from None
        elif model.amount is None or model.amount < 0 or model.amount > 366:
            raise ValueError("数值须在 0 到 366 之间。")

    handle_view_exception = UserView.handle_view_exception


class CalendarDayView(ReferenceView):
    column_labels = {"day": "日期", "is_workday": "是否工作日", "note": "说明"}
    form_columns = ["day", "is_workday", "note"]
    column_default_sort = ("day", True)


class NotAcceptedReasonView(ReferenceView):
    """The list of reasons offered when a suggestion is not accepted (不予立案)."""

    column_list = ["label", "position", "active"]
    column_labels = {"label": "理由", "position": "排序", "active": "启用"}
    form_columns = ["label", "position", "active"]
    column_default_sort = "position"


class CategoryCommitteeView(ReferenceView):
    """Which committee pre-reviews the drafts of each category."""

    column_list = ["category", "committee"]
    column_labels = {"category": "类别", "committee": "初审委室"}
    column_formatters = {"category": lambda v, c, m, n: CATEGORY_LABELS.get(m.category, m.category)}
    form_columns = ["category", "committee"]
    form_choices = {"category": [(k.value, v) for k, v in CATEGORY_LABELS.items()]}
    column_default_sort = "category"
