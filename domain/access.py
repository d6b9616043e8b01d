"""Row-level access: which suggestions and records a user may see.

Every path by which data leaves (grid, count, details, edit, export, actions, ajax look-ups,
PDFs) filters through these functions.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from domain.key_supervision import led_by
from domain.supervision import in_committee_queue
from models import (
    Assignment,
    AttitudeEvaluation,
    CategoryCommittee,
    Contact,
    Deputy,
    Evaluation,
    ExtensionRequest,
    ImplementationEvaluation,
    KeyStep,
    KeySupervision,
    Reply,
    ReturnRequest,
    Suggestion,
    SupervisionActivity,
    Unit,
    User,
    db,
    suggestion_co_signer,
)
from models.enums import Role, State

# Records that belong to one unit's work on a suggestion.
UNIT_OWNED_RECORDS = (Contact, ExtensionRequest, Reply, ReturnRequest, Assignment, AttitudeEvaluation)
# What a deputy may read about their own suggestions (not the units' internal requests).
DEPUTY_VISIBLE_RECORDS = (Contact, Reply, Evaluation, Assignment, AttitudeEvaluation, ImplementationEvaluation)
# Supervision records: readable by everyone who may see their suggestion.
SUPERVISION_RECORDS = (SupervisionActivity, KeySupervision, KeyStep)


def _assigned_to_unit(unit_id: int) -> ColumnElement[bool]:
    return exists().where(
        Assignment.suggestion_id == Suggestion.id, Assignment.unit_id == unit_id, Assignment.active.is_(True)
    )


def _liaised_by_committee(committee_id: int) -> ColumnElement[bool]:
    return exists().where(
        Assignment.suggestion_id == Suggestion.id,
        Assignment.active.is_(True),
        Assignment.unit_id == Unit.id,
        Unit.committee_id == committee_id,
    )


def _in_pre_review_for_committee(committee_id: int) -> ColumnElement[bool]:
    """Drafts pre-submitted (or under review, or returned) in the categories routed to the committee."""
    categories = select(CategoryCommittee.category).where(CategoryCommittee.committee_id == committee_id)
    review_states = (State.PRE_SUBMITTED, State.UNDER_REVIEW, State.RETURNED_FOR_REVISION)
    return and_(Suggestion.state.in_(review_states), Suggestion.category.in_(categories))


def _led_from_township(township_id: int) -> ColumnElement[bool]:
    return Suggestion.lead_deputy_id.in_(select(Deputy.id).where(Deputy.township_id == township_id))


def _deputy_is_on(deputy_id: int) -> ColumnElement[bool]:
    co_signed = exists().where(
        suggestion_co_signer.c.suggestion_id == Suggestion.id, suggestion_co_signer.c.deputy_id == deputy_id
    )
    return or_(Suggestion.lead_deputy_id == deputy_id, co_signed)


def suggestion_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Suggestion: the rows this user may see."""
    roles = user.roles
    if Role.OFFICE in roles:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if Role.GOV_OFFICE in roles:
        clauses.append(Suggestion.state != State.DRAFT)
    if Role.COMMITTEE in roles and user.committee_id:
        clauses.append(_liaised_by_committee(user.committee_id))
        clauses.append(in_committee_queue(user.committee_id))
        clauses.append(_in_pre_review_for_committee(user.committee_id))
    if Role.LEADER in roles:
        clauses.append(led_by(user.id))
    if Role.UNIT in roles and user.unit_id:
        clauses.append(_assigned_to_unit(user.unit_id))
    if Role.TOWNSHIP in roles and user.township_id:
        clauses.append(_led_from_township(user.township_id))
    if Role.DEPUTY in roles and user.deputy_id:
        clauses.append(_deputy_is_on(user.deputy_id))
    return or_(*clauses) if clauses else false()


def deputy_scope(user: User) -> ColumnElement[bool]:
    """Only the suggestions this deputy leads or co-signs, whatever other roles the user holds (the deputy's pages)."""
    if Role.DEPUTY not in user.roles or not user.deputy_id:
        return false()
    return _deputy_is_on(user.deputy_id)


def visible_suggestion_ids(user: User):
    return select(Suggestion.id).where(suggestion_scope(user))


def record_scope(user: User, model) -> ColumnElement[bool]:
    """A WHERE clause on a record about a suggestion (contact, reply, …)."""
    on_visible = model.suggestion_id.in_(visible_suggestion_ids(user))
    if model in SUPERVISION_RECORDS or user.has_role(Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE, Role.TOWNSHIP):
        return on_visible
    if Role.DEPUTY in user.roles and model in DEPUTY_VISIBLE_RECORDS:
        return on_visible
    if Role.UNIT in user.roles and user.unit_id and model in UNIT_OWNED_RECORDS:
        return and_(on_visible, model.unit_id == user.unit_id)
    if model is Evaluation and Role.UNIT in user.roles:
        return on_visible
    return false()


def can_see(user: User, suggestion: Suggestion) -> bool:
    query = select(Suggestion.id).where(Suggestion.id == suggestion.id, suggestion_scope(user))
    return db.session.scalar(query) is not None
