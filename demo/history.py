"""The demo history: every suggestion lives its life through the functions of domain/workflow.py.

Each suggestion follows a Plan (the state it must end in, its first dates) and is played day by
day: every step happens on a working day after the previous one and never after today, so that
deadlines, overdue items and items due soon are real relative to today.
"""
from __future__ import annotations

import io
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import bindparam, update
from werkzeug.datastructures import FileStorage

from demo import data
from demo.people import District, Place
from demo.writing import Writer
from domain import workflow
from domain.preparation import pre_submission_window
from domain.rules import Rules
from models import Assignment, CongressSession, Deputy, Suggestion, Unit, User, db
from models.enums import AssignmentRole, EvaluationLevel, ReplyCategory, Source, State

PRE_REVIEW = (State.DRAFT, State.PRE_SUBMITTED, State.UNDER_REVIEW, State.RETURNED_FOR_REVISION)
EXITS = (State.NOT_ACCEPTED, State.MERGED, State.WITHDRAWN)
# States partly handled by the units of the demo accounts `unit` and `unit2`.
FOCUS_STATES = (State.ASSIGNED, State.HANDLING, State.REPLIED, State.EVALUATED, State.REHANDLING)
# States in which the demo deputy leads at least one suggestion of each group.
DEPUTY_SHOWCASE = (State.CLOSED, State.REPLIED, State.HANDLING, State.DRAFT, State.RETURNED_FOR_REVISION)

# How many suggestions end in each state, per group.
SESSION_2025 = {State.CLOSED: 128, State.NOT_ACCEPTED: 3, State.MERGED: 5, State.WITHDRAWN: 4}
SESSION_2026 = {State.CLOSED: 112, State.EVALUATED: 5, State.REPLIED: 5, State.REHANDLING: 4, State.HANDLING: 6,
                State.NOT_ACCEPTED: 4, State.MERGED: 6, State.WITHDRAWN: 3}
RECESS_2025 = {State.CLOSED: 33, State.NOT_ACCEPTED: 1, State.MERGED: 1, State.WITHDRAWN: 1}
RECESS_2026 = {State.CLOSED: 24, State.EVALUATED: 3, State.REPLIED: 5, State.REHANDLING: 2, State.HANDLING: 12,
               State.ASSIGNED: 6, State.SUBMITTED: 5, State.NOT_ACCEPTED: 2, State.MERGED: 1, State.WITHDRAWN: 2}
UPCOMING_SESSION = {State.DRAFT: 7, State.PRE_SUBMITTED: 6, State.UNDER_REVIEW: 5,
                    State.RETURNED_FOR_REVISION: 6, State.MERGED: 1, State.NOT_ACCEPTED: 1}

# How many days ago the last step of an item still open today happened.
ANCHOR_DAYS = {State.REPLIED: (2, 15), State.EVALUATED: (1, 7), State.REHANDLING: (3, 35)}

# Plan variants
BEFORE_NUMBERING = "before_numbering"  # leaves during the pre-review, without a number
AFTER_ASSIGNMENT = "after_assignment"  # withdrawn while being handled
RETURNED = "returned"  # back with the office after an approved return, to be assigned again
PENDING_RETURN = "pending_return"  # a unit's return request waits for the office
PENDING_EXTENSION = "pending_extension"  # the lead unit's extension request waits for the office


@dataclass
class Plan:
    final: State
    source: Source
    session: CongressSession | None
    received_on: date
    prereview: bool = False
    assign_on: date | None = None  # the first assignment, when fixed (交办会) or worked out from a deadline
    anchor: date | None = None  # the day of the last step of an item still open today
    created_on: date | None = None  # when the draft was written, if before its receipt
    variant: str = ""
    lead_deputy: Deputy | None = None
    focus_unit: Unit | None = None
    merge_into: Story | None = None


class Stamps:
    """Business times for the timestamps the domain sets to now, written at the end without auditing."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: dict[tuple, list[tuple]] = defaultdict(list)

    def add(self, record, day: date, *columns: str) -> None:
        moment = datetime.combine(day, time(self.rng.randint(8, 16), self.rng.randint(0, 59))) - timedelta(hours=8)
        for column in columns:
            self.rows[(record.__table__, column)].append((record, moment))

    def write(self) -> None:
        """Call after the last flush: records get their ids when flushed."""
        for (table, column), rows in self.rows.items():
            statement = update(table).where(table.c.id == bindparam("row_id")).values({column: bindparam("value")})
            db.session.connection().execute(statement, [{"row_id": r.id, "value": moment} for r, moment in rows])


class History:
    def __init__(self, rng: random.Random, district: District, rules: Rules, today: date) -> None:
        self.rng = rng
        self.district = district
        self.rules = rules
        self.today = today
        self.writer = Writer(rng)
        self.stamps = Stamps(rng)
        self.office = district.accounts["office"]
        self.focus_units = [district.units[name] for name in data.FOCUS_UNITS]

    # --- calendar ------------------------------------------------------------------------

    def workday(self, day: date) -> date:
        """The working day on or before day, and never after today."""
        day = min(day, self.today)
        while not self.rules.calendar.is_workday(day):
            day -= timedelta(days=1)
        return day

    def workdays_before(self, day: date, count: int) -> date:
        while count:
            day -= timedelta(days=1)
            count -= self.rules.calendar.is_workday(day)
        return day

    def days_ago(self, low: int, high: int) -> date:
        return self.workday(self.today - timedelta(days=self.rng.randint(low, high)))

    def between(self, first: date, last: date) -> date:
        return self.workday(first + timedelta(days=self.rng.randint(0, max(0, (last - first).days))))

    # --- people --------------------------------------------------------------------------

    def unit(self, name: str, place: Place) -> Unit:
        if name == data.TOWN:
            return self.district.township_units[place.township.id]
        return self.district.units[name]

    def staff_of(self, unit: Unit) -> User:
        return self.district.unit_staff[unit.id]

    def reviewer_for(self, unit: Unit) -> User:
        return self.district.committee_staff[unit.committee_id]

    def township_staff(self, deputy: Deputy) -> User:
        return self.district.township_staff[deputy.township_id]

    def weighted_deputies(self, deputies: list[Deputy], count: int, exclude: Deputy | None = None) -> list[Deputy]:
        candidates = [d for d in deputies if d is not exclude]
        weights = [self.district.deputy_weights[d.id] for d in candidates]
        chosen: dict[int, Deputy] = {}
        while len(chosen) < min(count, len(candidates)):
            deputy = self.rng.choices(candidates, weights)[0]
            chosen[deputy.id] = deputy
        return sorted(chosen.values(), key=lambda d: d.id)

    # --- the groups of suggestions --------------------------------------------------------

    def load(self) -> None:
        (fifth, fifth_meeting), (sixth, sixth_meeting), (seventh, _) = self.add_sessions()
        self.play_group(self.session_plans(fifth, fifth_meeting, SESSION_2025))
        self.play_group(self.session_plans(sixth, sixth_meeting, SESSION_2026))
        self.play_group(self.recess_plans(2025, RECESS_2025))
        self.play_group(self.recess_plans(2026, RECESS_2026))
        self.play_group(self.upcoming_plans(seventh, UPCOMING_SESSION))
        db.session.flush()
        self.stamps.write()

    def add_sessions(self) -> list[tuple[CongressSession, date | None]]:
        """The sessions, each with the day of its assignment meeting (交办会) if held."""
        sessions = []
        for name, year, opens, closes, meeting in data.SESSIONS:
            session = CongressSession(name=name, year=year, opens_on=date(*opens), closes_on=date(*closes))
            db.session.add(session)
            sessions.append((session, date(*meeting) if meeting else None))
        db.session.flush()
        return sessions

    def session_plans(self, session: CongressSession, meeting: date, counts: dict[State, int]) -> list[Plan]:
        plans = []
        for final, count in counts.items():
            for index in range(count):
                prereview = self.rng.random() < 0.5
                plan = Plan(final, Source.CONGRESS, session, self.between(session.opens_on, session.closes_on),
                            prereview=prereview, assign_on=meeting, anchor=self.anchor(final))
                if prereview:
                    plan.created_on = session.opens_on - timedelta(days=self.rng.randint(16, 55))
                plan.variant = self.exit_variant(final, index, before_numbering=prereview)
                plans.append(plan)
        return plans

    def anchor(self, final: State) -> date | None:
        return self.days_ago(*ANCHOR_DAYS[final]) if final in ANCHOR_DAYS else None

    def exit_variant(self, final: State, index: int, before_numbering: bool) -> str:
        if final in (State.NOT_ACCEPTED, State.MERGED) and before_numbering:
            return BEFORE_NUMBERING
        if final == State.WITHDRAWN and index % 2:
            return AFTER_ASSIGNMENT
        return ""

    def recess_plans(self, year: int, counts: dict[State, int]) -> list[Plan]:
        first, last = date(year, 2, 24), min(date(year, 12, 20), self.today - timedelta(days=75))
        plans = []
        for final, count in counts.items():
            for index in range(count):
                plan = Plan(final, Source.RECESS, None, self.between(first, last))
                plan.variant = self.recess_variant(final, index)
                self.date_open_recess(plan)
                plans.append(plan)
        return plans

    def recess_variant(self, final: State, index: int) -> str:
        if final == State.SUBMITTED and index == 0:
            return RETURNED
        if final == State.ASSIGNED and index % 2 == 0:
            return PENDING_RETURN
        if final == State.HANDLING and index % 3 == 0:
            return PENDING_EXTENSION
        return self.exit_variant(final, index, before_numbering=False)

    def date_open_recess(self, plan: Plan) -> None:
        """Recent dates for a recess item still open today, so that its deadline falls near today."""
        final = plan.final
        if final == State.SUBMITTED:
            plan.received_on = self.days_ago(8, 14) if plan.variant == RETURNED else self.days_ago(0, 10)
            return
        if final == State.ASSIGNED:
            plan.assign_on = self.days_ago(0, 6)
        elif final == State.HANDLING or plan.variant == AFTER_ASSIGNMENT:
            due = self.today + timedelta(days=self.rng.choice([-12, -6, -2, 1, 3, 5, 6, 9, 14]))
            plan.assign_on = self.workdays_before(due, self.rules.amount("recess_reply"))
        elif final in ANCHOR_DAYS:
            plan.anchor = self.anchor(final)
            span = {State.REPLIED: (12, 20), State.EVALUATED: (25, 40), State.REHANDLING: (30, 45)}[final]
            plan.assign_on = self.workday(plan.anchor - timedelta(days=self.rng.randint(*span)))
        else:
            return
        plan.received_on = self.workday(plan.assign_on - timedelta(days=self.rng.randint(1, 5)))

    def upcoming_plans(self, session: CongressSession, counts: dict[State, int]) -> list[Plan]:
        """Drafts for the next session, in its pre-submission window."""
        return [
            Plan(final, Source.CONGRESS, session, self.days_ago(0, 16), prereview=True, variant=BEFORE_NUMBERING)
            for final, count in counts.items() for _ in range(count)
        ]

    def play_group(self, plans: list[Plan]) -> None:
        self.rng.shuffle(plans)
        self.showcase(plans)
        stories = [Story(self, plan).play() for plan in plans if plan.final != State.MERGED]
        targets = [story for story in stories if story.suggestion.state not in (*EXITS, State.DRAFT)]
        for plan in plans:
            if plan.final == State.MERGED:
                plan.merge_into = self.rng.choice(targets)
                Story(self, plan).play()

    def showcase(self, plans: list[Plan]) -> None:
        """Give the demo deputy and the demo units a fair share of the interesting cases."""
        demo_deputy = self.district.deputy(data.DEMO_DEPUTY)
        for state in DEPUTY_SHOWCASE:
            first = next((plan for plan in plans if plan.final == state), None)
            if first:
                first.lead_deputy = demo_deputy
        for state in FOCUS_STATES:
            for index, plan in enumerate(plan for plan in plans if plan.final == state):
                if index % 4 < len(self.focus_units):
                    plan.focus_unit = self.focus_units[index % 4]


class Story:
    """One suggestion played through the workflow according to its plan."""

    def __init__(self, history: History, plan: Plan) -> None:
        self.h = history
        self.rng = history.rng
        self.plan = plan
        self.day = history.workday(plan.received_on)
        self.pace = 1.0 if plan.source == Source.CONGRESS else 0.4
        self.rehandled = plan.final == State.REHANDLING or (plan.final == State.CLOSED and self.rng.random() < 0.07)
        self.suggestion: Suggestion | None = None
        self.choose_subject()

    def choose_subject(self) -> None:
        twin = self.plan.merge_into
        district = self.h.district
        if twin:
            self.topic, self.place = twin.topic, twin.place
            self.deputy = self.rng.choice(district.deputies_of(self.place.township))
        else:
            topics = data.TOPICS
            if self.plan.focus_unit:
                topics = [t for t in topics if self.plan.focus_unit.name in t["leads"]]
            self.topic = self.rng.choice(topics)
            self.deputy = self.plan.lead_deputy or self.h.weighted_deputies(district.deputies, 1)[0]
            township = self.deputy.township if self.rng.random() < 0.85 else self.rng.choice(district.townships)
            places = district.places[township.id]
            suited = [p for p in places if p.village.endswith(self.topic.get("settlement", ""))]
            self.place = self.rng.choice(suited or places)
        year = self.plan.session.year if self.plan.session else self.plan.received_on.year
        self.words = self.place.words(self.rng, year=year, next=year + 1)

    # --- time ------------------------------------------------------------------------------

    def advance(self, low: int, high: int) -> date:
        days = round(self.rng.randint(low, high) * self.pace)
        self.day = max(self.day, self.h.workday(self.day + timedelta(days=days)))
        return self.day

    def settle(self) -> None:
        """Wait until the anchor day: the last step of an open item happens recently."""
        if self.plan.anchor:
            self.day = max(self.day, self.h.workday(self.plan.anchor))

    # --- the life of the suggestion ------------------------------------------------------

    def play(self) -> Story:
        final, variant = self.plan.final, self.plan.variant
        self.create()
        if self.plan.prereview:
            self.pre_review()
        if final in PRE_REVIEW:
            return self.finish()
        if variant != BEFORE_NUMBERING:
            self.number()
        if final in (State.NOT_ACCEPTED, State.MERGED) or (final == State.WITHDRAWN and variant != AFTER_ASSIGNMENT):
            return self.leave()
        if final == State.SUBMITTED and variant != RETURNED:
            return self.finish()
        self.assign()
        if final == State.SUBMITTED:
            return self.finish()
        if final == State.ASSIGNED:
            self.sign_some()
            return self.finish()
        self.sign_all()
        if final == State.WITHDRAWN:
            return self.leave()
        self.handle()
        if final == State.HANDLING:
            self.reply_partly()
            return self.finish()
        self.reply_all()
        if final != State.REPLIED:
            self.evaluate_and_close()
        return self.finish()

    def create(self) -> None:
        title, body = self.h.writer.suggestion(self.topic, self.words)
        township_deputies = self.h.district.deputies_of(self.deputy.township)
        count = self.rng.choices([0, 1, 2, 3, 4], [30, 25, 20, 15, 10])[0]
        self.suggestion = Suggestion(
            source=self.plan.source, session=self.plan.session, title=title, body=body,
            category=self.topic["category"], lead_deputy=self.deputy,
            co_signers=self.h.weighted_deputies(township_deputies, count, exclude=self.deputy),
        )
        if self.plan.prereview:
            self.suggestion.state = State.DRAFT
            self.suggestion.year = self.plan.session.year
            db.session.add(self.suggestion)

    def pre_review(self) -> None:
        """Drafts pre-submitted by the township congress and pre-reviewed by the committee in the field."""
        final, s = self.plan.final, self.suggestion
        if final == State.DRAFT:
            return
        township = self.h.township_staff(self.deputy)
        reviewer = self.h.reviewer_for(self.h.unit(self.topic["leads"][0], self.place))
        day = self.pre_submission_day()
        if final == State.RETURNED_FOR_REVISION or self.rng.random() < 0.3:
            workflow.pre_submit(township, s, day, self.h.rules)
            workflow.start_review(reviewer, s)
            workflow.return_for_revision(reviewer, s, self.rng.choice(data.REVIEW_COMMENTS))
            if final == State.RETURNED_FOR_REVISION:
                return
        workflow.pre_submit(township, s, day, self.h.rules)
        if final != State.PRE_SUBMITTED:
            workflow.start_review(reviewer, s)

    def pre_submission_day(self) -> date:
        """The story's day, moved into the session's pre-submission window."""
        opens, closes = pre_submission_window(self.plan.session, self.h.rules)
        return min(max(self.day, opens), closes, self.h.today)

    def number(self) -> None:
        if self.plan.prereview:
            workflow.submit(self.h.office, self.suggestion, self.day, self.h.rules)
        else:
            workflow.register(self.h.office, self.suggestion, self.day, self.h.rules)

    def leave(self) -> Story:
        """The side exits: not accepted, merged into a twin, or withdrawn."""
        office, s, final = self.h.office, self.suggestion, self.plan.final
        self.advance(1, 10)
        if final == State.NOT_ACCEPTED:
            workflow.not_accept(office, s, self.rng.choice(data.NOT_ACCEPTED_REASONS))
        elif final == State.MERGED:
            workflow.merge(office, s, self.plan.merge_into.suggestion)
        else:
            workflow.withdraw(office, s, self.h.writer.pick(data.WITHDRAWAL_REASONS, town=self.words["town"]))
        return self.finish()

    def finish(self) -> Story:
        self.h.stamps.add(self.suggestion, self.plan.created_on or self.plan.received_on, "created_at")
        self.h.stamps.add(self.suggestion, self.day, "updated_at")
        return self

    # --- assignment ------------------------------------------------------------------------

    def choose_units(self, may_split: bool) -> tuple[Unit | None, list[Unit], list[Unit]]:
        """A lead unit and co-handlers, or (sometimes) split units."""
        leads = [self.h.unit(name, self.place) for name in self.topic["leads"]]
        lead = self.plan.focus_unit or self.rng.choice(leads)
        others = [self.h.unit(name, self.place) for name in self.topic["co"]]
        others = [unit for unit in dict.fromkeys(others) if unit.id != lead.id]
        if others and may_split and self.rng.random() < 0.1:
            return None, [], [lead, *self.rng.sample(others, k=self.rng.randint(1, min(2, len(others))))]
        count = self.rng.choices([0, 1, 2], [55, 35, 10])[0]
        return lead, self.rng.sample(others, k=min(count, len(others))), []

    def misrouted_unit(self, lead: Unit) -> Unit:
        """A plausible wrong lead: another candidate of the topic, or a unit of the same committee."""
        candidates = [self.h.unit(name, self.place) for name in self.topic["leads"]]
        candidates = [u for u in candidates if u.id != lead.id] or [
            u for u in self.h.district.units.values() if u.committee_id == lead.committee_id and u.id != lead.id]
        return self.rng.choice(candidates)

    def return_scenario(self, has_co_handlers: bool) -> str:
        if self.plan.variant == RETURNED:
            return "approved"
        if self.plan.final == State.ASSIGNED:
            return "pending" if self.plan.variant == PENDING_RETURN else ""
        roll = self.rng.random()
        if roll < 0.05:
            return "approved"
        if roll < 0.09:
            return "refused"
        return "co_handler" if roll < 0.13 and has_co_handlers else ""

    def assign(self) -> None:
        if self.plan.assign_on:
            self.day = max(self.day, self.h.workday(self.plan.assign_on))
        else:
            self.day = self.h.workday(self.h.rules.calendar.add_working_days(self.day, self.rng.randint(1, 4)))
        lead, co_handlers, split = self.choose_units(may_split=not self.plan.focus_unit and self.plan.variant != RETURNED)
        scenario = "" if split else self.return_scenario(bool(co_handlers))
        if scenario == "approved":
            wrong = self.misrouted_unit(lead)
            co_handlers = [unit for unit in co_handlers if unit.id != wrong.id]
            self._assign(wrong, co_handlers, [])
            self.ask_return(wrong, approve=True, right=lead)
            if self.plan.variant == RETURNED:
                return
            self.advance(1, 4)
        self._assign(lead, co_handlers, split)
        if scenario == "refused":
            self.ask_return(lead, approve=False)
        elif scenario == "co_handler":
            self.ask_return(co_handlers[0], approve=True)
        elif scenario == "pending":
            self.ask_return(lead, approve=None)

    def _assign(self, lead: Unit | None, co_handlers: list[Unit], split: list[Unit]) -> None:
        workflow.assign(self.h.office, self.suggestion, lead_unit=lead, co_handlers=co_handlers, split_units=split,
                        today=self.day, rules=self.h.rules)

    def ask_return(self, unit: Unit, approve: bool | None, right: Unit | None = None) -> None:
        """A unit asks to return the suggestion within the deadline; the office decides (or not yet)."""
        s = self.suggestion
        deadline = self.h.rules.due("return_request", s.assigned_on)
        self.day = min(self.advance(1, 5), self.h.workday(deadline))
        request = workflow.request_return(self.h.staff_of(unit), s, self.return_reason(unit, right), self.day,
                                          self.h.rules)
        self.h.stamps.add(request, self.day, "requested_at")
        if approve is None:
            return
        self.advance(1, 3)
        workflow.decide_return(self.h.office, request, approve, self.return_decision_note(approve, right))
        self.h.stamps.add(request, self.day, "decided_at")

    def return_reason(self, unit: Unit, right: Unit | None) -> str:
        focus = self.h.writer.focus(self.topic, self.words)
        assignment = next(a for a in self.suggestion.active_assignments if a.unit_id == unit.id)
        if assignment.role == AssignmentRole.CO_HANDLER:
            return data.CO_RETURN_REASON.format(focus=focus)
        if right:
            return data.RETURN_REASON.format(focus=focus, right=right.name)
        return data.RETURN_REASON_UNKNOWN.format(focus=focus)

    def return_decision_note(self, approve: bool, right: Unit | None) -> str:
        if not approve:
            return self.rng.choice(data.RETURN_REFUSALS)
        return data.RETURN_APPROVAL.format(right=right.name) if right else data.CO_RETURN_APPROVAL

    # --- handling ---------------------------------------------------------------------------

    def sign(self, assignment: Assignment) -> None:
        self.advance(0, 3)
        workflow.sign(self.h.staff_of(assignment.unit), self.suggestion)
        self.h.stamps.add(assignment, self.day, "signed_at")

    def sign_all(self) -> None:
        for assignment in list(self.suggestion.active_assignments):
            if assignment.signed_at is None:
                self.sign(assignment)

    def sign_some(self) -> None:
        """Units still to sign: the lead never has, some co-handlers and split units have."""
        for assignment in list(self.suggestion.active_assignments)[1:]:
            if self.rng.random() < 0.5:
                self.sign(assignment)

    def replying(self) -> list[Assignment]:
        return [a for a in self.suggestion.active_assignments if a.role != AssignmentRole.CO_HANDLER]

    def contact(self, assignment: Assignment, stage: str) -> None:
        unit = assignment.unit
        fields = self.h.writer.contact(stage, unit, self.h.district.unit_people[unit.id], self.deputy,
                                       self.topic, self.words)
        contact = workflow.record_contact(self.h.staff_of(unit), self.suggestion, contacted_on=self.day,
                                          today=self.day, **fields)
        self.h.stamps.add(contact, self.day, "recorded_at")

    def handle(self) -> None:
        """Contacts before handling, co-handlers' opinions, maybe an extension, contacts during handling."""
        for assignment in self.replying():
            self.advance(3, 20)
            self.contact(assignment, "before")
        for assignment in self.suggestion.active_assignments:
            if assignment.role == AssignmentRole.CO_HANDLER and self.rng.random() < 0.85:
                self.advance(2, 10)
                workflow.record_opinion(self.h.staff_of(assignment.unit), self.suggestion,
                                        self.h.writer.opinion(self.topic, self.words))
                self.h.stamps.add(assignment, self.day, "opinion_at")
        self.extension()
        if self.rng.random() < 0.6:
            for assignment in self.replying():
                self.advance(5, 20)
                self.contact(assignment, "during")

    def extension_scenario(self) -> str:
        if self.plan.variant == PENDING_EXTENSION:
            return "pending"
        roll = self.rng.random()
        if self.plan.final == State.HANDLING:
            return "approved" if roll < 0.5 and self.plan.source == Source.CONGRESS else ""
        return "approved" if roll < 0.08 else "refused" if roll < 0.11 else ""

    def extension(self) -> None:
        scenario = self.extension_scenario()
        if not scenario:
            return
        s, rules = self.suggestion, self.h.rules
        self.day = max(self.day, self.h.workday(s.reply_due_on - timedelta(days=self.rng.randint(3, 12))))
        latest = rules.due("reply_with_extension", s.assigned_on)
        wanted = min(s.reply_due_on + timedelta(days=self.rng.randint(20, 60)), latest)
        unit = self.replying()[0].unit
        request = workflow.request_extension(self.h.staff_of(unit), s, wanted,
                                             self.rng.choice(data.EXTENSION_REASONS), rules)
        self.h.stamps.add(request, self.day, "requested_at")
        if scenario == "pending":
            return
        self.advance(1, 4)
        approve = scenario == "approved"
        note = self.rng.choice(data.EXTENSION_APPROVALS if approve else data.EXTENSION_REFUSALS)
        workflow.decide_extension(self.h.office, request, approve, note)
        self.h.stamps.add(request, self.day, "decided_at")

    # --- replies, evaluation, closing ------------------------------------------------------

    def reply_day(self) -> None:
        due = self.suggestion.due_on
        if self.plan.final == State.REPLIED:
            self.settle()
        elif due and (due - self.day).days > 8 and self.rng.random() < 0.9:
            self.day = self.h.workday(self.day + timedelta(days=self.rng.randint(5, (due - self.day).days - 1)))
        else:
            self.advance(5, 25)

    def reply_category(self, round_: int) -> str:
        if self.rehandled:
            return self.rng.choice("BC") if round_ == 1 else self.rng.choice("AB")
        return self.rng.choices(list(ReplyCategory), [45, 40, 15])[0]

    def reply(self, assignment: Assignment, round_: int) -> None:
        unit, s = assignment.unit, self.suggestion
        category = self.reply_category(round_)
        text = self.h.writer.reply(s, unit, self.h.district.unit_people[unit.id], category, self.day,
                                   self.topic, self.words, rehandling=round_ == 2)
        answer = workflow.reply(
            self.h.staff_of(unit), s, reply_category=category, text=text,
            signatory=self.h.district.unit_people[unit.id].signatory, replied_on=self.day,
            commitments=self.h.writer.commitments(self.topic, self.words, category, self.day), today=self.day,
        )
        self.h.stamps.add(answer, self.day, "recorded_at", "updated_at")

    def reply_all(self, round_: int = 1) -> None:
        if round_ == 1:
            self.reply_day()
        for assignment in self.replying():
            self.reply(assignment, round_)
            if self.rng.random() < 0.35:
                self.advance(2, 10)
                self.contact(assignment, "after")

    def reply_partly(self) -> None:
        """A split suggestion where one unit has replied on its part and another has not yet."""
        if self.suggestion.handling_mode == "split" and self.rng.random() < 0.7:
            self.reply_day()
            self.reply(self.replying()[0], 1)

    def evaluate(self, level: str) -> None:
        comment = self.h.writer.evaluation_comment(level)
        scan = FileStorage(io.BytesIO(data.SCANNED_FORM_PDF), filename=f"{self.suggestion.display_number}评价表.pdf")
        evaluation = workflow.evaluate(self.h.office, self.suggestion, level=level, comment=comment,
                                       given_on=self.day, today=self.day, scanned_form=scan)
        self.h.stamps.add(evaluation, self.day, "recorded_at")

    def first_level(self) -> str:
        if self.rehandled:
            return EvaluationLevel.UNSATISFIED
        if self.plan.final == State.EVALUATED and self.rng.random() < 0.2:
            return EvaluationLevel.UNSATISFIED
        return self.rng.choices([EvaluationLevel.SATISFIED, EvaluationLevel.BASICALLY_SATISFIED], [78, 22])[0]

    def evaluate_and_close(self) -> None:
        """Evaluated, then closed; an unsatisfied deputy first gets the suggestion handled again."""
        final, office, s = self.plan.final, self.h.office, self.suggestion
        level = self.first_level()
        self.advance(7, 30)
        if final in (State.EVALUATED, State.REHANDLING):
            self.settle()
        self.evaluate(level)
        if final == State.EVALUATED:
            return
        if level == EvaluationLevel.UNSATISFIED:
            self.advance(1, 5)
            workflow.rehandle(office, s, self.day, self.h.rules)
            if final == State.REHANDLING and self.rng.random() < 0.4:
                return
            for assignment in self.replying():
                self.advance(3, 10)
                self.contact(assignment, "again")
            if final == State.REHANDLING:
                return
            self.advance(8, 25)
            self.reply_all(round_=2)
            self.advance(7, 20)
            self.evaluate(self.rng.choices(list(EvaluationLevel), [50, 40, 10])[0])
        self.advance(2, 10)
        workflow.close(office, s)
