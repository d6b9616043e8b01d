"""Forms for drafting and pre-review."""
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forms.base import REQUIRED, ActionForm, date_field
from models import Deputy, db
from models.drafting import PREPARATION_STEP_LABELS, REVIEW_ASPECT_LABELS, SUPERVISION_CLASS_LABELS
from models.enums import CATEGORY_LABELS, SOURCE_LABELS


def _choices(labels) -> list[tuple[str, str]]:
    return [(key.value, label) for key, label in labels.items()]


class DraftForm(FlaskForm):
    source = SelectField("来源", choices=_choices(SOURCE_LABELS))
    session_id = SelectField("届次（大会建议）", coerce=int, validators=[Optional()])
    lead_deputy_id = SelectField("领衔代表", coerce=int, validators=[DataRequired("请选择领衔代表。")])
    category = SelectField("类别", choices=_choices(CATEGORY_LABELS))
    title = StringField("标题", validators=[DataRequired(REQUIRED), Length(max=200)])
    body = TextAreaField("正文", validators=[DataRequired(REQUIRED), Length(max=50000)], render_kw={"rows": 14})


class DraftEditForm(FlaskForm):
    category = SelectField("类别", choices=_choices(CATEGORY_LABELS))
    title = StringField("标题", validators=[DataRequired(REQUIRED), Length(max=200)])
    body = TextAreaField("正文", validators=[DataRequired(REQUIRED), Length(max=50000)], render_kw={"rows": 14})
    version = HiddenField()


class ReviewCommentForm(ActionForm):
    aspect = SelectField("意见类别", choices=_choices(REVIEW_ASPECT_LABELS))
    text = TextAreaField("初审意见", validators=[DataRequired(REQUIRED), Length(max=5000)], render_kw={"rows": 3})
    suggested_units = StringField("建议承办单位", validators=[Optional(), Length(max=200)])

    def arguments(self, actor) -> dict:
        return {"aspect": self.aspect.data, "text": self.text.data, "suggested_units": self.suggested_units.data or ""}


class PreparationStepForm(ActionForm):
    step = SelectField("酝酿步骤（三下三上）", choices=_choices(PREPARATION_STEP_LABELS))
    done_on = date_field("日期")
    note = StringField("说明", validators=[Optional(), Length(max=500)])

    def arguments(self, actor) -> dict:
        return {"step": self.step.data, "done_on": self.done_on.data, "note": self.note.data or ""}


class CoSignerForm(ActionForm):
    deputy_id = SelectField("代表", coerce=int)

    def prepare(self, actor, rows) -> None:
        self.deputy_id.choices = [(d.id, d.name) for d in db.session.scalars(select(Deputy).order_by(Deputy.name))]

    def arguments(self, actor) -> dict:
        return {"deputy": db.session.get(Deputy, self.deputy_id.data)}


class SupervisionClassForm(ActionForm):
    supervision_class = SelectField("督办类别", choices=_choices(SUPERVISION_CLASS_LABELS))
