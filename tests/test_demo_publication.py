"""demo/publication.py: decides the overdue publications of a loaded demo district."""
from datetime import date

from sqlalchemy import func, select

from demo import publication as demo_publication
from domain.rules import Rules
from models import AssessmentItem, Publication, PublicationStatus, db
from tests import helpers


def test_demo_load_publishes_overdue_replies_and_leaves_recent_ones(district):
    old = [helpers.replied(district, f"去年的建议{n}", on=date(2026, 3, 2)) for n in range(8)]
    recent = helpers.replied(district, "新近答复的建议", on=date(2026, 4, 1))
    demo_publication.load(Rules.load(), date(2026, 4, 10))
    db.session.commit()
    statuses = dict(db.session.execute(select(Publication.suggestion_id, Publication.status)).all())
    assert statuses[recent.id] == PublicationStatus.PENDING
    assert {statuses[s.id] for s in old} <= {PublicationStatus.PUBLISHED, PublicationStatus.NOT_PUBLIC}
    assert db.session.scalar(select(func.count(AssessmentItem.id))) > 0
