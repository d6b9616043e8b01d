"""A fast bulk loader for the benchmarks: a province-sized archive of suggestions, by Core inserts.

    PYTHONPATH=. .venv/bin/python bench/load.py [--count 100000] [--database bench_100k]

Creates the scratch PostgreSQL database (dropping it first), runs the migrations, then inserts
townships, committees, units, deputies, sessions and `count` suggestions over ten years with their
assignments, replies, publications and evaluations, in batches of executemany inserts.
"""
from __future__ import annotations

import argparse
import os
import random
import time
from datetime import date, timedelta

import psycopg
from flask_migrate import upgrade
from sqlalchemy import insert, text

from app import create_app
from models import (
    Assignment,
    Committee,
    CongressSession,
    Deputy,
    Evaluation,
    Publication,
    Reply,
    Suggestion,
    Township,
    Unit,
    db,
)
from models.enums import Category, State

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
YEARS = list(range(2017, 2027))
BATCH = 5000
CATEGORIES = [c.value for c in Category]
STATES = [State.CLOSED] * 60 + [State.EVALUATED] * 8 + [State.REPLIED] * 10 + [State.HANDLING] * 12 + [State.ASSIGNED] * 4 + \
    [State.SUBMITTED] * 3 + [State.NOT_ACCEPTED] * 2 + [State.MERGED]
REPLIED = {State.CLOSED, State.EVALUATED, State.REPLIED}
TOPICS = ["老旧小区改造", "农村饮用水", "中小学学位", "社区养老", "公交线路", "河道治理", "菜市场提升", "停车难", "基层医疗", "垃圾分类"]


def database_url(name: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def recreate(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _chunks(rows):
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def _insert(model, rows) -> None:
    for chunk in _chunks(rows):
        db.session.execute(insert(model), chunk)


def load(count: int, seed: int = 6) -> None:
    rng = random.Random(seed)
    _insert(Township, [{"id": i, "name": f"第{i}镇街"} for i in range(1, 17)])
    _insert(Committee, [{"id": i, "name": f"第{i}委室"} for i in range(1, 13)])
    _insert(Unit, [{"id": i, "name": f"区第{i}局", "committee_id": 1 + i % 12} for i in range(1, 61)])
    _insert(Deputy, [{"id": i, "name": f"代表{i:03d}", "township_id": 1 + i % 16, "phone": f"138{i:08d}"} for i in range(1, 301)])
    _insert(CongressSession, [{"id": i, "name": f"第{y}年会议", "year": y, "opens_on": date(y, 1, 10), "closes_on": date(y, 1, 13)}
                              for i, y in enumerate(YEARS, start=1)])
    suggestions, assignments, replies, publications, evaluations = [], [], [], [], []
    for n in range(1, count + 1):
        year = YEARS[(n - 1) * len(YEARS) // count]
        state = rng.choice(STATES)
        received = date(year, 1, 12)
        assigned = received + timedelta(days=20)
        numbered = state not in (State.NOT_ACCEPTED, State.MERGED)
        suggestions.append({
            "id": n, "version": 1, "source": "congress", "session_id": YEARS.index(year) + 1, "year": year,
            "number_series": f"session-{YEARS.index(year) + 1}", "number": n, "number_label": f"{year}大会第{n:06d}号",
            "title": f"关于{rng.choice(TOPICS)}的建议（{n}）", "body": "正文", "category": rng.choice(CATEGORIES),
            "lead_deputy_id": rng.randint(1, 300), "state": state, "handling_mode": "joint", "confidential": n % 50 == 0,
            "received_on": received, "assigned_on": assigned if numbered else None,
            "reply_due_on": assigned + timedelta(days=91) if numbered else None,
            "due_on": assigned + timedelta(days=91) if state in (State.HANDLING, State.ASSIGNED) else None,
            "state_reason": "", "created_at": received, "updated_at": received,
        })
        if state in (State.SUBMITTED, State.NOT_ACCEPTED, State.MERGED):
            continue
        unit = rng.randint(1, 60)
        assignments.append({"suggestion_id": n, "unit_id": unit, "role": "lead", "active": True, "assigned_on": assigned,
                            "opinion": "", "ended_reason": ""})
        if n % 3 == 0:
            assignments.append({"suggestion_id": n, "unit_id": 1 + unit % 60, "role": "co_handler", "active": True,
                                "assigned_on": assigned, "opinion": "", "ended_reason": ""})
        if state not in REPLIED:
            continue
        replied = assigned + timedelta(days=rng.randint(30, 110))
        replies.append({"id": len(replies) + 1, "version": 1, "suggestion_id": n, "unit_id": unit, "round": 1,
                        "reply_category": rng.choice("AAABBC"), "text": "答复正文" * 20, "signatory": "局长",
                        "replied_on": replied, "recorded_at": replied, "updated_at": replied, "voided_reason": ""})
        published = rng.random() < 0.85
        publications.append({"reply_id": len(replies), "suggestion_id": n, "status": "published" if published else "pending",
                             "mode": "full" if published else "", "summary": "", "reason": "", "due_on": replied + timedelta(days=28),
                             "published_on": replied + timedelta(days=10) if published else None, "created_at": replied})
        if state != State.REPLIED:
            evaluations.append({"suggestion_id": n, "round": 1, "level": rng.choice(["satisfied"] * 6 + ["basically_satisfied"] * 3 + ["unsatisfied"]),
                                "comment": "", "given_on": replied + timedelta(days=10), "on_paper": True, "recorded_at": replied})
    for model, rows in [(Suggestion, suggestions), (Assignment, assignments), (Reply, replies),
                        (Publication, publications), (Evaluation, evaluations)]:
        _insert(model, rows)
    db.session.commit()
    for table in ("suggestion", "assignment", "reply", "publication", "evaluation", "deputy"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--database", default="bench_100k")
    args = parser.parse_args()
    recreate(args.database)
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.database}")
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        load(args.count)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    print(f"loaded {args.count} suggestions into {args.database} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
