"""Log in and log out."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from forms.auth import LoginForm
from models import User, db
from models.enums import Role

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None, user: User) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("my.index") if user.roles == {Role.DEPUTY} else url_for("admin.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if user and user.active and user.check_password(form.password.data):
            session.clear()
            login_user(user)
            return redirect(_safe_next(request.args.get("next"), user))
        flash("用户名或密码错误。", "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))
