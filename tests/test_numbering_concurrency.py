"""Numbers (案号) under concurrency: many submissions at once give exactly 1..N, on SQLite and PostgreSQL."""
import threading
from datetime import date

from sqlalchemy import select

from domain import workflow
from models import Suggestion, User, db
from models.enums import Category, Source, State

SUBMISSIONS = 30


def _drafts(district, count: int) -> list[int]:
    drafts = [
        Suggestion(source=Source.CONGRESS, session=district.session, year=2026, category=Category.URBAN,
                   title=f"并发提交的建议{n}", body="正文", lead_deputy=district.deputies[n % 4], state=State.PRE_SUBMITTED)
        for n in range(count)
    ]
    db.session.add_all(drafts)
    db.session.commit()
    return [draft.id for draft in drafts]


def _submit_all_at_once(app, office_id: int, suggestion_ids: list[int]) -> list[Exception]:
    """Each thread has its own app context, session and transaction, and commits."""
    barrier = threading.Barrier(len(suggestion_ids))
    errors: list[Exception] = []

    def submit(suggestion_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                office = db.session.get(User, office_id)
                suggestion = db.session.get(Suggestion, suggestion_id)
                workflow.submit(office, suggestion, date(2026, 1, 12))
                db.session.commit()
            except Exception as error:  # collected and asserted on below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(i,)) for i in suggestion_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_submissions_are_numbered_1_to_n_without_gaps(app, district):
    suggestion_ids = _drafts(district, SUBMISSIONS)
    errors = _submit_all_at_once(app, district.office.id, suggestion_ids)
    assert errors == []
    db.session.expire_all()
    rows = db.session.execute(select(Suggestion.number, Suggestion.number_label, Suggestion.state)
                              .where(Suggestion.id.in_(suggestion_ids))).all()
    assert sorted(number for number, _, _ in rows) == list(range(1, SUBMISSIONS + 1))
    assert len({label for _, label, _ in rows}) == SUBMISSIONS
    assert {state for _, _, state in rows} == {State.SUBMITTED}


def test_a_second_wave_continues_the_series(app, district):
    first = _drafts(district, 5)
    assert _submit_all_at_once(app, district.office.id, first) == []
    second = _drafts(district, 7)
    assert _submit_all_at_once(app, district.office.id, second) == []
    numbers = db.session.scalars(select(Suggestion.number).where(Suggestion.id.in_(second))).all()
    assert sorted(numbers) == list(range(6, 13))
