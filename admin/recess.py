"""The through-train page: timeliness of recess suggestions, by supervision class, and setting a class."""
from __future__ import annotations

from flask import request
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from admin.base import StaffView
from domain import recess, states
from domain.access import suggestion_scope
from domain.clock import today
from models import Suggestion, db
from models.drafting import SUPERVISION_CLASS_LABELS
from models.enums import Role, Source

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
            .where(Suggestion.source == Source.RECESS, Suggestion.state.in_(states.DEADLINE_RUNNING), suggestion_scope(current_user))
            .order_by(Suggestion.due_on)
        ).all()
        return self.render(
            "admin/recess.html", year=year, lines=lines, summary=timeliness_line(lines[0][1]),
            open_recess=open_recess, class_labels=SUPERVISION_CLASS_LABELS, today=now,
        )
