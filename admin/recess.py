"""The through-train page: timeliness of recess suggestions, by supervision class, and setting a class."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from admin.base import StaffView
from domain import recess
from domain.access import suggestion_scope
from domain.errors import WorkflowError
from domain.rules import Rules
from forms.drafting import SupervisionClassForm
from models import Suggestion, db
from models.drafting import SUPERVISION_CLASS_LABELS, SupervisionClass
from models.enums import OPEN_STATES, Role, Source
from views.filters import today

RECESS_ROLES = frozenset({Role.OFFICE, Role.GOV_OFFICE})


def timeliness_line(timeliness: recess.Timeliness) -> str:
    """“按时交办 9/10（90%），按时答复 7/8（88%）” — also used on the home page."""
    def part(label: str, done: int, due: int, share: float | None) -> str:
        return f"{label} {done}/{due}（{share:.0%}）" if share is not None else f"{label} —（尚无到期）"

    return "，".join([
        part("按时交办", timeliness.assigned_on_time, timeliness.assign_due, timeliness.assigned_share),
        part("按时答复", timeliness.replied_on_time, timeliness.reply_due, timeliness.replied_share),
    ])


class RecessView(StaffView):
    roles = RECESS_ROLES

    @expose("/")
    def index(self):
        now = today()
        year = request.args.get("year", type=int) or now.year
        lines = [("全部", recess.timeliness(year, now))]
        lines += [(label, recess.timeliness(year, now, kind.value)) for kind, label in SUPERVISION_CLASS_LABELS.items()]
        open_recess = db.session.scalars(
            select(Suggestion).options(joinedload(Suggestion.lead_deputy))
            .where(Suggestion.source == Source.RECESS, Suggestion.state.in_(OPEN_STATES), suggestion_scope(current_user))
            .order_by(Suggestion.due_on)
        ).all()
        return self.render(
            "admin/recess.html", year=year, lines=lines, summary=timeliness_line(lines[0][1]),
            open_recess=open_recess, class_labels=SUPERVISION_CLASS_LABELS, form=SupervisionClassForm(), today=now,
        )

    @expose("/class/", methods=("GET", "POST"))
    def set_class(self):
        if not current_user.has_role(Role.OFFICE):
            abort(403)
        key = request.args.get("id", "")
        suggestion = db.session.scalar(select(Suggestion).where(
            Suggestion.id == int(key) if key.isdigit() else Suggestion.id.is_(None), suggestion_scope(current_user)))
        if suggestion is None:
            abort(404)
        form = SupervisionClassForm()
        if request.method == "POST" and form.validate_on_submit():
            try:
                recess.set_supervision_class(current_user, suggestion, form.supervision_class.data, Rules.load())
                db.session.commit()
                flash(f"已设为{SUPERVISION_CLASS_LABELS[SupervisionClass(form.supervision_class.data)]}督办，期限已按规则重算。",
                      "success")
            except WorkflowError as error:
                db.session.rollback()
                flash(str(error), "danger")
        return redirect(url_for(".index"))
