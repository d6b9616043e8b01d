"""Drafting before the congress: drafts, co-signers, "三下三上" steps, pre-review comments, refusal reasons.

Like domain.workflow, each function checks the actor and the state, raises WorkflowError with a
Chinese message and changes nothing when refused, and flushes without committing.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from domain import audit, workflow
from domain.access import can_see
from domain.errors import WorkflowError
from domain.preparation import EDITABLE_STATES, check_acts_for_lead_deputy, revisions
from models import (
    CongressSession,
    Deputy,
    NotAcceptedReason,
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
BEFORE_SUBMISSION = (State.DRAFT, State.PRE_SUBMITTED, State.UNDER_REVIEW, State.RETURNED_FOR_REVISION)
DEFAULT_NOT_ACCEPTED_REASONS = [
    "属于个人或家庭事务",
    "属于信访事项，应通过信访渠道反映",
    "没有具体内容或建议",
    "属于涉及国家秘密的事项",
    "属于法院、检察院正在处理的具体案件",
    "代表本人已撤回或不再坚持",
]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise WorkflowError(message)


def _check_text(title: str, body: str, category: str) -> None:
    _require(bool(title.strip()) and bool(body.strip()), "建议标题和正文不能为空。")
    _require(len(title.strip()) <= 200, "建议标题不能超过 200 字。")
    _require(category in CATEGORY_LABELS, "请选择建议类别。")


def create_draft(
    actor: User, *, source: str, session: CongressSession | None, lead_deputy: Deputy | None, title: str, body: str,
    category: str, today: date,
) -> Suggestion:
    """A deputy drafts for themselves; township staff for a deputy of their township; the office for anyone."""
    _require(actor.has_role(*DRAFTERS), "您的角色无权起草建议。")
    if lead_deputy is None and actor.has_role(Role.DEPUTY) and actor.deputy_id:
        lead_deputy = db.session.get(Deputy, actor.deputy_id)
    _require(lead_deputy is not None, "请选择领衔代表。")
    _require(source in set(Source), "请选择建议来源。")
    _require(source == Source.RECESS or session is not None, "大会建议须选择届次。")
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
    _require(suggestion.state in EDITABLE_STATES, "只有草稿或退回修改的建议可以修改。")
    check_acts_for_lead_deputy(actor, suggestion)


def save_draft(actor: User, suggestion: Suggestion, *, title: str, body: str, category: str) -> None:
    check_editable(actor, suggestion)
    _check_text(title, body, category)
    with audit.operation(actor, "修改草稿"):
        suggestion.title, suggestion.body, suggestion.category = title.strip(), body.strip(), category
        suggestion.updated_by_id = actor.id


def add_co_signer(actor: User, suggestion: Suggestion, deputy: Deputy) -> None:
    """Co-signers join before formal submission."""
    _require(suggestion.state in BEFORE_SUBMISSION, "建议正式提交后不能再增加附议代表。")
    check_acts_for_lead_deputy(actor, suggestion)
    _require(deputy.id != suggestion.lead_deputy_id, "领衔代表不能同时作为附议代表。")
    _require(deputy.id not in {d.id for d in suggestion.co_signers}, f"{deputy.name}已是附议代表。")
    with audit.operation(actor, "增加附议代表"):
        suggestion.co_signers.append(deputy)
        suggestion.updated_by_id = actor.id


def remove_co_signer(actor: User, suggestion: Suggestion, deputy: Deputy) -> None:
    """A co-signer leaves before formal submission: by themselves, or through the lead deputy's side."""
    _require(suggestion.state in BEFORE_SUBMISSION, "建议正式提交后附议代表不能退出。")
    leaving_themselves = actor.has_role(Role.DEPUTY) and actor.deputy_id == deputy.id
    if not leaving_themselves:
        check_acts_for_lead_deputy(actor, suggestion)
    _require(deputy.id in {d.id for d in suggestion.co_signers}, f"{deputy.name}不是该建议的附议代表。")
    with audit.operation(actor, "附议代表退出"):
        suggestion.co_signers.remove(deputy)
        suggestion.updated_by_id = actor.id


def record_preparation_step(
    actor: User, suggestion: Suggestion, *, step: str, done_on: date, note: str, today: date
) -> PreparationStep:
    """Record (or correct) the date of one "三下三上" step."""
    _require(actor.has_role(Role.TOWNSHIP, Role.DEPUTY, Role.OFFICE), "您的角色无权记录酝酿步骤。")
    _require(suggestion.state in BEFORE_SUBMISSION, "建议正式提交后不再记录酝酿步骤。")
    check_acts_for_lead_deputy(actor, suggestion)
    _require(step in set(PreparationStepKind), "请选择酝酿步骤。")
    _require(done_on <= today, "步骤日期不能晚于今天。")
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
    _require(actor.has_role(*REVIEWERS), "您的角色无权填写初审意见。")
    _require(suggestion.state in (State.PRE_SUBMITTED, State.UNDER_REVIEW), "只能对已预交或初审中的建议填写初审意见。")
    _require(can_see(actor, suggestion), "该建议不在您的初审范围内。")
    _require(aspect in set(ReviewAspect), "请选择意见类别。")
    _require(bool(text.strip()), "初审意见不能为空。")
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


def not_accepted_reasons() -> list[str]:
    """The office's list of reasons, or the defaults while the list is empty."""
    rows = db.session.scalars(
        select(NotAcceptedReason.label).where(NotAcceptedReason.active.is_(True))
        .order_by(NotAcceptedReason.position, NotAcceptedReason.id)
    ).all()
    return list(rows) or list(DEFAULT_NOT_ACCEPTED_REASONS)


def refuse(actor: User, suggestion: Suggestion, reason: str, note: str = "") -> None:
    """Not accepted (不予立案) with a reason from the list; the deputy sees it as the suggestion's state reason."""
    _require(reason in not_accepted_reasons(), "请从列表中选择不予立案的理由。")
    text = f"{reason}。{note.strip()}" if note.strip() else reason
    workflow.not_accept(actor, suggestion, text)
