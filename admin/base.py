"""Base classes of the back office: login and role checks, row-level scope, the declared actions, and writes
that go only through the domain.

A grid lists its columns and its actions explicitly. Its rows, counts, details, exports, ajax look-ups and
the rows its actions act on all come through domain.access; a model whose scope is not defined there shows
nothing. Flask-Admin's generic writes are closed: create and edit call the view's `create` / `update`, which
call a domain function, inside the request boundary; nothing is ever deleted.
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.validators import Unique
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField

from domain import access
from domain.catalogue import actions_on
from forms import ACTION_FORMS
from forms.base import ActionForm
from models.enums import Role
from web import boundary
from web.urls import local_path

ALL_STAFF = frozenset(Role)
# Flask-Admin endpoint → the permission attribute that guards it.
GUARDED_ENDPOINTS = {
    "create_view": "can_create",
    "edit_view": "can_edit",
    "delete_view": "can_delete",
    "export": "can_export",
    "details_view": "can_view_details",
    "ajax_update": "can_edit",
}


def _roles_of_current_user() -> set[Role]:
    return current_user.roles if current_user.is_authenticated else set()


class RoleGuard:
    """Anonymous users go to the login page; users without one of `roles` get 403."""

    roles: frozenset[Role] = frozenset({Role.OFFICE})

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and bool(_roles_of_current_user() & self.roles)

    def is_visible(self) -> bool:
        return self.is_accessible()

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)


class StaffView(RoleGuard, BaseView):
    pass


class ScopedModelView(RoleGuard, ModelView):
    """A grid whose every path is filtered by the row-level scope, with the declared actions `action_names`.

    `edit_roles` and `create_roles` decide who may open the forms; `create` and `update` carry them out
    through the domain. Nothing is ever deleted.
    """

    form_base_class = FlaskForm
    can_delete = False
    can_view_details = False
    can_set_page_size = True
    page_size = 20
    edit_roles: frozenset[Role] = frozenset()
    create_roles: frozenset[Role] = frozenset()
    export_roles: frozenset[Role] = frozenset()
    action_names: tuple[str, ...] = ()  # the declared actions (domain.catalogue) this grid offers
    list_template = "admin/scoped_list.html"
    action_template = "admin/action_form.html"
    action_row_template = "admin/_row.html"  # how one selected row is shown on the action page

    # --- permissions ------------------------------------------------------------------------

    @property
    def can_create(self) -> bool:
        return bool(_roles_of_current_user() & self.create_roles)

    @property
    def can_edit(self) -> bool:
        return bool(_roles_of_current_user() & self.edit_roles)

    @property
    def can_export(self) -> bool:
        return bool(_roles_of_current_user() & self.export_roles)

    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        if refused is not None:
            return refused
        permission = GUARDED_ENDPOINTS.get(name)
        if permission and not getattr(self, permission):
            abort(403)
        if name == "ajax_lookup" and not (self.can_edit or self.can_create):
            abort(403)
        return None

    # --- row-level scope ----------------------------------------------------------------------

    def scope(self):
        """A WHERE clause for the rows the current user may see."""
        return access.scope(current_user, self.model)

    def get_query(self):
        return super().get_query().filter(self.scope())

    def get_count_query(self):
        return super().get_count_query().filter(self.scope())

    def get_one(self, id):
        ids = boundary.parse_ids([id])
        model = self.get_query().filter(self.model.id == ids[0]).one_or_none() if ids else None
        if model is None:
            abort(404)
        return model

    # --- forms: no Unique validator (the domain checks duplicates), a version for stale forms ----------

    def scaffold_form(self):
        form_class = super().scaffold_form()
        for unbound in vars(form_class).values():
            validators = getattr(unbound, "kwargs", {}).get("validators")
            if validators:
                unbound.kwargs["validators"] = [v for v in validators if not isinstance(v, Unique)]
        if "version" in self.model.__table__.columns:
            form_class.version = HiddenField()
        return form_class

    @staticmethod
    def version_of(form) -> str | None:
        """The version the edit form was opened on; a form that lost it counts as stale."""
        return (form.version.data or "") if "version" in form else None

    # --- writes go through the domain -------------------------------------------------------------

    def create(self, actor, form):
        """Create the row through the domain; views that offer creation implement it."""
        raise NotImplementedError

    def update(self, actor, form, model):
        """Change the row through the domain; views that offer editing implement it."""
        raise NotImplementedError

    def create_model(self, form):
        return boundary.perform(lambda actor: self.create(actor, form)) or False

    def update_model(self, form, model):
        return bool(boundary.perform(lambda actor: self.update(actor, form, model)))

    def delete_model(self, model):
        flash("记录不能删除；如有错误，请作废或停用并说明理由。", "danger")
        return False

    # --- the declared actions ---------------------------------------------------------------------

    @property
    def declared_actions(self):
        available = actions_on(self.model)
        return {name: available[name] for name in self.action_names}

    def init_actions(self) -> None:
        """Offer exactly the declared actions (never Flask-Admin's delete), plus the view's own read-only ones."""
        self._actions, self._actions_data = [], {}
        for name, bound in self.declared_actions.items():
            self._actions.append((name, bound.label))
            self._actions_data[name] = (lambda ids, name=name: self.start_action(name, ids), bound.label, bound.spec.confirm)
        for name, (handler, label) in self.read_actions().items():
            self._actions.append((name, label))
            self._actions_data[name] = (handler, label, None)

    def read_actions(self) -> dict:
        """Actions that only read (printing): name → (handler of the selected ids, label)."""
        return {}

    def is_action_allowed(self, name: str) -> bool:
        bound = self.declared_actions.get(name)
        if bound is not None:
            return bound.allowed_for(current_user)
        return name in self.read_actions() and self.read_action_allowed(name)

    def read_action_allowed(self, name: str) -> bool:
        return False

    def start_action(self, name: str, ids):
        """From the grid: an action with a form opens it; one without runs at once on the selected rows."""
        bound = self.declared_actions[name]
        keys = boundary.parse_ids(ids)
        if bound.spec.form:
            if len(keys) > 1 and not bound.spec.bulk:
                flash(f"“{bound.label}”一次只能对一条记录操作。", "warning")
                return redirect(url_for(".index_view"))
            return redirect(url_for(".act", action=name, ids=",".join(map(str, keys)), url=request.referrer))
        boundary.run(bound, keys).flash()
        return None

    @expose("/act/<action>/", methods=("GET", "POST"))
    def act(self, action: str):
        """The one page of every declared action: the selected rows, the action's form, one submit."""
        bound = self.declared_actions.get(action)
        if bound is None:
            abort(404)
        if not bound.allowed_for(current_user):
            abort(403)
        keys = boundary.parse_ids(request.args.get("ids", "").split(","))
        rows = boundary.targets(current_user, bound, keys)
        if not rows:
            abort(404)
        if len(rows) > 1 and not bound.spec.bulk:
            flash(f"“{bound.label}”一次只能对一条记录操作。", "warning")
            return redirect(url_for(".index_view"))
        form = ACTION_FORMS[bound.spec.form]() if bound.spec.form else ActionForm()
        form.prepare(current_user, rows)
        if form.validate_on_submit():
            report = boundary.run(bound, [row.id for row in rows], lambda row: form.arguments(boundary.actor()))
            report.flash()
            if report.done:
                return redirect(self.after_action_url(rows))
        elif request.method == "POST":
            flash("表单有误，请按提示修改后再提交；您填写的内容仍在下方。", "danger")
        return self.render(self.action_template, form=form, rows=rows, action=bound, title=bound.label,
                           refusals=boundary.foreseen_refusals(current_user, bound, rows),
                           return_url=self.after_action_url(rows))

    def after_action_url(self, rows) -> str:
        return local_path(request.args.get("url"), request.host) or url_for(".index_view")
