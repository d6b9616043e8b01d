"""Demo data for publication and the assessment: call `load(rules, today)` after the demo district is loaded.

Publishes most decided replies (in full, some as a summary), declines a few with a reason and leaves
the newest undecided, so the publication grid, the public page and the statistics have something to show.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from domain import publication as publishing
from domain.assessment import seed_assessment_items
from domain.rules import Rules
from models import Publication, PublicationStatus, Reply, User, db
from models.enums import Role


def load(rules: Rules, today: date) -> None:
    seed_assessment_items()
    office = next(u for u in db.session.scalars(select(User)) if u.has_role(Role.OFFICE))
    pending = db.session.scalars(
        select(Publication).options(joinedload(Publication.reply).joinedload(Reply.unit), joinedload(Publication.suggestion))
        .where(Publication.status == PublicationStatus.PENDING).order_by(Publication.id)
    ).all()
    for n, publication in enumerate(pending):
        if publication.suggestion.confidential or publication.reply.voided_reason or publication.due_on >= today:
            continue  # still within the deadline: left for the office to decide
        decided_on = min(today, rules.due("publication", publication.reply.replied_on))
        if n % 10 == 7:
            publishing.decline(office, publication, "答复涉及具体个人信息，不予公开。", decided_on)
        elif n % 6 == 5:
            summary = publication.reply.text.split("。")[0] + "。（摘要）"
            publishing.publish(office, publication, decided_on, summary=summary)
        else:
            publishing.publish(office, publication, decided_on)
    db.session.flush()
