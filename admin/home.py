"""The back office's home page: the user's work at a glance."""
from flask import url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user
from sqlalchemy import func, select

from admin.base import ALL_STAFF, RoleGuard
from admin.filters import DueSoonFilter, OverdueFilter
from admin.recess import RECESS_ROLES, timeliness_line
from domain import recess, states
from domain.access import deputy_scope, record_scope, suggestion_scope
from domain.clock import today
from domain.rules import Rules
from models import ExtensionRequest, ReturnRequest, Suggestion, db
from models.enums import ROLE_LABELS, RequestStatus, Role, State


def _count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


class HomeView(RoleGuard, AdminIndexView):
    roles = ALL_STAFF

    def _filtered_grid(self, filter_class) -> str:
        grid = next(view for view in self.admin._views if view.endpoint == "suggestion")
        return url_for("suggestion.index_view", **{grid.filter_url_arg(filter_class): "1"})

    @expose("/")
    def index(self):
        now = today()
        visible = suggestion_scope(current_user)
        open_ = Suggestion.state.in_(states.DEADLINE_RUNNING)
        grid = "suggestion.index_view"
        cards = [
            {"label": "我可见的建议", "count": _count(Suggestion, visible), "url": url_for(grid), "css": "bg-light"},
            {"label": "办理中（含待交办、待签收、重办）", "count": _count(Suggestion, visible, open_),
             "url": url_for(grid), "css": "bg-light"},
            {"label": "已超期", "count": _count(Suggestion, visible, states.overdue(now)),
             "url": self._filtered_grid(OverdueFilter), "css": "bg-danger text-white"},
            {"label": "临期", "count": _count(Suggestion, visible, states.due_soon(now, Rules.load().amount("due_soon"))),
             "url": self._filtered_grid(DueSoonFilter), "css": "bg-warning"},
        ]
        if current_user.has_role(Role.UNIT):
            cards.append({"label": "待签收", "count": _count(Suggestion, visible, Suggestion.state == State.ASSIGNED),
                          "url": url_for(grid), "css": "bg-info text-white"})
        if current_user.has_role(Role.OFFICE):
            for label, model, endpoint in [("待审批延期申请", ExtensionRequest, "extension.index_view"),
                                           ("待审批退回申请", ReturnRequest, "return_request.index_view")]:
                cards.append({"label": label, "url": url_for(endpoint), "css": "bg-info text-white",
                              "count": _count(model, model.status == RequestStatus.PENDING,
                                              record_scope(current_user, model))})
        cards += _evaluation_cards(now)
        role_names = "、".join(ROLE_LABELS[r] for r in sorted(current_user.roles))
        through_train = None
        if current_user.has_role(*RECESS_ROLES):
            through_train = f"{now.year}年闭会建议直通车：{timeliness_line(recess.timeliness(now.year, now))}"
        return self.render(self._template, cards=cards, role_names=role_names, through_train=through_train)


def _evaluation_cards(now) -> list[dict]:
    """Overdue commitments (office and units), mismatched communications (office), the deputy's own pages."""
    from domain.ledger import overdue_count
    from models import AttitudeEvaluation

    cards = []
    if current_user.has_role(Role.OFFICE, Role.UNIT):
        cards.append({"label": "超期未落实的承诺事项", "count": overdue_count(current_user, now),
                      "url": url_for("commitment_ledger.index"), "css": "bg-danger text-white"})
    if current_user.has_role(Role.OFFICE):
        cards.append({"label": "“三沟通”与沟通记录不一致", "url": url_for("attitude_evaluation.index_view", flt0_0="1"),
                      "count": _count(AttitudeEvaluation, AttitudeEvaluation.mismatch != ""), "css": "bg-warning"})
    if current_user.has_role(Role.DEPUTY):
        cards.append({"label": "我的建议与评价（代表页面）", "count": _count(Suggestion, deputy_scope(current_user)),
                      "url": url_for("my.index"), "css": "bg-primary text-white"})
    return cards
