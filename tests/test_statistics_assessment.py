"""The statistics dashboard and the annual assessment, on small hand-made cases."""
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from domain import assessment, statistics, workflow
from jobs import runner
from models import AssessmentItem, Commitment, Reply, db
from models.enums import CommitmentStatus
from tests import helpers
from tests.helpers import login

AS_OF = date(2026, 12, 1)


def _reply(district, title, unit, category, replied_on, commitments=(), **kwargs):
    suggestion = helpers.handling(district, title, unit=unit, **kwargs)
    helpers.contacted(district, suggestion, unit)
    workflow.reply(helpers.unit_user(district, unit), suggestion, reply_category=category, text="答复", signatory="局长",
                   replied_on=replied_on, commitments=list(commitments), today=replied_on)
    db.session.commit()
    return suggestion


def _evaluate(district, suggestion, level):
    workflow.evaluate(district.office, suggestion, level=level, comment="意见", given_on=date(2026, 6, 1), today=date(2026, 6, 1),
                      scanned_form=helpers.scanned_form())
    db.session.commit()


@pytest.fixture
def year_case(district):
    """Unit 0: two replies (A on time, B late), one satisfied and one unsatisfied first evaluation,
    commitments kept / partly kept / not kept / open. Unit 1: one C reply on time, satisfied, never contacted twice.
    Unit 2: one assignment signed but never contacted, past due and unreplied."""
    u0, u1, u2 = district.units
    a = _reply(district, "甲一", u0, "A", date(2026, 3, 2), [("修路", date(2026, 9, 1)), ("装灯", date(2026, 9, 1))])
    b = _reply(district, "甲二", u0, "B", date(2026, 6, 1), [("绿化", date(2026, 9, 1)), ("清淤", date(2026, 9, 1))])
    c = _reply(district, "乙一", u1, "C", date(2026, 3, 2), lead=district.deputies[2])
    helpers.handling(district, "丙一", unit=u2, lead=district.deputies[2])  # due 2026-05-02, never replied
    _evaluate(district, a, "satisfied")
    _evaluate(district, b, "unsatisfied")
    _evaluate(district, c, "basically_satisfied")
    statuses = [CommitmentStatus.KEPT, CommitmentStatus.PARTLY_KEPT, CommitmentStatus.NOT_KEPT, CommitmentStatus.OPEN]
    for commitment, status in zip(db.session.scalars(select(Commitment).order_by(Commitment.id)), statuses):
        commitment.status = status
    db.session.commit()
    return district


def _by_name(scores):
    return {s.name: s for s in scores}


def _item(score, code):
    return next(i for i in score.items if i.item.code == code)


def test_assessment_arithmetic_item_by_item(year_case):
    scores = _by_name(assessment.assess(assessment.UNIT, 2026, AS_OF))
    housing, education, transport = (scores[u.name] for u in year_case.units)
    # Timeliness (20): unit 0 replied on time once of twice (due 2026-05-02); unit 2 is past due, unreplied.
    assert (_item(housing, "timeliness").numerator, _item(housing, "timeliness").denominator) == (1, 2)
    assert _item(housing, "timeliness").points == 10.0
    assert _item(transport, "timeliness").points == 0.0 and _item(transport, "timeliness").denominator == 1
    assert _item(housing, "contact_rate").points == 15.0 and _item(transport, "contact_rate").points == 0.0
    # Content satisfaction (15): 1 of 2; re-handling (5): 1 of 2 not re-handled.
    assert _item(housing, "content_satisfaction").points == 7.5
    assert _item(housing, "rehandling").points == 2.5
    # Commitments (10): kept 1 + partly 0.5 of 3 decided (the open one does not count) = 5.
    assert _item(housing, "commitments_kept").points == 5.0
    assert "1.5 / 已评定的承诺事项 3" in _item(housing, "commitments_kept").explanation
    # Adoption (5): A and B of 2 = 5; resolution (5): A of 2 = 2.5.
    assert _item(housing, "adoption_rate").points == 5.0 and _item(housing, "resolution_rate").points == 2.5
    assert housing.base == 10 + 15 + 7.5 + 2.5 + 5 + 5 + 2.5
    # Unit 1: on time 20, contact 15, satisfied 15, not re-handled 5, no commitments 0, C: adoption 0, resolution 0.
    assert education.base == 55.0
    # An item without data this year (no attitude evaluations here) scores nothing and says why.
    no_data = _item(housing, "attitude_satisfaction")
    assert no_data.points == 0 and "无可考核的数据" in no_data.explanation


def test_top_bonus_and_ranking(year_case):
    scores = assessment.assess(assessment.UNIT, 2026, AS_OF)
    names = [s.name for s in scores]
    housing = _by_name(scores)[year_case.units[0].name]
    assert names[0] == year_case.units[1].name  # 55 + 5 bonus
    assert housing.bonus == 5.0 and housing.total == housing.base + 5
    transport = _by_name(scores)[year_case.units[2].name]
    assert transport.base == 0 and transport.bonus == 0 and transport.rank == 3
    # The office narrows the bonus to the first place only.
    assessment.seed_assessment_items()
    bonus = db.session.scalar(select(AssessmentItem).where(AssessmentItem.code == "top_units_bonus"))
    bonus.weight, bonus.parameter = 3, 1
    db.session.commit()
    scores = _by_name(assessment.assess(assessment.UNIT, 2026, AS_OF))
    assert scores[year_case.units[1].name].bonus == 3.0 and scores[year_case.units[0].name].bonus == 0.0


def test_weights_are_data_the_office_edits(year_case):
    assessment.seed_assessment_items()
    item = db.session.scalar(select(AssessmentItem).where(AssessmentItem.code == "timeliness"))
    item.weight = 40
    db.session.commit()
    housing = _by_name(assessment.assess(assessment.UNIT, 2026, AS_OF))[year_case.units[0].name]
    assert _item(housing, "timeliness").points == 20.0


def test_township_items_and_the_registry_extension_point(year_case):
    scores = _by_name(assessment.assess(assessment.TOWNSHIP, 2026, AS_OF))
    first = scores[year_case.townships[0].name]
    assert _item(first, "acceptance_rate").points == 10.0
    assert _item(first, "key_suggestion_township_bonus").explanation == "0 件 × 2 分 = 0.00 分"
    from sqlalchemy import func

    from models import Deputy, Suggestion

    registered = assessment.ITEM_FUNCTIONS["key_suggestion_township_bonus"]

    def fake_key_bonus(year, as_of):  # one key suggestion of the township
        return (select(Deputy.township_id, func.count(Suggestion.id), func.count(Suggestion.id))
                .join(Deputy, Deputy.id == Suggestion.lead_deputy_id).where(Suggestion.title == "甲一")
                .group_by(Deputy.township_id))

    assessment.ITEM_FUNCTIONS["key_suggestion_township_bonus"] = assessment.ItemFunction(fake_key_bonus, "重点督办建议", "")
    try:
        first = _by_name(assessment.assess(assessment.TOWNSHIP, 2026, AS_OF))[year_case.townships[0].name]
        assert _item(first, "key_suggestion_township_bonus").points == 2.0 and first.bonus == 2.0
    finally:
        assessment.ITEM_FUNCTIONS["key_suggestion_township_bonus"] = registered


def test_assessment_page_unit_sees_only_itself_and_office_exports(client, year_case):
    login(client, "unit")
    page = client.get("/admin/assessment/?year=2026").get_data(as_text=True)
    assert year_case.units[0].name in page and year_case.units[1].name not in page
    assert client.get("/admin/assessment/export.xlsx?year=2026").status_code == 403
    assert client.get("/admin/assessment/ranking.pdf?year=2026").status_code == 403
    client.post("/logout")
    login(client, "office")
    page = client.get("/admin/assessment/?year=2026").get_data(as_text=True)
    assert all(u.name in page for u in year_case.units) and "展开" in page
    xlsx = client.get("/admin/assessment/export.xlsx?year=2026")
    assert xlsx.mimetype.endswith("spreadsheetml.sheet")
    from io import BytesIO

    from openpyxl import load_workbook
    sheet = load_workbook(BytesIO(xlsx.data)).worksheets[0]
    assert sheet.cell(3, 2).value == year_case.units[1].name and sheet.cell(3, 3).value == 60.0
    queued = client.get("/admin/assessment/ranking.pdf?year=2026")  # made in the background
    assert runner.work() == {"done": 1}
    job_id = queued.location.rsplit("=", 1)[1]
    pdf = client.get(f"/admin/job/file/?id={job_id}")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
    assert "年度代表建议办理考核排名" in text and year_case.units[1].name in text


@pytest.mark.parametrize("username", ["committee", "deputy", "leader"])
def test_assessment_is_closed_to_other_roles(client, district, username):
    login(client, username)
    assert client.get("/admin/assessment/").status_code == 403
    assert client.get("/admin/assessment_item/").status_code == 403


def test_dashboard_figures(year_case):
    figures = statistics.dashboard(year_case.office, year=2026, today=date(2026, 6, 10))
    assert figures.total == 4
    assert figures.overdue == 1  # 丙一, due 2026-05-02, still handling
    assert dict(figures.by_reply_category) == {"A": 1, "B": 1, "C": 1}
    assert (figures.adoption.numerator, figures.adoption.denominator) == (2, 3)
    assert (figures.resolution.numerator, figures.resolution.denominator) == (1, 3)
    assert not figures.resolution.meets_target and not figures.adoption.meets_target
    assert (figures.timeliness.numerator, figures.timeliness.denominator) == (2, 3)
    assert dict(figures.by_unit) == {year_case.units[0].name: 2, year_case.units[1].name: 1, year_case.units[2].name: 1}
    assert dict(figures.by_township) == {year_case.townships[0].name: 2, year_case.townships[1].name: 2}
    assert sum(dict(figures.by_committee).values()) == 4


def test_dashboard_respects_row_level_access_and_renders_svg(client, year_case):
    login(client, "unit2")
    page = client.get("/admin/statistics/?year=2026").get_data(as_text=True)
    assert "<svg" in page and "70% 目标线" in page
    assert year_case.units[0].name not in page  # unit2 sees only its own suggestion
    for query in ("year=abc", "year=99999", "session=x", "session=999999999999"):
        assert client.get(f"/admin/statistics/?{query}").status_code == 200


def test_dashboard_runs_a_fixed_number_of_queries(year_case, count_queries):
    with count_queries() as statements:
        statistics.dashboard(year_case.office, year=2026, today=date(2026, 6, 10))
    small = len(statements)
    for n in range(5):
        _reply(year_case, f"更多建议{n}", year_case.units[n % 3], "A", date(2026, 3, 2))
    with count_queries() as statements:
        statistics.dashboard(year_case.office, year=2026, today=date(2026, 6, 10))
    assert len(statements) == small <= 12


def test_dashboard_anonymous_goes_to_login(client):
    assert "/login" in client.get("/admin/statistics/").location
    assert "/login" in client.get("/admin/assessment/").location


def test_reply_is_counted_once_after_rehandling(year_case):
    b = db.session.scalar(select(Reply).where(Reply.reply_category == "B")).suggestion
    workflow.rehandle(year_case.office, b, date(2026, 6, 2))
    helpers.contacted(year_case, b, year_case.units[0], on=date(2026, 6, 5))
    workflow.reply(helpers.unit_user(year_case, year_case.units[0]), b, reply_category="A", text="重办答复",
                   signatory="局长", replied_on=date(2026, 6, 20), today=date(2026, 6, 20))
    db.session.commit()
    figures = statistics.dashboard(year_case.office, year=2026, today=date(2026, 6, 21))
    assert dict(figures.by_reply_category) == {"A": 2, "B": 0, "C": 1}


def test_the_migration_seeds_the_default_items_as_editable_rows():
    migration = next(Path(__file__).resolve().parent.parent.glob("migrations/versions/*_publication_public_cache_*.py")).read_text()
    for item in assessment.DEFAULT_ITEMS:
        row = f'("{item.code}", "{item.label}", "{item.subject}", "{item.kind}", {item.weight:g}, {item.parameter})'
        assert row in migration, item.code
