"""`flask fingerprints`: store the duplicate-detection fingerprint of every suggestion (after upgrading an archive)."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from domain.duplicates import store_fingerprints
from models import Suggestion, db

BATCH = 1000


@click.command("fingerprints")
@with_appcontext
def fingerprints_command() -> None:
    """Fingerprint every suggestion; the running processes pick them up on their next check."""
    last_id, done = 0, 0
    while True:
        batch = db.session.scalars(select(Suggestion).where(Suggestion.id > last_id).order_by(Suggestion.id).limit(BATCH)).all()
        if not batch:
            break
        store_fingerprints(db.session, batch)
        db.session.commit()
        last_id, done = batch[-1].id, done + len(batch)
    click.echo(f"已为 {done} 件建议生成查重指纹。")
