"""Rules of a draft before numbering: who may act on it, the pre-submission window, kept revisions and their diff."""
from __future__ import annotations

import difflib
from datetime import date, timedelta

from sqlalchemy import func, select

from domain.errors import WorkflowError
from domain.rules import Rules
from domain.workdays import add_months
from models import CongressSession, Revision, Suggestion, User, db
from models.enums import Role, Source


def pre_submission_window(session: CongressSession, rules: Rules) -> tuple[date, date]:
    """The session's own window, or the rules' default: opens 2 months, closes 15 days before the congress."""
    opens = session.pre_submission_opens_on or add_months(session.opens_on, -rules.amount("pre_submission_opens"))
    closes = session.pre_submission_closes_on or session.opens_on - timedelta(days=rules.amount("pre_submission_closes"))
    return opens, closes


def check_window(suggestion: Suggestion, today: date, rules: Rules) -> None:
    """Congress drafts are pre-submitted only inside their session's window; recess ones at any time."""
    if suggestion.source == Source.RECESS:
        return
    if suggestion.session is None:
        raise WorkflowError("大会建议须选择届次后才能预交。")
    opens, closes = pre_submission_window(suggestion.session, rules)
    if not opens <= today <= closes:
        raise WorkflowError(
            f"{suggestion.session.name}的建议预交时间为 {opens:%Y-%m-%d} 至 {closes:%Y-%m-%d}，"
            f"今天（{today:%Y-%m-%d}）不在预交期内。逾期的建议可在大会期间正式提交。"
        )


def acts_for_lead_deputy(actor: User, suggestion: Suggestion) -> bool:
    """The office, the lead deputy, or the staff of the lead deputy's township."""
    if actor.has_role(Role.OFFICE):
        return True
    lead = suggestion.lead_deputy  # the relationship, so an unflushed draft works too
    if actor.has_role(Role.DEPUTY) and actor.deputy_id == lead.id:
        return True
    if actor.has_role(Role.TOWNSHIP) and actor.township_id:
        return lead.township_id == actor.township_id
    return False


def check_acts_for_lead_deputy(actor: User, suggestion: Suggestion) -> None:
    if not acts_for_lead_deputy(actor, suggestion):
        raise WorkflowError("只有领衔代表本人、其所在镇街人大或代表工委可以办理此草稿。")


def keep_revision(actor: User, suggestion: Suggestion) -> Revision:
    """Keep the text as it is pre-submitted now: revision 1, 2, …"""
    last = db.session.scalar(select(func.max(Revision.number)).where(Revision.suggestion_id == suggestion.id)) or 0
    revision = Revision(
        suggestion_id=suggestion.id, number=last + 1, title=suggestion.title, body=suggestion.body,
        category=suggestion.category, created_by_id=actor.id,
    )
    db.session.add(revision)
    return revision


def revisions(suggestion: Suggestion) -> list[Revision]:
    return list(db.session.scalars(
        select(Revision).where(Revision.suggestion_id == suggestion.id).order_by(Revision.number)
    ))


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level diff for Chinese text: [("equal" | "delete" | "insert", text), …]."""
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(("equal", old[a1:a2]))
            continue
        if a2 > a1:
            segments.append(("delete", old[a1:a2]))
        if b2 > b1:
            segments.append(("insert", new[b1:b2]))
    return segments
