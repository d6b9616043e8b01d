"""Row-level access: which rows a user may see, for every model.

Every path by which data leaves (grid, count, details, edit, export, actions, ajax look-ups, PDFs,
statistics) and every path by which a view obtains a row to act on goes through `scope(user, model)`.
A model without a defined scope is closed to everyone.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from domain import states
from models import (
    AssessmentItem,
    Assignment,
    Attachment,
    AttitudeEvaluation,
    AuditEntry,
    CalendarDay,
    CategoryCommittee,
    Committee,
    CongressSession,
    Contact,
    Deputy,
    DeputyGroup,
    Evaluation,
    ExtensionRequest,
    ImplementationEvaluation,
    Job,
    KeyStep,
    KeySupervision,
    MessageTemplate,
    NotAcceptedReason,
    OutboxMessage,
    Publication,
    Reply,
    ReturnRequest,
    RuleSetting,
    Suggestion,
    SupervisionActivity,
    SupervisionAssignment,
    Township,
    Unit,
    User,
    db,
    key_supervision_leader,
    suggestion_co_signer,
)
from models.enums import Role, State

# Records that belong to one unit's work on a suggestion.
UNIT_OWNED_RECORDS = (Contact, ExtensionRequest, Reply, ReturnRequest, Assignment, AttitudeEvaluation)
# What a deputy may read about their own suggestions (not the units' internal requests).
DEPUTY_VISIBLE_RECORDS = (Contact, Reply, Evaluation, Assignment, AttitudeEvaluation, ImplementationEvaluation)
# Readable by everyone who may see their suggestion.
SUGGESTION_WIDE_RECORDS = (SupervisionActivity, SupervisionAssignment, KeySupervision, KeyStep, Attachment)
# Records about suggestions read by the office only.
OFFICE_RECORDS = (Publication, OutboxMessage)
# Reference data and settings, and the roles that administer them.
REFERENCE_ADMINISTRATORS: dict[type, frozenset[Role]] = {
    model: frozenset({Role.OFFICE})
    for model in (Township, DeputyGroup, Deputy, Committee, Unit, CongressSession, User, RuleSetting, CalendarDay,
                  NotAcceptedReason, CategoryCommittee, AssessmentItem, MessageTemplate)
}
REVIEW_ROLES = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE})
# Who may print supervision notices, and the reports to the congress.
NOTICE_READERS = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE, Role.UNIT, Role.TOWNSHIP, Role.LEADER})
REPORT_READERS = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE, Role.LEADER})
# Who sees the whole assessment ranking (a unit or township sees only its own scores).
ASSESSMENT_RANKING_READERS = frozenset({Role.OFFICE, Role.GOV_OFFICE})


# --- building blocks on Suggestion ---------------------------------------------------------------------


def assigned_to_unit(unit_id: int) -> ColumnElement[bool]:
    return exists().where(
        Assignment.suggestion_id == Suggestion.id, Assignment.unit_id == unit_id, Assignment.active.is_(True)
    )


def liaised_by_committee(committee_id: int) -> ColumnElement[bool]:
    return exists().where(
        Assignment.suggestion_id == Suggestion.id,
        Assignment.active.is_(True),
        Assignment.unit_id == Unit.id,
        Unit.committee_id == committee_id,
    )


def in_committee_queue(committee_id: int) -> ColumnElement[bool]:
    """Suggestions whose supervision is assigned to this committee."""
    return exists().where(
        SupervisionAssignment.suggestion_id == Suggestion.id, SupervisionAssignment.committee_id == committee_id
    )


def in_pre_review_for_committee(committee_id: int) -> ColumnElement[bool]:
    """Drafts pre-submitted (or under review, or returned) in the categories routed to the committee."""
    categories = select(CategoryCommittee.category).where(CategoryCommittee.committee_id == committee_id)
    return and_(Suggestion.state.in_(states.IN_PRE_REVIEW), Suggestion.category.in_(categories))


def led_from_township(township_id: int) -> ColumnElement[bool]:
    return Suggestion.lead_deputy_id.in_(select(Deputy.id).where(Deputy.township_id == township_id))


def led_by_leader(user_id: int) -> ColumnElement[bool]:
    """The key suggestions this district leader is named on."""
    return exists().where(
        KeySupervision.suggestion_id == Suggestion.id,
        key_supervision_leader.c.key_supervision_id == KeySupervision.id,
        key_supervision_leader.c.user_id == user_id,
    )


def deputy_is_on(deputy_id: int) -> ColumnElement[bool]:
    co_signed = exists().where(
        suggestion_co_signer.c.suggestion_id == Suggestion.id, suggestion_co_signer.c.deputy_id == deputy_id
    )
    return or_(Suggestion.lead_deputy_id == deputy_id, co_signed)


# --- suggestions -----------------------------------------------------------------------------------------


def suggestion_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Suggestion: the rows this user may see."""
    roles = user.roles
    if Role.OFFICE in roles:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if Role.GOV_OFFICE in roles:
        clauses.append(Suggestion.state != State.DRAFT)
    if Role.COMMITTEE in roles and user.committee_id:
        clauses.append(liaised_by_committee(user.committee_id))
        clauses.append(in_committee_queue(user.committee_id))
        clauses.append(in_pre_review_for_committee(user.committee_id))
    if Role.LEADER in roles:
        clauses.append(led_by_leader(user.id))
    if Role.UNIT in roles and user.unit_id:
        clauses.append(assigned_to_unit(user.unit_id))
    if Role.TOWNSHIP in roles and user.township_id:
        clauses.append(led_from_township(user.township_id))
    if Role.DEPUTY in roles and user.deputy_id:
        clauses.append(deputy_is_on(user.deputy_id))
    return or_(*clauses) if clauses else false()


def deputy_scope(user: User) -> ColumnElement[bool]:
    """Only the suggestions this deputy leads or co-signs, whatever other roles the user holds (the deputy's pages)."""
    if Role.DEPUTY not in user.roles or not user.deputy_id:
        return false()
    return deputy_is_on(user.deputy_id)


def supervision_queue_scope(user: User) -> ColumnElement[bool]:
    """The suggestions in this user's supervision list: all supervised ones for the office and the government
    office, the committee's queue for a committee, its deputies' assigned suggestions for a township."""
    clauses = []
    if user.has_role(Role.OFFICE, Role.GOV_OFFICE):
        clauses.append(exists().where(SupervisionAssignment.suggestion_id == Suggestion.id))
    if Role.COMMITTEE in user.roles and user.committee_id:
        clauses.append(in_committee_queue(user.committee_id))
    if Role.TOWNSHIP in user.roles and user.township_id:
        clauses.append(led_from_township(user.township_id) & Suggestion.state.in_(states.SUPERVISABLE))
    return or_(*clauses) if clauses else false()


def visible_suggestion_ids(user: User):
    return select(Suggestion.id).where(suggestion_scope(user))


def can_see(user: User, suggestion: Suggestion) -> bool:
    query = select(Suggestion.id).where(Suggestion.id == suggestion.id, suggestion_scope(user))
    return db.session.scalar(query) is not None


# --- records about suggestions, reference data ------------------------------------------------------------


def record_scope(user: User, model) -> ColumnElement[bool]:
    """A WHERE clause on a record about a suggestion (contact, reply, …)."""
    on_visible = model.suggestion_id.in_(visible_suggestion_ids(user))
    if model in OFFICE_RECORDS:
        return on_visible if Role.OFFICE in user.roles else false()
    if model in SUGGESTION_WIDE_RECORDS or user.has_role(Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE, Role.TOWNSHIP):
        return on_visible
    if Role.DEPUTY in user.roles and model in DEPUTY_VISIBLE_RECORDS:
        return on_visible
    if Role.UNIT in user.roles and user.unit_id and model in UNIT_OWNED_RECORDS:
        return and_(on_visible, model.unit_id == user.unit_id)
    if model is Evaluation and Role.UNIT in user.roles:
        return on_visible
    return false()


def audit_scope(user: User) -> ColumnElement[bool]:
    """The office reads the whole trail; reviewers the entries about suggestions they may see."""
    if Role.OFFICE in user.roles:
        return true()
    if user.has_role(Role.GOV_OFFICE, Role.COMMITTEE):
        return AuditEntry.suggestion_id.in_(visible_suggestion_ids(user))
    return false()


def reference_scope(user: User, model) -> ColumnElement[bool]:
    return true() if user.has_role(*REFERENCE_ADMINISTRATORS[model]) else false()


def scope(user: User, model) -> ColumnElement[bool]:
    """The rows of `model` this user may see; false() for a model whose scope is not defined here."""
    if model is Suggestion:
        return suggestion_scope(user)
    if model is AuditEntry:
        return audit_scope(user)
    if model in REFERENCE_ADMINISTRATORS:
        return reference_scope(user, model)
    if model is Job:
        return Job.requested_by_id == user.id
    if model in (*UNIT_OWNED_RECORDS, *DEPUTY_VISIBLE_RECORDS, *SUGGESTION_WIDE_RECORDS, *OFFICE_RECORDS):
        return record_scope(user, model)
    return false()


def scoped(user: User, model, ids=None):
    """SELECT of the rows of `model` this user may see, optionally only those with the given ids."""
    query = select(model).where(scope(user, model))
    if ids is not None:
        query = query.where(model.id.in_(list(ids)))
    return query
