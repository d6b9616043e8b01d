"""Notices: written with their event, templates, reminders, and delivery exactly once — even when the sender
is killed in the middle of a batch — against a fake SMS gateway and a local SMTP server started here."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from domain import notices, workflow
from jobs import delivery
from models import MessageTemplate, OutboxAttempt, OutboxMessage, db
from models.base import utcnow
from tests import helpers
from tests.helpers import login

ROOT = Path(__file__).resolve().parent.parent


def _messages(**filters) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in filters.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    db.session.expire_all()
    return db.session.scalars(query).all()


# --- written with the event ---------------------------------------------------------------------------------


def test_assignment_writes_notices_to_the_deputy_and_each_unit(district):
    district.units[1].notify_email = "jyj@example.cn"
    suggestion = helpers.assigned(district, co_handlers=[district.units[1]])
    deputy_sms, = _messages(template_key="assigned_deputy")
    assert deputy_sms.address == "13800000001" and deputy_sms.channel == "sms" and deputy_sms.status == "pending"
    assert "区住房和城乡建设局（主办）、区教育体育局（协办）" in deputy_sms.body and suggestion.display_number in deputy_sms.body
    unit_messages = _messages(template_key="assigned_unit")
    assert [(m.recipient, m.channel, m.status) for m in unit_messages] == [
        ("区住房和城乡建设局", "sms", "failed"), ("区教育体育局", "email", "pending")]
    assert unit_messages[0].last_error == "未设置手机号或邮箱，无法发送"


def test_a_refused_event_writes_no_notice(district):
    suggestion = helpers.register(district)
    with pytest.raises(workflow.WorkflowError):
        workflow.assign(district.office, suggestion, lead_unit=None, today=date(2026, 2, 2))
    db.session.rollback()
    assert _messages() == []


def test_replied_and_rehandled_notices(district):
    suggestion = helpers.evaluated(district, "unsatisfied")
    assert "请登录建议通查看答复并评价" in _messages(template_key="replied_deputy")[0].body
    workflow.rehandle(district.office, suggestion, date(2026, 3, 12))
    db.session.commit()
    assert "再次答复期限2026-04-12" in _messages(template_key="rehandled_deputy")[0].body
    assert len(_messages(template_key="rehandled_unit")) == 1


def test_the_office_edits_a_template_and_unknown_placeholders_are_refused(client, district):
    notices.seed_message_templates()
    db.session.commit()
    row = db.session.scalar(select(MessageTemplate).where(MessageTemplate.key == "assigned_deputy"))
    login(client, "office")
    response = client.post(f"/admin/message_template/edit/?id={row.id}", data={"subject": "交办", "body": "{deputy}：{oops}"},
                           follow_redirects=True)
    assert "无法识别的占位符：{oops}" in response.get_data(as_text=True)
    client.post(f"/admin/message_template/edit/?id={row.id}", data={"subject": "交办", "body": "{deputy}代表：《{title}》已交办。"})
    helpers.assigned(district, "关于模板的建议")
    assert _messages(template_key="assigned_deputy")[0].body == "王堃代表：《关于模板的建议》已交办。"


def test_only_the_office_sees_the_outbox(client, district):
    helpers.assigned(district)
    for username, expected in [("office", 200), ("unit", 403), ("deputy", 403), ("govoffice", 403)]:
        login(client, username)
        assert client.get("/admin/outbox/").status_code == expected, username
        assert client.get("/admin/message_template/").status_code == expected, username
        client.post("/logout")


# --- reminders ------------------------------------------------------------------------------------------------


def test_reminders_are_written_once_however_often_cron_runs(app, district):
    district.units[0].notify_phone = "057188000001"
    soon = helpers.assigned(district, "临期的建议")
    soon.due_on = date(2026, 5, 5)
    late = helpers.assigned(district, "超期的建议")
    late.due_on = date(2026, 4, 20)
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders", "--today", "2026-05-01"])
    assert "新写入提醒 2 条" in first.output
    second = runner.invoke(args=["send-reminders", "--today", "2026-05-01"])
    assert "新写入提醒 0 条" in second.output
    assert notices.send_reminders(date(2026, 5, 2)) == 0  # same deadlines, next day: nothing new
    assert {m.template_key for m in _messages(unit_id=district.units[0].id, status="pending")} >= {"due_soon_unit", "overdue_unit"}
    soon.due_on = date(2026, 5, 8)  # an extension: a new deadline gets its own reminder
    db.session.commit()
    assert notices.send_reminders(date(2026, 5, 2)) == 1


def test_commitment_overdue_and_evaluation_waiting_reminders(district):
    suggestion = helpers.handling(district)
    helpers.contacted(district, suggestion, district.units[0])
    workflow.reply(district.users["unit"], suggestion, reply_category="B", text="计划", signatory="张局长",
                   replied_on=date(2026, 3, 2), today=date(2026, 3, 2), commitments=[("修路", date(2026, 9, 30))])
    db.session.commit()
    assert notices.send_reminders(date(2026, 10, 8)) == 1  # the overdue commitment
    assert notices.send_reminders(date(2026, 11, 1)) == 1  # the window opened: the deputy has one to evaluate
    assert notices.send_reminders(date(2026, 11, 2)) == 0
    waiting, = _messages(template_key="evaluation_waiting_deputy")
    assert "您有1项承诺事项待评价，请于2026-12-31前" in waiting.body


# --- delivery --------------------------------------------------------------------------------------------------


class FakeGateway:
    """An SMS gateway on 127.0.0.1 that honours idempotency keys; it can fail or kill the sender on demand."""

    def __init__(self):
        self.requests: list[dict] = []
        self.delivered: dict[str, int] = {}
        self.failures: list[int] = []  # status codes to answer with, first come first served
        self.on_request = None  # called with the request number before answering
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with gateway.lock:
                    gateway.requests.append(body | {"auth": self.headers["Authorization"]})
                    number = len(gateway.requests)
                    status = gateway.failures.pop(0) if gateway.failures else 200
                    if status == 200:
                        key = body["idempotency_key"]
                        gateway.delivered[key] = 1  # a repeated key is the same delivery
                if gateway.on_request:
                    gateway.on_request(number)
                payload = json.dumps({"id": f"gw-{body['idempotency_key'][:8]}"} if status == 200 else {"error": "x"})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def gateway(app):
    fake = FakeGateway()
    app.config.update(NOTIFY_SMS_PROVIDER="http", SMS_GATEWAY_URL=fake.url, SMS_GATEWAY_KEY="secret-key")
    yield fake
    app.config.update(NOTIFY_SMS_PROVIDER="log", SMS_GATEWAY_URL="")
    fake.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailStore:
    def __init__(self):
        self.received: list[str] = []  # Message-IDs accepted
        self.on_message = None

    async def handle_DATA(self, server, session, envelope):
        message_id = next(line.split(":", 1)[1].strip() for line in envelope.content.decode().splitlines()
                          if line.lower().startswith("message-id:"))
        if self.on_message and self.on_message(len(self.received) + 1) is False:
            return "451 4.3.0 try again later"
        self.received.append(message_id)
        return f"250 queued as {message_id}"


@pytest.fixture
def smtp_server(app):
    store = MailStore()
    controller = Controller(store, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(NOTIFY_EMAIL_PROVIDER="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    yield store
    app.config.update(NOTIFY_EMAIL_PROVIDER="log")
    controller.stop()


def _notices(district, count: int) -> list[OutboxMessage]:
    """`count` pending SMS to deputies (one per assignment; units have no address, their notices fail at once)."""
    for i in range(count):
        helpers.assigned(district, f"第{i + 1}件建议", lead=district.deputies[i % 4])
    return _messages(status="pending")


def test_the_log_provider_is_the_default(app, district):
    _notices(district, 2)
    assert delivery.send_pending() == {"sent": 2}
    assert all(m.provider == "log" and m.provider_receipt.startswith("log:") for m in _messages(status="sent"))


def test_gateway_retries_with_back_off_then_stores_the_receipt(gateway, district):
    message, = _notices(district, 1)
    gateway.failures = [503]
    assert delivery.send_pending() == {"pending": 1}
    message = _messages(id=message.id)[0]
    assert message.status == "pending" and message.attempts == 1 and "HTTP 503" in message.last_error
    assert timedelta(seconds=55) < message.next_attempt_at - utcnow() <= timedelta(seconds=60)
    assert delivery.send_pending() == {}  # not due yet
    message.next_attempt_at = utcnow()
    db.session.commit()
    assert delivery.send_pending() == {"sent": 1}
    message = _messages(id=message.id)[0]
    assert message.provider_receipt == f"gw-{message.idempotency_key[:8]}" and message.attempts == 2
    assert [h.outcome for h in message.history] == ["claimed", "retry", "claimed", "sent"]
    assert gateway.requests[0]["auth"] == "Bearer secret-key" and gateway.requests[0]["to"] == message.address
    assert delivery.backoff(3) == timedelta(seconds=240)


def test_a_refused_message_fails_for_good_and_the_office_can_requeue_it(gateway, district):
    message, = _notices(district, 1)
    gateway.failures = [400]
    assert delivery.send_pending() == {"failed": 1}
    with pytest.raises(workflow.WorkflowError):
        notices.requeue(district.users["unit"], _messages(id=message.id)[0])
    notices.requeue(district.office, _messages(id=message.id)[0])
    db.session.commit()
    assert delivery.send_pending() == {"sent": 1}


def _sender(lease: int = 2, **env) -> subprocess.Popen:
    environment = os.environ | {"APP_ENV": "development", "DATABASE_URL": os.environ["TEST_DATABASE_URL"],
                                "PYTHONPATH": str(ROOT), **env}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "send-messages", "--lease", str(lease)],
                            cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _gateway_env(gateway) -> dict:
    return {"NOTIFY_SMS_PROVIDER": "http", "SMS_GATEWAY_URL": gateway.url, "SMS_GATEWAY_KEY": "secret-key"}


def test_a_sender_killed_mid_batch_loses_nothing_and_sends_nothing_twice(gateway, district):
    messages = _notices(district, 6)
    db.session.commit()
    process = _sender(**_gateway_env(gateway))

    def kill_on_third(number):  # the worst moment: the gateway accepted the SMS, the sender has not recorded it
        if number == 3:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()

    gateway.on_request = kill_on_third
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    gateway.on_request = None
    assert [m.status for m in _messages(status="sent")] == ["sent", "sent"]
    time.sleep(2.5)  # the killed sender's lease runs out
    restarted = _sender(**_gateway_env(gateway))
    out, err = restarted.communicate(timeout=60)
    assert restarted.returncode == 0, err
    after = _messages()
    assert [m.status for m in after if m.id in {x.id for x in messages}] == ["sent"] * 6
    keys = [m.idempotency_key for m in messages]
    assert sorted(gateway.delivered) == sorted(keys)  # each delivered once…
    assert len(gateway.requests) == 7  # …the interrupted one was offered twice under the same key
    third = _messages(id=messages[2].id)[0]
    assert [h.detail for h in third.history if h.outcome == "claimed"][-1] == "上次发送中断，重新领取"


def test_two_senders_at_once_never_send_the_same_message(gateway, district):
    messages = _notices(district, 24)
    db.session.commit()
    senders = [_sender(lease=60, **_gateway_env(gateway)) for _ in range(2)]
    for sender in senders:
        _, err = sender.communicate(timeout=90)
        assert sender.returncode == 0, err
    keys = [r["idempotency_key"] for r in gateway.requests]
    assert sorted(keys) == sorted(m.idempotency_key for m in messages)  # each offered exactly once
    assert {m.status for m in _messages(channel="sms") if m.address} == {"sent"}
    workers = {h.worker for h in db.session.scalars(select(OutboxAttempt).where(OutboxAttempt.outcome == "sent"))}
    assert len(workers) >= 1


def test_smtp_killed_mid_batch_marks_the_uncertain_mail_instead_of_sending_it_twice(app, smtp_server, district):
    for unit in district.units:
        unit.notify_email = f"unit{unit.id}@example.cn"
    db.session.commit()
    for i in range(5):
        helpers.assigned(district, f"邮件建议{i}", unit=district.units[i % 3])
    emails = _messages(channel="email")
    assert len(emails) == 5
    env = {"NOTIFY_EMAIL_PROVIDER": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(app.config["SMTP_PORT"])}
    process = _sender(**env)

    def kill_on_third(number):
        if number == 3:
            os.kill(process.pid, signal.SIGKILL)
            return False  # the server never accepted this one
        return True

    smtp_server.on_message = kill_on_third
    process.wait(timeout=60)
    smtp_server.on_message = None
    time.sleep(2.5)
    restarted = _sender(**env)
    _, err = restarted.communicate(timeout=60)
    assert restarted.returncode == 0, err
    statuses = {m.id: m.status for m in _messages(channel="email")}
    assert list(statuses.values()).count("sent") == 4
    uncertain, = [m for m in _messages(channel="email") if m.status == "uncertain"]
    assert "无法确认" in uncertain.last_error
    assert len(smtp_server.received) == len(set(smtp_server.received)) == 4  # nothing twice
    notices.requeue(district.office, uncertain)  # the office checked: it did not arrive
    db.session.commit()
    assert delivery.send_pending() == {"sent": 1}
    assert len(smtp_server.received) == len(set(smtp_server.received)) == 5
    assert f"<{uncertain.idempotency_key}@jianyitong>" in smtp_server.received


def test_staff_read_each_messages_history(client, district):
    message, = _notices(district, 1)
    delivery.send_pending()
    login(client, "office")
    page = client.get(f"/admin/outbox/details/?id={message.id}").get_data(as_text=True)
    assert "发送历史" in page and "领取发送" in page and "已发送" in page and message.body in page
    assert client.get(f"/admin/outbox/edit/?id={message.id}").status_code == 403
    assert db.session.scalar(select(func.count(OutboxMessage.id))) >= 1
