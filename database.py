"""Connection settings per database engine.

SQLite serves the demo and small single-machine installations: several threads or gunicorn processes
share one file, so writers wait for each other (busy timeout) instead of failing with "database is
locked", and WAL lets readers go on while one writer works. The request boundary opens each write
transaction with BEGIN IMMEDIATE (web.boundary.begin_write), so a writer takes the lock before reading
anything it will change. Foreign keys are enforced, as on PostgreSQL: no row can point at nothing.
"""
from sqlalchemy import Engine, event

SQLITE_BUSY_TIMEOUT_MS = 30_000


def tune(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    in_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()
