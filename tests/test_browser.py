"""The back office in the real Chromium (Debian's), driven by Playwright."""
import os
import shutil
from pathlib import Path

import pytest

from models import Suggestion, db
from models.enums import State
from tests import helpers

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/")
    assert page.url.startswith(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", helpers.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def test_unit_logs_in_opens_the_grid_and_signs(live_server, browser, district):
    suggestion = helpers.assigned(district, "关于浏览器中签收的建议")
    other = helpers.assigned(district, "其他单位的建议", unit=district.units[1])
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    _log_in(page, live_server, "unit")
    page.click("#admin-navbar-collapse a.nav-link:text-is('建议')")
    page.wait_for_url(f"{live_server}/admin/suggestion/")
    assert page.is_visible("text=关于浏览器中签收的建议")
    assert not page.is_visible("text=其他单位的建议")
    page.check(f"input.action-checkbox[value='{suggestion.id}']")
    page.click("text=选中的")
    page.click(".dropdown-menu >> text=签收")
    page.wait_for_selector(".alert-success")
    assert "签收：1 件已完成" in page.inner_text(".alert-success")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "grid-after-sign.png"), full_page=True)
    db.session.expire_all()
    assert db.session.get(Suggestion, suggestion.id).state == State.HANDLING
    assert db.session.get(Suggestion, other.id).state == State.ASSIGNED


def test_office_assigns_through_the_form_page(live_server, browser, district):
    suggestion = helpers.register(district, "关于增设社区养老服务站点的建议")
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    _log_in(page, live_server, "office")
    page.goto(f"{live_server}/admin/suggestion/details/?id={suggestion.id}")
    page.click("a:has-text('交办')")
    page.select_option("#lead_unit", str(district.units[0].id))
    page.click("button:has-text('提交')")
    page.wait_for_selector(".alert-success")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "details-after-assign.png"), full_page=True)
    assert "已交办待签收" in page.inner_text("body")
