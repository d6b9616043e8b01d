"""Benchmark: one duplicate check against 100,000 archived suggestions (target ≤ 100 ms), and recall@5 at that scale.

    PYTHONPATH=. .venv/bin/python bench/duplicates.py            # SQLite file under /tmp
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<db> PYTHONPATH=. .venv/bin/python bench/duplicates.py

The archive is written with bulk inserts (fingerprints computed by domain.duplicates.fingerprint, as the
flush listener would); the checks go through domain.duplicates.find_similar as the details page does:
refresh from the table, score, filter by scope in SQL, extract the matching passages.
"""
from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

from app import create_app
from config import normalise_database_url
from domain import duplicates
from models import CongressSession, Deputy, NumberCounter, Suggestion, TextFingerprint, Township, User, db
from models.enums import Role, State
from tests import near_duplicates

ARCHIVE = int(os.environ.get("BENCH_ARCHIVE", 100_000))
CHECKS = 200
BATCH = 5_000


def _reset_schema() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()


def _people():
    township = Township(name="柯桥街道")
    deputies = [Deputy(name=f"代表{n}", township=township) for n in range(300)]
    session = CongressSession(name="区第十八届人民代表大会第六次会议", year=2026, opens_on=date(2026, 1, 10),
                              closes_on=date(2026, 1, 13))
    office = User(username="office", display_name="代表工委", password_hash="x")
    office.roles = {Role.OFFICE}
    db.session.add_all([township, *deputies, session, office])
    db.session.commit()
    return [d.id for d in deputies], session.id, office


def _write_archive(texts, deputy_ids, session_id) -> list[int]:
    """Bulk insert suggestions spread over ten years, with their fingerprints; returns the ids."""
    ids, seq = [], 0
    for start in range(0, len(texts), BATCH):
        rows, prints = [], []
        for n, item in enumerate(texts[start:start + BATCH], start=start):
            year = 2017 + n % 10
            rows.append({"id": n + 1, "version": 1, "source": "congress", "session_id": session_id if year == 2026 else None,
                         "year": year, "title": item.title, "body": item.body, "category": "urban",
                         "lead_deputy_id": deputy_ids[n % len(deputy_ids)], "state": State.CLOSED, "handling_mode": "joint",
                         "confidential": False, "state_reason": "", "supervision_class": "ordinary"})
            seq += 1
            prints.append({"suggestion_id": n + 1, "seq": seq, "year": year,
                           "session_id": session_id if year == 2026 else None,
                           "grams": duplicates.fingerprint(item.title, item.body).astype("<i8").tobytes()})
        db.session.execute(insert(Suggestion), rows)
        db.session.execute(insert(TextFingerprint), prints)
        ids.extend(row["id"] for row in rows)
    db.session.add(NumberCounter(series="text_fingerprint", last_number=seq))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval('suggestion_id_seq', (SELECT max(id) FROM suggestion))"))
    db.session.commit()
    return ids


def _new_archive(labelled) -> tuple[User, int]:
    _reset_schema()
    deputy_ids, session_id, office = _people()
    rng = random.Random(11)
    texts = [near_duplicates.original(rng) for _ in range(ARCHIVE - len(labelled.originals))]
    for n, original in enumerate(labelled.originals):
        texts.insert(10 * n + 9, original)
    started = time.perf_counter()
    ids = _write_archive(texts[:ARCHIVE], deputy_ids, session_id)
    print(f"archive: {len(ids):,} suggestions written with fingerprints in {time.perf_counter() - started:.1f} s "
          f"({db.engine.dialect.name})")
    return office, session_id


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or "sqlite:////tmp/bench_duplicates.sqlite3"
    app = create_app("development", SQLALCHEMY_DATABASE_URI=normalise_database_url(url))
    with app.app_context():
        labelled = near_duplicates.build(originals=300, queries=CHECKS)
        # The labelled originals sit in 2026 (n % 10 == 9): ids 10, 20, 30, …
        originals_at = [10 * n + 10 for n in range(len(labelled.originals))]
        if os.environ.get("BENCH_REUSE"):  # the archive of a previous run
            office = db.session.scalar(select(User).where(User.username == "office"))
            session_id = db.session.scalar(select(CongressSession.id))
        else:
            office, session_id = _new_archive(labelled)

        started = time.perf_counter()
        duplicates.rebuild()
        print(f"index build from the table (once per process): {time.perf_counter() - started:.2f} s")

        timings, hits = [], 0
        for query, original_index in labelled.queries:
            draft = Suggestion(title=query.title, body=query.body, year=2026, session_id=session_id, state=State.DRAFT)
            started = time.perf_counter()
            matches = duplicates.find_similar(office, draft)
            timings.append((time.perf_counter() - started) * 1000)
            hits += originals_at[original_index] in [m.suggestion.id for m in matches]
        timings.sort()
        archived = db.session.scalar(select(func.count()).select_from(Suggestion))
        print(f"find_similar over {archived:,} archived: median {statistics.median(timings):.1f} ms, "
              f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms, max {timings[-1]:.1f} ms ({len(timings)} checks)")
        print(f"recall@5 of the reworded original among {archived:,}: {hits / len(labelled.queries):.3f}")
        unrelated = [max((s for _, s in duplicates.similar_ids(t.title, t.body, 2026, session_id)), default=0)
                     for t in labelled.unrelated]
        print(f"best score of unrelated texts: {max(unrelated):.3f}")


if __name__ == "__main__":
    main()
