"""Joint supervision: automatic committee, the office's change, activities only by the right committee or township."""
import io
from datetime import date

import pytest

from domain import supervision, workflow
from domain.clock import today
from domain.errors import WorkflowError
from models import Attachment, SupervisionActivity, db
from tests import helpers
from tests.helpers import login

TODAY = date(2026, 3, 20)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _activity(actor, suggestion, **overrides):
    values = dict(kind="inspection", held_on=date(2026, 3, 1), place="柯桥街道某小区", participants="城建环保委 张三",
                  invited_deputies="王堃", findings="改造进度滞后", follow_up="月底前再跟踪", today=TODAY)
    values.update(overrides)
    return supervision.record_activity(actor, suggestion, **values)


def test_assignment_gives_supervision_to_the_committee_liaising_with_the_lead_unit(district):
    suggestion = helpers.assigned(district, unit=district.units[1], co_handlers=[district.units[0]])
    assert suggestion.supervision.committee_id == district.committees[1].id
    assert suggestion.supervision.automatic


def test_the_office_changes_the_committee_and_a_reassignment_keeps_it(district):
    suggestion = helpers.assigned(district)
    supervision.change_committee(district.office, suggestion, district.committees[1], TODAY)
    db.session.commit()
    request = workflow.request_return(helpers.unit_user(district, district.units[0]), suggestion, "不属于本单位职责",
                                      date(2026, 2, 3))
    workflow.decide_return(district.office, request, True, "")
    workflow.assign(district.office, suggestion, lead_unit=district.units[2], today=date(2026, 2, 5))
    db.session.commit()
    assert suggestion.supervision.committee_id == district.committees[1].id
    assert not suggestion.supervision.automatic


def test_only_the_office_changes_the_committee(district):
    suggestion = helpers.assigned(district)
    with pytest.raises(WorkflowError, match="只有代表工委"):
        supervision.change_committee(district.users["committee"], suggestion, district.committees[1], TODAY)


def test_activities_only_by_the_supervising_committee_or_the_deputys_township(district):
    own = helpers.assigned(district, "城建委督办的建议")  # unit 0 → committee 0; deputy 0 → township 0
    other = helpers.assigned(district, "教科文卫委督办的建议", unit=district.units[1], lead=district.deputies[2])
    activity = _activity(district.users["committee"], own)
    assert activity.committee_id == district.committees[0].id and activity.township_id is None
    township_activity = _activity(district.users["township"], own, kind="interview")
    assert township_activity.township_id == district.townships[0].id
    with pytest.raises(WorkflowError, match="不在本委室的督办任务中"):
        _activity(district.users["committee"], other)
    with pytest.raises(WorkflowError, match="不属于本镇街"):
        _activity(district.users["township"], other)
    for username in ("unit", "office", "deputy", "leader"):
        with pytest.raises(WorkflowError, match="只有负责督办的委室"):
            _activity(district.users[username], own)


@pytest.mark.parametrize("overrides, message", [
    ({"kind": "party"}, "活动类型"), ({"place": " "}, "地点"), ({"held_on": date(2026, 4, 1)}, "晚于今天"),
    ({"held_on": date(2026, 1, 1)}, "早于交办日期"),
])
def test_bad_activities_are_refused_in_chinese(district, overrides, message):
    suggestion = helpers.assigned(district)
    with pytest.raises(WorkflowError, match=message):
        _activity(district.users["committee"], suggestion, **overrides)


def test_no_activity_before_assignment(district):
    suggestion = helpers.register(district)
    with pytest.raises(WorkflowError):
        _activity(district.users["township"], suggestion)


def test_committee_records_an_activity_with_evidence_through_the_grid(app, client, district, tmp_path):
    app.config["ATTACHMENT_DIR"] = str(tmp_path)
    suggestion = helpers.assigned(district)
    login(client, "committee")
    grid = client.get("/admin/supervision_queue/").get_data(as_text=True)
    assert suggestion.title in grid
    response = client.post(f"/admin/supervision_queue/act/record_activity/?ids={suggestion.id}", data={
        "kind": "forum", "held_on": "2026-03-01", "place": "区人大常委会会议室", "participants": "委室全体",
        "invited_deputies": "李喆", "findings": "座谈了解办理进展", "follow_up": "",
        "evidence": (io.BytesIO(PDF), "座谈记录.pdf"),
    }, content_type="multipart/form-data", follow_redirects=True)
    app.config.pop("ATTACHMENT_DIR")
    assert "记录督办活动：1 件已完成" in response.get_data(as_text=True)
    activity = db.session.scalar(db.select(SupervisionActivity))
    evidence = db.session.scalar(db.select(Attachment))
    assert activity.kind == "forum" and evidence.owner_id == activity.id and evidence.filename == "座谈记录.pdf"
    details = client.get(f"/admin/suggestion/details/?id={suggestion.id}").get_data(as_text=True)
    assert "座谈了解办理进展" in details and "座谈记录.pdf" in details


def test_unit_and_deputy_cannot_open_the_supervision_queue_or_record(client, district):
    suggestion = helpers.assigned(district)
    for username in ("unit", "deputy", "leader"):
        login(client, username)
        assert client.get("/admin/supervision_queue/").status_code == 403
        assert client.get(f"/admin/supervision_queue/act/record_activity/?ids={suggestion.id}").status_code == 403
        client.post("/logout")
    login(client, "office")
    assert client.get(f"/admin/supervision_queue/act/record_activity/?ids={suggestion.id}").status_code == 403
    assert client.get(f"/admin/supervision_queue/act/change_committee/?ids={suggestion.id}").status_code == 200


def test_committee_cannot_reach_another_committees_queue_by_url(client, district):
    other = helpers.assigned(district, "教科文卫委督办的建议", unit=district.units[1], lead=district.deputies[2])
    login(client, "committee")
    assert other.title not in client.get("/admin/supervision_queue/").get_data(as_text=True)
    assert client.get(f"/admin/supervision_queue/act/record_activity/?ids={other.id}").status_code == 404
    response = client.post(f"/admin/supervision_queue/act/record_activity/?ids={other.id}", data={
        "kind": "forum", "held_on": "2026-03-01", "place": "x", "participants": "x", "findings": "x"})
    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count(SupervisionActivity.id))) == 0


def test_committee_sees_suggestions_assigned_to_it_by_the_office(client, district):
    other = helpers.assigned(district, "调整给城建委的建议", unit=district.units[1], lead=district.deputies[2])
    login(client, "committee")
    assert client.get(f"/admin/suggestion/details/?id={other.id}").status_code == 404
    supervision.change_committee(district.office, other, district.committees[0], TODAY)
    db.session.commit()
    assert client.get(f"/admin/suggestion/details/?id={other.id}").status_code == 200
    assert other.title in client.get("/admin/supervision_queue/").get_data(as_text=True)


def test_queue_lists_per_committee_and_township_with_overdue_filter(client, district):
    late = helpers.assigned(district, "超期未答复的建议", on=date(2025, 6, 2))
    fresh = helpers.assigned(district, "按期办理的建议", unit=district.units[1], lead=district.deputies[2], on=today())
    login(client, "office")
    view = client.application.extensions["admin"][0]
    queue = next(v for v in view._views if v.endpoint == "supervision_queue")
    overdue_arg = queue.get_filter_arg(next(i for i, f in enumerate(queue._filters) if f.name == "已超期"),
                                       next(f for f in queue._filters if f.name == "已超期"))
    committee_arg = queue.get_filter_arg(0, queue._filters[0])
    page = client.get(f"/admin/supervision_queue/?flt0_{overdue_arg}=1").get_data(as_text=True)
    assert late.title in page and fresh.title not in page
    page = client.get(f"/admin/supervision_queue/?flt0_{committee_arg}={district.committees[1].id}").get_data(as_text=True)
    assert fresh.title in page and late.title not in page
    client.post("/logout")
    login(client, "township")
    page = client.get("/admin/supervision_queue/").get_data(as_text=True)
    assert late.title in page and fresh.title not in page


def test_queue_grid_queries_do_not_grow_with_rows(client, district, count_queries):
    for n in range(30):
        suggestion = helpers.assigned(district, f"第{n}件督办建议")
        _activity(district.users["committee"], suggestion)
    db.session.commit()
    login(client, "committee")
    with count_queries() as small:
        client.get("/admin/supervision_queue/?page_size=5")
    with count_queries() as large:
        client.get("/admin/supervision_queue/?page_size=50")
    assert len(small) == len(large)


def test_demo_loader_adds_activities_and_key_suggestions(district):
    from demo import supervision as demo_supervision
    from models import KeySupervision

    for n in range(3):
        helpers.replied(district, f"已答复的建议{n}")
        helpers.handling(district, f"办理中的建议{n}", unit=district.units[n % 3])
    demo_supervision.load(None, date(2026, 6, 30))
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(SupervisionActivity.id))) >= 3
    steps = sorted(db.session.scalars(db.select(KeySupervision.steps_done)))
    assert steps and max(steps) == 5 and 0 in steps
