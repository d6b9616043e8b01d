"""The deputy's own pages (/my/): their suggestions, each step's timeline, reply letters, and their evaluations.

Mobile-first, Chinese. Only users with the deputy role; only suggestions the deputy leads or co-signs
(domain.access.deputy_scope), whatever other roles the user holds; only the lead deputy evaluates.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from domain import evaluations, workflow
from domain.access import deputy_scope
from domain.clock import today
from forms.deputy import AttitudeEvaluationForm, ContentEvaluationForm, ImplementationEvaluationForm
from models import (
    AttitudeEvaluation,
    AuditEntry,
    Commitment,
    Contact,
    Evaluation,
    ImplementationEvaluation,
    Reply,
    Suggestion,
    Unit,
    db,
)
from models.enums import (
    ASSIGNMENT_ROLE_LABELS,
    CONTACT_METHOD_LABELS,
    EVALUATION_LEVEL_LABELS,
    STATE_LABELS,
    Role,
    State,
)
from web import boundary
from web.format import local_datetime

bp = Blueprint("my", __name__, url_prefix="/my")
# State changes whose step is shown from the record itself rather than from the audit trail.
STEPS_SHOWN_FROM_RECORDS = {"交办", "答复", "签收"}


def deputy_required(view):
    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.has_role(Role.DEPUTY) or not current_user.deputy_id:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def _my_suggestion(suggestion_id: int) -> Suggestion:
    suggestion = db.session.scalar(
        select(Suggestion).where(Suggestion.id == suggestion_id, deputy_scope(current_user))
        .options(joinedload(Suggestion.lead_deputy), selectinload(Suggestion.assignments))
    )
    if suggestion is None:
        abort(404)
    return suggestion


def _led_by_me(suggestion_id: int) -> Suggestion:
    suggestion = _my_suggestion(suggestion_id)
    if not evaluations.is_lead_deputy(current_user, suggestion):
        abort(403)
    return suggestion


@bp.route("/")
@deputy_required
def index():
    suggestions = db.session.scalars(
        select(Suggestion).where(deputy_scope(current_user), Suggestion.state != State.DRAFT)
        .options(selectinload(Suggestion.assignments)).order_by(Suggestion.id.desc())
    ).all()
    waiting = evaluations.awaiting(current_user.deputy_id, today())
    return render_template("my/index.html", suggestions=suggestions, waiting=waiting)


@dataclass(frozen=True)
class Step:
    day: date
    title: str
    detail: str = ""
    link: str = ""


def _day(value) -> date:
    return datetime.fromisoformat(local_datetime(value)).date() if isinstance(value, datetime) else value


def timeline(suggestion: Suggestion) -> list[Step]:
    """Every step of the suggestion, oldest first: state changes (audit trail), assignments, contacts, replies, evaluations."""
    steps = [Step(suggestion.received_on, f"建议登记，案号 {suggestion.display_number}")] if suggestion.received_on else []
    for entry in db.session.scalars(select(AuditEntry).where(
            AuditEntry.suggestion_id == suggestion.id, AuditEntry.object_type == "Suggestion").order_by(AuditEntry.id)):
        state = json.loads(entry.changes or "{}").get("state")
        if state and entry.action not in STEPS_SHOWN_FROM_RECORDS and entry.action not in ("登记", "正式提交并编号"):
            steps.append(Step(_day(entry.at), entry.action, f"状态：{STATE_LABELS.get(state[1], state[1])}"))
    for a in suggestion.assignments:
        steps.append(Step(a.assigned_on, f"交办给{a.unit.name}（{ASSIGNMENT_ROLE_LABELS[a.role]}）"))
        if a.signed_at:
            steps.append(Step(_day(a.signed_at), f"{a.unit.name}签收"))
        if not a.active:
            steps.append(Step(a.assigned_on, f"{a.unit.name}不再承办", a.ended_reason))
    for c in _records(Contact, suggestion):
        steps.append(Step(c.contacted_on, f"{c.unit.name}与代表沟通（{CONTACT_METHOD_LABELS[c.method]}）", c.summary))
    for r in _records(Reply, suggestion):
        steps.append(Step(r.replied_on, f"{r.unit.name}{'重办后再次' if r.round == 2 else ''}答复（{r.reply_category}类）",
                          link=url_for("my.reply_letter", reply_id=r.id)))
    for e in db.session.scalars(select(Evaluation).where(Evaluation.suggestion_id == suggestion.id)):
        steps.append(Step(e.given_on, f"评价答复内容：{EVALUATION_LEVEL_LABELS[e.level]}", e.comment))
    return sorted(steps, key=lambda s: s.day)


def _records(model, suggestion: Suggestion) -> list:
    return db.session.scalars(
        select(model).where(model.suggestion_id == suggestion.id, model.voided_reason == "")
        .options(joinedload(model.unit)).order_by(model.id)
    ).all()


@bp.route("/suggestions/<int:suggestion_id>")
@deputy_required
def suggestion(suggestion_id: int):
    s = _my_suggestion(suggestion_id)
    replies = _records(Reply, s)
    commitments = db.session.scalars(
        select(Commitment).join(Commitment.reply).where(Reply.suggestion_id == s.id, Reply.voided_reason == "")
        .options(joinedload(Commitment.reply).joinedload(Reply.unit)).order_by(Commitment.id)
    ).all()
    attitude = db.session.scalars(select(AttitudeEvaluation).where(AttitudeEvaluation.suggestion_id == s.id)
                                  .options(joinedload(AttitudeEvaluation.unit))).all()
    implementation = db.session.scalars(select(ImplementationEvaluation).where(ImplementationEvaluation.suggestion_id == s.id)
                                        .order_by(ImplementationEvaluation.id)).all()
    waiting = evaluations.awaiting(current_user.deputy_id, today()) if evaluations.is_lead_deputy(current_user, s) else None
    return render_template("my/suggestion.html", s=s, steps=timeline(s), replies=replies, commitments=commitments,
                           attitude=attitude, implementation=implementation, waiting=waiting)


@bp.route("/replies/<int:reply_id>")
@deputy_required
def reply_letter(reply_id: int):
    reply = db.session.get(Reply, reply_id)
    if reply is None or reply.voided_reason:
        abort(404)
    s = _my_suggestion(reply.suggestion_id)
    return render_template("my/reply.html", s=s, reply=reply)


def _evaluate(form, template: str, title: str, s: Suggestion, operation, **context):
    if form.validate_on_submit() and boundary.perform(operation, done="评价已提交，谢谢！"):
        return redirect(url_for("my.suggestion", suggestion_id=s.id))
    return render_template(template, form=form, title=title, s=s, **context)


@bp.route("/suggestions/<int:suggestion_id>/evaluate", methods=["GET", "POST"])
@deputy_required
def evaluate_content(suggestion_id: int):
    s = _led_by_me(suggestion_id)
    form = ContentEvaluationForm()

    def perform(actor):
        return workflow.evaluate(actor, s, level=form.level.data, comment=form.comment.data or "", given_on=today(),
                                 today=today())

    return _evaluate(form, "my/evaluate.html", "评价答复内容", s, perform, replies=_records(Reply, s))


@bp.route("/suggestions/<int:suggestion_id>/attitude/<int:unit_id>", methods=["GET", "POST"])
@deputy_required
def evaluate_attitude(suggestion_id: int, unit_id: int):
    s = _led_by_me(suggestion_id)
    unit = db.session.get(Unit, unit_id)
    if unit is None or not any(a.unit_id == unit_id for a in s.assignments):
        abort(404)
    form = AttitudeEvaluationForm()

    def perform(actor):
        return evaluations.evaluate_attitude(actor, s, unit, level=form.level.data, before=form.before.data == "1",
                                      during=form.during.data == "1", after=form.after.data == "1",
                                      comment=form.comment.data or "", given_on=today(), today=today())

    return _evaluate(form, "my/evaluate.html", f"评价{unit.name}的办理态度", s, perform)


@bp.route("/commitments/<int:commitment_id>/evaluate", methods=["GET", "POST"])
@deputy_required
def evaluate_implementation(commitment_id: int):
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None:
        abort(404)
    s = _led_by_me(commitment.reply.suggestion_id)
    form = ImplementationEvaluationForm()

    def perform(actor):
        return evaluations.evaluate_implementation(actor, commitment, result=form.result.data,
                                            comment=form.comment.data or "", given_on=today(), today=today())

    return _evaluate(form, "my/evaluate.html", "评价承诺事项落实情况", s, perform, commitment=commitment)
