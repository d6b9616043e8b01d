"""Excel: the ledger honours row-level access; the import reports every bad row and saves all or nothing."""
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from domain.excel import IMPORT_COLUMNS
from models import AuditEntry, Suggestion, db
from tests import helpers
from tests.helpers import login


def _sheet_rows(data: bytes) -> list[list]:
    return [list(row) for row in load_workbook(BytesIO(data)).worksheets[0].iter_rows(values_only=True)]


def _xlsx(rows, header=IMPORT_COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes):
    return client.post("/admin/excel/", data={"file": (BytesIO(data), "import.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True)


def _count() -> int:
    return db.session.scalar(select(func.count(Suggestion.id)))


def test_ledger_export_honours_row_level_access(client, district):
    helpers.replied(district, "甲单位专属建议ALPHA", unit=district.units[0])
    helpers.replied(district, "乙单位专属建议BRAVO", unit=district.units[1], lead=district.deputies[2])
    login(client, "unit2")
    response = client.get("/admin/excel/ledger.xlsx?year=2026")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = _sheet_rows(response.data)
    assert rows[0][:4] == ["案号", "标题", "来源", "届次"]
    titles = [row[1] for row in rows[1:]]
    assert titles == ["乙单位专属建议BRAVO"]
    assert rows[1][16] == "A" and rows[1][9] == "区教育体育局（主办）"
    client.post("/logout")
    login(client, "office")
    titles = [row[1] for row in _sheet_rows(client.get("/admin/excel/ledger.xlsx").data)[1:]]
    assert titles == ["甲单位专属建议ALPHA", "乙单位专属建议BRAVO"]


def test_ledger_export_runs_a_fixed_number_of_queries(client, district, count_queries):
    login(client, "office")
    helpers.replied(district, "一")
    with count_queries() as statements:
        client.get("/admin/excel/ledger.xlsx")
    few = len(statements)
    for n in range(6):
        helpers.replied(district, f"更多{n}", co_signers=[district.deputies[1]])
    with count_queries() as statements:
        client.get("/admin/excel/ledger.xlsx")
    assert len(statements) == few


def test_template_downloads_and_a_good_file_imports_through_the_workflow(client, district):
    login(client, "office")
    template = client.get("/admin/excel/template.xlsx")
    assert _sheet_rows(template.data)[0] == IMPORT_COLUMNS
    data = _xlsx([
        ["大会建议", district.session.name, "城建城管", "关于导入的第一件建议", "正文一", "王堃", "李喆、陈昇", "2026-01-12", "否"],
        ["闭会建议", None, "教育科技", "关于导入的第二件建议", "正文二", "陈昇（漓渚镇）", None, "2026-02-01", "是"],
    ])
    page = _upload(client, data).get_data(as_text=True)
    assert "导入成功：已登记 2 件建议" in page
    first, second = db.session.scalars(select(Suggestion).order_by(Suggestion.id)).all()
    assert first.number_label == "2026大会第001号" and [d.name for d in first.co_signers] == ["李喆", "陈昇"]
    assert second.source == "recess" and second.confidential and second.number_label == "2026闭会第001号"
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "登记")) >= 2


def test_every_bad_row_is_reported_and_nothing_is_saved(client, district):
    helpers.register(district, "已经登记过的建议")
    before = _count()
    login(client, "office")
    data = _xlsx([
        ["大会建议", district.session.name, "城建城管", "好的一行", "正文", "王堃", None, "2026-01-12", None],
        ["会议建议", district.session.name, "城建城管", "来源错误", "正文", "王堃", None, "2026-01-12", None],
        ["大会建议", None, "不存在的类别", "", "正文", "查无此人", None, "2026-13-40", "也许"],
        [None, None, None, None, None, None, None, None, None],
        ["闭会建议", None, "城建城管", "好的一行", "正文", "王堃", None, "2026-01-12", None],
        ["大会建议", district.session.name, "城建城管", "已经登记过的建议", "正文", "王堃", None, "2026-01-12", None],
        ["闭会建议", None, "城建城管", "未来的建议", "正文", "张赟", None, "2099-01-01", None],
    ])
    page = _upload(client, data).get_data(as_text=True)
    assert "整个文件均未保存" in page
    assert "第 3 行" in page and "来源“会议建议”应为" in page
    assert "第 4 行" in page and "类别“不存在的类别”" in page and "“标题”不能为空" in page
    assert "找不到代表“查无此人”" in page and "收到日期“2026-13-40”无效" in page and "大会建议须填写届次" in page
    assert "第 5 行" not in page  # the empty row is skipped
    assert "第 6 行" in page and "与第 2 行重复" in page
    assert "第 7 行" in page and "系统中已有" in page
    assert "第 8 行" in page and "不能晚于今天" in page
    assert "第 2 行</td>" not in page
    assert _count() == before


def test_ambiguous_deputy_names_ask_for_the_township(client, district):
    from models import Deputy
    db.session.add(Deputy(name="王堃", township=district.townships[1]))
    db.session.commit()
    login(client, "office")
    page = _upload(client, _xlsx([["闭会建议", None, "城建城管", "标题", "正文", "王堃", None, "2026-01-12", None]]))
    assert "有重名" in page.get_data(as_text=True) and _count() == 0


@pytest.mark.parametrize("data", [b"not an excel file", b"PK\x03\x04broken zip", _xlsx([], header=["错的表头"])])
def test_a_file_that_is_not_the_template_is_refused_clearly(client, district, data):
    login(client, "office")
    page = _upload(client, data)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "无法读取该文件" in text or "表头与模板不一致" in text
    assert _count() == 0


def test_import_needs_a_file(client, district):
    login(client, "office")
    assert "请选择" in client.post("/admin/excel/", data={}, follow_redirects=True).get_data(as_text=True)


@pytest.mark.parametrize("username", ["govoffice", "committee", "unit", "township", "deputy", "leader"])
def test_only_the_office_imports_or_downloads_the_template(client, district, username):
    login(client, username)
    assert client.get("/admin/excel/").status_code == 200
    assert client.get("/admin/excel/template.xlsx").status_code == 403
    response = client.post("/admin/excel/", data={"file": (BytesIO(_xlsx([])), "a.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 403


def test_import_is_csrf_protected(csrf_app, client, district):
    login(client, "office")
    data = _xlsx([["闭会建议", None, "城建城管", "标题", "正文", "王堃", None, "2026-01-12", None]])
    response = client.post("/admin/excel/", data={"file": (BytesIO(data), "a.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 400 and _count() == 0


def test_anonymous_is_sent_to_login(client):
    for url in ("/admin/excel/", "/admin/excel/ledger.xlsx", "/admin/excel/template.xlsx"):
        assert "/login" in client.get(url).location
