"""Benchmark of the printed notices: CJK vs Latin-only font for one notice (warm), 100 notices merged, RSS.

    PYTHONPATH=. .venv/bin/python bench/print_notices.py

Targets (issue 3): one notice with the CJK fonts at most 1.2 × the same template with a Latin-only font;
100 notices merged into one PDF within 15 s on 2 cores; RSS does not grow from one render to the next.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import date

from flask import render_template
from flask_migrate import upgrade

from app import create_app
from domain.clock import today
from models import db
from printing import documents, fonts
from printing.render import PdfRenderer, renderer
from tests import helpers

ROUNDS = 15
LATIN_ONLY_CSS = 'html { font-family: "DejaVu Serif"; }\n'


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


def timed(render, html: str) -> float:
    start = time.perf_counter()
    render(html)
    return time.perf_counter() - start


def main() -> None:
    print(f"{os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.1f}")
    fonts.build()
    workdir = tempfile.mkdtemp(prefix="bench-print-")
    os.environ["TEST_DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    app = create_app("test")
    with app.test_request_context():
        upgrade()
        district = helpers.make_district()
        suggestions = [
            helpers.assigned(district, f"关于加快第{n}批老旧小区改造的建议", lead=district.deputies[n % 4],
                             co_signers=[district.deputies[(n + 1) % 4]], unit=district.units[n % 3], on=date(2026, 2, 2))
            for n in range(100)
        ]
        one = documents.visible_suggestions(district.office, [suggestions[0].id])
        html = render_template("print/supervision_notice.html", suggestions=one, activities={}, issuer="区人大常委会代表工作委员会",
                               today=today(), document_title="代表建议督办通知单")
        cjk, latin = renderer(), PdfRenderer(LATIN_ONLY_CSS)
        for warm_up in (cjk, latin):
            warm_up.render(html)
        cjk_times, latin_times = [], []
        for _ in range(ROUNDS):  # side by side, alternating
            cjk_times.append(timed(cjk.render, html))
            latin_times.append(timed(latin.render, html))
        cjk_median, latin_median = statistics.median(cjk_times), statistics.median(latin_times)
        print(f"one notice, warm, median of {ROUNDS}: CJK subset + fallback {cjk_median * 1000:.0f} ms, "
              f"Latin-only font {latin_median * 1000:.0f} ms, ratio {cjk_median / latin_median:.2f} (target ≤ 1.20)")

        everything = documents.visible_suggestions(district.office, [s.id for s in suggestions])
        print(f"RSS before merged renders: {rss_mb():.0f} MB")
        for attempt in range(1, 4):
            start = time.perf_counter()
            pdf = documents.supervision_notices(everything)
            elapsed = time.perf_counter() - start
            print(f"100 notices merged (render {attempt}): {elapsed:.1f} s, {len(pdf) // 1024} KB "
                  f"(target ≤ 15 s); RSS after: {rss_mb():.0f} MB")
        print(f"load average at end {os.getloadavg()[0]:.1f}")
        db.session.remove()


if __name__ == "__main__":
    main()
