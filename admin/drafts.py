"""Drafts before the congress: the drafts grid for deputies and township staff, and the pre-review panel."""
from __future__ import annotations

from flask import redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from admin.base import ScopedModelView
from domain import drafting, duplicates, preparation, states, workflow
from domain.clock import today
from domain.rules import Rules
from forms.drafting import CoSignerForm, DraftEditForm, DraftForm, PreparationStepForm, ReviewCommentForm
from forms.workflow import MergeForm
from models import CongressSession, Deputy, Suggestion, db
from models.enums import CATEGORY_LABELS, SOURCE_LABELS, STATE_LABELS, Role, Source, State
from web.format import label_formatter, local_datetime

DRAFT_ROLES = frozenset({Role.OFFICE, Role.COMMITTEE, Role.GOV_OFFICE, Role.TOWNSHIP, Role.DEPUTY})
WRITERS = frozenset(workflow.DRAFTERS)


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


def _co_signer_form(suggestion: Suggestion) -> CoSignerForm:
    form = CoSignerForm()
    taken = {suggestion.lead_deputy_id} | {d.id for d in suggestion.co_signers}
    form.deputy_id.choices = [(d.id, d.name) for d in db.session.scalars(select(Deputy).order_by(Deputy.name))
                              if d.id not in taken]
    return form


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
    before_submission = suggestion.state in states.BEFORE_NUMBERING
    window = preparation.pre_submission_window(suggestion.session, Rules.load()) if suggestion.session else None
    return {"pre_congress": {
        "revisions": kept,
        "diffs": _diffs(suggestion, kept),
        "comments": drafting.review_comments(suggestion),
        "steps": drafting.preparation_steps(suggestion),
        "similar": duplicates.find_similar(current_user, suggestion) if suggestion.state in states.CHECKED_FOR_DUPLICATES else [],
        "window": window if suggestion.source == Source.CONGRESS else None,
        "can_edit": acts_for_lead and suggestion.state in states.EDITABLE,
        "can_prepare": acts_for_lead and before_submission,
        "can_comment": current_user.has_role(*workflow.REVIEWERS) and suggestion.state in states.OPEN_FOR_COMMENTS,
        "can_merge": "merge" in workflow.allowed_actions(current_user, suggestion),
        "own_co_signature": before_submission and current_user.deputy_id in {d.id for d in suggestion.co_signers},
        "comment_form": ReviewCommentForm(),
        "step_form": PreparationStepForm(),
        "co_signer_form": _co_signer_form(suggestion) if acts_for_lead and before_submission else None,
        "merge_form": MergeForm(),
    }}


class DraftView(ScopedModelView):
    """Drafts (never numbered) the user may see; deputies and township staff write them here."""

    roles = DRAFT_ROLES
    can_view_details = True  # the suggestion's own page
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
                                                      [*sorted(states.BEFORE_NUMBERING), State.NOT_ACCEPTED, State.MERGED]]),
        FilterEqual(Suggestion.source, "来源", options=[(k.value, v) for k, v in SOURCE_LABELS.items()]),
    ]

    def scope(self):
        return super().scope() & Suggestion.number.is_(None)

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

    def create(self, actor, form):
        return drafting.create_draft(
            actor, source=form.source.data, session=db.session.get(CongressSession, form.session_id.data or 0),
            lead_deputy=db.session.get(Deputy, form.lead_deputy_id.data), title=form.title.data,
            body=form.body.data, category=form.category.data, today=today(),
        )

    def update(self, actor, form, model):
        drafting.save_draft(actor, model, title=form.title.data, body=form.body.data, category=form.category.data,
                            expected_version=self.version_of(form))

    def get_save_return_url(self, model, is_created=False):
        return url_for("suggestion.details_view", id=model.id, _anchor="similar" if is_created else None)

    @expose("/details/")
    def details_view(self):
        suggestion = self.get_one(request.args.get("id"))
        return redirect(url_for("suggestion.details_view", id=suggestion.id))
