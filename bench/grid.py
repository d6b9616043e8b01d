"""The suggestion grid and details page at 100,000 suggestions, as the office and as a unit.

    PYTHONPATH=. .venv/bin/python bench/load.py     # once
    PYTHONPATH=. .venv/bin/python bench/grid.py [--database bench_100k]

Each line is a whole request through the real app (login session, row-level access, Flask-Admin
rendering): median and worst of several warm runs, and the number of SQL statements it ran.
"""
from __future__ import annotations

import argparse

from sqlalchemy import event, select, text

from app import create_app
from bench.dashboard import bench_user, timed
from bench.load import database_url
from models import Assignment, Suggestion, Unit, db
from models.enums import Role

PAGES = [
    ("grid, first page", "/admin/suggestion/"),
    ("grid, 100 rows a page", "/admin/suggestion/?page_size=100"),
    ("grid, page 200", "/admin/suggestion/?page=200"),
    ("grid, search 道路", "/admin/suggestion/?search=道路"),
    ("grid, sorted by deadline", "/admin/suggestion/?sort=8&desc=1"),
]


def client_for(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client


def measure(app, who: str, user, pages) -> None:
    client = client_for(app, user)
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    for label, url in pages:
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        statements.clear()
        call()
        queries = len(statements)
        median, worst = timed(call)
        print(f"{who:6s} {label:28s} median {median:7.1f} ms  worst {worst:7.1f} ms  {queries:3d} SQL statements")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="bench_100k")
    name = parser.parse_args().database
    app = create_app("production", SECRET_KEY="bench-only", SQLALCHEMY_DATABASE_URI=database_url(name))
    with app.app_context():
        from extensions import login_manager
        login_manager.session_protection = None
        total = db.session.scalar(text("SELECT count(*) FROM suggestion"))
        busiest_unit = db.session.scalar(
            select(Assignment.unit_id).group_by(Assignment.unit_id).order_by(db.func.count().desc()).limit(1))
        unit_rows = db.session.scalar(select(db.func.count()).select_from(Assignment).where(Assignment.unit_id == busiest_unit))
        sample = db.session.scalar(select(Suggestion.id).join(Assignment).where(Assignment.unit_id == busiest_unit).limit(1))
        print(f"{total} suggestions; the unit user's unit has {unit_rows} assignments")
        office = bench_user("bench-office", Role.OFFICE)
        unit = bench_user("bench-busiest-unit", Role.UNIT, unit_id=busiest_unit)
        details = [("details page", f"/admin/suggestion/details/?id={sample}")]
        measure(app, "office", office, PAGES + details)
        measure(app, "unit", unit, PAGES + details)
        print(f"units: {db.session.scalar(select(db.func.count()).select_from(Unit))}")


if __name__ == "__main__":
    main()
