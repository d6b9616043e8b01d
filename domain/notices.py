"""Notices by SMS and e-mail: rendered from the office's templates and written into the outbox.

Event notices are written by the workflow in the same transaction as the event; reminders by the
cron command. Every message has a dedup key (event or reminder + recipient + channel), inserted with
ON CONFLICT DO NOTHING (in batches, see Outbox), so that no event and no reminder is ever written twice.
"""
from __future__ import annotations

import re
import secrets
import sys
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from domain import actions, audit, states
from domain.actions import action
from domain.errors import require
from domain.evaluations import implementation_window, pending_commitments_condition, year_commitments_condition
from domain.rules import Rules
from models import (
    Assignment,
    Commitment,
    Deputy,
    MessageTemplate,
    OutboxAttempt,
    OutboxMessage,
    Reply,
    Suggestion,
    Unit,
    User,
    db,
)
from models.base import utcnow
from models.enums import ASSIGNMENT_ROLE_LABELS, AssignmentRole, CommitmentStatus, Role

SMS = "sms"
EMAIL = "email"
CHANNEL_LABELS = {SMS: "短信", EMAIL: "邮件"}

PENDING, SENDING, SENT, FAILED, UNCERTAIN = "pending", "sending", "sent", "failed", "uncertain"
STATUS_LABELS = {PENDING: "待发送", SENDING: "发送中", SENT: "已发送", FAILED: "发送失败", UNCERTAIN: "中断待核实"}


@dataclass(frozen=True)
class Template:
    key: str
    label: str
    subject: str
    body: str


DEFAULT_TEMPLATES = [
    Template("assigned_deputy", "交办通知（领衔代表）", "建议已交办",
             "{deputy}代表：您领衔的建议《{title}》（{number}）已于{date}交办，承办单位：{units}。"),
    Template("assigned_unit", "新交办通知（承办单位）", "新交办的代表建议",
             "{unit}：代表建议《{title}》（{number}）已交办贵单位（{role}），答复期限{due_on}，请及时签收办理。"),
    Template("replied_deputy", "答复通知（领衔代表）", "建议已答复，请评价",
             "{deputy}代表：您领衔的建议《{title}》（{number}）已由{units}答复，请登录建议通查看答复并评价。"),
    Template("reply_corrected_deputy", "答复更正通知（领衔代表）", "答复已更正",
             "{deputy}代表：{units}对您领衔的建议《{title}》（{number}）的答复作了更正，请登录建议通查看更正后的答复。"),
    Template("rehandled_deputy", "重办通知（领衔代表）", "建议已转重办",
             "{deputy}代表：根据您的评价，建议《{title}》（{number}）已转承办单位重办，再次答复期限{due_on}。"),
    Template("rehandled_unit", "重办通知（承办单位）", "代表建议转重办",
             "{unit}：代表对建议《{title}》（{number}）的答复不满意，已转重办，请再次与代表沟通并于{due_on}前再次答复。"),
    Template("evaluation_waiting_deputy", "落实评价待评通知（领衔代表）", "承诺事项落实情况待评价",
             "{deputy}代表：{year}年承诺事项落实情况评价已开始，您有{count}项承诺事项待评价，请于{closes_on}前登录建议通评价。"),
    Template("due_soon_unit", "临期提醒（承办单位）", "代表建议办理临期提醒",
             "{unit}：代表建议《{title}》（{number}）的办理期限为{due_on}，请抓紧办理。"),
    Template("overdue_unit", "超期提醒（承办单位）", "代表建议办理已超期",
             "{unit}：代表建议《{title}》（{number}）已超过办理期限{due_on}，请尽快办理并答复代表。"),
    Template("commitment_overdue_unit", "承诺事项超期提醒（承办单位）", "承诺事项已超期",
             "{unit}：贵单位在建议《{title}》（{number}）答复中承诺的“{content}”已超过完成期限{due_on}，请抓紧落实。"),
]
TEMPLATE_DEFAULTS = {t.key: t for t in DEFAULT_TEMPLATES}
PLACEHOLDERS = {"deputy", "unit", "title", "number", "date", "units", "role", "due_on", "year", "count", "closes_on",
                "content"}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def unknown_placeholders(text: str) -> set[str]:
    """Placeholders in a template that the notices cannot fill (shown to the office when it edits one)."""
    return {name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS}


def render(text: str, values: dict[str, object]) -> str:
    """Fill {name} placeholders; nothing else in the text is interpreted."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def template(key: str) -> Template:
    row = db.session.scalar(select(MessageTemplate).where(MessageTemplate.key == key))
    return Template(row.key, row.label, row.subject, row.body) if row else TEMPLATE_DEFAULTS[key]


def seed_message_templates() -> None:
    """Write the default templates as editable rows where none exist yet."""
    existing = set(db.session.scalars(select(MessageTemplate.key)))
    for t in DEFAULT_TEMPLATES:
        if t.key not in existing:
            db.session.add(MessageTemplate(key=t.key, label=t.label, subject=t.subject, body=t.body))
    db.session.flush()


# --- writing messages -----------------------------------------------------------------------


def _addresses(phone: str, email: str = "") -> list[tuple[str, str]]:
    found = [(SMS, phone.strip())] if phone.strip() else []
    found += [(EMAIL, email.strip())] if email.strip() else []
    return found


class Outbox:
    """Collects messages and writes them in batches; a message whose dedup key exists is skipped (ON CONFLICT)."""

    BATCH = 500

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.templates: dict[str, Template] = {}

    def add(self, key: str, dedup: str, values: dict, *, deputy: Deputy | None = None, unit: Unit | None = None,
            suggestion: Suggestion | None = None) -> None:
        """One message per address of the recipient; a recipient without any address gets a failed message,
        so that staff see it was not delivered."""
        if key not in self.templates:
            self.templates[key] = template(key)
        t = self.templates[key]
        recipient = deputy or unit
        addresses = _addresses(deputy.phone) if deputy else _addresses(unit.notify_phone, unit.notify_email)
        for channel, address in addresses or [(SMS, "")]:
            self.rows.append({
                "dedup_key": f"{dedup}:{channel}", "idempotency_key": secrets.token_hex(16), "template_key": key,
                "channel": channel, "recipient": recipient.name, "address": address,
                "subject": render(t.subject, values), "body": render(t.body, values),
                "suggestion_id": suggestion.id if suggestion else None, "deputy_id": deputy.id if deputy else None,
                "unit_id": unit.id if unit else None, "status": PENDING if address else FAILED,
                "last_error": "" if address else "未设置手机号或邮箱，无法发送", "next_attempt_at": utcnow(),
                "created_at": utcnow(),
            })

    def write(self) -> int:
        """Insert what was collected (one executemany per batch); returns how many messages are new."""
        dialect = db.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (insert(OutboxMessage.__table__).on_conflict_do_nothing(index_elements=["dedup_key"])
                     .returning(OutboxMessage.__table__.c.id))
        connection = db.session.connection()
        written = sum(len(connection.execute(statement, self.rows[start:start + self.BATCH]).all())
                      for start in range(0, len(self.rows), self.BATCH))
        self.rows = []
        return written


def _suggestion_values(suggestion: Suggestion) -> dict[str, object]:
    return {"title": suggestion.title, "number": suggestion.display_number, "deputy": suggestion.lead_deputy.name,
            "due_on": _date(suggestion.due_on)}


def _date(value: date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def replying_assignments(suggestion: Suggestion) -> list[Assignment]:
    return [a for a in suggestion.active_assignments if a.role != AssignmentRole.CO_HANDLER]


def _unit_names(assignments: list[Assignment]) -> str:
    return "、".join(f"{a.unit.name}（{ASSIGNMENT_ROLE_LABELS[a.role]}）" for a in assignments)


# --- events (called by domain.workflow inside the event's transaction) ----------------------------


def on_assigned(suggestion: Suggestion) -> None:
    values = _suggestion_values(suggestion) | {"date": _date(suggestion.assigned_on),
                                               "units": _unit_names(suggestion.active_assignments)}
    outbox = Outbox()
    first = min(a.id for a in suggestion.active_assignments)
    outbox.add("assigned_deputy", f"assigned:{first}:deputy", values, deputy=suggestion.lead_deputy, suggestion=suggestion)
    for assignment in suggestion.active_assignments:
        outbox.add("assigned_unit", f"assigned:{assignment.id}:unit",
                   values | {"unit": assignment.unit.name, "role": ASSIGNMENT_ROLE_LABELS[assignment.role]},
                   unit=assignment.unit, suggestion=suggestion)
    outbox.write()


def on_replied(suggestion: Suggestion, reply: Reply) -> None:
    values = _suggestion_values(suggestion) | {"units": "、".join(a.unit.name for a in replying_assignments(suggestion))}
    outbox = Outbox()
    outbox.add("replied_deputy", f"replied:{reply.id}", values, deputy=suggestion.lead_deputy, suggestion=suggestion)
    outbox.write()


def on_reply_corrected(suggestion: Suggestion, reply: Reply, number: int) -> None:
    outbox = Outbox()
    outbox.add("reply_corrected_deputy", f"reply_corrected:{reply.id}:{number}", _suggestion_values(suggestion)
               | {"units": reply.unit.name}, deputy=suggestion.lead_deputy, suggestion=suggestion)
    outbox.write()


def on_rehandled(suggestion: Suggestion) -> None:
    values = _suggestion_values(suggestion)
    outbox = Outbox()
    outbox.add("rehandled_deputy", f"rehandled:{suggestion.id}:deputy", values, deputy=suggestion.lead_deputy,
               suggestion=suggestion)
    for assignment in replying_assignments(suggestion):
        outbox.add("rehandled_unit", f"rehandled:{suggestion.id}:{assignment.unit_id}",
                   values | {"unit": assignment.unit.name}, unit=assignment.unit, suggestion=suggestion)
    outbox.write()


# --- reminders (the cron command) -------------------------------------------------------------------


def send_reminders(today: date, rules: Rules | None = None) -> int:
    """Write due-soon, overdue, commitment-overdue and evaluation-waiting reminders; returns how many were new."""
    rules = rules or Rules.load()
    outbox = Outbox()
    _deadline_reminders(outbox, today, rules)
    _commitment_reminders(outbox, today)
    _evaluation_waiting_reminders(outbox, today, rules)
    return outbox.write()


def _deadline_reminders(outbox: Outbox, today: date, rules: Rules) -> None:
    for key, condition in (("due_soon_unit", states.due_soon(today, rules.amount("due_soon"))), ("overdue_unit", states.overdue(today))):
        suggestions = db.session.scalars(
            select(Suggestion).where(condition).options(
                joinedload(Suggestion.lead_deputy), joinedload(Suggestion.assignments).joinedload(Assignment.unit))
        ).unique()
        for suggestion in suggestions:
            values = _suggestion_values(suggestion)
            for assignment in replying_assignments(suggestion):
                dedup = f"{key}:{suggestion.id}:{suggestion.due_on.isoformat()}:{assignment.unit_id}"
                outbox.add(key, dedup, values | {"unit": assignment.unit.name}, unit=assignment.unit, suggestion=suggestion)


def _commitment_reminders(outbox: Outbox, today: date) -> None:
    """Overdue commitments on this year's ledger (this year's replies and rolled-over B-category ones)."""
    rows = db.session.execute(
        select(Commitment, Suggestion, Unit).join(Commitment.reply).join(Reply.suggestion).join(Reply.unit)
        .options(joinedload(Suggestion.lead_deputy))
        .where(Commitment.status != CommitmentStatus.KEPT, Commitment.due_on < today, year_commitments_condition(today.year))
    ).all()
    for commitment, suggestion, unit in rows:
        values = _suggestion_values(suggestion) | {"unit": unit.name, "content": commitment.content,
                                                   "due_on": _date(commitment.due_on)}
        outbox.add("commitment_overdue_unit", f"commitment_overdue:{commitment.id}:{commitment.due_on.isoformat()}",
                   values, unit=unit, suggestion=suggestion)


def _evaluation_waiting_reminders(outbox: Outbox, today: date, rules: Rules) -> None:
    opens_on, closes_on = implementation_window(today.year, rules)
    if not opens_on <= today <= closes_on:
        return
    counts = db.session.execute(
        select(Deputy, func.count(Commitment.id)).join(Suggestion, Suggestion.lead_deputy_id == Deputy.id)
        .join(Reply, Reply.suggestion_id == Suggestion.id).join(Commitment, Commitment.reply_id == Reply.id)
        .where(pending_commitments_condition(today.year)).group_by(Deputy)
    ).all()
    for deputy, count in counts:
        values = {"deputy": deputy.name, "year": today.year, "count": count, "closes_on": _date(closes_on)}
        outbox.add("evaluation_waiting_deputy", f"evaluation_waiting:{today.year}:{deputy.id}", values, deputy=deputy)


# --- the office's part in delivery ------------------------------------------------------------------


def record_attempt(message_id: int, outcome: str, detail: str = "", worker: str = "") -> None:
    """One step in a message's life (claimed, sent, failed, requeued…), kept as its history."""
    db.session.add(OutboxAttempt(message_id=message_id, outcome=outcome, detail=detail[:2000], worker=worker))


def requeue(actor: User, message: OutboxMessage) -> None:
    """The office sends a failed or uncertain message again (after checking that it did not arrive)."""
    require(actor.has_role(Role.OFFICE), "只有代表工委可以重新发送消息。")
    require(message.status in (FAILED, UNCERTAIN) and bool(message.address), "只有发送失败或中断待核实、且有地址的消息可以重新发送。")
    with audit.operation(actor, "重新发送消息"):
        message.status, message.next_attempt_at, message.attempts = PENDING, utcnow(), 0
    record_attempt(message.id, "requeued", f"{actor.display_name} 重新发送", "")
    db.session.flush()


OUTBOX_ACTIONS = {
    "requeue": action("重新发送", {Role.OFFICE}, bulk=True, target=OutboxMessage, confirm="确认这些消息确实未送达，重新发送吗？"),
}
ACTIONS = actions.bind(sys.modules[__name__], OUTBOX_ACTIONS)
