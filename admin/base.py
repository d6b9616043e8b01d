"""Base classes of the back office: login and role checks, row-level scope, optimistic locking."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import true
from wtforms import HiddenField

from models import db
from models.enums import Role
from views.filters import local_datetime

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
    """A grid whose every path (list, count, details, edit, export, actions) is filtered by `scope()`.

    `edit_roles` and `create_roles` decide who may open the forms; nothing is ever deleted.
    """

    form_base_class = FlaskForm
    can_delete = False
    can_view_details = True
    can_set_page_size = True
    page_size = 20
    edit_roles: frozenset[Role] = frozenset()
    create_roles: frozenset[Role] = frozenset()
    export_roles: frozenset[Role] = frozenset()
    list_template = "admin/scoped_list.html"

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

    def scope(self):
        """A WHERE clause for the rows the current user may see."""
        return true()

    def get_query(self):
        return super().get_query().filter(self.scope())

    def get_count_query(self):
        return super().get_count_query().filter(self.scope())

    def get_one(self, id):
        try:
            key = int(id)
        except (TypeError, ValueError):
            abort(404)
        model = self.get_query().filter(self.model.id == key).one_or_none()
        if model is None:
            abort(404)
        return model

    def handle_view_exception(self, exc):
        db.session.rollback()
        return super().handle_view_exception(exc)


class VersionedFormMixin:
    """Optimistic locking for edit forms: a stale form is refused and the first save survives."""

    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.version = HiddenField()
        return form_class

    def update_model(self, form, model):
        submitted = form.version.data
        if str(model.version) != str(submitted):
            who = model.updated_by.display_name if model.updated_by else "其他用户"
            flash(
                f"保存未成功：该记录已被{who}于{local_datetime(model.updated_at)}修改。为避免覆盖他人的修改，您的内容没有保存，"
                "仍保留在下方表单中；请复制您的修改后重新打开本页再保存。",
                "danger",
            )
            return False
        model.updated_by_id = current_user.id
        del form.version
        return super().update_model(form, model)
