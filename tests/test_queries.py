"""The number of SQL statements for a grid page does not grow with the page size (no N+1)."""
from datetime import date

import pytest

from domain import workflow
from models import db
from tests import helpers
from tests.helpers import login


@pytest.fixture
def many(district):
    for n in range(60):
        suggestion = helpers.register(district, f"第{n}件建议", lead=district.deputies[n % 4])
        workflow.assign(district.office, suggestion, lead_unit=district.units[0], co_handlers=[district.units[n % 2 + 1]],
                        today=date(2026, 2, 2))
    db.session.commit()
    return district


def _statements(client, count_queries, url):
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("username", ["office", "unit", "committee", "deputy"])
@pytest.mark.parametrize("path", ["/admin/suggestion/", "/admin/suggestion/?flt0_0=1&search=建议"])
def test_grid_queries_do_not_grow_with_page_size(client, many, count_queries, username, path):
    login(client, username)
    separator = "&" if "?" in path else "?"
    small = _statements(client, count_queries, f"{path}{separator}page_size=10")
    large = _statements(client, count_queries, f"{path}{separator}page_size=50")
    assert small == large
    assert small <= 12


@pytest.mark.parametrize("path", ["/admin/contact/", "/admin/reply/", "/admin/audit/", "/admin/extension/"])
def test_record_grids_do_not_grow_with_page_size(client, many, count_queries, path):
    login(client, "office")
    assert _statements(client, count_queries, f"{path}?page_size=10") == _statements(client, count_queries, f"{path}?page_size=50")


def test_export_does_not_grow_with_rows(client, many, count_queries):
    login(client, "office")
    with count_queries() as statements:
        assert client.get("/admin/suggestion/export/csv/").status_code == 200
    assert len(statements) <= 10
