"""Key supervision on the public page and in the annual assessment."""
from datetime import date

from sqlalchemy import select

from domain import assessment, publication
from models import Publication, db
from tests import helpers, key_helpers

YEAR = 2026


def _publish(district, suggestion):
    item = db.session.scalar(select(Publication).where(Publication.suggestion_id == suggestion.id))
    publication.publish(district.office, item, date(2026, 3, 20))
    db.session.commit()


def test_a_published_key_suggestion_shows_its_supervision_result(client, district):
    key = key_helpers.key_suggestion(district, "关于建设城市绿道的建议")
    ordinary = helpers.replied(district, "关于增设公交站的建议", lead=district.deputies[2])
    for suggestion in (key.suggestion, ordinary):
        _publish(district, suggestion)
    listing = client.get("/public/?key=1").get_data(as_text=True)
    assert "关于建设城市绿道的建议" in listing and "关于增设公交站的建议" not in listing
    detail = client.get(f"/public/{key.suggestion_id}").get_data(as_text=True)
    assert "代表对办理结果表示满意" in detail  # the consultation outcome, published at step 6


def test_a_candidate_not_decided_is_not_a_key_suggestion(client, district):
    candidate = key_helpers.key_suggestion(district, "仅提名的建议", steps=0)
    _publish(district, candidate.suggestion)
    assert "仅提名的建议" not in client.get("/public/?key=1").get_data(as_text=True)


def _item(scores, subject_id, code):
    score = next(s for s in scores if s.subject_id == subject_id)
    return next(i for i in score.items if i.item.code == code)


def test_assessment_counts_key_suggestions_for_units_and_townships(district):
    assessment.seed_assessment_items()
    key_helpers.key_suggestion(district, "重点一")  # lead deputy 0, township 0, unit 0, replied on time
    key_helpers.key_suggestion(district, "重点二", lead=district.deputies[1])  # township 0 too
    helpers.replied(district, "普通建议", lead=district.deputies[2])
    units = assessment.assess(assessment.UNIT, YEAR, date(2026, 12, 31))
    handled = _item(units, district.units[0].id, "key_suggestions_handled")
    assert (handled.numerator, handled.denominator) == (2, 2)
    townships = assessment.assess(assessment.TOWNSHIP, YEAR, date(2026, 12, 31))
    bonus = _item(townships, district.townships[0].id, "key_suggestion_township_bonus")
    assert bonus.points == 2 * 2.0 and "2 件" in bonus.explanation
    assert _item(townships, district.townships[1].id, "key_suggestion_township_bonus").points == 0


def test_attitude_and_implementation_rounds_count_in_the_assessment(district):
    from domain import evaluations

    assessment.seed_assessment_items()
    suggestion = helpers.replied(district, "态度评价的建议")
    evaluations.evaluate_attitude(district.users["deputy"], suggestion, district.units[0], level="satisfied",
                                  before=True, during=True, after=False, comment="", given_on=date(2026, 3, 12),
                                  today=date(2026, 3, 12))
    db.session.commit()
    units = assessment.assess(assessment.UNIT, YEAR, date(2026, 12, 31))
    attitude = _item(units, district.units[0].id, "attitude_satisfaction")
    assert (attitude.numerator, attitude.denominator) == (1, 1)
    assert "待接入" not in _item(units, district.units[0].id, "implementation_satisfaction").explanation
