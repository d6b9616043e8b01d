"""Joint supervision (联动督办): each assigned suggestion is supervised by the committee that liaises with its
lead unit; committees and townships record supervision activities on it."""
from __future__ import annotations

import sys
from datetime import date

from domain import actions, attachments, audit, states
from domain.actions import action
from domain.errors import WorkflowError, require
from models import (
    Committee,
    Suggestion,
    SupervisionActivity,
    SupervisionAssignment,
    User,
    db,
)
from models.enums import AssignmentRole, Role
from models.supervision import ActivityKind


def _liaison_committee_id(suggestion: Suggestion) -> int | None:
    """The committee liaising with the lead unit (for a split suggestion, the first unit that has one)."""
    parts = [a for a in suggestion.active_assignments if a.role in (AssignmentRole.LEAD, AssignmentRole.SPLIT)]
    parts.sort(key=lambda a: (a.role != AssignmentRole.LEAD, a.id or 0))
    return next((a.unit.committee_id for a in parts if a.unit.committee_id), None)


def assign_automatically(suggestion: Suggestion, today: date) -> None:
    """Called when a suggestion is (re-)assigned; a committee chosen by the office is kept."""
    db.session.flush()
    current = suggestion.supervision
    if current is not None and not current.automatic:
        return
    committee_id = _liaison_committee_id(suggestion)
    if committee_id is None:
        return
    if current is None:
        db.session.add(SupervisionAssignment(suggestion=suggestion, committee_id=committee_id, assigned_on=today))
    elif current.committee_id != committee_id:
        current.committee_id, current.assigned_on = committee_id, today


def change_committee(actor: User, suggestion: Suggestion, committee: Committee, today: date) -> SupervisionAssignment:
    """The office gives a suggestion's supervision to another committee."""
    require(actor.has_role(Role.OFFICE), "只有代表工委可以调整督办委室。")
    require(suggestion.state in states.SUPERVISABLE, f"建议《{suggestion.title}》尚未交办或已结束，不能调整督办委室。")
    with audit.operation(actor, "调整督办委室"):
        assignment = suggestion.supervision
        if assignment is None:
            assignment = SupervisionAssignment(suggestion=suggestion, committee_id=committee.id, assigned_on=today)
            db.session.add(assignment)
        assignment.committee_id = committee.id
        assignment.automatic = False
        assignment.assigned_on = today
        assignment.assigned_by_id = actor.id
    return assignment


def _organiser(actor: User, suggestion: Suggestion) -> dict:
    """Who records the activity: the supervising committee, or the township of the lead deputy."""
    supervision = suggestion.supervision
    if Role.COMMITTEE in actor.roles and actor.committee_id and supervision and supervision.committee_id == actor.committee_id:
        return {"committee_id": actor.committee_id}
    if Role.TOWNSHIP in actor.roles and actor.township_id and suggestion.lead_deputy.township_id == actor.township_id:
        return {"township_id": actor.township_id}
    if actor.has_role(Role.COMMITTEE):
        raise WorkflowError(f"建议《{suggestion.title}》不在本委室的督办任务中。")
    if actor.has_role(Role.TOWNSHIP):
        raise WorkflowError(f"建议《{suggestion.title}》的领衔代表不属于本镇街。")
    raise WorkflowError("只有负责督办的委室或领衔代表所在镇街人大可以记录督办活动。")


def record_activity(
    actor: User, suggestion: Suggestion, *, kind: str, held_on: date, place: str, participants: str,
    invited_deputies: str, findings: str, follow_up: str, today: date, evidence=None,
) -> SupervisionActivity:
    """A supervision activity with its optional evidence file (one copy per suggestion when several are selected)."""
    organiser = _organiser(actor, suggestion)
    require(suggestion.state in states.SUPERVISABLE, f"建议《{suggestion.title}》尚未交办或已结束，不能记录督办活动。")
    require(kind in set(ActivityKind), "请选择督办活动类型。")
    require(bool(place.strip()) and bool(participants.strip()) and bool(findings.strip()), "请填写地点、参加人员和督办情况。")
    require(held_on <= today, "活动日期不能晚于今天。")
    require(suggestion.assigned_on is None or held_on >= suggestion.assigned_on, "活动日期不能早于交办日期。")
    with audit.operation(actor, "记录督办活动"):
        activity = SupervisionActivity(
            suggestion=suggestion, kind=kind, held_on=held_on, place=place.strip(), participants=participants.strip(),
            invited_deputies=invited_deputies.strip(), findings=findings.strip(), follow_up=follow_up.strip(),
            recorded_by_id=actor.id, **organiser,
        )
        db.session.add(activity)
        db.session.flush()
        attachments.store_optional(actor, suggestion, evidence, "supervision_activity", activity.id)
    return activity


SUPERVISION_ACTIONS = {
    "record_activity": action("记录督办活动", {Role.COMMITTEE, Role.TOWNSHIP}, states.SUPERVISABLE, form="activity", bulk=True),
    "change_committee": action("调整督办委室", {Role.OFFICE}, states.SUPERVISABLE, form="committee", bulk=True),
}
ACTIONS = actions.bind(sys.modules[__name__], SUPERVISION_ACTIONS)
