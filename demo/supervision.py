"""Demo data for supervision: activities by committees and townships, and key suggestions at various steps.

Call `load(rules, today)` from the demo command after the district and its suggestions are loaded.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from domain import key_supervision, states, supervision
from domain.errors import WorkflowError
from models import Suggestion, User, UserRole, db
from models.enums import Role, State

KIND_CYCLE = ("inspection", "interview", "forum", "survey", "tracking_call")
REPLIED = (State.REPLIED, State.EVALUATED, State.CLOSED)


def _users(role: Role) -> list[User]:
    return db.session.scalars(select(User).join(UserRole).where(UserRole.role == role).order_by(User.id)).all()


def _activity_date(suggestion: Suggestion, today: date) -> date:
    return min(today, suggestion.assigned_on + timedelta(days=20))


def _record_activities(suggestions: list[Suggestion], today: date) -> None:
    committees = {u.committee_id: u for u in _users(Role.COMMITTEE) if u.committee_id}
    townships = {u.township_id: u for u in _users(Role.TOWNSHIP) if u.township_id}
    for n, suggestion in enumerate(suggestions):
        actor = committees.get(suggestion.supervision.committee_id) if suggestion.supervision else None
        if n % 3 == 2:
            actor = townships.get(suggestion.lead_deputy.township_id)
        if actor is None:
            continue
        supervision.record_activity(
            actor, suggestion, kind=KIND_CYCLE[n % len(KIND_CYCLE)], held_on=_activity_date(suggestion, today),
            place="现场" if n % 2 else "区人大常委会会议室", participants=f"{actor.display_name}及相关承办单位负责人",
            invited_deputies=suggestion.lead_deputy.name, findings="了解办理进展，代表提出进一步意见",
            follow_up="一个月后再次跟踪", today=today,
        )


def _key_steps(office: User, leaders: list[User], suggestion: Suggestion, steps: int, today: date) -> None:
    key = key_supervision.propose(office, suggestion, "群众关注度高、涉及面广", today)
    start = suggestion.assigned_on or today
    values = {
        1: dict(reference="主任会议", people="常委会主任、副主任", details="研究确定为年度重点督办建议"),
        2: dict(details="区领导牵头领办，每季度听取办理情况汇报", leaders=leaders[:1]),
        3: dict(place="区行政中心会议室", people="领办区领导、领衔代表", units_present=", ".join(
            a.unit.name for a in suggestion.active_assignments)),
        4: dict(people="联系委室", details="开展视察、座谈等跟踪督办"),
        5: dict(place="区人大常委会会议室", people="领衔代表、承办单位", details="代表对办理情况表示满意"),
    }
    for step in range(1, steps + 1):
        done_on = min(today, start + timedelta(days=step))
        key_supervision.record_step(office, key, step, done_on=done_on, today=today, **values[step])


def load(rules, today: date) -> None:
    """Add supervision activities and a few key suggestions to the loaded demo district."""
    office = _users(Role.OFFICE)[0]
    leaders = _users(Role.LEADER)
    supervised = db.session.scalars(
        select(Suggestion).where(Suggestion.state.in_(states.SUPERVISABLE)).order_by(Suggestion.id)
    ).all()
    for suggestion in supervised:
        supervision.assign_automatically(suggestion, suggestion.assigned_on or today)
    _record_activities(supervised[: max(1, len(supervised) // 2)], today)
    replied = [s for s in supervised if s.state in REPLIED and s.supervision_activities]
    handling = [s for s in supervised if s.state not in REPLIED]
    plans = [(s, 5) for s in replied[:2]] + [(s, 3) for s in handling[:2]] + [(s, 0) for s in handling[2:3]]
    for suggestion, steps in plans:
        try:
            _key_steps(office, leaders, suggestion, steps, today)
        except WorkflowError:
            continue  # a suggestion whose dates do not allow these steps stays out of the demo's key list
    db.session.flush()
