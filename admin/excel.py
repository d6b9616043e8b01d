"""Excel in and out: the ledger export for every staff role (row-level access applied), import for the office."""
from __future__ import annotations

from flask import abort, flash, request
from flask_admin import expose
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select

from admin.base import ALL_STAFF, StaffView
from admin.statistics import chosen_session, known_years
from domain import excel
from domain.clock import today
from models import CongressSession, db
from models.enums import Role
from web import boundary


class ImportForm(FlaskForm):
    file = FileField("Excel 文件（.xlsx，按模板填写）", validators=[FileRequired("请选择要导入的文件。")])


class ExcelView(StaffView):
    roles = ALL_STAFF

    def _choices(self):
        years = known_years()
        sessions = list(db.session.scalars(select(CongressSession).order_by(CongressSession.opens_on.desc())))
        return years, sessions

    @expose("/", methods=("GET", "POST"))
    def index(self):
        years, sessions = self._choices()
        form = ImportForm() if current_user.has_role(Role.OFFICE) else None
        result, saved = None, None
        if request.method == "POST":
            if form is None:
                abort(403)
            result, saved = self._import(form)
        return self.render("admin/excel.html", years=years, sessions=sessions, form=form, result=result, saved=saved)

    def _import(self, form: ImportForm):
        """Check every row (nothing saved); when all are good, register them all in one request."""
        if not form.validate_on_submit():
            flash("请选择要导入的 .xlsx 文件。", "danger")
            return None, None
        result = excel.validate_import(form.file.data.read(), today())
        if not result.ok:
            flash(f"导入未完成：{len(result.errors)} 行有误，整个文件均未保存。请修改后重新导入。", "danger")
            return result, None
        saved = boundary.perform(lambda actor: excel.import_suggestions(actor, result))
        if saved:
            flash(f"导入成功：已登记 {len(saved)} 件建议。", "success")
        return result, saved or None

    @expose("/ledger.xlsx")
    def ledger(self):
        years, sessions = self._choices()
        session = chosen_session(request.args, sessions)
        year_text = request.args.get("year", "")
        year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
        condition = excel.session_or_year(session.id if session else None, year)
        name = session.name if session else (f"{year}年" if year else "全部")
        return excel.xlsx_response(excel.ledger_workbook(current_user, condition), f"建议台账（{name}）.xlsx")

    @expose("/template.xlsx")
    def template(self):
        if not current_user.has_role(Role.OFFICE):
            abort(403)
        return excel.xlsx_response(excel.import_template(), "建议导入模板.xlsx")
