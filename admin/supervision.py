"""Joint supervision in the back office: the supervision lists (per committee, per township), the activities,
and what the suggestion grid and page show of supervision (printed notices, the supervision panel)."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, selectinload

from admin.base import ScopedModelView
from admin.filters import DueSoonFilter, IdFilter, OverdueFilter, TownshipFilter, options_of
from admin.records import RecordView, date_cell, suggestion_link
from domain import access, states
from domain.clock import today
from models import (
    Attachment,
    Committee,
    Deputy,
    Suggestion,
    SupervisionActivity,
    SupervisionAssignment,
    Township,
    db,
)
from models.enums import ASSIGNMENT_ROLE_LABELS, Role
from models.supervision import ACTIVITY_KIND_LABELS, KEY_STEP_LABELS
from printing import documents
from printing.render import pdf_response
from web import boundary
from web.format import label_formatter, local_date

EVIDENCE_OWNERS = ("supervision_activity", "key_step")


def may_print(user) -> bool:
    return user.has_role(*access.NOTICE_READERS)


def _units(view, context, model, name):
    return "、".join(f"{a.unit.name}（{ASSIGNMENT_ROLE_LABELS[a.role]}）" for a in model.active_assignments)


def _title_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for("suggestion.details_view", id=model.id), model.title)


def _due_on(view, context, model, name):
    text = local_date(model.due_on)
    if states.is_overdue(model, today()):
        return Markup('<span class="badge badge-danger">超期</span> ') + text
    return text


def print_notices(ids):
    """The grid's read-only action: the selected suggestions' supervision notices, merged into one PDF."""
    suggestions = documents.visible_suggestions(current_user, boundary.parse_ids(ids))
    if not suggestions:
        flash("没有可打印的建议：所选记录不存在或您无权访问。", "danger")
        return redirect(url_for(".index_view"))
    return pdf_response(documents.supervision_notices(suggestions), f"督办通知单（{len(suggestions)}件）.pdf")


def supervision_read_actions(view) -> dict:
    return {"print_notices": (print_notices, "打印督办通知单（合并 PDF）")}


class SupervisingCommitteeFilter(IdFilter):
    def __init__(self):
        super().__init__(Suggestion.id, "督办委室", options=options_of(Committee))

    def apply(self, query, value, alias=None):
        return query.filter(access.in_committee_queue(value))


class SupervisionQueueView(ScopedModelView):
    """督办任务: the committee's supervision queue, the township's deputies' suggestions, all for the office."""

    roles = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE, Role.TOWNSHIP})
    export_roles = roles
    action_names = ("record_activity", "change_committee")
    action_row_template = "admin/_suggestion_row.html"
    column_list = ["number_label", "title", "lead_deputy", "township", "units", "committee", "due_on", "activities"]
    column_labels = {"number_label": "案号", "title": "标题", "lead_deputy": "领衔代表", "township": "镇街",
                     "units": "承办单位", "committee": "督办委室", "due_on": "当前期限", "activities": "督办活动"}
    column_sortable_list = ["number_label", "title", "due_on"]
    column_default_sort = ("due_on", False)
    column_searchable_list = ["title", "number_label"]
    column_formatters = {
        "title": _title_link, "units": _units, "due_on": _due_on,
        "lead_deputy": lambda v, c, m, n: m.lead_deputy.name,
        "township": lambda v, c, m, n: m.lead_deputy.township.name,
        "committee": lambda v, c, m, n: m.supervision.committee.name if m.supervision else "未分派",
        "activities": lambda v, c, m, n: f"{len(m.supervision_activities)} 次" + (
            f"（最近 {local_date(m.supervision_activities[-1].held_on)}）" if m.supervision_activities else ""),
    }
    column_formatters_export = {**column_formatters, "title": lambda v, c, m, n: m.title,
                                "due_on": lambda v, c, m, n: local_date(m.due_on)}
    column_filters = [SupervisingCommitteeFilter(), TownshipFilter(), OverdueFilter(), DueSoonFilter()]

    def scope(self):
        return and_(super().scope(), access.supervision_queue_scope(current_user))

    def get_query(self):
        return super().get_query().options(
            joinedload(Suggestion.lead_deputy).joinedload(Deputy.township),
            selectinload(Suggestion.assignments),
            selectinload(Suggestion.supervision).joinedload(SupervisionAssignment.committee),
            selectinload(Suggestion.supervision_activities),
        )

    def _get_filter_groups(self):
        self._refresh_filters_cache()
        return super()._get_filter_groups()


class SupervisionActivityView(RecordView):
    column_list = ["suggestion", "kind", "held_on", "organiser", "place", "participants", "invited_deputies", "findings",
                   "follow_up"]
    column_labels = {"suggestion": "建议", "kind": "类型", "held_on": "日期", "organiser": "组织者", "place": "地点",
                     "participants": "参加人员", "invited_deputies": "邀请代表", "findings": "督办情况", "follow_up": "后续跟踪"}
    column_formatters = {"suggestion": suggestion_link, "kind": label_formatter(ACTIVITY_KIND_LABELS), "held_on": date_cell("held_on"),
                         "organiser": lambda v, c, m, n: m.organiser}
    column_formatters_export = {"kind": label_formatter(ACTIVITY_KIND_LABELS), "organiser": lambda v, c, m, n: m.organiser,
                                "suggestion": lambda v, c, m, n: str(m.suggestion)}
    column_filters = [
        FilterEqual(SupervisionActivity.kind, "类型", options=[(k.value, v) for k, v in ACTIVITY_KIND_LABELS.items()]),
        IdFilter(SupervisionActivity.committee_id, "委室", options=options_of(Committee)),
        IdFilter(SupervisionActivity.township_id, "镇街", options=options_of(Township)),
    ]
    column_searchable_list = ["place", "participants", "findings"]

    def get_query(self):
        return super().get_query().options(joinedload(SupervisionActivity.committee), joinedload(SupervisionActivity.township))

    def _get_filter_groups(self):
        self._refresh_filters_cache()
        return super()._get_filter_groups()


def supervision_details(user, suggestion: Suggestion) -> dict:
    """What the suggestion's page shows about its supervision: committee, activities, key steps, evidence, print links."""
    activities = db.session.scalars(
        select(SupervisionActivity).options(joinedload(SupervisionActivity.committee), joinedload(SupervisionActivity.township))
        .where(SupervisionActivity.suggestion_id == suggestion.id).order_by(SupervisionActivity.held_on, SupervisionActivity.id)
    ).all()
    evidence: dict[tuple[str, int], list[Attachment]] = {}
    for attachment in db.session.scalars(
        select(Attachment).where(Attachment.suggestion_id == suggestion.id, Attachment.owner_type.in_(EVIDENCE_OWNERS))
        .order_by(Attachment.id)
    ):
        evidence.setdefault((attachment.owner_type, attachment.owner_id), []).append(attachment)
    return {
        "supervision_activities": activities, "evidence": evidence, "activity_kinds": ACTIVITY_KIND_LABELS,
        "key": suggestion.key_supervision, "key_step_labels": KEY_STEP_LABELS, "may_print": may_print(user),
    }
