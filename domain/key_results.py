"""What key supervision contributes to the public page and to the annual assessment.

Imported once at start-up (app.py): it fills the public page's KEY_SUPERVISION hooks and registers
the assessment items that count key suggestions.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, func, select

from domain import assessment, public
from domain.assessment import count_if, register_item, replying_assignments
from models import Assignment, Deputy, KeyStep, KeySupervision, Reply, Suggestion, db

DECIDED = 1  # step 1: the directors' meeting put the suggestion on the key list
CONSULTATION, PUBLICATION = 5, 6


def is_key() -> ColumnElement[bool]:
    """Suggestions the directors' meeting chose for key supervision."""
    return exists().where(KeySupervision.suggestion_id == Suggestion.id, KeySupervision.steps_done >= DECIDED)


def published_results(ids: list[int]) -> Mapping[int, str]:
    """The supervision result of each key suggestion whose step 6 decided to publish it: the consultation outcome."""
    published = select(KeyStep.suggestion_id).where(
        KeyStep.step == PUBLICATION, KeyStep.published.is_(True), KeyStep.suggestion_id.in_(ids)
    )
    rows = db.session.execute(
        select(KeyStep.suggestion_id, KeyStep.details)
        .where(KeyStep.step == CONSULTATION, KeyStep.suggestion_id.in_(published))
    )
    return {suggestion_id: details for suggestion_id, details in rows}


def _key_of_year(year: int):
    return and_(KeySupervision.suggestion_id == Suggestion.id, KeySupervision.year == year,
                KeySupervision.steps_done >= DECIDED)


@register_item("key_suggestions_handled", "按期答复的重点督办建议", "承办的重点督办建议")
def key_suggestions_handled(year: int, as_of: date) -> Select:
    on_time = exists().where(
        Reply.suggestion_id == Assignment.suggestion_id, Reply.unit_id == Assignment.unit_id, Reply.round == 1,
        Reply.voided_reason == "", Reply.replied_on <= Suggestion.reply_due_on,
    )
    return (
        select(Assignment.unit_id, count_if(on_time), func.count(Assignment.id))
        .join(Suggestion, Suggestion.id == Assignment.suggestion_id)
        .where(replying_assignments(year), exists().where(_key_of_year(year)))
        .group_by(Assignment.unit_id)
    )


@register_item("key_suggestion_township_bonus", "领衔建议列为重点督办", "件")
def key_suggestion_township_bonus(year: int, as_of: date) -> Select:
    return (
        select(Deputy.township_id, func.count(Suggestion.id), func.count(Suggestion.id))
        .join(Deputy, Deputy.id == Suggestion.lead_deputy_id)
        .where(exists().where(_key_of_year(year)))
        .group_by(Deputy.township_id)
    )


public.KEY_SUPERVISION.is_key = is_key
public.KEY_SUPERVISION.supervision_results = published_results
for code in ("key_suggestions_handled", "key_suggestion_township_bonus"):
    assessment.PENDING_ITEMS.pop(code, None)
