"""Drafts before the congress: the drafts grid for deputies and township staff, and the pre-review panel."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from admin.base import ScopedModelView, VersionedFormMixin
from domain import drafting, duplicates, preparation, workflow
from domain.access import suggestion_scope
from domain.errors import WorkflowError
from domain.rules import Rules
from forms.drafting import (
    CoSignerForm,
    DraftEditForm,
    DraftForm,
    MergeIntoForm,
    PreparationStepForm,
    ReviewCommentForm,
)
from models import CongressSession, Deputy, Suggestion, db
from models.enums import CATEGORY_LABELS, SOURCE_LABELS, STATE_LABELS, Role, Source, State
from views.filters import label_formatter, local_datetime, today

DRAFT_ROLES = frozenset({Role.OFFICE, Role.COMMITTEE, Role.GOV_OFFICE, Role.TOWNSHIP, Role.DEPUTY})
WRITERS = frozenset({Role.DEPUTY, Role.TOWNSHIP, Role.OFFICE})
REVIEWERS = frozenset(drafting.REVIEWERS)
SIMILAR_STATES = set(drafting.BEFORE_SUBMISSION) | {State.SUBMITTED}


def _details_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for("suggestion.details_view", id=model.id), model.title)


def _deputy_choices() -> list[tuple[int, str]]:
    """The deputies this user may draft for: themselves, their township's, or (office) everyone."""
    query = select(Deputy).order_by(Deputy.township_id, Deputy.id)
    if not current_user.has_role(Role.OFFICE):
        if current_user.has_role(Role.TOWNSHIP) and current_user.township_id:
            query = query.where(Deputy.township_id == current_user.township_id)
        else:
            query = query.where(Deputy.id == (current_user.deputy_id or 0))
    return [(d.id, f"{d.name}（{d.township}）") for d in db.session.scalars(query.options(joinedload(Deputy.township)))]


def _suggestion_in_scope(key: str) -> Suggestion:
    """A suggestion the user may see (drafts or numbered, e.g. for merging), or 404."""
    suggestion = None
    if key.isdigit():
        suggestion = db.session.scalar(select(Suggestion).where(Suggestion.id == int(key), suggestion_scope(current_user)))
    if suggestion is None:
        abort(404)
    return suggestion


def _co_signer_form(suggestion: Suggestion) -> CoSignerForm:
    form = CoSignerForm()
    taken = {suggestion.lead_deputy_id} | {d.id for d in suggestion.co_signers}
    form.deputy_id.choices = [(i, name) for i, name in _all_deputies() if i not in taken]
    return form


def _all_deputies() -> list[tuple[int, str]]:
    return [(d.id, d.name) for d in db.session.scalars(select(Deputy).order_by(Deputy.name))]


def _diffs(suggestion: Suggestion, kept) -> list[dict]:
    """Each revision against the one before it, and the current text against the last revision; newest first."""
    texts = [(f"第{r.number}稿（{local_datetime(r.created_at)}预交）", f"{r.title}\n\n{r.body}") for r in kept]
    current = f"{suggestion.title}\n\n{suggestion.body}"
    if texts and texts[-1][1] != current:
        texts.append(("当前文本（尚未再次预交）", current))
    pairs = [{"old": old[0], "new": new[0], "segments": preparation.text_diff(old[1], new[1])}
             for old, new in zip(texts, texts[1:])]
    return list(reversed(pairs))


def pre_congress_panels(suggestion: Suggestion) -> dict:
    """What the details page shows about drafting and pre-review, to those who take part in it."""
    if not current_user.has_role(*DRAFT_ROLES):
        return {"pre_congress": None}
    kept = preparation.revisions(suggestion)
    acts_for_lead = preparation.acts_for_lead_deputy(current_user, suggestion)
    before_submission = suggestion.state in drafting.BEFORE_SUBMISSION
    window = preparation.pre_submission_window(suggestion.session, Rules.load()) if suggestion.session else None
    return {"pre_congress": {
        "revisions": kept,
        "diffs": _diffs(suggestion, kept),
        "comments": drafting.review_comments(suggestion),
        "steps": drafting.preparation_steps(suggestion),
        "similar": duplicates.find_similar(current_user, suggestion) if suggestion.state in SIMILAR_STATES else [],
        "window": window if suggestion.source == Source.CONGRESS else None,
        "can_edit": acts_for_lead and suggestion.state in preparation.EDITABLE_STATES,
        "can_prepare": acts_for_lead and before_submission,
        "can_comment": current_user.has_role(*REVIEWERS) and suggestion.state in (State.PRE_SUBMITTED, State.UNDER_REVIEW),
        "can_merge": "merge" in workflow.allowed_actions(current_user, suggestion),
        "own_co_signature": before_submission and current_user.deputy_id in {d.id for d in suggestion.co_signers},
        "comment_form": ReviewCommentForm(),
        "step_form": PreparationStepForm(),
        "co_signer_form": _co_signer_form(suggestion) if acts_for_lead and before_submission else None,
        "merge_form": MergeIntoForm(),
    }}


class DraftView(VersionedFormMixin, ScopedModelView):
    """Drafts (never numbered) the user may see; deputies and township staff write them here."""

    roles = DRAFT_ROLES
    create_roles = WRITERS
    edit_roles = WRITERS
    column_list = ["title", "lead_deputy", "source", "category", "state", "state_reason", "updated_at"]
    column_labels = {"title": "标题", "lead_deputy": "领衔代表", "source": "来源", "category": "类别", "state": "状态",
                     "state_reason": "初审意见 / 不予立案理由", "updated_at": "最后修改",
                     "lead_deputy.name": "领衔代表"}
    column_formatters = {
        "title": _details_link, "source": label_formatter(SOURCE_LABELS), "category": label_formatter(CATEGORY_LABELS),
        "state": label_formatter(STATE_LABELS),
        "updated_at": lambda v, c, m, n: local_datetime(m.updated_at),
    }
    column_sortable_list = ["title", "state", "category", "updated_at"]
    column_default_sort = ("id", True)
    column_searchable_list = ["title", "lead_deputy.name"]
    column_filters = [
        FilterEqual(Suggestion.state, "状态", options=[(s.value, STATE_LABELS[s]) for s in
                                                      [*drafting.BEFORE_SUBMISSION, State.NOT_ACCEPTED, State.MERGED]]),
        FilterEqual(Suggestion.source, "来源", options=[(k.value, v) for k, v in SOURCE_LABELS.items()]),
    ]

    def scope(self):
        return suggestion_scope(current_user) & Suggestion.number.is_(None)

    def get_query(self):
        return super().get_query().options(joinedload(Suggestion.lead_deputy))

    def get_create_form(self):
        return DraftForm

    def get_edit_form(self):
        return DraftEditForm

    def create_form(self, obj=None):
        form = super().create_form(obj)
        form.lead_deputy_id.choices = _deputy_choices()
        sessions = db.session.scalars(select(CongressSession).order_by(CongressSession.opens_on.desc())).all()
        form.session_id.choices = [(s.id, s.name) for s in sessions]
        return form

    def create_model(self, form):
        try:
            suggestion = drafting.create_draft(
                current_user, source=form.source.data, session=db.session.get(CongressSession, form.session_id.data or 0),
                lead_deputy=db.session.get(Deputy, form.lead_deputy_id.data), title=form.title.data,
                body=form.body.data, category=form.category.data, today=today(),
            )
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return False
        flash("草稿已保存。下方列出与之相似的建议，请核对是否重复。", "success")
        return suggestion

    def update_model(self, form, model):
        if str(model.version) != str(form.version.data):
            return super().update_model(form, model)  # the mixin refuses the stale form
        try:
            drafting.save_draft(current_user, model, title=form.title.data, body=form.body.data, category=form.category.data)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return False
        flash("草稿已保存。", "success")
        return True

    def get_save_return_url(self, model, is_created=False):
        return url_for("suggestion.details_view", id=model.id)

    @expose("/details/")
    def details_view(self):
        suggestion = self.get_one(request.args.get("id"))
        return redirect(url_for("suggestion.details_view", id=suggestion.id))

    # --- the panel's forms -------------------------------------------------------------------

    def _post(self, roles, form_class, operation, done: str):
        """Run one domain operation from a panel form on a suggestion in scope, then go back to its page."""
        if not current_user.has_role(*roles):
            abort(403)
        suggestion = _suggestion_in_scope(request.args.get("id", ""))
        back = redirect(url_for("suggestion.details_view", id=suggestion.id))
        if request.method != "POST":
            return back
        form = form_class()
        if form_class is CoSignerForm:
            form.deputy_id.choices = _all_deputies()
        if not form.validate_on_submit():
            flash("表单有误：" + "；".join(e for errors in form.errors.values() for e in errors), "danger")
            return back
        try:
            operation(suggestion, form)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(done, "success")
        return back

    @expose("/comment/", methods=("GET", "POST"))
    def comment(self):
        return self._post(REVIEWERS, ReviewCommentForm, lambda s, f: drafting.add_review_comment(
            current_user, s, aspect=f.aspect.data, text=f.text.data, suggested_units=f.suggested_units.data or ""),
            "初审意见已保存，领衔代表可以看到。")

    @expose("/step/", methods=("GET", "POST"))
    def step(self):
        return self._post(WRITERS, PreparationStepForm, lambda s, f: drafting.record_preparation_step(
            current_user, s, step=f.step.data, done_on=f.done_on.data, note=f.note.data or "", today=today()),
            "酝酿步骤已记录。")

    @expose("/co_signer/", methods=("GET", "POST"))
    def co_signer(self):
        def change(suggestion, form):
            deputy = db.session.get(Deputy, form.deputy_id.data)
            if form.operation.data == "remove":
                drafting.remove_co_signer(current_user, suggestion, deputy)
            else:
                drafting.add_co_signer(current_user, suggestion, deputy)
        return self._post(WRITERS, CoSignerForm, change, "附议代表已更新。")

    @expose("/merge_into/", methods=("GET", "POST"))
    def merge_into(self):
        def merge(suggestion, form):
            target = self._merge_target(form.target_id.data)
            workflow.merge(current_user, suggestion, target)
        return self._post(frozenset({Role.OFFICE}), MergeIntoForm, merge, "已并案：本建议的代表均已列为目标建议的附议代表。")

    def _merge_target(self, target_id: str) -> Suggestion:
        target = None
        if target_id.isdigit():
            target = db.session.scalar(select(Suggestion).where(Suggestion.id == int(target_id), suggestion_scope(current_user)))
        if target is None:
            raise WorkflowError("找不到要并入的建议。")
        return target
