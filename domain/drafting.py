"""Drafting before the congress: drafts, co-signers, "三下三上" steps, pre-review comments.

Like domain.workflow, each function checks the actor and the state, raises WorkflowError with a
Chinese message and changes nothing when refused, and flushes without committing.
"""
from __future__ import annotations

import sys
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from domain import actions, audit, states
from domain.access import can_see
from domain.actions import action
from domain.errors import require
from domain.preparation import check_acts_for_lead_deputy, revisions
from models import (
    CongressSession,
    Deputy,
    PreparationStep,
    ReviewComment,
    Suggestion,
    User,
    db,
)
from models.drafting import PREPARATION_STEP_LABELS, REVIEW_ASPECT_LABELS, PreparationStepKind, ReviewAspect
from models.enums import CATEGORY_LABELS, Role, Source, State

DRAFTERS = (Role.DEPUTY, Role.TOWNSHIP, Role.OFFICE)
REVIEWERS = (Role.OFFICE, Role.COMMITTEE, Role.GOV_OFFICE)


def _check_text(title: str, body: str, category: str) -> None:
    require(bool(title.strip()) and bool(body.strip()), "建议标题和正文不能为空。")
    require(len(title.strip()) <= 200, "建议标题不能超过 200 字。")
    require(category in CATEGORY_LABELS, "请选择建议类别。")


def create_draft(
    actor: User, *, source: str, session: CongressSession | None, lead_deputy: Deputy | None, title: str, body: str,
    category: str, today: date,
) -> Suggestion:
    """A deputy drafts for themselves; township staff for a deputy of their township; the office for anyone."""
    require(actor.has_role(*DRAFTERS), "您的角色无权起草建议。")
    if lead_deputy is None and actor.has_role(Role.DEPUTY) and actor.deputy_id:
        lead_deputy = db.session.get(Deputy, actor.deputy_id)
    require(lead_deputy is not None, "请选择领衔代表。")
    require(source in set(Source), "请选择建议来源。")
    require(source == Source.RECESS or session is not None, "大会建议须选择届次。")
    _check_text(title, body, category)
    suggestion = Suggestion(
        source=source, session=session if source == Source.CONGRESS else None, title=title.strip(), body=body.strip(),
        category=category, lead_deputy=lead_deputy, lead_deputy_id=lead_deputy.id, state=State.DRAFT,
        year=session.year if source == Source.CONGRESS else today.year, updated_by_id=actor.id,
    )
    check_acts_for_lead_deputy(actor, suggestion)
    with audit.operation(actor, "起草"):
        db.session.add(suggestion)
    return suggestion


def check_editable(actor: User, suggestion: Suggestion) -> None:
    require(suggestion.state in states.EDITABLE, "只有草稿或退回修改的建议可以修改。")
    check_acts_for_lead_deputy(actor, suggestion)


def save_draft(actor: User, suggestion: Suggestion, *, title: str, body: str, category: str, expected_version=None) -> None:
    audit.check_unchanged(suggestion, expected_version)
    check_editable(actor, suggestion)
    _check_text(title, body, category)
    with audit.operation(actor, "修改草稿"):
        suggestion.title, suggestion.body, suggestion.category = title.strip(), body.strip(), category
        audit.mark_changed_by(suggestion, actor)


def add_co_signer(actor: User, suggestion: Suggestion, deputy: Deputy) -> None:
    """Co-signers join before formal submission."""
    require(suggestion.state in states.BEFORE_NUMBERING, "建议正式提交后不能再增加附议代表。")
    check_acts_for_lead_deputy(actor, suggestion)
    require(deputy.id != suggestion.lead_deputy_id, "领衔代表不能同时作为附议代表。")
    require(deputy.id not in {d.id for d in suggestion.co_signers}, f"{deputy.name}已是附议代表。")
    with audit.operation(actor, "增加附议代表"):
        suggestion.co_signers.append(deputy)
        suggestion.updated_by_id = actor.id


def remove_co_signer(actor: User, suggestion: Suggestion, deputy: Deputy) -> None:
    """A co-signer leaves before formal submission: by themselves, or through the lead deputy's side."""
    require(suggestion.state in states.BEFORE_NUMBERING, "建议正式提交后附议代表不能退出。")
    leaving_themselves = actor.has_role(Role.DEPUTY) and actor.deputy_id == deputy.id
    if not leaving_themselves:
        check_acts_for_lead_deputy(actor, suggestion)
    require(deputy.id in {d.id for d in suggestion.co_signers}, f"{deputy.name}不是该建议的附议代表。")
    with audit.operation(actor, "附议代表退出"):
        suggestion.co_signers.remove(deputy)
        suggestion.updated_by_id = actor.id


def record_preparation_step(
    actor: User, suggestion: Suggestion, *, step: str, done_on: date, note: str, today: date
) -> PreparationStep:
    """Record (or correct) the date of one "三下三上" step."""
    require(actor.has_role(Role.TOWNSHIP, Role.DEPUTY, Role.OFFICE), "您的角色无权记录酝酿步骤。")
    require(suggestion.state in states.BEFORE_NUMBERING, "建议正式提交后不再记录酝酿步骤。")
    check_acts_for_lead_deputy(actor, suggestion)
    require(step in set(PreparationStepKind), "请选择酝酿步骤。")
    require(done_on <= today, "步骤日期不能晚于今天。")
    existing = db.session.scalar(
        select(PreparationStep).where(PreparationStep.suggestion_id == suggestion.id, PreparationStep.step == step)
    )
    with audit.operation(actor, f"记录“{PREPARATION_STEP_LABELS[PreparationStepKind(step)]}”"):
        record = existing or PreparationStep(suggestion_id=suggestion.id, step=step)
        record.done_on, record.note, record.recorded_by_id = done_on, note.strip(), actor.id
        db.session.add(record)
    return record


def preparation_steps(suggestion: Suggestion) -> list[tuple[str, PreparationStep | None]]:
    """Every step in order, with its record if done."""
    done = {
        row.step: row
        for row in db.session.scalars(select(PreparationStep).where(PreparationStep.suggestion_id == suggestion.id))
    }
    return [(label, done.get(kind.value)) for kind, label in PREPARATION_STEP_LABELS.items()]


def add_review_comment(
    actor: User, suggestion: Suggestion, *, aspect: str, text: str, suggested_units: str = ""
) -> ReviewComment:
    """A committee, the government office or the office comments on a pre-submitted draft."""
    require(actor.has_role(*REVIEWERS), "您的角色无权填写初审意见。")
    require(suggestion.state in states.OPEN_FOR_COMMENTS, "只能对已预交或初审中的建议填写初审意见。")
    require(can_see(actor, suggestion), "该建议不在您的初审范围内。")
    require(aspect in set(ReviewAspect), "请选择意见类别。")
    require(bool(text.strip()), "初审意见不能为空。")
    kept = revisions(suggestion)
    label = REVIEW_ASPECT_LABELS[ReviewAspect(aspect)]
    with audit.operation(actor, f"初审意见（{label}）"):
        comment = ReviewComment(
            suggestion_id=suggestion.id, revision_number=kept[-1].number if kept else None, aspect=aspect,
            text=text.strip(), suggested_units=suggested_units.strip(), author_id=actor.id,
        )
        db.session.add(comment)
    return comment


def review_comments(suggestion: Suggestion) -> list[ReviewComment]:
    return list(db.session.scalars(
        select(ReviewComment).options(joinedload(ReviewComment.author))
        .where(ReviewComment.suggestion_id == suggestion.id).order_by(ReviewComment.id)
    ))


DRAFTING_ACTIONS = {
    "add_review_comment": action("填写初审意见", REVIEWERS, states.OPEN_FOR_COMMENTS, form="review_comment"),
    "record_preparation_step": action("记录酝酿步骤", DRAFTERS, states.BEFORE_NUMBERING, form="preparation_step"),
    "add_co_signer": action("增加附议代表", DRAFTERS, states.BEFORE_NUMBERING, form="co_signer"),
    "remove_co_signer": action("附议代表退出", DRAFTERS, states.BEFORE_NUMBERING, form="co_signer"),
}
ACTIONS = actions.bind(sys.modules[__name__], DRAFTING_ACTIONS)
