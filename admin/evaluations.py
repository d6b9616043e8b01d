"""Grids of the first and third evaluations, the commitments ledger with its Excel export, and satisfaction rates."""
from __future__ import annotations

from flask import Response, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from admin.base import StaffView
from admin.records import RecordView, date_cell, suggestion_link
from domain import ledger, satisfaction
from domain.clock import today
from models import AttitudeEvaluation, ImplementationEvaluation, Unit, db
from models.enums import COMMITMENT_STATUS_LABELS, EVALUATION_LEVEL_LABELS, Role
from web.format import label_formatter

LEDGER_ROLES = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE, Role.UNIT})
STATISTICS_ROLES = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE})
LEDGER_PAGE_SIZE = 200


def _yes_no(name):
    return lambda view, context, model, _: "有" if getattr(model, name) else "无"


class MismatchFilter(BaseSQLAFilter):
    """Attitude evaluations whose three communications disagree with the unit's recorded contacts."""

    def __init__(self):
        super().__init__(AttitudeEvaluation.mismatch, "沟通核对", options=[("1", "不一致")])

    def apply(self, query, value, alias=None):
        return query.filter(AttitudeEvaluation.mismatch != "")

    def operation(self):
        return "为"


class AttitudeEvaluationView(RecordView):
    column_list = ["suggestion", "unit", "level", "communicated_before", "communicated_during", "communicated_after",
                   "mismatch", "comment", "given_on", "on_paper"]
    column_labels = {"suggestion": "建议", "unit": "承办单位", "level": "办理态度", "communicated_before": "办理前沟通",
                     "communicated_during": "办理中沟通", "communicated_after": "答复后沟通", "mismatch": "与沟通记录核对",
                     "comment": "代表意见", "given_on": "评价日期", "on_paper": "纸质评价表"}
    column_formatters = {"suggestion": suggestion_link, "level": label_formatter(EVALUATION_LEVEL_LABELS), "given_on": date_cell("given_on"),
                         "communicated_before": _yes_no("communicated_before"),
                         "communicated_during": _yes_no("communicated_during"),
                         "communicated_after": _yes_no("communicated_after"),
                         "mismatch": lambda v, c, m, n: m.mismatch or "一致"}
    column_filters = [MismatchFilter()]

    def get_query(self):
        return super().get_query().options(joinedload(AttitudeEvaluation.unit))


class ImplementationEvaluationView(RecordView):
    column_list = ["suggestion", "commitment", "year", "result", "comment", "given_on", "on_paper"]
    column_labels = {"suggestion": "建议", "commitment": "承诺事项", "year": "评价年度", "result": "落实情况",
                     "comment": "代表意见", "given_on": "评价日期", "on_paper": "纸质评价表"}
    column_formatters = {"suggestion": suggestion_link, "result": label_formatter(COMMITMENT_STATUS_LABELS),
                         "given_on": date_cell("given_on"), "commitment": lambda v, c, m, n: m.commitment.content}
    column_filters = ["year"]

    def get_query(self):
        return super().get_query().options(joinedload(ImplementationEvaluation.commitment))


def _year_arg() -> int:
    value = request.args.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else today().year


class CommitmentLedgerView(StaffView):
    """The commitments ledger per unit and year; a unit sees only its own commitments."""

    roles = LEDGER_ROLES

    def _unit_choices(self) -> list[Unit]:
        query = select(Unit).order_by(Unit.name)
        if current_user.has_role(Role.UNIT) and not current_user.has_role(Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE):
            query = query.where(Unit.id == current_user.unit_id)
        return db.session.scalars(query).all()

    def _unit_arg(self) -> int | None:
        value = request.args.get("unit", "")
        return int(value) if value.isdigit() else None

    @expose("/")
    def index(self):
        year, unit_id = _year_arg(), self._unit_arg()
        page = request.args.get("page", "1")
        page = int(page) if page.isdigit() and int(page) > 0 else 1
        total, overdue = ledger.totals(current_user, year, today(), unit_id)
        rows = ledger.ledger(current_user, year, today(), unit_id, limit=LEDGER_PAGE_SIZE, offset=(page - 1) * LEDGER_PAGE_SIZE)
        pages = max(1, -(-total // LEDGER_PAGE_SIZE))
        return self.render("admin/commitment_ledger.html", rows=rows, year=year, units=self._unit_choices(),
                           unit_id=request.args.get("unit", ""), total=total, overdue=overdue, page=page, pages=pages,
                           status_labels={k.value: v for k, v in COMMITMENT_STATUS_LABELS.items()},
                           export_url=url_for(".export", year=year, unit=request.args.get("unit", "")))

    @expose("/export.xlsx")
    def export(self):
        year = _year_arg()
        data = ledger.to_excel(ledger.ledger(current_user, year, today(), self._unit_arg()), year)
        response = Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers["Content-Disposition"] = f"attachment; filename=commitments-{year}.xlsx"
        response.headers["Cache-Control"] = "private, no-store"
        return response


class SatisfactionView(StaffView):
    """Satisfaction rates of the three evaluations for a chosen year."""

    roles = STATISTICS_ROLES

    @expose("/")
    def index(self):
        year = _year_arg()
        return self.render("admin/satisfaction.html", year=year, rates=satisfaction.all_rates(year),
                           kind_labels=satisfaction.KIND_LABELS)
