"""The deputy's pages on a phone-sized Chromium, and the office's new pages, with screenshots under artifacts/."""
from datetime import date

import pytest
from sqlalchemy import select

from domain import evaluations, workflow
from models import Evaluation, db
from tests import helpers
from tests.test_browser import ARTIFACTS, browser  # noqa: F401  the Chromium fixture

pytestmark = pytest.mark.browser


def test_a_deputy_evaluates_on_a_phone(live_server, browser, district):  # noqa: F811
    suggestion = helpers.replied(district, "关于在柯桥街道增设公共自行车站点的建议")
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page.goto(f"{live_server}/login")
    page.fill("#username", "deputy")
    page.fill("#password", helpers.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/my/")
    assert "待我评价" in page.inner_text(".waiting")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "my-home-phone.png"), full_page=True)
    page.click(".suggestion-card")
    page.wait_for_selector(".timeline")
    page.screenshot(path=str(ARTIFACTS / "my-suggestion-phone.png"), full_page=True)
    page.click("a:has-text('评价答复内容')")
    page.click("label:has-text('基本满意')")
    page.screenshot(path=str(ARTIFACTS / "my-evaluate-phone.png"), full_page=True)
    page.click("button:has-text('提交评价')")
    page.wait_for_selector(".alert-success")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    db.session.expire_all()
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.suggestion_id == suggestion.id))
    assert evaluation.level == "basically_satisfied" and not evaluation.on_paper


def test_office_pages_for_evaluations_and_notices(live_server, browser, district):  # noqa: F811
    suggestion = helpers.handling(district, "关于修缮漓渚镇乡村道路的建议")
    helpers.contacted(district, suggestion, district.units[0])
    workflow.reply(district.users["unit"], suggestion, reply_category="B", text="已列入计划", signatory="张局长",
                   replied_on=date(2026, 3, 2), today=date(2026, 3, 2), commitments=[("年内修缮路面", date(2026, 9, 30))])
    evaluations.evaluate_attitude(district.users["deputy"], suggestion, district.units[0], level="satisfied", before=False,
                                  during=True, after=False, comment="", given_on=date(2026, 3, 5), today=date(2026, 3, 5))
    workflow.evaluate(district.users["deputy"], suggestion, level="satisfied", comment="", given_on=date(2026, 3, 5),
                      today=date(2026, 3, 5))
    db.session.commit()
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.goto(f"{live_server}/login")
    page.fill("#username", "office")
    page.fill("#password", helpers.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/")
    page.screenshot(path=str(ARTIFACTS / "office-home.png"), full_page=True)
    for name, url in [("ledger", "/admin/commitment_ledger/?year=2026"), ("satisfaction", "/admin/satisfaction/?year=2026"),
                      ("attitude", "/admin/attitude_evaluation/"), ("outbox", "/admin/outbox/")]:
        page.goto(live_server + url)
        page.screenshot(path=str(ARTIFACTS / f"office-{name}.png"), full_page=True)
    page.goto(f"{live_server}/admin/commitment_ledger/?year=2026")
    assert "年内修缮路面" in page.inner_text(".ledger")
