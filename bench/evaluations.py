"""Benchmark of issue 5 at archive scale: 100,000 suggestions over ten years, 60 units, 16 townships, 300 deputies.

Times the satisfaction rates (all rounds × groupings), the commitments ledger (office and one unit) and its Excel
export, a deputy's pending evaluations, the reminders run, and the sender's throughput (log provider).
Run against a scratch PostgreSQL database (default bench_i5, created if missing):

    PYTHONPATH=. .venv/bin/python bench/evaluations.py [postgresql://postgres@127.0.0.1:5432/bench_i5]

The data is loaded once (about 90 s) and reused by later runs; the outbox is emptied at each run.
"""
from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

import psycopg
from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

from app import create_app
from domain import evaluations, ledger, notices, satisfaction
from jobs import delivery
from models import (
    Assignment,
    AttitudeEvaluation,
    Commitment,
    Deputy,
    Evaluation,
    ImplementationEvaluation,
    Reply,
    Suggestion,
    Township,
    Unit,
    User,
    db,
)
from models.enums import Role

URL = sys.argv[1] if len(sys.argv) > 1 else "postgresql://postgres@127.0.0.1:5432/bench_i5"
SUGGESTIONS, YEARS, UNITS, TOWNSHIPS, DEPUTIES = 100_000, 10, 60, 16, 300
LEVELS = ["satisfied"] * 6 + ["basically_satisfied"] * 3 + ["unsatisfied"]
RESULTS = ["kept"] * 5 + ["partly_kept"] * 3 + ["not_kept"] * 2


def _create_database() -> None:
    base, name = URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            connection.execute(f'create database "{name}"')


def _timed(label: str, function, repeat: int = 3):
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label:<58} {best * 1000:9.1f} ms")
    return result


def _load() -> None:
    random.seed(5)
    names = [t.name for t in reversed(db.metadata.sorted_tables)]
    db.session.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
    db.session.execute(insert(Township), [{"name": f"镇街{i}"} for i in range(TOWNSHIPS)])
    db.session.execute(insert(Unit), [{"name": f"单位{i}", "notify_phone": f"0575{i:07d}"} for i in range(UNITS)])
    db.session.execute(insert(Deputy), [{"name": f"代表{i}", "township_id": i % TOWNSHIPS + 1, "phone": f"138{i:08d}"}
                                        for i in range(DEPUTIES)])
    suggestions, assignments, replies, commitments, content, attitude, implementation = [], [], [], [], [], [], []
    for sid in range(1, SUGGESTIONS + 1):
        year = 2017 + (sid - 1) % YEARS
        unit_id, deputy_id = random.randint(1, UNITS), random.randint(1, DEPUTIES)
        assigned, replied = date(year, 2, 1), date(year, 4, 1) + timedelta(days=random.randint(0, 60))
        suggestions.append({"id": sid, "year": year, "title": f"建议{sid}", "body": "正文", "category": "urban",
                            "lead_deputy_id": deputy_id, "state": "closed", "number_label": f"{year}大会第{sid}号",
                            "received_on": date(year, 1, 10), "assigned_on": assigned})
        assignments.append({"suggestion_id": sid, "unit_id": unit_id, "role": "lead", "assigned_on": assigned})
        category = random.choice("AABC")
        replies.append({"id": sid, "suggestion_id": sid, "unit_id": unit_id, "reply_category": category, "text": "答复",
                        "signatory": "局长", "replied_on": replied})
        for _ in range(random.randint(1, 2)):
            cid = len(commitments) + 1
            result = random.choice(RESULTS)
            commitments.append({"id": cid, "reply_id": sid, "content": f"承诺{cid}", "due_on": replied + timedelta(days=150),
                                "status": result})
            implementation.append({"commitment_id": cid, "suggestion_id": sid, "year": year, "result": result,
                                   "given_on": date(year, 11, 10)})
        content.append({"suggestion_id": sid, "round": 1, "level": random.choice(LEVELS), "given_on": replied, "on_paper": False})
        attitude.append({"suggestion_id": sid, "unit_id": unit_id, "level": random.choice(LEVELS), "communicated_before": True,
                         "communicated_during": True, "communicated_after": False, "given_on": replied})
    for model, rows in [(Suggestion, suggestions), (Assignment, assignments), (Reply, replies), (Commitment, commitments),
                        (Evaluation, content), (AttitudeEvaluation, attitude), (ImplementationEvaluation, implementation)]:
        for start in range(0, len(rows), 20_000):
            db.session.execute(insert(model), rows[start:start + 20_000])
    for table in ("suggestion", "reply", "commitment"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    print(f"loaded {SUGGESTIONS} suggestions, {len(commitments)} commitments, "
          f"{len(content) + len(attitude) + len(implementation)} evaluations")


def _user(username: str, role: Role, **links) -> User:
    existing = db.session.scalar(select(User).where(User.username == username))
    if existing:
        return existing
    user = User(username=username, display_name=username, password_hash="x", **links)
    user.roles = {role}
    db.session.add(user)
    db.session.commit()
    return user


def main() -> None:
    _create_database()
    app = create_app("production", SECRET_KEY="bench", SQLALCHEMY_DATABASE_URI=URL.replace("postgresql://", "postgresql+psycopg://"))
    with app.app_context():
        upgrade()
        if db.session.scalar(select(func.count(Suggestion.id))) != SUGGESTIONS:
            start = time.perf_counter()
            _load()
            print(f"{'load':<58} {time.perf_counter() - start:9.1f} s")
        db.session.execute(text("TRUNCATE outbox_attempt, outbox_message RESTART IDENTITY"))
        db.session.commit()
        office, unit = _user("office", Role.OFFICE), _user("unit", Role.UNIT, unit_id=7)
        year, day = 2026, date(2026, 11, 15)
        _timed("satisfaction: 3 rounds × (overall, unit, township), one year", lambda: satisfaction.all_rates(year))
        _timed("satisfaction: content per unit, one year", lambda: satisfaction.rates("content", year, "unit"))
        _timed("ledger page: office, one year, totals + first 200 rows",
               lambda: (ledger.totals(office, year, day), ledger.ledger(office, year, day, limit=200)))
        rows = _timed("ledger: office, one year, every row (for the export)", lambda: ledger.ledger(office, year, day))
        _timed(f"ledger: Excel export of those {len(rows)} rows", lambda: ledger.to_excel(rows, year), 1)
        _timed("ledger page: one unit, one year", lambda: (ledger.totals(unit, year, day), ledger.ledger(unit, year, day)))
        _timed("evaluations awaiting one deputy (in the November window)", lambda: evaluations.awaiting(42, day))
        written = _timed("reminders run (first run writes, later runs write nothing)", lambda: notices.send_reminders(day), 1)
        db.session.commit()
        again = _timed("reminders run again", lambda: notices.send_reminders(day), 1)
        print(f"reminders written: {written}, second run: {again}")
        db.session.execute(text("UPDATE outbox_message SET status = 'pending' WHERE id IN "
                                "(SELECT id FROM outbox_message ORDER BY id LIMIT 2000)"))
        db.session.commit()
        start = time.perf_counter()
        counts = delivery.send_pending(limit=2000)
        elapsed = time.perf_counter() - start
        print(f"sender (log provider): {counts} in {elapsed:.1f} s = {sum(counts.values()) / elapsed:.0f} messages/s")


if __name__ == "__main__":
    main()
