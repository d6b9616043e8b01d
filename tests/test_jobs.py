"""Background jobs: queued from a page, run by a worker under a lease, progress shown, the file kept for the asker."""
import threading

import pytest
from sqlalchemy import select, text, update

from domain.jobs import request_job
from jobs import runner
from models import Job, db
from models.jobs import DONE, FAILED, PENDING
from tests import helpers
from tests.helpers import login


@pytest.fixture
def test_kinds():
    seen = {}

    def slow(actor, progress, n):
        progress(1, 2, "一半")
        with db.engine.connect() as other:  # what a page sees while the job runs
            seen["progress"] = other.execute(text("SELECT progress, progress_note FROM job ORDER BY id DESC")).first()
        return runner.Result(f"{n}.txt", "text/plain", f"{actor.username}:{n}".encode())

    def broken(actor, progress):
        raise ValueError("坏了")

    runner.register({"test_slow": runner.Kind(slow), "test_broken": runner.Kind(broken)})
    yield seen
    for name in ("test_slow", "test_broken"):
        runner.KINDS.pop(name)


def test_the_office_asks_for_the_ranking_pdf_and_downloads_it_when_done(client, district):
    helpers.replied(district)
    login(client, "office")
    response = client.get("/admin/assessment/ranking.pdf?year=2026")
    assert response.status_code == 302 and "/admin/job/status/" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "排队中" in page and 'http-equiv="refresh"' in page
    assert runner.work() == {"done": 1}
    page = client.get(response.location).get_data(as_text=True)
    assert "已完成" in page and "下载" in page and 'http-equiv="refresh"' not in page
    job = db.session.scalar(select(Job))
    pdf = client.get(f"/admin/job/file/?id={job.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]


def test_a_job_is_seen_only_by_the_user_who_asked(client, district):
    job = request_job(district.office, "assessment_pdf", "排名", {"year": 2026})
    db.session.commit()
    runner.work()
    login(client, "govoffice")
    assert client.get(f"/admin/job/status/?id={job.id}").status_code == 404
    assert client.get(f"/admin/job/file/?id={job.id}").status_code == 404
    assert "排名" not in client.get("/admin/job/").get_data(as_text=True)


def test_only_ranking_readers_may_ask_and_the_worker_checks_again(client, district):
    login(client, "unit")
    assert client.get("/admin/assessment/ranking.pdf?year=2026").status_code == 403
    job = request_job(district.users["unit"], "assessment_pdf", "排名", {"year": 2026})
    db.session.commit()
    assert runner.work() == {"failed": 1}  # a refusal of the domain is not retried
    failed = db.session.get(Job, job.id)
    assert failed.result is None and "无权" in failed.error


def test_the_same_request_twice_while_queued_is_one_job(district):
    first = request_job(district.office, "assessment_pdf", "排名", {"year": 2026}, dedup_key="assessment:2026")
    second = request_job(district.office, "assessment_pdf", "排名", {"year": 2026}, dedup_key="assessment:2026")
    db.session.commit()
    assert first.id == second.id


def test_progress_is_visible_while_the_job_runs_and_the_result_is_kept(district, test_kinds):
    job = request_job(district.office, "test_slow", "慢任务", {"n": 7})
    db.session.commit()
    runner.work()
    assert tuple(test_kinds["progress"]) == (50, "一半")
    done = db.session.get(Job, job.id)
    assert (done.status, done.progress, done.result, done.result_name) == (DONE, 100, b"office:7", "7.txt")


def test_a_failing_job_is_retried_then_recorded_as_failed(district, test_kinds):
    job = request_job(district.office, "test_broken", "会失败的任务", {})
    db.session.commit()
    for _ in range(runner.MAX_ATTEMPTS):
        assert len(runner.work()) == 1  # one attempt per round: a retry waits
        db.session.execute(update(Job).values(lease_until=None))
        db.session.commit()
    failed = db.session.get(Job, job.id)
    assert failed.status == FAILED and "坏了" in failed.error and failed.attempts == runner.MAX_ATTEMPTS


def test_a_worker_that_died_leaves_the_job_to_the_next_one(district, test_kinds):
    job = request_job(district.office, "test_slow", "慢任务", {"n": 1})
    db.session.commit()
    claimed = runner.claim_next("dead-worker", lease_seconds=-1)  # its lease has already run out
    db.session.commit()
    assert claimed.id == job.id
    assert runner.work() == {"done": 1}
    assert db.session.get(Job, job.id).attempts == 2


def test_two_workers_at_once_never_run_the_same_job(app, district, test_kinds):
    for n in range(12):
        request_job(district.office, "test_slow", f"任务{n}", {"n": n})
    db.session.commit()
    claims: list[int] = []

    def worker():
        with app.app_context():
            while True:
                job = runner.claim_next(runner.worker_name(), 600)
                db.session.commit()
                if job is None:
                    return
                claims.append(job.id)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(claims) == sorted(set(claims)) and len(claims) == 12
    assert db.session.scalar(select(db.func.count(Job.id)).where(Job.status == PENDING)) == 0
