"""The one vocabulary of a suggestion's states: every named group of states, and every fact derived from
a suggestion's state and dates (overdue, due soon, current deadline, stage; a key suggestion decided, its
progress). Each fact is defined once, as a SQL expression and its Python twin, side by side; grids, pages,
notices and reports use these and nothing else. The transitions between the states are in domain.workflow.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, case, exists

from models import KeySupervision, Suggestion
from models.enums import State

# --- groups of states -----------------------------------------------------------------------------

# Drafts before the congress (or a recess suggestion before it is registered): not yet numbered.
BEFORE_NUMBERING = frozenset({State.DRAFT, State.PRE_SUBMITTED, State.UNDER_REVIEW, State.RETURNED_FOR_REVISION})
# The lead deputy's side may still change the text.
EDITABLE = frozenset({State.DRAFT, State.RETURNED_FOR_REVISION})
# Pre-submitted drafts that reviewers see; they comment while it is pre-submitted or under review.
IN_PRE_REVIEW = frozenset({State.PRE_SUBMITTED, State.UNDER_REVIEW, State.RETURNED_FOR_REVISION})
OPEN_FOR_COMMENTS = frozenset({State.PRE_SUBMITTED, State.UNDER_REVIEW})
# A deadline runs: to assign (a recess suggestion), to reply, to reply again.
DEADLINE_RUNNING = frozenset({State.SUBMITTED, State.ASSIGNED, State.HANDLING, State.REHANDLING})
# With the units: assigned and not yet (or again not yet) answered.
WITH_UNITS = frozenset({State.ASSIGNED, State.HANDLING, State.REHANDLING})
# Assigned and not closed: committees and townships supervise it.
SUPERVISABLE = frozenset({State.ASSIGNED, State.HANDLING, State.REPLIED, State.EVALUATED, State.REHANDLING})
# Numbered and still being worked on: may be proposed for key supervision.
KEY_CANDIDATE = SUPERVISABLE | {State.SUBMITTED}
# Answered at least once: the reply can be evaluated, consulted on, published, reported.
ANSWERED = frozenset({State.REPLIED, State.EVALUATED, State.REHANDLING, State.CLOSED})
# Left the process without being handled.
LEFT_THE_PROCESS = frozenset({State.NOT_ACCEPTED, State.MERGED, State.WITHDRAWN})
# Where a new text is compared with the archive for duplicates.
CHECKED_FOR_DUPLICATES = BEFORE_NUMBERING | {State.SUBMITTED}
FINAL = LEFT_THE_PROCESS | {State.CLOSED}

# --- the current deadline ----------------------------------------------------------------------------


def current_deadline() -> ColumnElement:
    """SQL: the deadline that applies in the suggestion's state (assignment, reply, second reply), or NULL."""
    return case(
        (Suggestion.state == State.SUBMITTED, Suggestion.assign_due_on),
        (Suggestion.state.in_((State.ASSIGNED, State.HANDLING)), Suggestion.reply_due_on),
        (Suggestion.state == State.REHANDLING, Suggestion.rehandling_due_on),
        else_=None,
    )


def current_deadline_of(suggestion: Suggestion) -> date | None:
    """Python twin of current_deadline()."""
    if suggestion.state == State.SUBMITTED:
        return suggestion.assign_due_on
    if suggestion.state in (State.ASSIGNED, State.HANDLING):
        return suggestion.reply_due_on
    if suggestion.state == State.REHANDLING:
        return suggestion.rehandling_due_on
    return None


def sync_deadline(suggestion: Suggestion) -> None:
    """Keep the stored, indexed `due_on` equal to the current deadline (the workflow calls this on every change)."""
    suggestion.due_on = current_deadline_of(suggestion)


# --- overdue and due soon ---------------------------------------------------------------------------


def overdue(today: date) -> ColumnElement[bool]:
    """SQL: a deadline runs and has passed."""
    return and_(Suggestion.state.in_(DEADLINE_RUNNING), Suggestion.due_on < today)


def is_overdue(suggestion: Suggestion, today: date) -> bool:
    """Python twin of overdue()."""
    return suggestion.state in DEADLINE_RUNNING and suggestion.due_on is not None and suggestion.due_on < today


def due_soon(today: date, days: int) -> ColumnElement[bool]:
    """SQL: a deadline runs and falls within the next `days` days (today included)."""
    return and_(Suggestion.state.in_(DEADLINE_RUNNING), Suggestion.due_on >= today,
                Suggestion.due_on <= today + timedelta(days=days))


def is_due_soon(suggestion: Suggestion, today: date, days: int) -> bool:
    """Python twin of due_soon()."""
    return (suggestion.state in DEADLINE_RUNNING and suggestion.due_on is not None
            and today <= suggestion.due_on <= today + timedelta(days=days))


# --- the stage a suggestion has reached (the deputy's progress bar, the public page) ---------------------

STAGES = ("提出", "交办", "办理", "答复", "评价", "办结")
_STAGE_OF_STATE = {
    State.DRAFT: 0, State.PRE_SUBMITTED: 0, State.UNDER_REVIEW: 0, State.RETURNED_FOR_REVISION: 0, State.SUBMITTED: 0,
    State.ASSIGNED: 1, State.HANDLING: 2, State.REHANDLING: 2, State.REPLIED: 3, State.EVALUATED: 4, State.CLOSED: 5,
    State.NOT_ACCEPTED: 0, State.MERGED: 0, State.WITHDRAWN: 0,
}


def stage() -> ColumnElement[int]:
    """SQL: the index in STAGES of the stage reached."""
    return case({state.value: index for state, index in _STAGE_OF_STATE.items()}, value=Suggestion.state, else_=0)


def stage_of(suggestion: Suggestion) -> int:
    """Python twin of stage()."""
    return _STAGE_OF_STATE[State(suggestion.state)]


# --- key supervision: decided, and its progress --------------------------------------------------------

KEY_STEPS = 7
DECIDED_STEP = 1  # the directors' meeting put the suggestion on the key list


def key_decided() -> ColumnElement[bool]:
    """SQL on Suggestion: the directors' meeting chose it for key supervision."""
    return exists().where(KeySupervision.suggestion_id == Suggestion.id, KeySupervision.steps_done >= DECIDED_STEP)


def is_key_decided(key: KeySupervision | None) -> bool:
    """Python twin of key_decided(), on the suggestion's KeySupervision row."""
    return key is not None and key.steps_done >= DECIDED_STEP


def key_progress(key: KeySupervision) -> str:
    return "候选（待主任会议研究）" if key.steps_done == 0 else f"第{key.steps_done}步/共{KEY_STEPS}步"
