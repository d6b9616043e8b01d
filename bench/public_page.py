"""Public list page under gunicorn vs a trivial endpoint in the same gunicorn, side by side, with wrk.

    PYTHONPATH=. .venv/bin/python bench/load.py          # once: 100,000 suggestions into bench_100k
    PYTHONPATH=. .venv/bin/python bench/public_page.py [--workers 4] [--seconds 15]

Targets (issue 6): the public list's throughput at least 50% of the trivial endpoint's; p95 at most 100 ms.
The load generator (Debian's wrk) sends bounded traffic to 127.0.0.1 only, and stops by itself.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PORT = 8766


def start_gunicorn(workers: int, database: str) -> subprocess.Popen:
    env = dict(os.environ, BENCH_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}", PYTHONPATH=str(ROOT))
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{PORT}", "--log-level", "warning",
         "bench.wsgi_bench:app"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/trivial", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def wrk(path: str, seconds: int, connections: int, random_pages: int = 0) -> dict[str, float]:
    env = dict(os.environ, RANDOM_PAGES=str(random_pages))
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(HERE / "p95.lua"),
         f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, env=env, check=True).stdout
    line = re.search(r"RESULT (.*)", output).group(1)
    return {key: float(value) for key, value in (pair.split("=") for pair in line.split())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database", default="bench_100k")
    args = parser.parse_args()
    server = start_gunicorn(args.workers, args.database)
    try:
        for path in ("/bench/trivial", "/public/"):  # warm every worker
            for _ in range(50):
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30).read()
        runs = [
            ("trivial endpoint", "/bench/trivial", 0),
            ("public list, first page", "/public/", 0),
            ("public list, random page 1-50 and year (cache misses)", "/public/", 50),
        ]
        results = {}
        for label, path, pages in runs:
            results[label] = wrk(path, args.seconds, args.connections, pages)
            r = results[label]
            print(f"{label:50s} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms  "
                  f"p99 {r['p99_ms']:6.1f} ms  errors {int(r['errors'])}")
        trivial = results["trivial endpoint"]["rps"]
        for label in list(results)[1:]:
            r = results[label]
            print(f"{label}: {r['rps'] / trivial:.0%} of the trivial endpoint's throughput, p95 {r['p95_ms']:.1f} ms")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
