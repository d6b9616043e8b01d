"""Excel in and out (openpyxl): the suggestion ledger (台账), the import template and import, the assessment.

The ledger honours row-level access: only suggestions the user may see, and of their records only
those the user may see. An import is validated whole first: every bad row is reported with its
row number and reason, and a file with any bad row saves nothing.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import joinedload, selectinload

from domain import workflow
from domain.access import record_scope, suggestion_scope
from domain.assessment import SUBJECT_LABELS
from domain.errors import WorkflowError, require
from domain.statistics import current_reply
from models import CongressSession, Deputy, Evaluation, Publication, Reply, Suggestion, User, db
from models.enums import (
    ASSIGNMENT_ROLE_LABELS,
    CATEGORY_LABELS,
    EVALUATION_LEVEL_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
    Role,
    Source,
)
from models.publication import PUBLICATION_STATUS_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_ROWS = 2000
LEDGER_COLUMNS = ["案号", "标题", "来源", "届次", "年度", "类别", "领衔代表", "领衔代表所在镇街", "附议代表", "承办单位",
                  "状态", "收到日期", "交办日期", "答复期限", "当前期限", "答复日期", "答复类别", "代表评价", "公开情况"]
IMPORT_COLUMNS = ["来源", "届次", "类别", "标题", "正文", "领衔代表", "附议代表", "收到日期", "不公开"]
IMPORT_HINTS = ["大会建议 或 闭会建议", "大会建议必填，与系统中的届次名称一致", "如 城建城管", "不超过 200 字", "建议正文",
                "代表姓名；重名时写 姓名（镇街）", "多人用 、 分隔，可空", "如 2026-01-12", "是 或 否，可空（默认否）"]


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook: Workbook, filename: str) -> Response:
    response = Response(xlsx_bytes(workbook), mimetype=XLSX)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "no-store"
    return response


def _text(value: date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


# --- the ledger ------------------------------------------------------------------------------


def _by_suggestion(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for suggestion_id, *values in rows:
        grouped.setdefault(suggestion_id, []).append(values)
    return grouped


def ledger_workbook(user: User, condition: ColumnElement[bool]) -> Workbook:
    """The ledger of the suggestions matching `condition` that this user may see."""
    suggestions = db.session.scalars(
        select(Suggestion).options(
            joinedload(Suggestion.lead_deputy).joinedload(Deputy.township), joinedload(Suggestion.session),
            selectinload(Suggestion.co_signers), selectinload(Suggestion.assignments),
        ).where(condition, suggestion_scope(user)).order_by(Suggestion.year, Suggestion.id)
    ).all()
    visible = select(Suggestion.id).where(condition, suggestion_scope(user))
    replies = _by_suggestion(db.session.execute(
        select(Reply.suggestion_id, Reply.replied_on, Reply.reply_category)
        .where(Reply.suggestion_id.in_(visible), current_reply(), record_scope(user, Reply)).order_by(Reply.id)))
    evaluations = _by_suggestion(db.session.execute(
        select(Evaluation.suggestion_id, Evaluation.level)
        .where(Evaluation.suggestion_id.in_(visible), record_scope(user, Evaluation)).order_by(Evaluation.round)))
    publications = _by_suggestion(db.session.execute(
        select(Publication.suggestion_id, Publication.status).where(Publication.suggestion_id.in_(visible))
    )) if user.has_role(Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE) else {}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("建议台账")
    sheet.append(LEDGER_COLUMNS)
    for s in suggestions:
        own_replies = replies.get(s.id, [])
        sheet.append([
            s.display_number, s.title, SOURCE_LABELS.get(s.source, s.source), s.session.name if s.session else "", s.year,
            CATEGORY_LABELS.get(s.category, s.category), s.lead_deputy.name, s.lead_deputy.township.name,
            "、".join(d.name for d in s.co_signers),
            "、".join(f"{a.unit.name}（{ASSIGNMENT_ROLE_LABELS[a.role]}）" for a in s.active_assignments),
            STATE_LABELS.get(s.state, s.state), _text(s.received_on), _text(s.assigned_on), _text(s.reply_due_on),
            _text(s.due_on), "、".join(_text(r[0]) for r in own_replies), "、".join(r[1] for r in own_replies),
            EVALUATION_LEVEL_LABELS.get(evaluations[s.id][-1][0], "") if s.id in evaluations else "",
            "、".join(PUBLICATION_STATUS_LABELS.get(p[0], p[0]) for p in publications.get(s.id, [])),
        ])
    return workbook


# --- the import ------------------------------------------------------------------------------


def import_template() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "建议导入"
    sheet.append(IMPORT_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "填写要求"])
    for column, hint in zip(IMPORT_COLUMNS, IMPORT_HINTS):
        notes.append([column, hint])
    notes.append(["类别可选", "、".join(CATEGORY_LABELS.values())])
    for letter, width in zip("ABCDEFGHI", [12, 30, 12, 40, 60, 16, 24, 14, 8]):
        sheet.column_dimensions[letter].width = width
    return workbook


@dataclass
class ImportRow:
    number: int
    source: str
    session: CongressSession | None
    category: str
    title: str
    body: str
    lead_deputy: Deputy
    co_signers: list[Deputy]
    received_on: date
    confidential: bool


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Lookups:
    """Sessions and deputies by name, read once per import."""

    def __init__(self) -> None:
        self.sessions = {s.name: s for s in db.session.scalars(select(CongressSession))}
        self.deputies: dict[str, list[Deputy]] = {}
        for deputy in db.session.scalars(select(Deputy).options(joinedload(Deputy.township))):
            self.deputies.setdefault(deputy.name, []).append(deputy)
            self.deputies.setdefault(f"{deputy.name}（{deputy.township.name}）", []).append(deputy)
        self.categories = {label: key for key, label in CATEGORY_LABELS.items()}
        self.sources = {label: key for key, label in SOURCE_LABELS.items()} | {"大会建议": Source.CONGRESS, "闭会建议": Source.RECESS}

    def deputy(self, name: str) -> Deputy:
        name = name.strip().replace("(", "（").replace(")", "）")
        found = self.deputies.get(name, [])
        if not found:
            raise ValueError(f"找不到代表“{name}”")
        if len(found) > 1:
            raise ValueError(f"代表“{name}”有重名，请写作 姓名（镇街）")
        return found[0]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(_cell(value).replace("/", "-"), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"收到日期“{_cell(value)}”无效，应如 2026-01-12") from None


def _parse_row(number: int, values: list, lookups: _Lookups, today: date) -> ImportRow:
    """One data row, or ValueError with every problem of the row joined."""
    cells = dict(zip(IMPORT_COLUMNS, values))
    problems, parsed = [], {}

    def check(name, read):
        try:
            parsed[name] = read()
        except ValueError as error:
            problems.append(str(error))

    def required(column: str, limit: int) -> str:
        text = _cell(cells.get(column))
        if not text:
            raise ValueError(f"“{column}”不能为空")
        if len(text) > limit:
            raise ValueError(f"“{column}”超过 {limit} 字")
        return text

    def source():
        text = required("来源", 20)
        if text not in lookups.sources:
            raise ValueError(f"来源“{text}”应为 大会建议 或 闭会建议")
        return lookups.sources[text]

    def category():
        text = required("类别", 20)
        if text not in lookups.categories:
            raise ValueError(f"类别“{text}”不在可选类别中")
        return lookups.categories[text]

    def received_on():
        if cells.get("收到日期") in (None, ""):
            raise ValueError("“收到日期”不能为空")
        day = _date(cells["收到日期"])
        if day > today:
            raise ValueError("收到日期不能晚于今天")
        return day

    def confidential():
        text = _cell(cells.get("不公开")) or "否"
        if text not in ("是", "否"):
            raise ValueError("“不公开”应填 是 或 否")
        return text == "是"

    check("source", source)
    check("category", category)
    check("title", lambda: required("标题", 200))
    check("body", lambda: required("正文", 50000))
    check("lead_deputy", lambda: lookups.deputy(required("领衔代表", 60)))
    check("co_signers", lambda: [lookups.deputy(n) for n in _cell(cells.get("附议代表")).replace(",", "、").split("、") if n.strip()])
    check("received_on", received_on)
    check("confidential", confidential)
    session_name = _cell(cells.get("届次"))
    if session_name and session_name not in lookups.sessions:
        problems.append(f"找不到届次“{session_name}”")
    if parsed.get("source") == Source.CONGRESS and not session_name:
        problems.append("大会建议须填写届次")
    if problems:
        raise ValueError("；".join(problems))
    session = lookups.sessions.get(session_name) if parsed["source"] == Source.CONGRESS else None
    co_signers = [d for d in dict.fromkeys(parsed["co_signers"]) if d.id != parsed["lead_deputy"].id]
    return ImportRow(number, parsed["source"], session, parsed["category"], parsed["title"], parsed["body"],
                     parsed["lead_deputy"], co_signers, parsed["received_on"], parsed["confidential"])


def _read_sheet(data: bytes):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged or foreign file makes openpyxl raise many different errors
        raise WorkflowError("无法读取该文件：请上传由模板填写的 .xlsx 文件。") from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())][: len(IMPORT_COLUMNS)]
    if header != IMPORT_COLUMNS:
        raise WorkflowError(f"表头与模板不一致：第 1 行应为 {'、'.join(IMPORT_COLUMNS)}。请下载模板后填写。")
    return rows


def validate_import(data: bytes, today: date) -> ImportResult:
    """Read and check every row; nothing is saved here. A file that cannot be read is an error of its row 1."""
    result = ImportResult()
    try:
        rows = _read_sheet(data)
    except WorkflowError as error:
        result.errors.append((1, str(error)))
        return result
    lookups = _Lookups()
    seen: dict[tuple[str, int], int] = {}
    for number, values in enumerate(rows, start=2):
        values = list(values)[: len(IMPORT_COLUMNS)]
        if all(_cell(v) == "" for v in values):
            continue
        if number > MAX_IMPORT_ROWS + 1:
            result.errors.append((number, f"一次最多导入 {MAX_IMPORT_ROWS} 行，请分批导入"))
            break
        try:
            row = _parse_row(number, values, lookups, today)
        except ValueError as error:
            result.errors.append((number, str(error)))
            continue
        key = (row.title, row.lead_deputy.id)
        if key in seen:
            result.errors.append((number, f"与第 {seen[key]} 行重复（同一领衔代表的同名建议）"))
            continue
        seen[key] = number
        result.rows.append(row)
    _check_existing(result)
    if not result.rows and not result.errors:
        result.errors.append((2, "文件中没有数据行"))
    result.errors.sort()
    return result


def _check_existing(result: ImportResult) -> None:
    """A suggestion already registered (same title, same lead deputy, same year) is a duplicate."""
    if not result.rows:
        return
    titles = {row.title for row in result.rows}
    existing = set(db.session.execute(
        select(Suggestion.title, Suggestion.lead_deputy_id, Suggestion.year).where(Suggestion.title.in_(titles))
    ).all())
    for row in list(result.rows):
        year = row.session.year if row.session else row.received_on.year
        if (row.title, row.lead_deputy.id, year) in existing:
            result.errors.append((row.number, "系统中已有该领衔代表同年度的同名建议"))
            result.rows.remove(row)


def import_suggestions(actor: User, result: ImportResult) -> list[Suggestion]:
    """Register every row of a validated file through the workflow (flushes, never commits); a refused row
    refuses the whole file, naming the row."""
    require(actor.has_role(Role.OFFICE), "只有代表工委可以导入建议。")
    require(result.ok, "导入文件有误，未保存。")
    saved = []
    for row in result.rows:
        suggestion = Suggestion(
            source=row.source, session=row.session, category=row.category, title=row.title, body=row.body,
            lead_deputy=row.lead_deputy, co_signers=row.co_signers, confidential=row.confidential,
        )
        try:
            workflow.register(actor, suggestion, row.received_on)
        except WorkflowError as error:
            raise WorkflowError(f"第 {row.number} 行：{error}整个文件均未保存。") from None
        saved.append(suggestion)
    return saved


# --- the assessment --------------------------------------------------------------------------


def assessment_workbook(year: int, scores: dict) -> Workbook:
    """One sheet per subject: rank, name, total, then each item's points and its explanation."""
    workbook = Workbook(write_only=True)
    for subject, rows in scores.items():
        sheet = workbook.create_sheet(f"{SUBJECT_LABELS[subject]}考核")
        sheet.append([f"{year}年度代表建议办理考核（{SUBJECT_LABELS[subject]}）"])
        items = rows[0].items if rows else []
        header = ["名次", "名称", "总分", "基础分", "加分"]
        for item_score in items:
            header += [f"{item_score.item.label}（{item_score.item.weight:g}分）", "计分说明"]
        sheet.append(header)
        for row in rows:
            line = [row.rank, row.name, row.total, row.base, row.bonus]
            for item_score in row.items:
                line += [item_score.points, item_score.explanation]
            sheet.append(line)
    return workbook


def session_or_year(session_id: int | None, year: int | None) -> ColumnElement[bool]:
    if session_id:
        return Suggestion.session_id == session_id
    return Suggestion.year == year if year else Suggestion.id.isnot(None)

