"""The public page, the dashboard and the assessment in the real Chromium, with screenshots."""
from datetime import date

import pytest
from sqlalchemy import select

from domain import publication as publishing
from domain import workflow
from models import Publication, db
from tests import helpers
from tests.test_browser import ARTIFACTS, _log_in, browser  # noqa: F401  the shared Chromium fixture

pytestmark = pytest.mark.browser


def _published(district, title, **kwargs):
    suggestion = helpers.replied(district, title, **kwargs)
    publication = db.session.scalar(select(Publication).where(Publication.suggestion_id == suggestion.id))
    publishing.publish(district.office, publication, date(2026, 3, 20))
    db.session.commit()
    return suggestion


def test_public_page_on_a_phone_searches_and_opens_a_result(live_server, browser, district):  # noqa: F811
    _published(district, "关于加快老旧小区加装电梯的建议")
    _published(district, "关于增加中小学学位供给的建议", unit=district.units[1], lead=district.deputies[2])
    hidden = helpers.replied(district, "尚未公开的建议")
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page.goto(f"{live_server}/public/")
    assert "共 2 件" in page.inner_text(".summary")
    assert not page.is_visible("text=尚未公开的建议")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "public-list-phone.png"), full_page=True)
    page.fill("input[name=q]", "陈昇")
    page.click("button:has-text('搜索')")
    page.wait_for_url("**q=*")
    assert "共 1 件" in page.inner_text(".summary")
    page.click("text=关于增加中小学学位供给的建议")
    page.wait_for_selector(".reply")
    assert "已列入年度计划。" in page.inner_text(".reply")
    assert "13800000003" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "public-detail-phone.png"), full_page=True)
    response = page.goto(f"{live_server}/public/{hidden.id}")
    assert response.status == 404


def test_dashboard_assessment_and_publication_grid_render(live_server, browser, district):  # noqa: F811
    _published(district, "关于加快老旧小区加装电梯的建议")
    evaluated = helpers.evaluated(district, "satisfied", "关于完善公交线路的建议", unit=district.units[1])
    workflow.close(district.office, evaluated)
    helpers.replied(district, "关于整治河道的建议", unit=district.units[2], lead=district.deputies[2])
    db.session.commit()
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    _log_in(page, live_server, "office")
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server}/admin/statistics/?year=2026")
    assert page.locator("svg.chart").count() >= 7
    page.screenshot(path=str(ARTIFACTS / "statistics-dashboard.png"), full_page=True)
    page.goto(f"{live_server}/admin/assessment/?year=2026")
    page.click("summary >> nth=0")
    page.screenshot(path=str(ARTIFACTS / "assessment.png"), full_page=True)
    assert "计分明细" in page.inner_text("body")
    page.goto(f"{live_server}/admin/publication/")
    page.screenshot(path=str(ARTIFACTS / "publication-grid.png"), full_page=True)
    assert "待决定" in page.inner_text("body")
