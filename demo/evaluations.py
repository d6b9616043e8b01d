"""Demo data for the three evaluations and the notices, added to an already loaded demo district.

Call `load(rules, today)` from the demo command after the suggestions are loaded: it writes the editable
notice templates, gives units a notice address, and has lead deputies (those with a login) evaluate some
replied suggestions: attitude, content, and — when `today` is in the November window — commitments.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from domain import evaluations, workflow
from domain.errors import WorkflowError
from domain.notices import seed_message_templates
from domain.rules import Rules
from models import Commitment, Reply, Suggestion, Unit, User, db
from models.enums import State


def load(rules: Rules, today: date) -> None:
    seed_message_templates()
    for unit in db.session.scalars(select(Unit).where(Unit.notify_phone == "")):
        unit.notify_phone = f"0575{unit.id:07d}"
    deputies = {u.deputy_id: u for u in db.session.scalars(select(User).where(User.deputy_id.isnot(None)))}
    replied = db.session.scalars(select(Suggestion).where(Suggestion.state == State.REPLIED).order_by(Suggestion.id)).all()
    for index, suggestion in enumerate(replied):
        deputy = deputies.get(suggestion.lead_deputy_id)
        if deputy is None or index % 3 == 2:  # leave some waiting for the deputy
            continue
        for step in _steps(deputy, suggestion, index, rules, today):
            _try(step)
    db.session.flush()


def _steps(deputy: User, suggestion: Suggestion, index: int, rules: Rules, today: date) -> list:
    """The deputy's evaluations of one suggestion: attitude of each replying unit, content, each commitment."""
    level = "unsatisfied" if index % 4 == 3 else "satisfied"
    steps = [
        lambda unit=unit: evaluations.evaluate_attitude(
            deputy, suggestion, unit, level="satisfied", before=True, during=index % 2 == 0, after=False, comment="",
            given_on=today, today=today, rules=rules)
        for unit in evaluations.replying_units(suggestion)
    ]
    steps.append(lambda: workflow.evaluate(deputy, suggestion, level=level, given_on=today, today=today,
                                           comment="问题尚未解决" if level == "unsatisfied" else ""))
    commitments = db.session.scalars(select(Commitment).join(Commitment.reply).where(Reply.suggestion_id == suggestion.id))
    steps += [lambda c=c: evaluations.evaluate_implementation(deputy, c, result="kept", comment="", given_on=today,
                                                               today=today, rules=rules) for c in commitments]
    return steps


def _try(step) -> None:
    """Demo steps that the rules refuse (e.g. outside the November window) are skipped, changing nothing."""
    savepoint = db.session.begin_nested()
    try:
        step()
    except WorkflowError:
        savepoint.rollback()
    else:
        savepoint.commit()
