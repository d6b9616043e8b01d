"""The office's publication grid: decide for each reply, tracked against the publication deadline."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.orm import joinedload
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from admin.base import ScopedModelView
from domain import publication as publishing
from domain.access import record_scope
from domain.workflow import WorkflowError
from forms.workflow import REQUIRED, ReasonForm
from models import Publication, Reply, db
from models.enums import Role
from models.publication import PUBLICATION_MODE_LABELS, PUBLICATION_STATUS_LABELS
from views.filters import local_date, today

OFFICE = frozenset({Role.OFFICE})


class SummaryForm(FlaskForm):
    summary = TextAreaField("经审定的公开摘要", validators=[DataRequired(REQUIRED), Length(max=20000)], render_kw={"rows": 10})


class LateFilter(BaseSQLAFilter):
    def __init__(self):
        super().__init__(Publication.due_on, "超过公开时限", options=[("1", "是")])

    def validate(self, value) -> bool:
        return value == "1"

    def operation(self):
        return ""

    def apply(self, query, value, alias=None):
        return query.filter(publishing.late(today()))


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
    if model.reply.voided_reason:
        label += "（答复已作废）"
    return label


# Actions that need a form: name → (form class, page title).
FORM_ACTIONS = {
    "publish_summary": (SummaryForm, "公开答复摘要"),
    "decline": (ReasonForm, "不予公开"),
    "withdraw": (ReasonForm, "撤回公开"),
}


class PublicationView(ScopedModelView):
    roles = OFFICE
    export_roles = OFFICE
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
    ]
    can_view_details = False

    def scope(self):
        return record_scope(current_user, Publication)

    def get_query(self):
        return super().get_query().options(
            joinedload(Publication.suggestion), joinedload(Publication.reply).joinedload(Reply.unit)
        )

    def is_action_allowed(self, name):
        return current_user.has_role(Role.OFFICE)

    def _selected(self, ids) -> list[Publication]:
        keys = [int(i) for i in ids if str(i).isdigit() and len(str(i)) < 10]
        return self.get_query().filter(Publication.id.in_(keys)).order_by(Publication.id).all()

    @action("publish_full", "公开全文", "确定公开所选答复的全文吗？")
    def action_publish_full(self, ids):
        done, refused = 0, []
        for item in self._selected(ids):
            try:
                publishing.publish(current_user, item, today())
                done += 1
            except WorkflowError as error:
                refused.append(f"{item.suggestion}：{error}")
        db.session.commit()
        if done:
            flash(f"公开全文：已完成 {done} 条。", "success")
        for message in refused:
            flash(message, "danger")

    @action("publish_summary", "公开摘要")
    def action_publish_summary(self, ids):
        return self._open_form("publish_summary", ids)

    @action("decline", "不予公开")
    def action_decline(self, ids):
        return self._open_form("decline", ids)

    @action("withdraw", "撤回公开")
    def action_withdraw(self, ids):
        return self._open_form("withdraw", ids)

    def _open_form(self, name: str, ids):
        keys = [str(i) for i in ids if str(i).isdigit()]
        if name == "publish_summary" and len(keys) > 1:
            flash("公开摘要一次只能对一条答复操作。", "warning")
            return redirect(url_for(".index_view"))
        return redirect(url_for(".decision_form", decision=name, ids=",".join(keys)))

    @expose("/decide/<decision>/", methods=("GET", "POST"))
    def decision_form(self, decision: str):
        name = decision
        if name not in FORM_ACTIONS:
            abort(404)
        form_class, title = FORM_ACTIONS[name]
        publications = self._selected(request.args.get("ids", "").split(","))
        if not publications:
            flash("没有可操作的记录：所选记录不存在或您无权访问。", "danger")
            return redirect(url_for(".index_view"))
        form = form_class()
        if name == "publish_summary" and request.method == "GET":
            form.summary.data = publications[0].summary or publications[0].reply.text
        if form.validate_on_submit():
            try:
                for item in publications:
                    self._decide(name, form, item)
            except WorkflowError as error:
                db.session.rollback()
                flash(f"{item.suggestion}：{error}", "danger")
            else:
                db.session.commit()
                flash(f"{title}：已完成 {len(publications)} 条。", "success")
                return redirect(url_for(".index_view"))
        return self.render("admin/publication_form.html", form=form, publications=publications, title=title,
                           return_url=url_for(".index_view"))

    def _decide(self, name: str, form, item: Publication) -> None:
        if name == "publish_summary":
            publishing.publish(current_user, item, today(), summary=form.summary.data)
        elif name == "decline":
            publishing.decline(current_user, item, form.reason.data, today())
        else:
            publishing.withdraw(current_user, item, form.reason.data, today())
