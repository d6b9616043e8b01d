"""Exports that take seconds or more, done by the job worker: each checks the asker's role and scope itself."""
from __future__ import annotations

from flask import render_template

from domain import assessment
from domain.access import ASSESSMENT_RANKING_READERS
from domain.clock import today
from domain.errors import require
from jobs.runner import Progress, Result
from models import User
from printing.render import render_pdf

PDF = "application/pdf"


def assessment_pdf(actor: User, progress: Progress, year: int) -> Result:
    """The year's assessment ranking of units and townships, item by item, as a PDF."""
    require(actor is not None and actor.has_role(*ASSESSMENT_RANKING_READERS), "您的角色无权导出考核排名。")
    scores = {}
    for done, subject in enumerate((assessment.UNIT, assessment.TOWNSHIP)):
        progress(done, 3, f"正在计算{assessment.SUBJECT_LABELS[subject]}得分")
        scores[subject] = assessment.assess(subject, year, today())
    progress(2, 3, "正在排版 PDF")
    html = render_template("admin/assessment_pdf.html", year=year, scores=scores, labels_subject=assessment.SUBJECT_LABELS,
                           printed_on=today())
    return Result(f"{year}年度代表建议办理考核排名.pdf", PDF, render_pdf(html))
