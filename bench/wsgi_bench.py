"""The app as gunicorn serves it in the benchmarks, plus a trivial endpoint to compare against."""
import os

from app import create_app

app = create_app("production", SECRET_KEY="bench-only", SQLALCHEMY_DATABASE_URI=os.environ["BENCH_DATABASE_URI"])


@app.route("/bench/trivial")
def trivial():
    return "ok"
