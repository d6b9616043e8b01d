"""Atomic counters per series (案号 per session, fingerprint change order): one upsert on NumberCounter."""
from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from models import NumberCounter


def next_number_statement(dialect: str, series: str):
    """INSERT … ON CONFLICT DO UPDATE … RETURNING: the row stays locked until the transaction ends."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(NumberCounter)
        .values(series=series, last_number=1)
        .on_conflict_do_update(
            index_elements=[NumberCounter.series], set_={"last_number": NumberCounter.last_number + 1}
        )
        .returning(NumberCounter.last_number)
    )


def next_number(connection: Connection, series: str) -> int:
    return connection.execute(next_number_statement(connection.dialect.name, series)).scalar_one()
