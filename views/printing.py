"""PDF downloads: supervision notices, a unit's notice, key-supervision notices and the step-7 report.

Every route checks the role, then reads only rows inside the reader's scope; a row out of scope is a 404.
"""
from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user, login_required

from domain.access import NOTICE_READERS, REPORT_READERS
from models import Unit, db
from models.enums import Role
from printing import documents
from printing.render import pdf_response

bp = Blueprint("printing", __name__, url_prefix="/print")


def _require_role(roles: frozenset[Role]) -> None:
    if not current_user.has_role(*roles):
        abort(403)


@bp.route("/notice/<int:suggestion_id>.pdf")
@login_required
def notice(suggestion_id: int):
    _require_role(NOTICE_READERS)
    suggestions = documents.visible_suggestions(current_user, [suggestion_id])
    if not suggestions:
        abort(404)
    return pdf_response(documents.supervision_notices(suggestions), f"督办通知单-{suggestions[0].display_number}.pdf")


@bp.route("/unit/<int:unit_id>.pdf")
@login_required
def unit_notice(unit_id: int):
    _require_role(NOTICE_READERS - {Role.TOWNSHIP, Role.LEADER})
    unit = db.session.get(Unit, unit_id)
    own_unit_only = current_user.has_role(Role.UNIT) and not current_user.has_role(Role.OFFICE, Role.GOV_OFFICE, Role.COMMITTEE)
    if unit is None or (own_unit_only and current_user.unit_id != unit.id):
        abort(404)
    return pdf_response(documents.unit_notice(current_user, unit), f"督办通知单-{unit.name}.pdf")


@bp.route("/key/<int:suggestion_id>.pdf")
@login_required
def key_notice(suggestion_id: int):
    _require_role(NOTICE_READERS)
    keys = documents.visible_keys(current_user, [suggestion_id])
    if not keys:
        abort(404)
    return pdf_response(documents.key_notices(keys), f"重点督办通知单-{keys[0].suggestion.display_number}.pdf")


@bp.route("/key-report/<int:year>.pdf")
@login_required
def key_report(year: int):
    _require_role(REPORT_READERS)
    return pdf_response(documents.key_report(year, documents.visible_keys(current_user, year=year)),
                        f"{year}年重点督办建议办理情况报告.pdf")
