"""The commitments ledger (承诺事项台账): per unit and year, overdue flagged, B-category ones rolled over."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from sqlalchemy import and_, case, func, select

from domain.access import record_scope
from domain.evaluations import year_commitments_condition
from models import Commitment, Deputy, ImplementationEvaluation, Reply, Suggestion, Unit, User, db
from models.enums import COMMITMENT_STATUS_LABELS, CommitmentStatus


@dataclass(frozen=True)
class LedgerRow:
    commitment_id: int
    content: str
    due_on: date
    status: str
    reply_category: str
    replied_on: date
    suggestion_id: int
    number: str
    title: str
    lead_deputy: str
    unit: str
    year_result: str | None  # the year's implementation evaluation, if given
    rolled_over: bool
    overdue: bool


def _overdue(today: date):
    return and_(Commitment.status != CommitmentStatus.KEPT, Commitment.due_on < today)


def _conditions(user: User, year: int, unit_id: int | None) -> list:
    conditions = [year_commitments_condition(year), record_scope(user, Reply)]
    return conditions + [Reply.unit_id == unit_id] if unit_id else conditions


def ledger(user: User, year: int, today: date, unit_id: int | None = None, *, limit: int | None = None,
           offset: int = 0) -> list[LedgerRow]:
    """The year's commitments that this user may see, optionally for one unit (plain rows: no ORM objects)."""
    query = (
        select(Commitment.id, Commitment.content, Commitment.due_on, Commitment.status, Reply.reply_category,
               Reply.replied_on, Suggestion.id, func.coalesce(Suggestion.number_label, "未编号"), Suggestion.title,
               Deputy.name, Unit.name, ImplementationEvaluation.result,
               func.extract("year", Reply.replied_on) < year, case((_overdue(today), True), else_=False))
        .join(Commitment.reply).join(Reply.suggestion).join(Reply.unit).join(Deputy, Deputy.id == Suggestion.lead_deputy_id)
        .outerjoin(ImplementationEvaluation, and_(ImplementationEvaluation.commitment_id == Commitment.id,
                                                  ImplementationEvaluation.year == year))
        .where(*_conditions(user, year, unit_id))
        .order_by(Unit.name, Reply.replied_on, Commitment.id).offset(offset).limit(limit)
    )
    return [LedgerRow(*row[:12], bool(row[12]), bool(row[13])) for row in db.session.execute(query)]


def totals(user: User, year: int, today: date, unit_id: int | None = None) -> tuple[int, int]:
    """How many commitments are on the ledger, and how many of them are overdue."""
    total, overdue = db.session.execute(
        select(func.count(Commitment.id), func.coalesce(func.sum(case((_overdue(today), 1), else_=0)), 0))
        .join(Commitment.reply).where(*_conditions(user, year, unit_id))
    ).one()
    return total, int(overdue)


def overdue_count(user: User, today: date) -> int:
    """Overdue commitments this user may see (for the office's and units' home pages)."""
    return db.session.scalar(
        select(func.count(Commitment.id)).join(Commitment.reply)
        .where(_overdue(today), Reply.voided_reason == "", record_scope(user, Reply))
    )


HEADERS = ["承办单位", "案号", "建议标题", "领衔代表", "答复类别", "答复日期", "承诺事项", "完成期限", "当前状态",
           "本年度落实评价", "结转", "超期"]


def to_excel(rows: list[LedgerRow], year: int) -> bytes:
    """The ledger as an .xlsx workbook, streamed row by row (openpyxl's write-only mode), overdue rows in red."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"{year}年承诺事项台账")
    for letter, width in zip("ABCDEFGHIJKL", (22, 18, 40, 10, 9, 12, 40, 12, 10, 14, 12, 6)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, header, font=Font(bold=True)) for header in HEADERS])
    overdue_fill = PatternFill("solid", fgColor="F8D7DA")
    labels = {k.value: v for k, v in COMMITMENT_STATUS_LABELS.items()}
    for row in rows:
        values = [
            row.unit, row.number, row.title, row.lead_deputy, row.reply_category, row.replied_on.strftime("%Y-%m-%d"),
            row.content, row.due_on.strftime("%Y-%m-%d"), labels[row.status],
            labels[row.year_result] if row.year_result else "未评价",
            f"{row.replied_on.year}年结转" if row.rolled_over else "", "超期" if row.overdue else "",
        ]
        sheet.append([_cell(sheet, v, fill=overdue_fill) for v in values] if row.overdue else values)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, value in style.items():
        setattr(cell, name, value)
    return cell
