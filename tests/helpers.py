"""Plain helpers that build test data through the domain, as the app would."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from sqlalchemy import text
from werkzeug.datastructures import FileStorage

from domain import workflow
from models import (
    Committee,
    CongressSession,
    Deputy,
    DeputyGroup,
    Suggestion,
    Township,
    Unit,
    User,
    db,
)
from models.enums import Category, Role, Source, State

PASSWORD = "secret-pass-1"
ROLES_BY_USERNAME = {
    "office": Role.OFFICE, "govoffice": Role.GOV_OFFICE, "committee": Role.COMMITTEE, "unit": Role.UNIT,
    "unit2": Role.UNIT, "township": Role.TOWNSHIP, "deputy": Role.DEPUTY, "leader": Role.LEADER,
}


def empty_tables() -> None:
    names = [table.name for table in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
    else:
        for name in names:
            db.session.execute(text(f"DELETE FROM {name}"))
    db.session.commit()


def make_user(username: str, role: Role, **links) -> User:
    user = User(username=username, display_name=f"{username}用户", **links)
    user.set_password(PASSWORD)
    user.roles = {role}
    db.session.add(user)
    return user


@dataclass
class District:
    session: CongressSession
    townships: list[Township]
    committees: list[Committee]
    units: list[Unit]
    deputies: list[Deputy]
    users: dict[str, User] = field(default_factory=dict)

    @property
    def office(self) -> User:
        return self.users["office"]


def make_district() -> District:
    """Two townships, two committees, three units (unit and unit2 under different committees), four deputies."""
    townships = [Township(name="柯桥街道"), Township(name="漓渚镇")]
    groups = [DeputyGroup(name=f"{t.name}代表小组", township=t) for t in townships]
    committees = [Committee(name="城乡建设环境保护委员会"), Committee(name="教育科学文化卫生委员会")]
    units = [
        Unit(name="区住房和城乡建设局", committee=committees[0]),
        Unit(name="区教育体育局", committee=committees[1]),
        Unit(name="区交通运输局", committee=committees[0]),
    ]
    deputies = [
        Deputy(name="王堃", township=townships[0], deputy_group=groups[0], phone="13800000001", id_number="330621198001010011"),
        Deputy(name="李喆", township=townships[0], deputy_group=groups[0], phone="13800000002"),
        Deputy(name="陈昇", township=townships[1], deputy_group=groups[1], phone="13800000003"),
        Deputy(name="张赟", township=townships[1], deputy_group=groups[1], phone="13800000004"),
    ]
    session = CongressSession(name="区第十八届人民代表大会第六次会议", year=2026, opens_on=date(2026, 1, 10), closes_on=date(2026, 1, 13))
    db.session.add_all([*townships, *groups, *committees, *units, *deputies, session])
    db.session.flush()
    users = {
        "office": make_user("office", Role.OFFICE),
        "govoffice": make_user("govoffice", Role.GOV_OFFICE),
        "committee": make_user("committee", Role.COMMITTEE, committee_id=committees[0].id),
        "unit": make_user("unit", Role.UNIT, unit_id=units[0].id),
        "unit2": make_user("unit2", Role.UNIT, unit_id=units[1].id),
        "township": make_user("township", Role.TOWNSHIP, township_id=townships[0].id),
        "deputy": make_user("deputy", Role.DEPUTY, deputy_id=deputies[0].id),
        "leader": make_user("leader", Role.LEADER),
    }
    db.session.commit()
    return District(session, townships, committees, units, deputies, users)


def register(district: District, title: str = "关于加快老旧小区改造的建议", *, lead: Deputy | None = None,
             source: Source = Source.CONGRESS, received_on: date = date(2026, 1, 12), co_signers=()) -> Suggestion:
    suggestion = Suggestion(
        source=source, session=district.session if source == Source.CONGRESS else None,
        category=Category.URBAN, title=title, body=f"{title}的正文。", lead_deputy=lead or district.deputies[0],
        co_signers=list(co_signers),
    )
    workflow.register(district.office, suggestion, received_on)
    db.session.commit()
    return suggestion


def assigned(district: District, title: str = "关于加快老旧小区改造的建议", *, unit: Unit | None = None,
             co_handlers=(), on: date = date(2026, 2, 2), **kwargs) -> Suggestion:
    suggestion = register(district, title, **kwargs)
    workflow.assign(district.office, suggestion, lead_unit=unit or district.units[0], co_handlers=list(co_handlers), today=on)
    db.session.commit()
    return suggestion


def unit_user(district: District, unit: Unit) -> User:
    for user in district.users.values():
        if user.unit_id == unit.id:
            return user
    user = make_user(f"unit-{unit.id}", Role.UNIT, unit_id=unit.id)
    db.session.commit()
    district.users[user.username] = user
    return user


def handling(district: District, title: str = "关于加快老旧小区改造的建议", **kwargs) -> Suggestion:
    suggestion = assigned(district, title, **kwargs)
    for assignment in suggestion.active_assignments:
        workflow.sign(unit_user(district, assignment.unit), suggestion)
    db.session.commit()
    return suggestion


def contacted(district: District, suggestion: Suggestion, unit: Unit, on: date = date(2026, 2, 10)) -> None:
    workflow.record_contact(unit_user(district, unit), suggestion, contacted_on=on, method="phone",
                            people="王堃、住建局李科长", summary="电话沟通办理思路", today=on)
    db.session.commit()


def replied(district: District, title: str = "关于加快老旧小区改造的建议", on: date = date(2026, 3, 2), **kwargs) -> Suggestion:
    suggestion = handling(district, title, **kwargs)
    unit = suggestion.active_assignments[0].unit
    contacted(district, suggestion, unit)
    workflow.reply(unit_user(district, unit), suggestion, reply_category="A", text="已列入年度计划。", signatory="张局长",
                   replied_on=on, today=on)
    db.session.commit()
    return suggestion


def scanned_form(name: str = "评价表.pdf") -> FileStorage:
    """A small PDF standing for the deputy's signed paper evaluation form."""
    return FileStorage(BytesIO(b"%PDF-1.4\n% scanned evaluation form\n%%EOF\n"), filename=name)


def evaluated(district: District, level: str, title: str = "关于加快老旧小区改造的建议", **kwargs) -> Suggestion:
    suggestion = replied(district, title, **kwargs)
    workflow.evaluate(district.office, suggestion, level=level, comment="意见" if level == "unsatisfied" else "",
                      given_on=date(2026, 3, 10), today=date(2026, 3, 10), scanned_form=scanned_form())
    db.session.commit()
    return suggestion


def login(client, username: str, password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def set_state(suggestion: Suggestion, state: State) -> None:
    suggestion.state = state
    db.session.commit()
