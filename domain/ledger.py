"""The commitments ledger (承诺事项台账): per unit and year, overdue flagged, B-category ones rolled over."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from domain.access import record_scope
from domain.evaluations import year_commitments_condition
from models import Commitment, ImplementationEvaluation, Reply, Suggestion, Unit, User, db
from models.enums import COMMITMENT_STATUS_LABELS, CommitmentStatus


@dataclass(frozen=True)
class LedgerRow:
    commitment: Commitment
    reply: Reply
    suggestion: Suggestion
    unit: Unit
    year_result: str | None  # the year's implementation evaluation, if given
    rolled_over: bool
    overdue: bool


def ledger(user: User, year: int, today: date, unit_id: int | None = None) -> list[LedgerRow]:
    """The year's commitments that this user may see, optionally for one unit."""
    query = (
        select(Commitment, Reply, Suggestion, Unit, ImplementationEvaluation.result)
        .join(Commitment.reply).join(Reply.suggestion).join(Reply.unit)
        .outerjoin(ImplementationEvaluation, and_(ImplementationEvaluation.commitment_id == Commitment.id,
                                                  ImplementationEvaluation.year == year))
        .options(joinedload(Suggestion.lead_deputy))
        .where(year_commitments_condition(year), record_scope(user, Reply))
        .order_by(Unit.name, Reply.replied_on, Commitment.id)
    )
    if unit_id:
        query = query.where(Reply.unit_id == unit_id)
    return [
        LedgerRow(c, r, s, u, result, r.replied_on.year < year, c.status != CommitmentStatus.KEPT and c.due_on < today)
        for c, r, s, u, result in db.session.execute(query).all()
    ]


def overdue_count(user: User, today: date) -> int:
    """Overdue commitments this user may see (for the office's and units' home pages)."""
    return db.session.scalar(
        select(func.count(Commitment.id)).join(Commitment.reply)
        .where(Commitment.status != CommitmentStatus.KEPT, Commitment.due_on < today, Reply.voided_reason == "",
               record_scope(user, Reply))
    )


HEADERS = ["承办单位", "案号", "建议标题", "领衔代表", "答复类别", "答复日期", "承诺事项", "完成期限", "当前状态",
           "本年度落实评价", "结转", "超期"]


def to_excel(rows: list[LedgerRow], year: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年承诺事项台账"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    overdue_fill = PatternFill("solid", fgColor="F8D7DA")
    for row in rows:
        sheet.append([
            row.unit.name, row.suggestion.display_number, row.suggestion.title, row.suggestion.lead_deputy.name,
            row.reply.reply_category, row.reply.replied_on.strftime("%Y-%m-%d"), row.commitment.content,
            row.commitment.due_on.strftime("%Y-%m-%d"), COMMITMENT_STATUS_LABELS[CommitmentStatus(row.commitment.status)],
            COMMITMENT_STATUS_LABELS[CommitmentStatus(row.year_result)] if row.year_result else "未评价",
            f"{row.reply.replied_on.year}年结转" if row.rolled_over else "", "超期" if row.overdue else "",
        ])
        if row.overdue:
            for cell in sheet[sheet.max_row]:
                cell.fill = overdue_fill
    for letter, width in zip("ABCDEFGHIJKL", (22, 18, 40, 10, 9, 12, 40, 12, 10, 14, 12, 6)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
