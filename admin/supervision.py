"""Joint supervision in the back office: the supervision lists (per committee, per township), the activities,
and the supervision actions added to the suggestion grid (key-supervision candidates, printed notices)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, selectinload

from admin.base import ScopedModelView
from admin.filters import DueSoonFilter, OverdueFilter, TownshipFilter, _IdFilter, _options
from admin.records import RecordView, _date, _suggestion_link
from domain import attachments, key_supervision, supervision
from domain.access import suggestion_scope
from domain.workflow import WorkflowError
from forms.supervision import ActivityForm, CommitteeForm, ProposeForm
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
from views.filters import label_formatter, local_date, today
from views.printing import NOTICE_ROLES, pdf_response

OFFICE = frozenset({Role.OFFICE})
ACTIVITY_RECORDERS = frozenset({Role.COMMITTEE, Role.TOWNSHIP})
EVIDENCE_OWNERS = ("supervision_activity", "key_step")


def _units(view, context, model, name):
    return "、".join(f"{a.unit.name}（{ASSIGNMENT_ROLE_LABELS[a.role]}）" for a in model.active_assignments)


def _title_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for("suggestion.details_view", id=model.id), model.title)


def _due_on(view, context, model, name):
    text = local_date(model.due_on)
    if model.due_on and model.state in supervision.SUPERVISABLE_STATES and model.due_on < today():
        return Markup('<span class="badge badge-danger">超期</span> ') + text
    return text


def selected_ids(ids) -> str:
    return ",".join(str(i) for i in ids if str(i).isdigit())


def store_evidence(form, suggestion: Suggestion, owner_type: str, owner_id: int) -> None:
    """Store the form's optional evidence file against one record (bulk forms store one copy per suggestion)."""
    upload = form.evidence.data
    if upload and getattr(upload, "filename", ""):
        upload.stream.seek(0)
        attachments.store(current_user, suggestion, upload, owner_type, owner_id)


def run_form_page(view, form, suggestions: list[Suggestion], title: str, perform, *, note: str = ""):
    """Validate a form over the selected suggestions, apply `perform` to each, all or nothing, and commit once."""
    if form.validate_on_submit():
        try:
            for suggestion in suggestions:
                perform(suggestion)
        except WorkflowError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(f"{title}：已完成 {len(suggestions)} 条。", "success")
            return redirect(url_for(".index_view"))
    elif request.method == "POST":
        flash("表单有误，请按提示修改后再提交。", "danger")
    return view.render("admin/workflow_form.html", form=form, suggestions=suggestions, title=title, note=note,
                       return_url=url_for(".index_view"))


class SupervisingCommitteeFilter(_IdFilter):
    def __init__(self):
        super().__init__(Suggestion.id, "督办委室", options=_options(Committee))

    def apply(self, query, value, alias=None):
        return query.filter(supervision.in_committee_queue(value))


class SupervisionQueueView(ScopedModelView):
    """督办任务: the committee's supervision queue, the township's deputies' suggestions, all for the office."""

    roles = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE, Role.TOWNSHIP})
    export_roles = roles
    can_view_details = False
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
        return and_(suggestion_scope(current_user), supervision.queue_scope(current_user))

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

    def is_action_allowed(self, name: str) -> bool:
        allowed = {"record_activity": ACTIVITY_RECORDERS, "change_committee": OFFICE}
        return name in allowed and current_user.has_role(*allowed[name])

    def _selected(self) -> list[Suggestion]:
        keys = [int(i) for i in request.args.get("ids", "").split(",") if i.isdigit()]
        suggestions = self.get_query().filter(Suggestion.id.in_(keys)).order_by(Suggestion.id).all()
        if not suggestions:
            abort(404)
        return suggestions

    @action("record_activity", "记录督办活动")
    def action_record_activity(self, ids):
        return redirect(url_for(".activity_form", ids=selected_ids(ids)))

    @action("change_committee", "调整督办委室")
    def action_change_committee(self, ids):
        return redirect(url_for(".committee_form", ids=selected_ids(ids)))

    @expose("/activity/", methods=("GET", "POST"))
    def activity_form(self):
        if not self.is_action_allowed("record_activity"):
            abort(403)
        suggestions, form = self._selected(), ActivityForm()

        def perform(suggestion):
            activity = supervision.record_activity(
                current_user, suggestion, kind=form.kind.data, held_on=form.held_on.data, place=form.place.data,
                participants=form.participants.data, invited_deputies=form.invited_deputies.data or "",
                findings=form.findings.data, follow_up=form.follow_up.data or "", today=today())
            store_evidence(form, suggestion, "supervision_activity", activity.id)

        return run_form_page(self, form, suggestions, "记录督办活动", perform,
                             note="同一活动涉及多件建议时，可在列表中一次选中，分别记录。")

    @expose("/committee/", methods=("GET", "POST"))
    def committee_form(self):
        if not self.is_action_allowed("change_committee"):
            abort(403)
        suggestions, form = self._selected(), CommitteeForm()
        committees = {c.id: c for c in db.session.scalars(select(Committee).order_by(Committee.id))}
        form.committee.choices = [(c.id, c.name) for c in committees.values()]
        return run_form_page(self, form, suggestions, "调整督办委室", lambda s: supervision.change_committee(
            current_user, s, committees[form.committee.data], today()))


class SupervisionActivityView(RecordView):
    column_list = ["suggestion", "kind", "held_on", "organiser", "place", "participants", "invited_deputies", "findings",
                   "follow_up"]
    column_labels = {"suggestion": "建议", "kind": "类型", "held_on": "日期", "organiser": "组织者", "place": "地点",
                     "participants": "参加人员", "invited_deputies": "邀请代表", "findings": "督办情况", "follow_up": "后续跟踪"}
    column_formatters = {"suggestion": _suggestion_link, "kind": label_formatter(ACTIVITY_KIND_LABELS), "held_on": _date("held_on"),
                         "organiser": lambda v, c, m, n: m.organiser}
    column_formatters_export = {"kind": label_formatter(ACTIVITY_KIND_LABELS), "organiser": lambda v, c, m, n: m.organiser,
                                "suggestion": lambda v, c, m, n: str(m.suggestion)}
    column_filters = [
        FilterEqual(SupervisionActivity.kind, "类型", options=[(k.value, v) for k, v in ACTIVITY_KIND_LABELS.items()]),
        FilterEqual(SupervisionActivity.committee_id, "委室", options=_options(Committee)),
        FilterEqual(SupervisionActivity.township_id, "镇街", options=_options(Township)),
    ]
    column_searchable_list = ["place", "participants", "findings"]

    def get_query(self):
        return super().get_query().options(joinedload(SupervisionActivity.committee), joinedload(SupervisionActivity.township))

    def _get_filter_groups(self):
        self._refresh_filters_cache()
        return super()._get_filter_groups()


class SuggestionSupervisionActions:
    """Actions added to the suggestion grid: propose for key supervision, print merged supervision notices."""

    def is_action_allowed(self, name: str) -> bool:
        if name == "propose_key":
            return current_user.has_role(Role.OFFICE)
        if name == "print_notices":
            return current_user.has_role(*NOTICE_ROLES)
        return False

    @action("print_notices", "打印督办通知单（合并 PDF）")
    def action_print_notices(self, ids):
        suggestions = documents.visible_suggestions(current_user, ids)
        if not suggestions:
            flash("没有可打印的建议：所选记录不存在或您无权访问。", "danger")
            return redirect(url_for(".index_view"))
        return pdf_response(documents.supervision_notices(suggestions), f"督办通知单（{len(suggestions)}件）.pdf")

    @action("propose_key", "列为重点督办候选")
    def action_propose_key(self, ids):
        return redirect(url_for(".propose_key_form", ids=selected_ids(ids)))

    @expose("/propose-key/", methods=("GET", "POST"))
    def propose_key_form(self):
        if not self.is_action_allowed("propose_key"):
            abort(403)
        suggestions = self._visible(request.args.get("ids", "").split(","))
        if not suggestions:
            abort(404)
        form = ProposeForm()
        return run_form_page(self, form, suggestions, "列为重点督办候选", lambda s: key_supervision.propose(
            current_user, s, form.reason.data, today()), note="候选建议提交主任会议研究确定后，方列为重点督办建议。")



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
        "key": suggestion.key_supervision, "key_step_labels": KEY_STEP_LABELS,
        "may_print": user.has_role(*NOTICE_ROLES),
    }
