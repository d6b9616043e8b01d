"""Key supervision in the back office: the key-suggestion grid with its seven step actions, and the year's board."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from admin.base import ALL_STAFF, ScopedModelView, StaffView
from admin.supervision import run_form_page, selected_ids, store_evidence
from domain import key_supervision
from domain.access import suggestion_scope
from domain.workflow import WorkflowError
from forms.supervision import key_step_form
from models import KeySupervision, Suggestion, SupervisionAssignment, User, UserRole, db
from models.enums import ASSIGNMENT_ROLE_LABELS, Role
from models.supervision import KEY_STEP_LABELS
from printing import documents
from views.filters import local_date, today
from views.printing import NOTICE_ROLES, pdf_response

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


class KeySupervisionView(ScopedModelView):
    """重点督办: candidates and key suggestions, progress in seven steps, each step a (bulk) action."""

    roles = ALL_STAFF
    export_roles = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE, Role.LEADER})
    can_view_details = False
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
        "progress": lambda v, c, m, n: key_supervision.progress(m),
        "steps": lambda v, c, m, n: step_dates(m),
    }
    column_formatters_export = {**column_formatters, "suggestion": lambda v, c, m, n: str(m.suggestion)}
    column_sortable_list = ["year", "steps_done"]
    column_default_sort = ("id", True)
    column_filters = [
        FilterEqual(KeySupervision.year, "年度"),
        FilterEqual(KeySupervision.steps_done, "已完成步骤", options=[(str(n), f"第{n}步") for n in range(8)]),
    ]

    def scope(self):
        return KeySupervision.suggestion_id.in_(select(Suggestion.id).where(suggestion_scope(current_user)))

    def get_query(self):
        return super().get_query().options(*_key_options())

    def is_action_allowed(self, name: str) -> bool:
        if name.startswith("step_"):
            return current_user.has_role(Role.OFFICE) or (name == "step_4" and current_user.has_role(Role.COMMITTEE))
        if name == "sign_off":
            return current_user.has_role(Role.LEADER)
        if name == "print_key_notices":
            return current_user.has_role(*NOTICE_ROLES)
        return False

    def _step_action(self, step: int, ids):
        return redirect(url_for(".step_form", step=step, ids=selected_ids(ids)))

    @action("step_1", f"第1步：{KEY_STEP_LABELS[1]}")
    def action_step_1(self, ids):
        return self._step_action(1, ids)

    @action("step_2", f"第2步：{KEY_STEP_LABELS[2]}")
    def action_step_2(self, ids):
        return self._step_action(2, ids)

    @action("step_3", f"第3步：{KEY_STEP_LABELS[3]}")
    def action_step_3(self, ids):
        return self._step_action(3, ids)

    @action("step_4", f"第4步：{KEY_STEP_LABELS[4]}")
    def action_step_4(self, ids):
        return self._step_action(4, ids)

    @action("step_5", f"第5步：{KEY_STEP_LABELS[5]}")
    def action_step_5(self, ids):
        return self._step_action(5, ids)

    @action("step_6", f"第6步：{KEY_STEP_LABELS[6]}")
    def action_step_6(self, ids):
        return self._step_action(6, ids)

    @action("step_7", f"第7步：{KEY_STEP_LABELS[7]}")
    def action_step_7(self, ids):
        return self._step_action(7, ids)

    @action("sign_off", "区领导签字确认已完成的步骤", "确认对所选建议已完成的步骤签字吗？")
    def action_sign_off(self, ids):
        keys = self.get_query().filter(KeySupervision.id.in_([int(i) for i in ids if str(i).isdigit()])).all()
        signed = 0
        try:
            for key in keys:
                for step in key.steps:
                    if step.signed_off_at is None:
                        key_supervision.sign_off(current_user, step)
                        signed += 1
        except WorkflowError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return None
        db.session.commit()
        flash(f"已签字确认 {signed} 个步骤。" if signed else "所选建议没有待签字确认的步骤。", "success" if signed else "info")
        return None

    @action("print_key_notices", "打印重点督办通知单（合并 PDF）")
    def action_print_key_notices(self, ids):
        keys = self.get_query().filter(KeySupervision.id.in_([int(i) for i in ids if str(i).isdigit()]),
                                       KeySupervision.steps_done >= 1).all()
        if not keys:
            flash("没有可打印的重点督办建议（候选建议须经主任会议研究确定）。", "danger")
            return redirect(url_for(".index_view"))
        return pdf_response(documents.key_notices(keys), f"重点督办通知单（{len(keys)}件）.pdf")

    @expose("/step/<int:step>/", methods=("GET", "POST"))
    def step_form(self, step: int):
        if step not in key_supervision.STEP_RULES:
            abort(404)
        if not self.is_action_allowed(f"step_{step}"):
            abort(403)
        keys_wanted = [int(i) for i in request.args.get("ids", "").split(",") if i.isdigit()]
        keys = self.get_query().filter(KeySupervision.id.in_(keys_wanted)).order_by(KeySupervision.id).all()
        if not keys:
            abort(404)
        leaders = db.session.scalars(
            select(User).join(UserRole).where(UserRole.role == Role.LEADER, User.active.is_(True)).order_by(User.id)
        ).all()
        form = key_step_form(key_supervision.STEP_RULES[step].fields, step, [(u.id, u.display_name) for u in leaders])()
        by_suggestion = {key.suggestion_id: key for key in keys}

        def perform(suggestion):
            values = {name: getattr(form, name).data or "" for name in key_supervision.STEP_RULES[step].fields}
            if step == 2:
                values["leaders"] = [u for u in leaders if u.id in set(form.leaders.data)]
            if step == 6:
                values["published"] = form.published.data == "1"
            row = key_supervision.record_step(current_user, by_suggestion[suggestion.id], step, done_on=form.done_on.data,
                                              today=today(), **values)
            store_evidence(form, suggestion, "key_step", row.id)

        note = "第1步由主任会议研究确定，可一次选中多件候选建议。" if step == 1 else ""
        return run_form_page(self, form, [key.suggestion for key in keys], f"第{step}步：{KEY_STEP_LABELS[step]}", perform,
                             note=note)


class KeyBoardView(StaffView):
    """The year's key list at a glance: one row per key suggestion, one column per step."""

    roles = BOARD_ROLES

    @expose("/")
    def index(self):
        year = request.args.get("year", type=int) or today().year
        keys = db.session.scalars(
            select(KeySupervision).options(*_key_options())
            .where(KeySupervision.year == year, KeySupervision.suggestion_id.in_(
                select(Suggestion.id).where(suggestion_scope(current_user))))
            .order_by(KeySupervision.steps_done.desc(), KeySupervision.id)
        ).unique().all()
        years = sorted(set(db.session.scalars(select(KeySupervision.year).distinct())) | {year}, reverse=True)
        return self.render("admin/key_board.html", keys=keys, year=year, years=years, step_labels=KEY_STEP_LABELS,
                           progress=key_supervision.progress, counts=key_supervision.year_counts(year, current_user))
