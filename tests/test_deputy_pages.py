"""The deputy's own pages: access, the timeline, reply letters, and evaluating through the forms."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from models import AttitudeEvaluation, Commitment, Evaluation, Reply, Suggestion, db
from models.enums import Role, State
from tests import helpers
from tests.helpers import login


@pytest.fixture
def world(district):
    """Mine: led by deputy 0 (the `deputy` user); co-signed: led by deputy 1 with deputy 0 co-signing;
    foreign: led by deputy 2."""
    mine = helpers.replied(district, "我领衔的建议MINE", lead=district.deputies[0])
    co_signed = helpers.replied(district, "我附议的建议COSIGN", lead=district.deputies[1], co_signers=[district.deputies[0]])
    foreign = helpers.replied(district, "别人的建议FOREIGN", lead=district.deputies[2], unit=district.units[1])
    return district, mine, co_signed, foreign


def _urls(suggestion, reply_id, unit_id, commitment_id=1):
    return [f"/my/suggestions/{suggestion.id}", f"/my/suggestions/{suggestion.id}/evaluate",
            f"/my/suggestions/{suggestion.id}/attitude/{unit_id}", f"/my/replies/{reply_id}",
            f"/my/commitments/{commitment_id}/evaluate"]


def _reply_id(suggestion):
    return db.session.scalar(select(Reply.id).where(Reply.suggestion_id == suggestion.id))


def test_anonymous_users_are_sent_to_log_in(client, world):
    _, mine, _, _ = world
    for url in ["/my/", *_urls(mine, _reply_id(mine), 1)]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


@pytest.mark.parametrize("username", ["office", "unit", "township", "committee", "govoffice", "leader"])
def test_other_roles_get_403(client, world, username):
    _, mine, _, _ = world
    login(client, username)
    for url in ["/my/", *_urls(mine, _reply_id(mine), 1)]:
        assert client.get(url).status_code == 403, url


def test_a_deputy_sees_what_they_lead_or_co_sign_and_nothing_else(client, world):
    district, mine, co_signed, foreign = world
    login(client, "deputy")
    home = client.get("/my/").get_data(as_text=True)
    assert "我领衔的建议MINE" in home and "我附议的建议COSIGN" in home and "别人的建议FOREIGN" not in home
    foreign_commitment = Commitment(reply_id=_reply_id(foreign), content="别人的承诺FOREIGN", due_on=date(2026, 6, 1))
    db.session.add(foreign_commitment)
    db.session.commit()
    for url in _urls(foreign, _reply_id(foreign), district.units[1].id, foreign_commitment.id):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "FOREIGN" not in response.get_data(as_text=True)
    response = client.post(f"/my/suggestions/{foreign.id}/evaluate", data={"level": "satisfied"})
    assert response.status_code == 404
    assert db.session.get(Suggestion, foreign.id).state == State.REPLIED


def test_a_co_signer_reads_but_does_not_evaluate(client, world):
    district, mine, co_signed, _ = world
    login(client, "deputy")
    assert client.get(f"/my/suggestions/{co_signed.id}").status_code == 200
    assert client.get(f"/my/replies/{_reply_id(co_signed)}").status_code == 200
    assert client.get(f"/my/suggestions/{co_signed.id}/evaluate").status_code == 403
    assert client.post(f"/my/suggestions/{co_signed.id}/evaluate", data={"level": "satisfied"}).status_code == 403


def test_timeline_and_reply_letter(client, world):
    district, mine, _, _ = world
    login(client, "deputy")
    page = client.get(f"/my/suggestions/{mine.id}").get_data(as_text=True)
    for text in ["建议登记", "交办给区住房和城乡建设局（主办）", "区住房和城乡建设局签收", "电话沟通", "2026-02-10",
                 "区住房和城乡建设局答复（A类）", "待我评价", "评价答复内容"]:
        assert text in page, text
    letter = client.get(f"/my/replies/{_reply_id(mine)}").get_data(as_text=True)
    assert "已列入年度计划。" in letter and "张局长" in letter


def _csrf(client, url):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def test_evaluating_through_the_forms_with_csrf(csrf_app, client, world):
    district, mine, _, _ = world
    client.post("/login", data={"username": "deputy", "password": helpers.PASSWORD, "csrf_token": _csrf(client, "/login")})
    url = f"/my/suggestions/{mine.id}/evaluate"
    assert client.post(url, data={"level": "satisfied"}).status_code == 400  # no CSRF token
    token = _csrf(client, url)
    refused = client.post(url, data={"level": "unsatisfied", "comment": "", "csrf_token": token}).get_data(as_text=True)
    assert "须填写代表意见" in refused
    response = client.post(url, data={"level": "unsatisfied", "comment": "没有解决", "csrf_token": token})
    assert response.status_code == 302
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.suggestion_id == mine.id))
    assert evaluation.level == "unsatisfied" and evaluation.on_paper is False
    again = client.post(url, data={"level": "satisfied", "csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert "不能执行" in again
    attitude_url = f"/my/suggestions/{mine.id}/attitude/{district.units[0].id}"
    client.post(attitude_url, data={"level": "satisfied", "before": "0", "during": "0", "after": "0",
                                    "csrf_token": _csrf(client, attitude_url)})
    attitude = db.session.scalar(select(AttitudeEvaluation))
    assert attitude.mismatch == "办理前沟通：代表称没有，单位记录了1次"


def test_the_office_sees_the_mismatch_flag(client, world):
    district, mine, _, _ = world
    from domain import evaluations

    evaluations.evaluate_attitude(district.users["deputy"], mine, district.units[0], level="satisfied", before=False,
                                  during=False, after=False, comment="", given_on=date(2026, 3, 5), today=date(2026, 3, 5))
    db.session.commit()
    login(client, "office")
    home = client.get("/admin/").get_data(as_text=True)
    assert "与沟通记录不一致" in home
    grid = client.get("/admin/attitude_evaluation/?flt0_0=1").get_data(as_text=True)
    assert "代表称没有，单位记录了1次" in grid


def test_deputies_land_on_their_own_pages_after_login(client, world):
    response = login(client, "deputy")
    assert response.location == "/my/"
    assert Role.DEPUTY in world[0].users["deputy"].roles
