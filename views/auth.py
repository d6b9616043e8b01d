"""Log in, log out, change one's own password (required after a reset or at first login)."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from domain import accounts
from forms.auth import ChangePasswordForm, LoginForm
from models import User, db
from models.enums import Role
from web import boundary
from web.urls import local_path

bp = Blueprint("auth", __name__)
# Pages a user who must change their password may still open.
OPEN_WHILE_PASSWORD_CHANGE_DUE = {"auth.change_password", "auth.logout", "static", "admin.static"}


def _landing(user: User) -> str:
    return url_for("my.index") if user.roles == {Role.DEPUTY} else url_for("admin.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_landing(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if user and user.active and user.check_password(form.password.data):
            session.clear()
            login_user(user)
            return redirect(local_path(request.args.get("next"), request.host) or _landing(user))
        flash("用户名或密码错误。", "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        changed = boundary.perform(lambda actor: accounts.change_own_password(actor, form.current.data, form.new.data),
                                   done="密码已修改。")
        if changed:
            return redirect(_landing(current_user))
    return render_template("auth/password.html", form=form, required=current_user.must_change_password)


def require_password_change():
    """Before each request: a user whose password was reset (or is new) changes it before anything else."""
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in OPEN_WHILE_PASSWORD_CHANGE_DUE):
        flash("请先修改密码：管理员为您设置的临时密码须在首次登录时修改。", "warning")
        return redirect(url_for("auth.change_password"))
    return None
