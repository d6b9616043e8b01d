"""The application factory."""
from __future__ import annotations

import os

from flask import Flask, redirect, url_for

import database
from config import CONFIGS, INSTANCE_DIR
from extensions import babel, csrf, db, login_manager, migrate


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(CONFIGS[config_name or os.environ.get("APP_ENV", "production")]())
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set outside development and tests (环境变量 SECRET_KEY 未设置)。")
    os.makedirs(app.instance_path, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    _register_request_hooks(app)
    _register_jobs(app)

    @app.route("/")
    def home():
        from flask_login import current_user

        from models.enums import Role

        if current_user.is_authenticated and current_user.roles == {Role.DEPUTY}:
            return redirect(url_for("my.index"))  # deputies use their own pages
        return redirect(url_for("admin.index"))

    return app


def _init_extensions(app: Flask) -> None:
    from domain import audit, duplicates, evaluations, publication
    from models import User

    for module in (audit, duplicates, evaluations, publication):  # the domain's session listeners
        module.listen()

    db.init_app(app)
    with app.app_context():
        database.tune(db.engine)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: "zh_Hans_CN", timezone_selector=lambda: "Asia/Shanghai")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user and user.active else None


def _register_blueprints(app: Flask) -> None:
    from admin import init_admin
    from views.attachments import bp as attachments_bp
    from views.auth import bp as auth_bp
    from views.deputy import bp as deputy_bp
    from views.errors import register_error_handlers
    from views.printing import bp as printing_bp
    from views.public import bp as public_bp
    from web.format import register_filters

    app.register_blueprint(auth_bp)
    app.register_blueprint(attachments_bp)
    app.register_blueprint(printing_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(deputy_bp)
    register_filters(app)
    register_error_handlers(app)
    init_admin(app)


def _register_jobs(app: Flask) -> None:
    from jobs import runner
    from jobs.kinds import KINDS

    runner.register(KINDS)
    if app.config.get("JOBS_IN_PROCESS"):
        started = []

        @app.before_request
        def start_the_worker_once():
            if not started:
                started.append(runner.start_in_process(app))


def _register_request_hooks(app: Flask) -> None:
    from views.auth import require_password_change
    from web.boundary import bind_actor, unbind_actor

    app.before_request(bind_actor)
    app.before_request(require_password_change)
    app.teardown_request(unbind_actor)


def _register_commands(app: Flask) -> None:
    from commands.fingerprints import fingerprints_command
    from commands.jobs import jobs_command
    from commands.notices import send_messages_command, send_reminders_command
    from demo.command import demo_command

    app.cli.add_command(demo_command)
    app.cli.add_command(fingerprints_command)
    app.cli.add_command(jobs_command)
    app.cli.add_command(send_messages_command)
    app.cli.add_command(send_reminders_command)
