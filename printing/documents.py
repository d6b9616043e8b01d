"""The printed documents: which rows go in each (always through the reader's row-level scope) and their templates."""
from __future__ import annotations

from collections import defaultdict

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from domain import states
from domain.access import suggestion_scope
from domain.clock import today
from models import (
    Assignment,
    Evaluation,
    KeySupervision,
    Reply,
    Suggestion,
    SupervisionActivity,
    SupervisionAssignment,
    Unit,
    User,
    db,
)
from models.enums import ReplyCategory
from models.supervision import ACTIVITY_KIND_LABELS, KEY_STEP_LABELS
from printing.render import render_pdf

DEFAULT_ISSUER = "区人大常委会代表工作委员会"


def _suggestion_options():
    return (
        joinedload(Suggestion.lead_deputy),
        selectinload(Suggestion.co_signers),
        selectinload(Suggestion.assignments),
        selectinload(Suggestion.supervision).joinedload(SupervisionAssignment.committee),
    )


def visible_suggestions(user: User, ids) -> list[Suggestion]:
    """The suggestions among `ids` that this user may see, in id order."""
    keys = [int(i) for i in ids if str(i).isdigit()]
    query = select(Suggestion).options(*_suggestion_options()).where(Suggestion.id.in_(keys), suggestion_scope(user))
    return db.session.scalars(query.order_by(Suggestion.id)).unique().all()


def _render(template: str, **context) -> bytes:
    issuer = current_app.config.get("ISSUER_NAME", DEFAULT_ISSUER)
    html = render_template(template, issuer=issuer, today=today(), step_labels=KEY_STEP_LABELS,
                           activity_kinds=ACTIVITY_KIND_LABELS, progress=states.key_progress, **context)
    return render_pdf(html)


def supervision_notices(suggestions: list[Suggestion]) -> bytes:
    """One supervision notice (督办通知单) per suggestion, merged into one PDF."""
    activities = defaultdict(list)
    rows = db.session.scalars(
        select(SupervisionActivity).options(joinedload(SupervisionActivity.committee), joinedload(SupervisionActivity.township))
        .where(SupervisionActivity.suggestion_id.in_([s.id for s in suggestions])).order_by(SupervisionActivity.held_on)
    )
    for activity in rows:
        activities[activity.suggestion_id].append(activity)
    return _render("print/supervision_notice.html", suggestions=suggestions, activities=activities,
                   document_title="代表建议督办通知单")


def unit_notice(user: User, unit: Unit) -> bytes:
    """The notice to a unit listing all its open suggestions that the reader may see."""
    assigned = select(Assignment.suggestion_id).where(Assignment.unit_id == unit.id, Assignment.active.is_(True))
    suggestions = db.session.scalars(
        select(Suggestion).options(*_suggestion_options())
        .where(Suggestion.id.in_(assigned), Suggestion.state.in_(states.DEADLINE_RUNNING), suggestion_scope(user))
        .order_by(Suggestion.reply_due_on, Suggestion.id)
    ).unique().all()
    return _render("print/unit_notice.html", unit=unit, suggestions=suggestions, document_title=f"{unit.name}督办通知单")


def _key_options():
    return (
        joinedload(KeySupervision.suggestion).options(*_suggestion_options()),
        selectinload(KeySupervision.leaders),
        selectinload(KeySupervision.steps),
    )


def visible_keys(user: User, suggestion_ids=None, year: int | None = None) -> list[KeySupervision]:
    """Key suggestions decided by the directors' meeting that this user may see."""
    query = (
        select(KeySupervision).options(*_key_options()).join(KeySupervision.suggestion)
        .where(KeySupervision.steps_done >= states.DECIDED_STEP, suggestion_scope(user))
    )
    if suggestion_ids is not None:
        query = query.where(Suggestion.id.in_([int(i) for i in suggestion_ids if str(i).isdigit()]))
    if year is not None:
        query = query.where(KeySupervision.year == year)
    return db.session.scalars(query.order_by(Suggestion.number_series, Suggestion.number, Suggestion.id)).unique().all()


def key_notices(keys: list[KeySupervision]) -> bytes:
    return _render("print/key_notice.html", keys=keys, document_title="重点督办代表建议通知单")


def _latest_by_suggestion(model, ids) -> dict:
    """The latest (highest round) valid row of `model` per suggestion."""
    query = select(model).where(model.suggestion_id.in_(ids)).order_by(model.suggestion_id, model.round, model.id)
    if model is Reply:
        query = query.where(Reply.voided_reason == "")
    return {row.suggestion_id: row for row in db.session.scalars(query)}


def key_report(year: int, keys: list[KeySupervision]) -> bytes:
    """Step 7: the written report to the People's Congress session on the year's key suggestions."""
    ids = [key.suggestion_id for key in keys]
    replies = _latest_by_suggestion(Reply, ids)
    return _render(
        "print/key_report.html", year=year, keys=keys, replies=replies, evaluations=_latest_by_suggestion(Evaluation, ids),
        category_a=sum(1 for r in replies.values() if r.reply_category == ReplyCategory.A),
        document_title=f"关于{year}年重点督办代表建议办理情况的报告",
    )
