"""The demo district's organisations and people: townships, groups, committees, units, deputies, users."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from demo import data
from models import Committee, Deputy, DeputyGroup, Township, Unit, User, db
from models.enums import Role

# Staff accounts that exist only to act in the demo history: their hash matches no password.
NO_LOGIN_HASH = "!"
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK_CODES = "10X98765432"


def short_name(township: Township) -> str:
    return township.name.removesuffix("街道").removesuffix("镇")


def township_government_name(township: Township) -> str:
    return township.name + ("办事处" if township.name.endswith("街道") else "人民政府")


def deputy_head_title(unit: Unit) -> str:
    return next(title for suffix, title in data.DEPUTY_HEAD_TITLES if unit.name.endswith(suffix))


@dataclass
class Place:
    """Where a suggestion is about: the words its templates need."""

    township: Township
    road: str
    village: str
    river: str
    product: str

    def words(self, rng: random.Random, **extra) -> dict[str, object]:
        short = short_name(self.township)
        street = self.township.name.endswith("街道")
        return {
            "town": self.township.name, "short": short, "road": self.road, "village": self.village,
            "river": self.river, "product": self.product, "market": f"{short}农贸市场",
            "school": f"{short}{rng.choice(['中学', '中心小学', '实验小学'])}",
            "clinic": f"{short}{'街道社区卫生服务中心' if street else '镇中心卫生院'}",
            "n1": rng.randint(2, 9), "n2": rng.randint(12, 68), "n3": rng.randint(120, 2800), **extra,
        }


@dataclass
class UnitPeople:
    signatory: str  # the head who signs replies (签发人)
    deputy_head: str
    clerk: str
    phone: str


@dataclass
class District:
    townships: list[Township] = field(default_factory=list)
    places: dict[int, list[Place]] = field(default_factory=dict)
    committees: dict[str, Committee] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    township_units: dict[int, Unit] = field(default_factory=dict)
    unit_people: dict[int, UnitPeople] = field(default_factory=dict)
    deputies: list[Deputy] = field(default_factory=list)
    deputy_weights: dict[int, int] = field(default_factory=dict)
    unit_staff: dict[int, User] = field(default_factory=dict)
    committee_staff: dict[int, User] = field(default_factory=dict)
    township_staff: dict[int, User] = field(default_factory=dict)
    accounts: dict[str, User] = field(default_factory=dict)

    def township(self, name: str) -> Township:
        return next(t for t in self.townships if t.name == name)

    def deputy(self, name: str) -> Deputy:
        return next(d for d in self.deputies if d.name == name)

    def deputies_of(self, township: Township) -> list[Deputy]:
        return [d for d in self.deputies if d.township_id == township.id]


class Names:
    """Unique, plausible Chinese names."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng = rng
        self.taken = set(taken)
        self.surnames = list(data.SURNAMES)
        self.surname_weights = list(data.SURNAMES.values())

    def person(self) -> tuple[str, bool]:
        while True:
            female = self.rng.random() < 0.35
            characters = data.FEMALE_CHARACTERS if female else data.MALE_CHARACTERS
            given = "".join(self.rng.sample(characters, k=self.rng.choice([1, 2, 2, 2])))
            name = self.rng.choices(self.surnames, self.surname_weights)[0] + given
            if name not in self.taken:
                self.taken.add(name)
                return name, female

    def name(self) -> str:
        return self.person()[0]


def id_number(rng: random.Random, female: bool) -> str:
    """A fake resident ID number with a valid check digit (GB 11643)."""
    birth = f"{rng.randint(1962, 1992)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    sequence = rng.randrange(0 if female else 1, 1000, 2)
    body = f"{data.ID_REGION}{birth}{sequence:03d}"
    return body + ID_CHECK_CODES[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]


def build_district(rng: random.Random) -> District:
    district = District()
    names = Names(rng, {name for _, name, _ in data.RARE_NAME_DEPUTIES})
    _add_townships(district)
    _add_units(district, names, rng)
    _add_deputies(district, names, rng)
    _add_staff(district, names)
    db.session.flush()
    return district


def _add_townships(district: District) -> None:
    for name, _, groups, *_ in data.TOWNSHIPS:
        township = Township(name=name)
        group_names = [f"{name}代表小组"] if groups == 1 else [f"{name}第{n}代表小组" for n in "一二"[:groups]]
        township.deputy_groups = [DeputyGroup(name=group) for group in group_names]
        district.townships.append(township)
    db.session.add_all(district.townships)
    db.session.flush()
    for township, (*_, roads, villages, river, product) in zip(district.townships, data.TOWNSHIPS):
        district.places[township.id] = [
            Place(township, road, village, river, product) for road in roads for village in villages
        ]


def _add_units(district: District, names: Names, rng: random.Random) -> None:
    for committee_name, unit_names in data.COMMITTEE_UNITS.items():
        committee = Committee(name=committee_name)
        district.committees[committee_name] = committee
        for unit_name in unit_names:
            district.units[unit_name] = Unit(name=unit_name, committee=committee)
    for township in district.townships:
        suffix = "街道" if township.name.endswith("街道") else "镇"
        committee = district.committees[data.TOWNSHIP_GOVERNMENT_COMMITTEES[suffix]]
        unit = Unit(name=township_government_name(township), committee=committee)
        district.units[unit.name] = unit
        district.township_units[township.id] = unit
    db.session.add_all(district.units.values())
    db.session.flush()
    for unit in district.units.values():
        phone = f"0575-8{rng.randint(4, 5)}{rng.randint(100000, 999999)}"
        district.unit_people[unit.id] = UnitPeople(names.name(), names.name(), names.name(), phone)


def _add_deputies(district: District, names: Names, rng: random.Random) -> None:
    rare = {township: (name, female) for township, name, female in data.RARE_NAME_DEPUTIES}
    for township, (name, count, *_) in zip(district.townships, data.TOWNSHIPS):
        people = [names.person() for _ in range(count - (name in rare))]
        if name in rare:
            people.insert(rng.randrange(len(people)), rare[name])
        for index, (person, female) in enumerate(people):
            group = township.deputy_groups[index % len(township.deputy_groups)]
            district.deputies.append(_deputy(district, rng, township, group, person, female))
    db.session.add_all(district.deputies)
    db.session.flush()
    district.deputy_weights = {d.id: rng.choice([1, 1, 1, 2, 2, 3, 5]) for d in district.deputies}
    district.deputy_weights[district.deputy(data.DEMO_DEPUTY).id] = 8


def _deputy(district: District, rng: random.Random, township: Township, group: DeputyGroup, name: str,
            female: bool) -> Deputy:
    place = rng.choice(district.places[township.id])
    room = f"{rng.randint(1, 18)}0{rng.randint(1, 4)}"
    words = place.words(rng, company=rng.choice(data.COMPANY_WORDS), room=room)
    return Deputy(
        name=name, township=township, deputy_group=group,
        occupation=rng.choice(data.OCCUPATIONS).format_map(words),
        phone=rng.choice(data.PHONE_PREFIXES) + f"{rng.randint(0, 99999):05d}",
        id_number=id_number(rng, female),
        address=rng.choice(data.ADDRESSES).format_map(words),
    )


def _staff(username: str, display_name: str, role: Role, **links) -> User:
    user = User(username=username, display_name=display_name, password_hash=NO_LOGIN_HASH, **links)
    user.roles = {role}
    db.session.add(user)
    return user


def _add_staff(district: District, names: Names) -> None:
    for unit in district.units.values():
        district.unit_staff[unit.id] = _staff(
            f"unit_{unit.id}", f"{unit.name} {district.unit_people[unit.id].clerk}", Role.UNIT, unit=unit)
    for committee in district.committees.values():
        district.committee_staff[committee.id] = _staff(
            f"committee_{committee.id}", f"{committee.name} {names.name()}", Role.COMMITTEE, committee=committee)
    for township in district.townships:
        district.township_staff[township.id] = _staff(
            f"township_{township.id}", f"{township.name}人大 {names.name()}", Role.TOWNSHIP, township=township)


def add_demo_accounts(district: District) -> None:
    """One login per role, all with the demo password."""
    unit, unit2 = (district.units[name] for name in data.FOCUS_UNITS)
    links = {
        "committee": {"committee": unit.committee},
        "unit": {"unit": unit},
        "unit2": {"unit": unit2},
        "township": {"township": district.township(data.DEMO_TOWNSHIP)},
        "deputy": {"deputy": district.deputy(data.DEMO_DEPUTY)},
    }
    for username, role, display_name in data.DEMO_ACCOUNTS:
        user = User(username=username, display_name=display_name, **links.get(username, {}))
        user.roles = {role}
        user.set_password(data.DEMO_PASSWORD)
        db.session.add(user)
        district.accounts[username] = user
    db.session.flush()


def account_organisation(user: User) -> str:
    if user.deputy:
        return user.deputy.deputy_group.name
    linked = user.unit or user.committee or user.township
    return str(linked) if linked else data.ACCOUNT_ORGANISATIONS[next(iter(user.roles))]
