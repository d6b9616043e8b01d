"""PDF notices and the step-7 report: real PDF bytes, text extracted with pdftotext, access per row."""
import subprocess

import pytest

from printing import fonts
from tests import helpers
from tests.helpers import login
from tests.key_helpers import key_suggestion

RARE_NAMES = ("王堃", "李喆", "陈昇", "张赟")


@pytest.fixture(scope="module", autouse=True)
def _fonts(app):
    """The CJK subset as scripts/setup builds it (kept when it already exists)."""
    fonts.build(fonts.DEFAULT_FONT_DIR)


def pdf_text(data: bytes) -> str:
    """The PDF's text without white space (lines wrap inside titles and table cells)."""
    assert data.startswith(b"%PDF-")
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return "".join(result.stdout.decode().split())


def page_count(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_fonts(data: bytes) -> str:
    return subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_the_subset_font_is_small_and_lacks_rare_characters():
    codepoints = set(fonts.subset_characters())
    assert ord("督") in codepoints and not {ord(c) for c in "堃喆赟"} & codepoints
    for weight in fonts.WEIGHTS:
        assert fonts.subset_path(fonts.DEFAULT_FONT_DIR, weight).stat().st_size < 6 * 1024 * 1024


def test_notice_has_the_chinese_title_and_rare_character_names(client, district):
    suggestion = helpers.assigned(district, "关于加快老旧小区改造的建议", lead=district.deputies[0],
                                  co_signers=district.deputies[1:])
    login(client, "office")
    response = client.get(f"/print/notice/{suggestion.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "代表建议督办通知单" in text and "关于加快老旧小区改造的建议" in text
    for name in RARE_NAMES:
        assert name in text, name
    assert "区住房和城乡建设局" in text and "—1—" in text and page_count(response.data) == 1
    used = pdf_fonts(response.data)
    assert "JYT-Serif" in used and "Noto-Serif-CJK-SC" in used  # the subset, and the fallback for rare characters


def test_a_unit_cannot_print_another_units_notice(client, district):
    own = helpers.assigned(district, "甲单位的建议")
    other = helpers.assigned(district, "乙单位的建议", unit=district.units[1], lead=district.deputies[2])
    login(client, "unit")
    assert client.get(f"/print/notice/{own.id}.pdf").status_code == 200
    assert client.get(f"/print/notice/{other.id}.pdf").status_code == 404
    assert client.get(f"/print/unit/{district.units[1].id}.pdf").status_code == 404
    text = pdf_text(client.get(f"/print/unit/{district.units[0].id}.pdf").data)
    assert "甲单位的建议" in text and "乙单位的建议" not in text
    response = client.post("/admin/suggestion/action/", data={"action": "print_notices", "rowid": [str(own.id), str(other.id)]})
    merged = pdf_text(response.data)
    assert "甲单位的建议" in merged and "乙单位的建议" not in merged
    assert client.get("/print/key-report/2026.pdf").status_code == 403


def test_print_routes_need_login_and_the_right_role(client, district):
    suggestion = helpers.assigned(district)
    urls = [f"/print/notice/{suggestion.id}.pdf", f"/print/unit/{district.units[0].id}.pdf",
            f"/print/key/{suggestion.id}.pdf", "/print/key-report/2026.pdf"]
    for url in urls:
        assert client.get(url).status_code == 302
    login(client, "deputy")
    for url in urls:
        assert client.get(url).status_code == 403
    client.post("/logout")
    login(client, "office")
    assert client.get(f"/print/key/{suggestion.id}.pdf").status_code == 404  # not a key suggestion


def test_merged_notices_from_the_grid_one_per_suggestion(client, district):
    suggestions = [helpers.assigned(district, f"第{n}件合并打印的建议") for n in range(3)]
    login(client, "office")
    response = client.post("/admin/suggestion/action/", data={
        "action": "print_notices", "rowid": [str(s.id) for s in suggestions]})
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert all(f"第{n}件合并打印的建议" in text for n in range(3))
    assert text.count("代表建议督办通知单") == 3 and page_count(response.data) == 3


def test_key_notice_and_the_step_seven_report_list_the_right_suggestions(client, district):
    done = key_suggestion(district, "七步完成的重点建议", lead=district.deputies[3])
    key_suggestion(district, "仅经主任会议确定的建议", steps=1, unit=district.units[1], lead=district.deputies[2])
    candidate = helpers.assigned(district, "仍是候选的建议")
    from datetime import date

    from domain import key_supervision
    key_supervision.propose(district.office, candidate, "", date(2026, 6, 1))
    helpers.assigned(district, "普通建议")
    from models import db
    db.session.commit()
    login(client, "office")
    report = pdf_text(client.get("/print/key-report/2026.pdf").data)
    assert "关于2026年重点督办代表建议办理情况的报告" in report
    assert "七步完成的重点建议" in report and "仅经主任会议确定的建议" in report
    assert "仍是候选的建议" not in report and "普通建议" not in report
    assert "张赟" in report and "leader用户" in report and "2026-03-07" in report and "人代会上书面报告" in report
    assert "共有2件" in report
    notice = pdf_text(client.get(f"/print/key/{done.suggestion_id}.pdf").data)
    assert "重点督办代表建议通知单" in notice and "七步完成的重点建议" in notice and "张赟" in notice
    client.post("/logout")
    login(client, "leader")  # the report lists only what the reader may see: the key suggestions they lead
    report = pdf_text(client.get("/print/key-report/2026.pdf").data)
    assert "七步完成的重点建议" in report and "仅经主任会议确定的建议" not in report
