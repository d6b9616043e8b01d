"""Fixtures: one app and schema per test run (built by the migrations), emptied after each test."""
from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text
from werkzeug.serving import make_server

from app import create_app
from models import db
from tests import helpers


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _drop_everything() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


class FreshRequestClient(FlaskClient):
    """Each request starts with an empty `g`, as it would in its own app context.

    Tests keep one app context open (for the database session), which Flask reuses for the
    requests they make; without this, Flask-Login's cached user and Flask-WTF's cached token
    would leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    os.environ["TEST_DATABASE_URL"] = _database_url(tmp_path_factory)
    app = create_app("test")
    app.test_client_class = FreshRequestClient
    with app.app_context():
        _drop_everything()
        upgrade()
    yield app


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Every test starts from empty tables, inside an app context."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        helpers.empty_tables()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_app(app):
    """The app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside the block (after indico's fixture)."""

    @contextmanager
    def counter():
        statements: list[str] = []

        def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK)", statement):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before_cursor_execute)

    return counter


@pytest.fixture
def live_server(app):
    """The app served over HTTP on a free local port, in a thread, for the browser tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def district():
    """A small district: townships, units, committees, deputies and one user per role."""
    return helpers.make_district()
