"""Login, roles and row-level access over every path by which data leaves."""
import re

import pytest
from flask import url_for

from models import Attachment, Commitment, Contact, Reply, Suggestion, db
from models.enums import State
from tests import helpers
from tests.helpers import login

ANONYMOUS = "anonymous"


@pytest.fixture
def world(district):
    """Suggestion A handled by `unit`, B by `unit2`; each with a contact and a reply."""
    a = helpers.replied(district, "甲单位专属建议ALPHA", unit=district.units[0], lead=district.deputies[0])
    b = helpers.replied(district, "乙单位专属建议BRAVO", unit=district.units[1], lead=district.deputies[2])
    for suggestion in (a, b):
        reply = db.session.scalar(db.select(Reply).where(Reply.suggestion_id == suggestion.id))
        db.session.add(Commitment(reply=reply, content=f"{suggestion.title}的承诺", due_on=helpers.date(2026, 11, 30)))
    db.session.commit()
    return district, a, b


def _admin_views(app):
    return app.extensions["admin"][0]._views


def _view_urls(app):
    with app.test_request_context():
        return [(view, url_for(f"{view.endpoint}.index_view")) for view in _admin_views(app)
                if hasattr(view, "model")]


def _path_values(suggestion) -> dict[str, list[str]]:
    """For each path parameter, the values that point at this suggestion's rows."""
    reply = db.session.scalar(db.select(Reply).where(Reply.suggestion_id == suggestion.id))
    attachments = db.session.scalars(db.select(Attachment.id).where(Attachment.suggestion_id == suggestion.id)).all()
    commitments = db.session.scalars(db.select(Commitment.id).join(Reply).where(Reply.suggestion_id == suggestion.id)).all()
    return {
        "suggestion_id": [str(suggestion.id)], "reply_id": [str(reply.id)] if reply else ["1"],
        "unit_id": [str(a.unit_id) for a in suggestion.assignments] or ["1"], "year": [str(suggestion.year)],
        "attachment_id": [str(i) for i in attachments] or ["1"], "commitment_id": [str(i) for i in commitments] or ["1"],
        "export_type": ["csv"],
    }


def _action_names(app, rule) -> list[str]:
    view = next((v for v in _admin_views(app) if rule.endpoint == f"{v.endpoint}.act"), None)
    return list(getattr(view, "action_names", ())) or ["reply"]


def _all_get_urls(app, suggestion):
    """Every GET URL the app serves, with the path's ids and the query's ids pointing at this suggestion's rows."""
    values = _path_values(suggestion)
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.endswith("static"):
            continue
        paths = [rule.rule]
        for name in rule.arguments:
            options = _action_names(app, rule) if name == "action" else values[name]
            paths = [re.sub(rf"<(?:\w+:)?{name}>", option, path) for path in paths for option in options]
        urls += [f"{path}?id={suggestion.id}&ids={suggestion.id}&name=lead_deputy&query=王" for path in paths]
    return urls


def test_anonymous_users_are_sent_to_the_login_page(app, client, world):
    _, a, _ = world
    for url in _all_get_urls(app, a):
        response = client.get(url)
        if url.startswith(("/login", "/public/")):  # the public results page needs no login; unpublished ones are 404
            assert response.status_code in (200, 404), url
        else:
            assert response.status_code == 302, url
            assert "/login" in response.location or response.location.endswith("/admin/"), url


@pytest.mark.parametrize("username", list(helpers.ROLES_BY_USERNAME))
def test_every_url_as_every_role_never_fails_and_never_leaks(app, client, world, username):
    district, a, b = world
    login(client, username)
    foreign_titles = {"unit": "乙单位专属建议BRAVO", "unit2": "甲单位专属建议ALPHA", "township": "乙单位专属建议BRAVO",
                      "deputy": "乙单位专属建议BRAVO", "committee": "乙单位专属建议BRAVO", "leader": "建议ALPHA"}
    for suggestion in (a, b):
        for url in _all_get_urls(app, suggestion):
            response = client.get(url)
            assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
            if username in foreign_titles:  # binary exports (xlsx) are checked in their own tests
                assert foreign_titles[username] not in response.get_data().decode("utf-8", "replace"), url


@pytest.mark.parametrize("username", list(helpers.ROLES_BY_USERNAME))
def test_each_grid_is_open_exactly_to_its_roles(app, client, world, username):
    login(client, username)
    role = helpers.ROLES_BY_USERNAME[username]
    for view, url in _view_urls(app):
        expected = 200 if role in view.roles else 403
        assert client.get(url).status_code == expected, (username, url)


def _count_in_grid(html: str) -> int:
    match = re.search(r"列表 \((\d+)\)", html)
    return int(match.group(1)) if match else 0


def test_unit_sees_only_its_own_suggestions_in_grid_count_details_and_export(client, world):
    district, a, b = world
    login(client, "unit2")
    grid = client.get("/admin/suggestion/").get_data(as_text=True)
    assert "乙单位专属建议BRAVO" in grid and "甲单位专属建议ALPHA" not in grid
    assert _count_in_grid(grid) == 1
    assert client.get(f"/admin/suggestion/details/?id={b.id}").status_code == 200
    assert client.get(f"/admin/suggestion/details/?id={a.id}").status_code == 404
    assert client.get("/admin/suggestion/details/?id=abc").status_code == 404
    export = client.get("/admin/suggestion/export/csv/").get_data(as_text=True)
    assert "乙单位专属建议BRAVO" in export and "甲单位专属建议ALPHA" not in export
    searched = client.get("/admin/suggestion/?search=ALPHA").get_data(as_text=True)
    assert "甲单位专属建议ALPHA" not in searched


def test_unit_cannot_edit_act_on_or_look_up_another_units_work(client, world):
    district, a, b = world
    login(client, "unit2")
    assert client.get(f"/admin/suggestion/edit/?id={a.id}").status_code == 403
    assert client.get(f"/admin/suggestion/act/record_contact/?ids={a.id}").status_code == 404
    assert client.post(f"/admin/suggestion/act/record_contact/?ids={a.id}", data={
        "contacted_on": "2026-02-10", "method": "phone", "people": "x", "summary": "y"}).status_code == 404
    assert client.get("/admin/suggestion/ajax/lookup/?name=lead_deputy&query=王").status_code == 403
    client.post("/admin/suggestion/action/", data={"action": "withdraw", "rowid": [str(a.id)]})
    response = client.post("/admin/suggestion/action/", data={"action": "sign", "rowid": [str(a.id)]},
                           follow_redirects=True)
    assert "无权访问" in response.get_data(as_text=True)
    assert db.session.get(Suggestion, a.id).state == State.REPLIED


def test_unit_records_are_isolated_too(client, world):
    district, a, b = world
    reply_a = db.session.scalar(db.select(Reply).where(Reply.suggestion_id == a.id))
    contact_a = db.session.scalar(db.select(Contact).where(Contact.suggestion_id == a.id))
    login(client, "unit2")
    assert "甲单位专属建议ALPHA" not in client.get("/admin/contact/").get_data(as_text=True)
    assert "甲单位专属建议ALPHA" not in client.get("/admin/reply/").get_data(as_text=True)
    assert "甲单位专属建议ALPHA" not in client.get("/admin/contact/export/csv/").get_data(as_text=True)
    assert client.get(f"/admin/contact/details/?id={contact_a.id}").status_code in (403, 404)
    assert client.get(f"/admin/reply/edit/?id={reply_a.id}").status_code in (403, 404)
    response = client.post(f"/admin/reply/edit/?id={reply_a.id}", data={"text": "篡改", "signatory": "x", "version": "1"})
    assert response.status_code in (403, 404)
    response = client.post(f"/admin/reply/act/correct_reply/?ids={reply_a.id}",
                           data={"text": "篡改", "reply_category": "A", "reason": "x"})
    assert response.status_code == 404
    assert db.session.get(Reply, reply_a.id).text == "已列入年度计划。"


def test_co_handler_sees_the_suggestion_but_not_the_lead_units_records(client, district):
    suggestion = helpers.replied(district, "协办可见建议", co_handlers=[district.units[1]])
    login(client, "unit2")
    assert client.get(f"/admin/suggestion/details/?id={suggestion.id}").status_code == 200
    assert "已列入年度计划" not in client.get("/admin/reply/").get_data(as_text=True)


def test_township_committee_and_deputy_scopes(client, world):
    district, a, b = world
    # a: deputy 0 (township 0), unit 0 (committee 0); b: deputy 2 (township 1), unit 1 (committee 1).
    for username in ("township", "committee", "deputy"):
        login(client, username)
        grid = client.get("/admin/suggestion/").get_data(as_text=True)
        assert "甲单位专属建议ALPHA" in grid and "乙单位专属建议BRAVO" not in grid, username
        client.post("/logout")


def test_deputy_sees_suggestions_they_co_sign(client, district):
    suggestion = helpers.register(district, "附议的建议", lead=district.deputies[2], co_signers=[district.deputies[0]])
    login(client, "deputy")
    assert client.get(f"/admin/suggestion/details/?id={suggestion.id}").status_code == 200


def test_leader_without_key_suggestions_sees_none(client, world):
    login(client, "leader")
    assert _count_in_grid(client.get("/admin/suggestion/").get_data(as_text=True)) == 0


def test_login_rejects_a_wrong_password_in_chinese(client, district):
    response = login(client, "office", "wrong")
    assert response.status_code == 200 and "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_logout_needs_a_post_and_clears_the_session(client, district):
    login(client, "office")
    assert client.get("/admin/").status_code == 200
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/admin/").status_code == 302


def test_open_redirect_after_login_is_refused(client, district):
    response = client.post("/login?next=//evil.example/", data={"username": "office", "password": helpers.PASSWORD})
    assert response.location == "/admin/"


def test_inactive_user_cannot_log_in(client, district):
    district.users["unit"].active = False
    db.session.commit()
    assert "用户名或密码错误" in login(client, "unit").get_data(as_text=True)


def test_passwords_are_hashed(district):
    assert helpers.PASSWORD not in district.users["office"].password_hash
    assert district.users["office"].check_password(helpers.PASSWORD)
