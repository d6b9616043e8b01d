"""Key supervision in the back office: the key-suggestion grid with its seven step actions, and the year's board."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from admin.base import ALL_STAFF, ScopedModelView, StaffView
from admin.filters import IdFilter
from admin.supervision import may_print
from domain import access, key_supervision, states
from domain.access import visible_suggestion_ids
from domain.clock import today
from models import KeySupervision, Suggestion, SupervisionAssignment, db
from models.enums import ASSIGNMENT_ROLE_LABELS, Role
from models.supervision import KEY_STEP_LABELS
from printing import documents
from printing.render import pdf_response
from web import boundary
from web.format import local_date

BOARD_ROLES = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE, Role.LEADER})


def _suggestion_link(view, context, model, name):
    s = model.suggestion
    return Markup('<a href="{}">{}</a> {}').format(url_for("suggestion.details_view", id=s.id), s.display_number, s.title)


def step_dates(key: KeySupervision) -> str:
    return " ".join(f"{s.step}.{local_date(s.done_on)[5:]}{'✔' if s.signed_off_at else ''}" for s in key.steps)


def _key_options():
    return (
        joinedload(KeySupervision.suggestion).joinedload(Suggestion.lead_deputy),
        joinedload(KeySupervision.suggestion).selectinload(Suggestion.assignments),
        joinedload(KeySupervision.suggestion).selectinload(Suggestion.supervision).joinedload(SupervisionAssignment.committee),
        selectinload(KeySupervision.leaders),
        selectinload(KeySupervision.steps),
    )


def print_key_notices(ids):
    chosen = db.session.scalars(access.scoped(current_user, KeySupervision, boundary.parse_ids(ids))).all()
    keys = documents.visible_keys(current_user, [key.suggestion_id for key in chosen])
    if not keys:
        flash("没有可打印的重点督办建议（候选建议须经主任会议研究确定）。", "danger")
        return redirect(url_for(".index_view"))
    return pdf_response(documents.key_notices(keys), f"重点督办通知单（{len(keys)}件）.pdf")


class KeySupervisionView(ScopedModelView):
    """重点督办: candidates and key suggestions, progress in seven steps, each step a (bulk) action."""

    roles = ALL_STAFF
    export_roles = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE, Role.LEADER})
    action_names = tuple(f"step_{n}" for n in key_supervision.STEP_RULES) + ("sign_off",)
    action_row_template = "admin/_record_row.html"
    column_auto_select_related = False  # get_query loads the relations
    column_list = ["suggestion", "lead_deputy", "units", "leaders", "progress", "steps"]
    column_labels = {"suggestion": "建议", "lead_deputy": "领衔代表", "units": "承办单位", "leaders": "领办督办区领导",
                     "progress": "进度", "steps": "各步骤日期（✔ 区领导已签字确认）", "year": "年度", "steps_done": "已完成步骤"}
    column_formatters = {
        "suggestion": _suggestion_link,
        "lead_deputy": lambda v, c, m, n: m.suggestion.lead_deputy.name,
        "units": lambda v, c, m, n: "、".join(f"{a.unit.name}（{ASSIGNMENT_ROLE_LABELS[a.role]}）"
                                             for a in m.suggestion.active_assignments),
        "leaders": lambda v, c, m, n: "、".join(u.display_name for u in m.leaders),
        "progress": lambda v, c, m, n: states.key_progress(m),
        "steps": lambda v, c, m, n: step_dates(m),
    }
    column_formatters_export = {**column_formatters, "suggestion": lambda v, c, m, n: str(m.suggestion)}
    column_sortable_list = ["year", "steps_done"]
    column_default_sort = ("id", True)
    column_filters = [
        IdFilter(KeySupervision.year, "年度"),
        IdFilter(KeySupervision.steps_done, "已完成步骤", options=[(str(n), f"第{n}步") for n in range(8)]),
    ]

    def get_query(self):
        return super().get_query().options(*_key_options())

    def read_actions(self) -> dict:
        return {"print_key_notices": (print_key_notices, "打印重点督办通知单（合并 PDF）")}

    def read_action_allowed(self, name: str) -> bool:
        return may_print(current_user)


class KeyBoardView(StaffView):
    """The year's key list at a glance: one row per key suggestion, one column per step."""

    roles = BOARD_ROLES

    @expose("/")
    def index(self):
        year = request.args.get("year", type=int) or today().year
        keys = db.session.scalars(
            select(KeySupervision).options(*_key_options())
            .where(KeySupervision.year == year, KeySupervision.suggestion_id.in_(visible_suggestion_ids(current_user)))
            .order_by(KeySupervision.steps_done.desc(), KeySupervision.id)
        ).unique().all()
        years = sorted(set(db.session.scalars(select(KeySupervision.year).distinct())) | {year}, reverse=True)
        return self.render("admin/key_board.html", keys=keys, year=year, years=years, step_labels=KEY_STEP_LABELS,
                           progress=states.key_progress, counts=key_supervision.year_counts(year, current_user))
