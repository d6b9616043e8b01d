"""The recess through-train: deadlines by supervision class in working days, and the timeliness measure."""
from datetime import date

import pytest

from admin.recess import timeliness_line
from domain import recess, workflow
from domain.clock import today
from domain.errors import WorkflowError
from domain.rules import Rules
from models import RuleSetting, db
from models.enums import Source, State
from tests import helpers
from tests.helpers import login

TODAY = date(2026, 6, 1)


def test_ordinary_and_urgent_deadlines_in_working_days_across_the_national_day_holiday(district):
    ordinary = helpers.register(district, "一般直通车", source=Source.RECESS, received_on=date(2026, 9, 29))
    assert ordinary.assign_due_on == ordinary.due_on == date(2026, 10, 12)
    urgent = helpers.register(district, "紧急直通车", source=Source.RECESS, received_on=date(2026, 9, 29))
    recess.set_supervision_class(district.office, urgent, "urgent", Rules.load())
    # 09-30, then the holiday until 10-07, then 10-08.
    assert urgent.assign_due_on == urgent.due_on == date(2026, 10, 8)
    workflow.assign(district.office, urgent, lead_unit=district.units[0], today=date(2026, 10, 8))
    # 10-09, Sat 10-10 (adjusted working day), 10-12 … 10-16: seven working days.
    assert urgent.reply_due_on == urgent.due_on == date(2026, 10, 16)
    recess.set_supervision_class(district.office, urgent, "ordinary", Rules.load())
    assert urgent.reply_due_on == date(2026, 10, 28)
    assert urgent.assign_due_on == date(2026, 10, 8)  # the assignment deadline stays what it was


def test_class_deadlines_are_configurable(district):
    db.session.add(RuleSetting(key="recess_assign_urgent", label="紧急", amount=1, unit="working_days"))
    db.session.commit()
    suggestion = helpers.register(district, "紧急直通车", source=Source.RECESS, received_on=date(2026, 9, 29))
    recess.set_supervision_class(district.office, suggestion, "urgent", Rules.load())
    assert suggestion.due_on == date(2026, 9, 30)


def test_only_the_office_classes_only_recess_suggestions(district):
    congress = helpers.register(district, "大会建议")
    with pytest.raises(WorkflowError, match="只有闭会建议"):
        recess.set_supervision_class(district.office, congress, "urgent", Rules.load())
    through_train = helpers.register(district, "直通车", source=Source.RECESS, received_on=date(2026, 5, 6))
    with pytest.raises(WorkflowError, match="只有代表工委"):
        recess.set_supervision_class(district.users["govoffice"], through_train, "urgent", Rules.load())
    with pytest.raises(WorkflowError, match="请选择督办类别"):
        recess.set_supervision_class(district.office, through_train, "very", Rules.load())


@pytest.fixture
def through_trains(district):
    """A: assigned and replied on time; B: assigned late, reply overdue; C: not assigned, overdue; D: not yet due."""
    a = helpers.replied(district, "甲直通车", source=Source.RECESS, received_on=date(2026, 1, 26), on=date(2026, 2, 12))
    b = helpers.assigned(district, "乙直通车", source=Source.RECESS, received_on=date(2026, 1, 26), on=date(2026, 2, 5))
    c = helpers.register(district, "丙直通车", source=Source.RECESS, received_on=date(2026, 5, 20))
    d = helpers.register(district, "丁直通车", source=Source.RECESS, received_on=date(2026, 5, 29))
    helpers.replied(district, "大会建议不计入", on=date(2026, 3, 2))
    withdrawn = helpers.register(district, "撤回的不计入", source=Source.RECESS, received_on=date(2026, 1, 5))
    workflow.withdraw(district.office, withdrawn, "代表撤回")
    db.session.commit()
    return district, (a, b, c, d)


def test_timeliness_counts_what_was_due_and_what_was_on_time(through_trains):
    district, (a, b, c, d) = through_trains
    assert a.assign_due_on == date(2026, 2, 2) and a.assigned_on == date(2026, 2, 2)
    measure = recess.timeliness(2026, TODAY)
    assert (measure.assign_due, measure.assigned_on_time, measure.reply_due, measure.replied_on_time) == (3, 1, 2, 1)
    assert measure.assigned_share == pytest.approx(1 / 3) and measure.replied_share == 0.5
    assert recess.timeliness(2026, TODAY, "urgent").assign_due == 0
    assert recess.timeliness(2025, TODAY).assigned_share is None


def test_timeliness_is_one_statement(through_trains, count_queries):
    with count_queries() as statements:
        recess.timeliness(2026, TODAY)
    assert len(statements) == 1


def test_home_page_and_recess_page_show_the_line(client, through_trains):
    district, (a, b, c, d) = through_trains
    login(client, "office")
    assert "闭会建议直通车" in client.get("/admin/").get_data(as_text=True)
    page = client.get("/admin/recess/?year=2026").get_data(as_text=True)
    assert timeliness_line(recess.timeliness(2026, today())) in page and "丙直通车" in page
    assert "按时交办 1/3（33%），按时答复 1/2（50%）" == timeliness_line(recess.timeliness(2026, TODAY))
    client.post(f"/admin/suggestion/act/set_supervision_class/?ids={c.id}", data={"supervision_class": "urgent"})
    db.session.expire_all()
    assert db.session.get(type(c), c.id).supervision_class == "urgent"
    assert db.session.get(type(c), c.id).state == State.SUBMITTED


@pytest.mark.parametrize("username, status", [("govoffice", 200), ("unit", 403), ("township", 403), ("deputy", 403)])
def test_recess_page_roles(client, through_trains, username, status):
    district, (a, b, c, d) = through_trains
    login(client, username)
    assert client.get("/admin/recess/").status_code == status
    if username == "govoffice":
        assert client.post(f"/admin/suggestion/act/set_supervision_class/?ids={c.id}", data={"supervision_class": "urgent"}).status_code == 403
        assert "闭会建议直通车" in client.get("/admin/").get_data(as_text=True)
    else:
        assert "闭会建议直通车" not in client.get("/admin/").get_data(as_text=True)
