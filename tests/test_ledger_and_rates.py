"""The commitments ledger (per unit and year, overdue, rollover, Excel) and the satisfaction rates."""
from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from domain import evaluations, ledger, satisfaction, workflow
from domain.clock import today
from models import Commitment, Reply, db
from tests import helpers
from tests.helpers import login


def _reply(district, title, unit, lead, category="B", commitments=(("修缮路面", date(2026, 9, 30)),), on=date(2026, 3, 2)):
    suggestion = helpers.handling(district, title, unit=unit, lead=lead)
    helpers.contacted(district, suggestion, unit, on=on)
    workflow.reply(helpers.unit_user(district, unit), suggestion, reply_category=category, text="答复", signatory="局长",
                   replied_on=on, today=on, commitments=list(commitments))
    db.session.commit()
    return suggestion


def _ledger_world(district):
    mine = _reply(district, "住建局B类建议", district.units[0], district.deputies[0])
    theirs = _reply(district, "教体局A类建议", district.units[1], district.deputies[2], "A", (("新建操场", date(2026, 12, 31)),))
    return mine, theirs


def test_ledger_per_unit_with_overdue_flag(district):
    mine, theirs = _ledger_world(district)
    rows = ledger.ledger(district.office, 2026, date(2026, 10, 8))
    assert [(r.unit, r.content, r.overdue) for r in rows] == [
        ("区住房和城乡建设局", "修缮路面", True), ("区教育体育局", "新建操场", False)]
    only_unit = ledger.ledger(district.office, 2026, date(2026, 10, 8), district.units[1].id)
    assert [r.content for r in only_unit] == ["新建操场"]
    assert [r.content for r in ledger.ledger(district.users["unit"], 2026, date(2026, 10, 8))] == ["修缮路面"]
    assert ledger.totals(district.office, 2026, date(2026, 10, 8)) == (2, 1)
    assert ledger.overdue_count(district.users["unit2"], date(2026, 10, 8)) == 0


def test_b_commitments_roll_over_into_next_years_ledger(district):
    mine, theirs = _ledger_world(district)
    for commitment in db.session.scalars(select(Commitment)):
        evaluations.evaluate_implementation(
            helpers.make_user(f"d{commitment.id}", helpers.Role.DEPUTY, deputy_id=commitment.reply.suggestion.lead_deputy_id),
            commitment, result="not_kept", comment="没做", given_on=date(2026, 11, 5), today=date(2026, 11, 5))
    db.session.commit()
    next_year = ledger.ledger(district.office, 2027, date(2027, 1, 5))
    assert [(r.content, r.rolled_over, r.year_result) for r in next_year] == [("修缮路面", True, None)]


def test_ledger_page_and_excel_export_respect_the_unit(client, district):
    _ledger_world(district)
    login(client, "unit2")
    page = client.get("/admin/commitment_ledger/?year=2026").get_data(as_text=True)
    assert "新建操场" in page and "修缮路面" not in page
    response = client.get(f"/admin/commitment_ledger/export.xlsx?year=2026&unit={district.units[0].id}")
    sheet = load_workbook(BytesIO(response.data)).active
    assert [c.value for c in sheet[1]][:3] == ["承办单位", "案号", "建议标题"]
    assert sheet.max_row == 1  # another unit's commitments never leave, whatever the unit argument
    client.post("/logout")
    login(client, "office")
    sheet = load_workbook(BytesIO(client.get("/admin/commitment_ledger/export.xlsx?year=2026").data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[0], r[6], r[11] or "") for r in rows] == [("区住房和城乡建设局", "修缮路面", "超期" if today() > date(2026, 9, 30) else ""),
                                                         ("区教育体育局", "新建操场", "超期" if today() > date(2026, 12, 31) else "")]
    if today() > date(2026, 9, 30):  # the overdue row is red in Excel too
        assert sheet.cell(row=2, column=7).fill.fgColor.rgb.endswith("F8D7DA")
    assert client.get("/admin/commitment_ledger/?year=abc&page=x").status_code == 200
    assert "本年度没有承诺事项" in client.get("/admin/commitment_ledger/?year=2026&page=2").get_data(as_text=True)
    for username in ("deputy", "township", "leader"):
        client.post("/logout")
        login(client, username)
        assert client.get("/admin/commitment_ledger/export.xlsx").status_code == 403


def _evaluate(district, suggestion, level):
    deputy = helpers.make_user(f"d-{suggestion.id}", helpers.Role.DEPUTY, deputy_id=suggestion.lead_deputy_id)
    workflow.evaluate(deputy, suggestion, level=level, comment="意见", given_on=date(2026, 3, 10), today=date(2026, 3, 10))
    return deputy


def test_satisfaction_rates_overall_per_unit_and_per_township(district, count_queries):
    a = _reply(district, "甲", district.units[0], district.deputies[0])
    b = _reply(district, "乙", district.units[0], district.deputies[2])
    c = _reply(district, "丙", district.units[1], district.deputies[2])
    _evaluate(district, a, "satisfied")
    _evaluate(district, b, "basically_satisfied")
    deputy_c = _evaluate(district, c, "unsatisfied")
    evaluations.evaluate_attitude(deputy_c, c, district.units[1], level="satisfied", before=True, during=False, after=False,
                                  comment="", given_on=date(2026, 3, 11), today=date(2026, 3, 11))
    commitment = db.session.scalar(select(Commitment).join(Reply).where(Reply.suggestion_id == a.id))
    evaluations.evaluate_implementation(district.users["deputy"], commitment, result="partly_kept", comment="部分",
                                        given_on=date(2026, 11, 2), today=date(2026, 11, 2))
    db.session.commit()
    overall, = satisfaction.rates("content", 2026)
    assert (overall.evaluated, overall.satisfied, overall.basically_satisfied, overall.unsatisfied) == (3, 1, 1, 1)
    assert round(overall.rate, 4) == 0.6667
    assert [(r.label, r.evaluated, r.rate) for r in satisfaction.rates("content", 2026, "unit")] == [
        ("区住房和城乡建设局", 2, 1.0), ("区教育体育局", 1, 0.0)]
    assert [(r.label, r.evaluated) for r in satisfaction.rates("content", 2026, "township")] == [("柯桥街道", 1), ("漓渚镇", 2)]
    assert [(r.label, r.rate) for r in satisfaction.rates("attitude", 2026, "unit")] == [("区教育体育局", 1.0)]
    assert [(r.evaluated, r.basically_satisfied) for r in satisfaction.rates("implementation", 2026)] == [(1, 1)]
    assert satisfaction.rates("content", 2025)[0].rate is None
    with count_queries() as statements:
        satisfaction.all_rates(2026)
    assert len(statements) == 9  # one aggregate per round and grouping, whatever the number of suggestions


def test_the_statistics_page(client, district):
    a = _reply(district, "甲", district.units[0], district.deputies[0])
    _evaluate(district, a, "satisfied")
    db.session.commit()
    login(client, "office")
    page = client.get("/admin/satisfaction/?year=2026").get_data(as_text=True)
    assert "答复内容（第二次评价）" in page and "100.0%" in page and "区住房和城乡建设局" in page
    client.post("/logout")
    login(client, "unit")
    assert client.get("/admin/satisfaction/").status_code == 403
