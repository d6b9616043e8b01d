"""`flask send-messages` delivers the outbox; `flask send-reminders` (for cron) writes deadline reminders."""
from datetime import date

import click

from domain import notices
from domain.clock import today
from jobs import delivery
from models import db


@click.command("send-messages")
@click.option("--limit", default=500, show_default=True, help="最多发送多少条")
@click.option("--lease", default=120, show_default=True, help="领取一条消息后的租期（秒），超时未完成可被其他进程接手")
def send_messages_command(limit: int, lease: int) -> None:
    """Send the due messages of the outbox through the configured providers."""
    counts = delivery.send_pending(limit=limit, lease_seconds=lease)
    labels = notices.STATUS_LABELS | {"pending": "待重试"}
    click.echo("，".join(f"{labels.get(k, k)} {v} 条" for k, v in counts.items()) or "没有待发送的消息。")


@click.command("send-reminders")
@click.option("--today", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="按哪一天计算（默认今天）")
def send_reminders_command(on) -> None:
    """Write due-soon, overdue and evaluation reminders into the outbox; running it twice writes nothing twice."""
    day: date = on.date() if on else today()
    written = notices.send_reminders(day)
    db.session.commit()
    click.echo(f"新写入提醒 {written} 条。")
