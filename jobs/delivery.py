"""Delivering the outbox: claim one message at a time, send it through the configured provider, record the result.

Exactly once, with several sender processes on PostgreSQL or SQLite:
- a message is claimed by a conditional UPDATE (status and claim token as read, under SELECT … FOR UPDATE SKIP
  LOCKED on PostgreSQL), committed before sending, with a lease; no two senders hold the same message;
- the result is committed right after the provider answers;
- a sender killed between claiming and recording leaves the message "sending" with an expired lease. The next
  sender re-sends it with the same idempotency key when the provider honours one (the SMS gateway, the log),
  so the gateway delivers it once; over SMTP, which has no such key, it is marked "uncertain" for the office
  to check and requeue instead of risking a second e-mail.
- temporary failures are retried with exponential back-off; permanent ones (and too many attempts) fail.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import smtplib
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app
from sqlalchemy import and_, or_, select, update

from domain.notices import EMAIL, FAILED, PENDING, SENDING, SENT, SMS, UNCERTAIN, record_attempt
from models import OutboxMessage, db
from models.base import utcnow

log = logging.getLogger("jianyitong.outbox")


class TemporaryFailure(Exception):
    """Worth retrying later."""


class PermanentFailure(Exception):
    """Retrying will not help (bad address, refused by the provider)."""


# --- providers ------------------------------------------------------------------------------------------


class LogProvider:
    """The default: writes the message to the application log."""

    name = "log"
    idempotent = True

    def send(self, message: OutboxMessage) -> str:
        log.info("notice %s to %s <%s>: %s", message.idempotency_key, message.recipient, message.address, message.body)
        return f"log:{message.idempotency_key}"


@dataclass
class HttpSmsProvider:
    """An HTTP SMS gateway: JSON POST with the API key and an idempotency key; the gateway's id is the receipt."""

    url: str
    key: str
    timeout: float = 10.0
    name = "http"
    idempotent = True

    def send(self, message: OutboxMessage) -> str:
        payload = {"to": message.address, "text": message.body, "idempotency_key": message.idempotency_key}
        request = urllib.request.Request(
            self.url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.key}",
                     "Idempotency-Key": message.idempotency_key},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            detail = f"HTTP {error.code}: {error.read()[:200].decode('utf-8', 'replace')}"
            if error.code in (408, 429) or error.code >= 500:
                raise TemporaryFailure(detail) from None
            raise PermanentFailure(detail) from None
        except (urllib.error.URLError, socket.timeout, ConnectionError) as error:
            raise TemporaryFailure(f"网关无法连接：{error}") from None
        try:
            answer = json.loads(body)
        except ValueError:
            return body[:200]
        return str(answer.get("id") or answer.get("receipt") or body)[:200]


@dataclass
class SmtpProvider:
    """E-mail over SMTP; the server's answer to DATA is the receipt. SMTP has no idempotency key."""

    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0
    name = "smtp"
    idempotent = False

    def send(self, message: OutboxMessage) -> str:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self.sender, message.address, message.subject
        email["Date"] = formatdate(localtime=True)
        email["Message-ID"] = f"<{message.idempotency_key}@jianyitong>"
        email.set_content(message.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.ehlo_or_helo_if_needed()
                code, answer = smtp.mail(self.sender)
                _check_smtp(code, answer)
                code, answer = smtp.rcpt(message.address)
                _check_smtp(code, answer)
                code, answer = smtp.data(email.as_bytes())
                _check_smtp(code, answer)
                return f"{code} {answer.decode('utf-8', 'replace')}"[:200]
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryFailure(f"邮件服务器错误：{error}") from None


def _check_smtp(code: int, answer: bytes) -> None:
    if code >= 500:
        raise PermanentFailure(f"SMTP {code} {answer.decode('utf-8', 'replace')}")
    if code >= 400:
        raise TemporaryFailure(f"SMTP {code} {answer.decode('utf-8', 'replace')}")


def provider_for(channel: str):
    """The provider configured for a channel: NOTIFY_SMS_PROVIDER (log|http), NOTIFY_EMAIL_PROVIDER (log|smtp)."""
    config = current_app.config
    if channel == SMS and config.get("NOTIFY_SMS_PROVIDER", "log") == "http":
        return HttpSmsProvider(config["SMS_GATEWAY_URL"], config.get("SMS_GATEWAY_KEY", ""))
    if channel == EMAIL and config.get("NOTIFY_EMAIL_PROVIDER", "log") == "smtp":
        return SmtpProvider(config.get("SMTP_HOST", "localhost"), int(config.get("SMTP_PORT", 25)),
                            config.get("SMTP_SENDER", "jianyitong@localhost"), config.get("SMTP_USERNAME", ""),
                            config.get("SMTP_PASSWORD", ""), bool(config.get("SMTP_STARTTLS", False)))
    return LogProvider()


# --- claiming and recording -----------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _due(now: datetime):
    return or_(and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
               and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now))


@dataclass
class Claim:
    message: OutboxMessage
    token: str
    interrupted: bool  # a previous sender claimed it and never recorded the result


def claim_next(worker: str, lease_seconds: int, now: datetime | None = None) -> Claim | None:
    """Take the oldest due message for this sender; the caller commits before sending."""
    now = now or utcnow()
    while True:
        row = db.session.execute(
            select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.claim_token).where(_due(now))
            .order_by(OutboxMessage.id).limit(1).with_for_update(skip_locked=True)
        ).first()
        if row is None:
            return None
        token = secrets.token_hex(16)
        same_claim = (OutboxMessage.claim_token.is_(None) if row.claim_token is None
                      else OutboxMessage.claim_token == row.claim_token)
        taken = db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == row.id, OutboxMessage.status == row.status, same_claim)
            .values(status=SENDING, claim_token=token, lease_until=now + timedelta(seconds=lease_seconds),
                    attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 1:
            interrupted = row.status == SENDING
            record_attempt(row.id, "claimed", "上次发送中断，重新领取" if interrupted else "", worker)
            db.session.flush()
            message = db.session.get(OutboxMessage, row.id, populate_existing=True)
            return Claim(message, token, interrupted)


def _finish(claim: Claim, values: dict, outcome: str, detail: str, worker: str) -> None:
    """Record the result unless the message was already recorded as sent by another sender."""
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == claim.message.id, OutboxMessage.status != SENT)
        .values(claim_token=None, lease_until=None, **values).execution_options(synchronize_session=False)
    )
    record_attempt(claim.message.id, outcome, detail, worker)
    db.session.flush()


def backoff(attempts: int) -> timedelta:
    base = current_app.config.get("OUTBOX_BACKOFF_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), current_app.config.get("OUTBOX_MAX_BACKOFF_SECONDS", 3600)))


def deliver(claim: Claim, worker: str) -> str:
    """Send one claimed message and record what happened; returns the new status."""
    message = claim.message
    provider = provider_for(message.channel)
    if claim.interrupted and not provider.idempotent:
        _finish(claim, {"status": UNCERTAIN, "last_error": "发送过程中断，无法确认邮件是否已送达，请核实后重新发送。"},
                UNCERTAIN, "SMTP 无幂等键，不自动重发", worker)
        return UNCERTAIN
    try:
        receipt = provider.send(message)
    except PermanentFailure as error:
        _finish(claim, {"status": FAILED, "last_error": str(error), "provider": provider.name}, FAILED, str(error), worker)
        return FAILED
    except TemporaryFailure as error:
        if message.attempts >= current_app.config.get("OUTBOX_MAX_ATTEMPTS", 8):
            _finish(claim, {"status": FAILED, "last_error": f"已重试{message.attempts}次：{error}", "provider": provider.name},
                    FAILED, str(error), worker)
            return FAILED
        retry_at = utcnow() + backoff(message.attempts)
        _finish(claim, {"status": PENDING, "next_attempt_at": retry_at, "last_error": str(error), "provider": provider.name},
                "retry", f"{error}；{retry_at:%H:%M:%S} UTC 重试", worker)
        return PENDING
    _finish(claim, {"status": SENT, "sent_at": utcnow(), "provider": provider.name, "provider_receipt": receipt,
                    "last_error": ""}, SENT, receipt, worker)
    return SENT


def send_pending(limit: int = 500, lease_seconds: int = 120, worker: str | None = None) -> dict[str, int]:
    """The sender's loop: claim, commit, send, commit; up to `limit` messages. Returns counts by outcome."""
    worker = worker or worker_name()
    counts: dict[str, int] = {}
    for _ in range(limit):
        claim = claim_next(worker, lease_seconds)
        db.session.commit()
        if claim is None:
            break
        outcome = deliver(claim, worker)
        db.session.commit()
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
