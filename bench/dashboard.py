"""The statistics dashboard and the annual assessment for a year, at 100,000 suggestions.

    PYTHONPATH=. .venv/bin/python bench/load.py        # once
    PYTHONPATH=. .venv/bin/python bench/dashboard.py

Target (issue 6): the dashboard for a year at most 300 ms. Timed as the office (no row filter) and
as a unit user (row-level access), through the whole request (queries + SVG rendering), median
and worst of several runs; then again with all 100,000 suggestions moved into one year (rolled back).
"""
from __future__ import annotations

import argparse
import statistics as stats
import time

from sqlalchemy import select, text

from app import create_app
from bench.load import database_url
from domain import assessment
from domain.clock import today
from models import Unit, User, db
from models.enums import Role

RUNS = 7


def timed(call) -> tuple[float, float]:
    call()  # warm
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return stats.median(samples), max(samples)


def bench_user(username: str, role: Role, **links) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, display_name=username, **links)
        user.set_password("bench-password")
        user.roles = {role}
        db.session.add(user)
        db.session.commit()
    return user


def page_timer(app, user: User, year: int):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True

    def call():
        response = client.get(f"/admin/statistics/?year={year}")
        assert response.status_code == 200 and b"<svg" in response.data

    return call


def report(app, label: str, year: int) -> None:
    count = db.session.scalar(text("SELECT count(*) FROM suggestion WHERE year = :y"), {"y": year})
    office = bench_user("bench-office", Role.OFFICE)
    unit = bench_user("bench-unit", Role.UNIT, unit_id=db.session.scalar(select(Unit.id).limit(1)))
    for who, user in (("office", office), ("unit", unit)):
        median, worst = timed(page_timer(app, user, year))
        print(f"{label}: dashboard page for {year} ({count} suggestions) as {who:6s}: median {median:6.1f} ms, worst {worst:6.1f} ms")
    median, worst = timed(lambda: assessment.assess(assessment.UNIT, year, today()))
    print(f"{label}: annual assessment of every unit for {year}: median {median:6.1f} ms, worst {worst:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="bench_100k")
    app = create_app("production", SECRET_KEY="bench-only", SESSION_PROTECTION=None,
                     SQLALCHEMY_DATABASE_URI=database_url(parser.parse_args().database))
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        from extensions import login_manager
        login_manager.session_protection = None
        year = db.session.scalar(text("SELECT max(year) FROM suggestion"))
        report(app, "ten years of 10,000", year)
        db.session.execute(text("UPDATE suggestion SET year = :y"), {"y": year})
        db.session.execute(text("ANALYZE suggestion"))
        report(app, "all 100,000 in one year", year)
        db.session.rollback()


if __name__ == "__main__":
    main()
