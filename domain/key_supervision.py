"""Key supervision in seven steps (重点督办“七步法”): the office proposes candidates, the directors' meeting
decides the key list (step 1), and the following steps are recorded once each, in order, with date, people
and evidence; named district leaders sign the steps off."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from domain import actions, attachments, audit, states
from domain.access import visible_suggestion_ids
from domain.actions import action
from domain.errors import WorkflowError, require
from models import KeyStep, KeySupervision, Suggestion, SupervisionActivity, User, db
from models.base import utcnow
from models.enums import Role, State
from models.supervision import KEY_STEP_LABELS


@dataclass(frozen=True)
class StepRule:
    fields: dict[str, str]  # the step's fields and their Chinese labels
    required: tuple[str, ...]
    allowed_states: frozenset[State]
    state_message: str


def _rule(fields, required, allowed=states.KEY_CANDIDATE | {State.CLOSED}, state_message="") -> StepRule:
    return StepRule(fields, tuple(required), frozenset(allowed), state_message)


STEP_RULES: dict[int, StepRule] = {
    1: _rule({"reference": "主任会议次数（如 第十八届第12次）", "people": "出席人员", "details": "会议纪要（研究确定情况）"},
             ["reference", "people", "details"], states.KEY_CANDIDATE, "只能把已编号、未结束的建议列为重点督办。"),
    2: _rule({"details": "领办督办要求"}, []),
    3: _rule({"place": "会议地点", "people": "参会人员", "units_present": "参会承办单位", "details": "交办要求"},
             ["place", "people", "units_present"], states.SUPERVISABLE | {State.CLOSED}, "建议交办后才能召开专题交办会。"),
    4: _rule({"people": "跟踪督办人员", "details": "跟踪督办情况"}, ["people", "details"]),
    5: _rule({"place": "面商地点", "people": "参加人员（代表和承办单位）", "details": "面商结果"},
             ["place", "people", "details"], states.ANSWERED, "承办单位答复后才能开展集中面商。"),
    6: _rule({"details": "公开内容或不公开的理由"}, ["details"], states.ANSWERED, "承办单位答复后才能决定公开办理结果。"),
    7: _rule({"reference": "书面报告名称（人代会届次）", "people": "报告人", "details": "报告要点"}, ["reference", "people"],
             states.ANSWERED, "承办单位答复后才能向人代会书面报告。"),
}


def propose(actor: User, suggestion: Suggestion, reason: str, today: date) -> KeySupervision:
    """The office proposes a suggestion as a candidate for key supervision."""
    require(actor.has_role(Role.OFFICE), "只有代表工委可以提出重点督办候选建议。")
    require(suggestion.state in states.KEY_CANDIDATE, f"建议《{suggestion.title}》：{STEP_RULES[1].state_message}")
    require(suggestion.key_supervision is None, f"建议《{suggestion.title}》已是重点督办建议或候选建议。")
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
    require(bool(users), "请至少指定一位领办督办的区领导。")
    require(all(u.has_role(Role.LEADER) and u.active for u in users), "领办督办人必须是具有区领导角色的有效用户。")
    return users


def record_step(
    actor: User, key: KeySupervision, step: int, *, done_on: date, today: date, people: str = "", place: str = "",
    reference: str = "", units_present: str = "", details: str = "", published: bool | None = None,
    leaders: list[User] = (), evidence=None,
) -> KeyStep:
    """Record one step; steps are done in order and each only once."""
    suggestion = key.suggestion
    title = f"建议《{suggestion.title}》"
    require(step in STEP_RULES, "没有这一步骤。")
    require(may_record(actor, key, step), f"您的角色无权记录“{KEY_STEP_LABELS[step]}”。")
    require(key.step(step) is None, f"{title}已完成“{KEY_STEP_LABELS[step]}”，不能重复。")
    require(key.steps_done == step - 1, f"{title}须先完成第{key.steps_done + 1}步“{KEY_STEP_LABELS[key.steps_done + 1]}”。")
    rule = STEP_RULES[step]
    require(suggestion.state in rule.allowed_states, f"{title}：{rule.state_message or '当前状态不能执行此步骤。'}")
    values = {"people": people.strip(), "place": place.strip(), "reference": reference.strip(),
              "units_present": units_present.strip(), "details": details.strip()}
    missing = [rule.fields[name] for name in rule.required if not values[name]]
    require(not missing, f"请填写：{'、'.join(missing)}。")
    previous = key.step(step - 1)
    require(done_on <= today, "日期不能晚于今天。")
    if previous is not None:
        require(done_on >= previous.done_on, f"日期不能早于上一步骤的日期 {previous.done_on:%Y-%m-%d}。")
    if step == 2:
        named = _leaders(list(leaders))
        values["people"] = "、".join(u.display_name for u in named)
    if step == 4:
        has_activity = db.session.scalar(select(exists().where(SupervisionActivity.suggestion_id == suggestion.id)))
        require(has_activity, f"{title}尚无督办活动记录，请先由联系委室开展并记录督办活动。")
    if step == 6:
        require(published is not None, "请选择是否公开办理结果。")
    with audit.operation(actor, f"重点督办：{KEY_STEP_LABELS[step]}"):
        row = KeyStep(suggestion_id=suggestion.id, step=step, done_on=done_on,
                      published=published if step == 6 else None, recorded_by_id=actor.id, **values)
        try:
            with db.session.begin_nested():
                key.steps.append(row)
                if step == 2:
                    key.leaders = named
                key.steps_done = step
        except IntegrityError:
            raise WorkflowError(f"{title}的“{KEY_STEP_LABELS[step]}”刚由他人记录，请刷新页面。") from None
        attachments.store_optional(actor, suggestion, evidence, "key_step", row.id)
    return row


def sign_off(actor: User, step: KeyStep) -> None:
    """A district leader named on the key suggestion signs a recorded step off."""
    key = step.key_supervision
    require(actor.has_role(Role.LEADER) and actor.id in {u.id for u in key.leaders}, "只有领办督办该建议的区领导可以签字确认。")
    require(step.signed_off_at is None, f"“{step.label}”已签字确认。")
    with audit.operation(actor, "区领导签字确认"):
        step.signed_off_by_id = actor.id
        step.signed_off_at = utcnow()


def sign_off_steps(actor: User, key: KeySupervision) -> int:
    """The leader signs off every recorded step of the key suggestion not yet signed; returns how many."""
    unsigned = [step for step in key.steps if step.signed_off_at is None]
    require(bool(unsigned), f"建议《{key.suggestion.title}》没有待签字确认的步骤。")
    for step in unsigned:
        sign_off(actor, step)
    return len(unsigned)


def year_counts(year: int, user: User) -> dict[int, int]:
    """How many of the year's key suggestions visible to this user stand at each step (one SQL aggregate)."""
    rows = db.session.execute(
        select(KeySupervision.steps_done, func.count())
        .where(KeySupervision.year == year, KeySupervision.suggestion_id.in_(visible_suggestion_ids(user)))
        .group_by(KeySupervision.steps_done)
    )
    return dict(rows.all())


def _step_action(step: int):
    roles = {Role.OFFICE, Role.COMMITTEE} if step == 4 else {Role.OFFICE}
    return action(f"第{step}步：{KEY_STEP_LABELS[step]}", roles, form=f"key_step_{step}", bulk=True, target=KeySupervision,
                  function="record_step", preset=MappingProxyType({"step": step}))


KEY_ACTIONS = {
    "propose_key": action("列为重点督办候选", {Role.OFFICE}, states.KEY_CANDIDATE, form="propose", bulk=True, function="propose"),
    **{f"step_{step}": _step_action(step) for step in STEP_RULES},
    "sign_off": action("区领导签字确认已完成的步骤", {Role.LEADER}, bulk=True, target=KeySupervision, function="sign_off_steps",
                       confirm="确认对所选建议已完成的步骤签字吗？"),
}
ACTIONS = actions.bind(sys.modules[__name__], KEY_ACTIONS)
