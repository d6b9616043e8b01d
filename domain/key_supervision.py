"""Key supervision in seven steps (重点督办“七步法”): the office proposes candidates, the directors' meeting
decides the key list (step 1), and the following steps are recorded once each, in order, with date, people
and evidence; named district leaders sign the steps off."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from domain import audit
from domain.supervision import SUPERVISABLE_STATES
from domain.workflow import WorkflowError
from models import KeyStep, KeySupervision, Suggestion, SupervisionActivity, User, db, key_supervision_leader
from models.base import utcnow
from models.enums import Role, State
from models.supervision import KEY_STEP_LABELS

CANDIDATE_STATES = frozenset({State.SUBMITTED, *SUPERVISABLE_STATES})
REPLIED_STATES = frozenset({State.REPLIED, State.EVALUATED, State.REHANDLING, State.CLOSED})


@dataclass(frozen=True)
class StepRule:
    fields: dict[str, str]  # the step's fields and their Chinese labels
    required: tuple[str, ...]
    states: frozenset[State]
    state_message: str


def _rule(fields, required, states=CANDIDATE_STATES | {State.CLOSED}, state_message="") -> StepRule:
    return StepRule(fields, tuple(required), frozenset(states), state_message)


STEP_RULES: dict[int, StepRule] = {
    1: _rule({"reference": "主任会议次数（如 第十八届第12次）", "people": "出席人员", "details": "会议纪要（研究确定情况）"},
             ["reference", "people", "details"], CANDIDATE_STATES, "只能把已编号、未结束的建议列为重点督办。"),
    2: _rule({"details": "领办督办要求"}, []),
    3: _rule({"place": "会议地点", "people": "参会人员", "units_present": "参会承办单位", "details": "交办要求"},
             ["place", "people", "units_present"], SUPERVISABLE_STATES | {State.CLOSED}, "建议交办后才能召开专题交办会。"),
    4: _rule({"people": "跟踪督办人员", "details": "跟踪督办情况"}, ["people", "details"]),
    5: _rule({"place": "面商地点", "people": "参加人员（代表和承办单位）", "details": "面商结果"},
             ["place", "people", "details"], REPLIED_STATES, "承办单位答复后才能开展集中面商。"),
    6: _rule({"details": "公开内容或不公开的理由"}, ["details"], REPLIED_STATES, "承办单位答复后才能决定公开办理结果。"),
    7: _rule({"reference": "书面报告名称（人代会届次）", "people": "报告人", "details": "报告要点"}, ["reference", "people"],
             REPLIED_STATES, "承办单位答复后才能向人代会书面报告。"),
}


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise WorkflowError(message)


def progress(key: KeySupervision) -> str:
    return "候选（待主任会议研究）" if key.steps_done == 0 else f"第{key.steps_done}步/共7步"


def propose(actor: User, suggestion: Suggestion, reason: str, today: date) -> KeySupervision:
    """The office proposes a suggestion as a candidate for key supervision."""
    _require(actor.has_role(Role.OFFICE), "只有代表工委可以提出重点督办候选建议。")
    _require(suggestion.state in CANDIDATE_STATES, f"建议《{suggestion.title}》：{STEP_RULES[1].state_message}")
    _require(suggestion.key_supervision is None, f"建议《{suggestion.title}》已是重点督办建议或候选建议。")
    with audit.operation(actor, "提出重点督办候选"):
        key = KeySupervision(suggestion=suggestion, year=suggestion.year, proposed_on=today, proposed_by_id=actor.id,
                             reason=reason.strip())
        db.session.add(key)
    return key


def may_record(actor: User, key: KeySupervision, step: int) -> bool:
    """The office records every step; the supervising committee may also record step 4."""
    if actor.has_role(Role.OFFICE):
        return True
    supervision = key.suggestion.supervision
    return step == 4 and actor.has_role(Role.COMMITTEE) and supervision is not None \
        and supervision.committee_id == actor.committee_id


def _leaders(users: list[User]) -> list[User]:
    _require(bool(users), "请至少指定一位领办督办的区领导。")
    _require(all(u.has_role(Role.LEADER) and u.active for u in users), "领办督办人必须是具有区领导角色的有效用户。")
    return users


def record_step(
    actor: User, key: KeySupervision, step: int, *, done_on: date, today: date, people: str = "", place: str = "",
    reference: str = "", units_present: str = "", details: str = "", published: bool | None = None,
    leaders: list[User] = (),
) -> KeyStep:
    """Record one step; steps are done in order and each only once."""
    suggestion = key.suggestion
    title = f"建议《{suggestion.title}》"
    _require(step in STEP_RULES, "没有这一步骤。")
    _require(may_record(actor, key, step), f"您的角色无权记录“{KEY_STEP_LABELS[step]}”。")
    _require(key.step(step) is None, f"{title}已完成“{KEY_STEP_LABELS[step]}”，不能重复。")
    _require(key.steps_done == step - 1, f"{title}须先完成第{key.steps_done + 1}步“{KEY_STEP_LABELS[key.steps_done + 1]}”。")
    rule = STEP_RULES[step]
    _require(suggestion.state in rule.states, f"{title}：{rule.state_message or '当前状态不能执行此步骤。'}")
    values = {"people": people.strip(), "place": place.strip(), "reference": reference.strip(),
              "units_present": units_present.strip(), "details": details.strip()}
    missing = [rule.fields[name] for name in rule.required if not values[name]]
    _require(not missing, f"请填写：{'、'.join(missing)}。")
    previous = key.step(step - 1)
    _require(done_on <= today, "日期不能晚于今天。")
    if previous is not None:
        _require(done_on >= previous.done_on, f"日期不能早于上一步骤的日期 {previous.done_on:%Y-%m-%d}。")
    if step == 2:
        named = _leaders(list(leaders))
        values["people"] = "、".join(u.display_name for u in named)
    if step == 4:
        has_activity = db.session.scalar(select(exists().where(SupervisionActivity.suggestion_id == suggestion.id)))
        _require(has_activity, f"{title}尚无督办活动记录，请先由联系委室开展并记录督办活动。")
    if step == 6:
        _require(published is not None, "请选择是否公开办理结果。")
    with audit.operation(actor, f"重点督办：{KEY_STEP_LABELS[step]}"):
        row = KeyStep(key_supervision=key, suggestion_id=suggestion.id, step=step, done_on=done_on,
                      published=published if step == 6 else None, recorded_by_id=actor.id, **values)
        try:
            with db.session.begin_nested():
                db.session.add(row)
                if step == 2:
                    key.leaders = named
                key.steps_done = step
        except IntegrityError:
            raise WorkflowError(f"{title}的“{KEY_STEP_LABELS[step]}”刚由他人记录，请刷新页面。") from None
    return row


def sign_off(actor: User, step: KeyStep) -> None:
    """A district leader named on the key suggestion signs a recorded step off."""
    key = step.key_supervision
    _require(actor.has_role(Role.LEADER) and actor.id in {u.id for u in key.leaders}, "只有领办督办该建议的区领导可以签字确认。")
    _require(step.signed_off_at is None, f"“{step.label}”已签字确认。")
    with audit.operation(actor, "区领导签字确认"):
        step.signed_off_by_id = actor.id
        step.signed_off_at = utcnow()


def led_by(user_id: int):
    """A WHERE clause on Suggestion: the key suggestions this leader is named on."""
    return exists().where(
        KeySupervision.suggestion_id == Suggestion.id,
        key_supervision_leader.c.key_supervision_id == KeySupervision.id,
        key_supervision_leader.c.user_id == user_id,
    )


def year_counts(year: int, user: User) -> dict[int, int]:
    """How many of the year's key suggestions visible to this user stand at each step (one SQL aggregate)."""
    from domain.access import visible_suggestion_ids  # access imports this module

    rows = db.session.execute(
        select(KeySupervision.steps_done, func.count())
        .where(KeySupervision.year == year, KeySupervision.suggestion_id.in_(visible_suggestion_ids(user)))
        .group_by(KeySupervision.steps_done)
    )
    return dict(rows.all())
