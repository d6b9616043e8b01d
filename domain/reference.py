"""Reference data and settings the office keeps: townships, deputy groups, deputies, committees, units,
congress sessions, rules, calendar days, refusal reasons, pre-review routing, assessment items, notice
templates. Each kind is declared once (its fields, labels, required and unique fields, extra rules);
`save` creates or changes a row of any kind after checking the role, the version the form was opened on,
the values and duplicates, with a Chinese message for every refusal. Nothing is ever deleted: rows that
are no longer used are switched off where the kind has an `active` flag.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from domain import audit
from domain.access import REFERENCE_ADMINISTRATORS
from domain.errors import WorkflowError, require
from domain.notices import unknown_placeholders
from domain.rules import DEFAULTS, MONTH_DAY, RULE_UNIT_LABELS, month_day
from models import (
    AssessmentItem,
    CalendarDay,
    CategoryCommittee,
    Committee,
    CongressSession,
    Deputy,
    DeputyGroup,
    MessageTemplate,
    NotAcceptedReason,
    RuleSetting,
    Township,
    Unit,
    User,
    db,
)
from models.enums import CATEGORY_LABELS

DEFAULT_NOT_ACCEPTED_REASONS = [
    "属于个人或家庭事务",
    "属于信访事项，应通过信访渠道反映",
    "没有具体内容或建议",
    "属于涉及国家秘密的事项",
    "属于法院、检察院正在处理的具体案件",
    "代表本人已撤回或不再坚持",
]
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ID_NUMBER = re.compile(r"\d{17}[\dX]")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def is_phone(value: str) -> bool:
    return bool(MOBILE.fullmatch(value) or LANDLINE.fullmatch(value))


def is_id_number(value: str) -> bool:
    """An 18-character resident ID number with a valid check character (GB 11643)."""
    if not ID_NUMBER.fullmatch(value):
        return False
    check = "10X98765432"[sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS)) % 11]
    return value[17] == check


def _check_phone(label: str, value: str) -> None:
    require(not value or is_phone(value), f"{label}“{value}”不是有效的手机号或固定电话（如 13812345678、0575-84123456）。")


def _check_deputy(values: dict, record) -> None:
    _check_phone("手机", values.get("phone", ""))
    id_number = values.get("id_number", "")
    require(not id_number or is_id_number(id_number), "身份证号格式或校验位不正确，请核对。")
    group, township = values.get("deputy_group"), values.get("township")
    require(group is None or township is None or group.township_id == township.id, "代表小组须属于该代表所在镇街。")


def _check_unit(values: dict, record) -> None:
    _check_phone("通知手机", values.get("notify_phone", ""))
    email = values.get("notify_email", "")
    require(not email or EMAIL.fullmatch(email) is not None, f"通知邮箱“{email}”格式不正确。")


def _check_session(values: dict, record) -> None:
    opens, closes = values.get("opens_on"), values.get("closes_on")
    require(closes >= opens, "闭幕日期不能早于开幕日期。")
    require(values.get("year") == opens.year, "年度须与开幕日期所在年份一致。")
    window_opens, window_closes = values.get("pre_submission_opens_on"), values.get("pre_submission_closes_on")
    require(window_opens is None or window_closes is None or window_opens <= window_closes, "预交开始日期不能晚于预交截止日期。")
    require(window_closes is None or window_closes < opens, "预交截止日期须早于开幕日期。")


def _check_rule(values: dict, record: RuleSetting) -> None:
    unit, amount = values.get("unit"), values.get("amount")
    require(unit in RULE_UNIT_LABELS, "请选择规则的单位。")
    default = DEFAULTS.get(record.key)
    require(not default or (default.unit == MONTH_DAY) == (unit == MONTH_DAY), "该规则的单位不能改为此类型。")
    if unit == MONTH_DAY:
        try:
            month_day(amount or 0, 2024)
        except ValueError:
            raise WorkflowError("请按月日填写，如 1101 表示11月1日。") from None
    else:
        require(amount is not None and 0 <= amount <= 366, "数值须在 0 到 366 之间。")


def _check_assessment_item(values: dict, record) -> None:
    require(values.get("weight") is not None and 0 <= values["weight"] <= 100, "分值须在 0 到 100 之间。")
    require(values.get("parameter") is not None and 0 <= values["parameter"] <= 100, "参数须在 0 到 100 之间。")


def _check_template(values: dict, record) -> None:
    unknown = unknown_placeholders(values.get("subject", "") + values.get("body", ""))
    require(not unknown, "无法识别的占位符：" + "、".join("{" + name + "}" for name in sorted(unknown)))


def _check_category(values: dict, record) -> None:
    require(values.get("category") in CATEGORY_LABELS, "请选择类别。")


@dataclass(frozen=True)
class Kind:
    """One kind of reference data: its Chinese name, its editable fields and their labels, its rules."""

    label: str
    labels: Mapping[str, str]  # editable field → Chinese label, in form order
    required: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()
    check: Callable[[dict, object], None] | None = None
    can_create: bool = True
    lengths: Mapping[str, int] = field(default_factory=dict)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.labels)


KINDS: dict[type, Kind] = {
    Township: Kind("镇街", {"name": "名称"}, ("name",), ("name",), lengths={"name": 50}),
    DeputyGroup: Kind("代表小组", {"name": "名称", "township": "镇街"}, ("name", "township"), ("name",), lengths={"name": 80}),
    Deputy: Kind("代表", {"name": "姓名", "township": "镇街", "deputy_group": "代表小组", "occupation": "职业",
                        "phone": "手机", "id_number": "身份证号", "address": "地址"},
                 ("name", "township"), (), _check_deputy,
                 lengths={"name": 40, "occupation": 120, "phone": 20, "id_number": 18, "address": 200}),
    Committee: Kind("委室", {"name": "名称"}, ("name",), ("name",), lengths={"name": 80}),
    Unit: Kind("承办单位", {"name": "名称", "committee": "联系委室", "notify_phone": "通知手机", "notify_email": "通知邮箱"},
               ("name",), ("name",), _check_unit, lengths={"name": 80, "notify_phone": 20, "notify_email": 120}),
    CongressSession: Kind("届次", {"name": "名称", "year": "年度", "opens_on": "开幕日期", "closes_on": "闭幕日期",
                                 "pre_submission_opens_on": "预交开始（空则会前2个月）",
                                 "pre_submission_closes_on": "预交截止（空则会前15天）"},
                          ("name", "year", "opens_on", "closes_on"), ("name",), _check_session, lengths={"name": 80}),
    RuleSetting: Kind("时限规则", {"amount": "数值", "unit": "单位"}, ("amount", "unit"), (), _check_rule, can_create=False),
    CalendarDay: Kind("节假日调整", {"day": "日期", "is_workday": "是否工作日", "note": "说明"}, ("day",), ("day",),
                      lengths={"note": 60}),
    NotAcceptedReason: Kind("不予立案理由", {"label": "理由", "position": "排序", "active": "启用"}, ("label",), ("label",),
                            lengths={"label": 120}),
    CategoryCommittee: Kind("初审分工", {"category": "类别", "committee": "初审委室"}, ("category", "committee"),
                            ("category",), _check_category),
    AssessmentItem: Kind("考核规则", {"label": "考核项目", "weight": "分值", "parameter": "参数（前几名）", "position": "顺序",
                                  "active": "启用", "description": "说明"},
                         ("label",), (), _check_assessment_item, can_create=False, lengths={"label": 80}),
    MessageTemplate: Kind("通知模板", {"subject": "邮件标题", "body": "内容"}, ("subject", "body"), (), _check_template,
                          can_create=False, lengths={"subject": 120, "body": 500}),
}


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def _check_values(kind: Kind, model, record, values: dict) -> None:
    for name in kind.required:
        require(values.get(name) not in (None, ""), f"请填写{kind.labels[name]}。")
    for name, limit in kind.lengths.items():
        require(len(values.get(name) or "") <= limit, f"{kind.labels[name]}不能超过 {limit} 个字。")
    for name in kind.unique:
        column = getattr(model, name)
        value = values.get(name)
        taken = select(model.id).where(func.lower(column) == value.lower() if isinstance(value, str) else column == value)
        if record is not None and record.id is not None:
            taken = taken.where(model.id != record.id)
        shown = value.strftime("%Y-%m-%d") if isinstance(value, date) else CATEGORY_LABELS.get(value, value)
        require(db.session.scalar(taken.limit(1)) is None, f"{kind.label}的{kind.labels[name]}“{shown}”已存在，不能重复。")
    if kind.check:
        kind.check(values, record)


def save(actor: User, model, record, values: Mapping, expected_version=None):
    """Create (record None) or change a row of reference data; returns the row."""
    kind = KINDS[model]
    require(actor.has_role(*REFERENCE_ADMINISTRATORS[model]), f"您的角色无权维护{kind.label}。")
    if record is None:
        require(kind.can_create, f"{kind.label}由系统预置，不能新建。")
    else:
        audit.check_unchanged(record, expected_version)
    cleaned = {name: _clean(values.get(name)) for name in kind.fields if name in values}
    merged = {name: getattr(record, name, None) for name in kind.fields} if record is not None else {}
    merged |= cleaned
    _check_values(kind, model, record, merged)
    with audit.operation(actor, f"{'新建' if record is None else '修改'}{kind.label}"):
        if record is None:
            record = model()
            db.session.add(record)
        for name, value in cleaned.items():
            setattr(record, name, "" if value is None and _is_text(model, name) else value)
    return record


def _is_text(model, name: str) -> bool:
    column = model.__table__.columns.get(name)
    return column is not None and column.type.python_type is str and not column.nullable


def not_accepted_reasons() -> list[str]:
    """The office's list of reasons for not accepting a suggestion, or the defaults while the list is empty."""
    rows = db.session.scalars(
        select(NotAcceptedReason.label).where(NotAcceptedReason.active.is_(True))
        .order_by(NotAcceptedReason.position, NotAcceptedReason.id)
    ).all()
    return list(rows) or list(DEFAULT_NOT_ACCEPTED_REASONS)
