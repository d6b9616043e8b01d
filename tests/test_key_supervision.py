"""Key supervision in seven steps: order, roles, leaders, the grid's bulk actions, the board."""
import io
from datetime import date

import pytest

from domain import key_supervision, states
from domain.errors import WorkflowError
from models import Attachment, KeyStep, KeySupervision, db
from models.enums import Role
from tests import helpers
from tests.helpers import login
from tests.key_helpers import STEP_VALUES, TODAY, key_suggestion

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _record(district, key, step, actor=None, **overrides):
    values = dict(STEP_VALUES[step], done_on=date(2026, 4, 1), today=TODAY)
    values.update(overrides)
    if step == 2:
        values.setdefault("leaders", [district.users["leader"]])
    return key_supervision.record_step(actor or district.office, key, step, **values)


def test_all_seven_steps_in_order(district):
    key = key_suggestion(district)
    assert key.steps_done == 7 and [s.step for s in key.steps] == list(range(1, 8))
    assert key.leaders == [district.users["leader"]] and key.step(2).people == "leader用户"
    assert states.key_progress(key) == "第7步/共7步"


def test_a_step_cannot_be_skipped_or_done_twice(district):
    key = key_suggestion(district, steps=2)
    with pytest.raises(WorkflowError, match="须先完成第3步"):
        _record(district, key, 4)
    with pytest.raises(WorkflowError, match="不能重复"):
        _record(district, key, 2)
    with pytest.raises(WorkflowError, match="不能早于上一步骤"):
        _record(district, key, 3, done_on=date(2026, 1, 1))
    with pytest.raises(WorkflowError, match="请填写：会议地点"):
        _record(district, key, 3, place="")
    assert db.session.scalar(db.select(db.func.count(KeyStep.id))) == 2


def test_candidates_need_a_numbered_open_suggestion_and_the_office(district):
    draft = helpers.register(district, "草稿外的建议")
    helpers.set_state(draft, "withdrawn")
    with pytest.raises(WorkflowError, match="已编号、未结束"):
        key_supervision.propose(district.office, draft, "", TODAY)
    suggestion = helpers.assigned(district)
    with pytest.raises(WorkflowError, match="只有代表工委"):
        key_supervision.propose(district.users["committee"], suggestion, "", TODAY)
    key_supervision.propose(district.office, suggestion, "", TODAY)
    with pytest.raises(WorkflowError, match="已是重点督办"):
        key_supervision.propose(district.office, suggestion, "", TODAY)


def test_step_rules_on_state_activities_and_leaders(district):
    suggestion = helpers.assigned(district)
    key = key_supervision.propose(district.office, suggestion, "", TODAY)
    _record(district, key, 1)
    with pytest.raises(WorkflowError, match="至少指定一位"):
        _record(district, key, 2, leaders=[])
    with pytest.raises(WorkflowError, match="区领导角色"):
        _record(district, key, 2, leaders=[district.users["unit"]])
    _record(district, key, 2)
    _record(district, key, 3)
    with pytest.raises(WorkflowError, match="尚无督办活动记录"):
        _record(district, key, 4)


def test_roles_for_steps_and_sign_off(district):
    key = key_suggestion(district, steps=3)
    committee, leader, unit = district.users["committee"], district.users["leader"], district.users["unit"]
    with pytest.raises(WorkflowError, match="无权记录"):
        _record(district, key, 4, actor=unit)
    with pytest.raises(WorkflowError, match="无权记录"):
        _record(district, key, 4, actor=leader)
    from domain import supervision
    supervision.record_activity(committee, key.suggestion, kind="survey", held_on=date(2026, 3, 5), place="现场",
                                participants="委室", invited_deputies="", findings="调研", follow_up="", today=TODAY)
    _record(district, key, 4, actor=committee)  # the supervising committee tracks the handling
    with pytest.raises(WorkflowError, match="无权记录"):
        _record(district, key, 5, actor=committee)
    other_leader = helpers.make_user("leader2", Role.LEADER)
    db.session.flush()
    with pytest.raises(WorkflowError, match="只有领办督办该建议的区领导"):
        key_supervision.sign_off(other_leader, key.step(1))
    key_supervision.sign_off(leader, key.step(1))
    assert key.step(1).signed_off_by_id == leader.id
    with pytest.raises(WorkflowError, match="已签字确认"):
        key_supervision.sign_off(leader, key.step(1))


def test_leaders_see_only_the_key_suggestions_they_lead(client, district):
    mine = key_suggestion(district, "领导领办的建议")
    other = helpers.replied(district, "其他建议", unit=district.units[1], lead=district.deputies[2])
    login(client, "leader")
    grid = client.get("/admin/suggestion/").get_data(as_text=True)
    assert "领导领办的建议" in grid and "其他建议" not in grid
    assert client.get(f"/admin/suggestion/details/?id={other.id}").status_code == 404
    assert "领导领办的建议" in client.get("/admin/key_supervision/").get_data(as_text=True)
    response = client.post("/admin/key_supervision/action/", data={"action": "sign_off", "rowid": [str(mine.id)]},
                           follow_redirects=True)
    assert "区领导签字确认已完成的步骤：1 件已完成" in response.get_data(as_text=True)
    assert client.get("/admin/key_supervision/act/step_5/?ids=1").status_code == 403


def test_the_directors_meeting_decides_several_candidates_at_once_with_evidence(app, client, district, tmp_path):
    app.config["ATTACHMENT_DIR"] = str(tmp_path)
    first, second = helpers.assigned(district, "候选一"), helpers.assigned(district, "候选二")
    login(client, "office")
    for suggestion in (first, second):
        client.post("/admin/suggestion/action/", data={"action": "propose_key", "rowid": [str(suggestion.id)]})
        client.post(f"/admin/suggestion/act/propose_key/?ids={suggestion.id}", data={"reason": "社会关注"})
    keys = db.session.scalars(db.select(KeySupervision).order_by(KeySupervision.id)).all()
    assert len(keys) == 2 and all(k.steps_done == 0 for k in keys)
    ids = ",".join(str(k.id) for k in keys)
    assert client.get(f"/admin/key_supervision/act/step_2/?ids={ids}").status_code == 200
    response = client.post(f"/admin/key_supervision/act/step_1/?ids={ids}", data={
        "done_on": "2026-03-01", "reference": "第12次主任会议", "people": "主任、副主任", "details": "研究确定",
        "evidence": (io.BytesIO(PDF), "会议纪要.pdf"),
    }, content_type="multipart/form-data", follow_redirects=True)
    app.config.pop("ATTACHMENT_DIR")
    assert "2 件已完成" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [k.steps_done for k in keys] == [1, 1]
    assert db.session.scalar(db.select(db.func.count(Attachment.id)).where(Attachment.owner_type == "key_step")) == 2
    response = client.post(f"/admin/key_supervision/act/step_3/?ids={ids}", data={
        "done_on": "2026-03-02", "place": "会议室", "people": "x", "units_present": "x"}, follow_redirects=True)
    assert "须先完成第2步" in response.get_data(as_text=True)
    grid = client.get("/admin/key_supervision/").get_data(as_text=True)
    assert "第1步/共7步" in grid and "1.03-01" in grid


def test_board_shows_the_years_key_list(client, district):
    key_suggestion(district, "七步全部完成的建议")
    key_suggestion(district, "只完成两步的建议", steps=2)
    login(client, "office")
    page = client.get("/admin/key_board/?year=2026").get_data(as_text=True)
    assert "七步全部完成的建议" in page and "只完成两步的建议" in page and "2026-03-07" in page
    assert "全部七步完成 1 件" in page


@pytest.mark.parametrize("url", ["/admin/key_board/", "/admin/key_supervision/", "/admin/key_supervision/act/step_1/?ids=1"])
def test_key_pages_need_login(client, district, url):
    assert client.get(url).status_code == 302


def test_board_and_step_forms_refuse_wrong_roles(client, district):
    key = key_suggestion(district, steps=1)
    for username in ("unit", "deputy", "township"):
        login(client, username)
        assert client.get("/admin/key_board/").status_code == 403
        assert client.get(f"/admin/key_supervision/act/step_2/?ids={key.id}").status_code == 403
        client.post("/logout")
    login(client, "unit2")  # not a unit of this suggestion: the key grid is empty for it
    assert "关于建设城市绿道的建议" not in client.get("/admin/key_supervision/").get_data(as_text=True)
