"""The annual assessment: the ranking of units and townships, itemised; its rules; Excel and PDF."""
from __future__ import annotations

from flask import abort, flash, request
from flask_admin import expose
from flask_login import current_user

from admin.base import StaffView
from admin.reference import ReferenceView
from admin.statistics import chosen_year, known_years
from domain import assessment
from domain.access import ASSESSMENT_RANKING_READERS
from domain.clock import today
from domain.excel import assessment_workbook, xlsx_response
from models.enums import Role
from web.jobs import start_job

READERS = frozenset({Role.OFFICE, Role.GOV_OFFICE, Role.UNIT, Role.TOWNSHIP})
RANKING_READERS = ASSESSMENT_RANKING_READERS


def _own_rows(scores: list[assessment.SubjectScore], subject: str) -> list[assessment.SubjectScore]:
    """Office and government office see every row; a unit or township sees only its own."""
    if current_user.has_role(*RANKING_READERS):
        return scores
    own_id = current_user.unit_id if subject == assessment.UNIT else current_user.township_id
    return [s for s in scores if own_id is not None and s.subject_id == own_id]


class AssessmentView(StaffView):
    roles = READERS

    def _year(self) -> int:
        years = known_years()
        return chosen_year(request.args, years)

    def _scores(self, year: int) -> dict[str, list[assessment.SubjectScore]]:
        as_of = today()
        return {subject: _own_rows(assessment.assess(subject, year, as_of), subject)
                for subject in (assessment.UNIT, assessment.TOWNSHIP)}

    @expose("/")
    def index(self):
        year = self._year()
        scores = self._scores(year)
        if not current_user.has_role(*RANKING_READERS) and not any(scores.values()):
            flash("您的账号未关联承办单位或镇街，无法查看考核结果。", "warning")
        return self.render("admin/assessment.html", year=year, scores=scores, labels_subject=assessment.SUBJECT_LABELS,
                           full=current_user.has_role(*RANKING_READERS))

    def _ranking_only(self) -> None:
        if not current_user.has_role(*RANKING_READERS):
            abort(403)

    @expose("/export.xlsx")
    def export(self):
        self._ranking_only()
        year = self._year()
        return xlsx_response(assessment_workbook(year, self._scores(year)), f"{year}年度代表建议办理考核.xlsx")

    @expose("/ranking.pdf")
    def ranking_pdf(self):
        """The ranking PDF takes tens of seconds at scale: it is made in the background (jobs.exports)."""
        self._ranking_only()
        year = self._year()
        return start_job("assessment_pdf", f"{year}年度代表建议办理考核排名（PDF）", {"year": year}, dedup_key=f"assessment:{year}")


class AssessmentItemView(ReferenceView):
    """The scoring rules: the office edits labels, weights, bonus parameters and turns items on or off."""

    column_list = ["position", "subject", "label", "kind", "weight", "parameter", "active", "code"]
    column_labels = {"subject": "考核对象", "kind": "计分方式", "code": "代码"}
    column_formatters = {
        "subject": lambda v, c, m, n: assessment.SUBJECT_LABELS.get(m.subject, m.subject),
        "kind": lambda v, c, m, n: assessment.KIND_LABELS.get(m.kind, m.kind),
        "active": lambda v, c, m, n: "是" if m.active else "否",
    }
    column_default_sort = "position"
