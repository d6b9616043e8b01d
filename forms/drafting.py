"""Forms for drafting and pre-review."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forms.workflow import REQUIRED, date_field
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


class ReviewCommentForm(FlaskForm):
    aspect = SelectField("意见类别", choices=_choices(REVIEW_ASPECT_LABELS))
    text = TextAreaField("初审意见", validators=[DataRequired(REQUIRED), Length(max=5000)], render_kw={"rows": 3})
    suggested_units = StringField("建议承办单位", validators=[Optional(), Length(max=200)])


class PreparationStepForm(FlaskForm):
    step = SelectField("酝酿步骤（三下三上）", choices=_choices(PREPARATION_STEP_LABELS))
    done_on = date_field("日期")
    note = StringField("说明", validators=[Optional(), Length(max=500)])


class CoSignerForm(FlaskForm):
    deputy_id = SelectField("代表", coerce=int)
    operation = HiddenField(default="add")


class NotAcceptForm(FlaskForm):
    reason = SelectField("不予立案理由", validators=[DataRequired("请选择理由。")])
    note = TextAreaField("补充说明", validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})


class MergeIntoForm(FlaskForm):
    target_id = HiddenField(validators=[DataRequired()])


class SupervisionClassForm(FlaskForm):
    supervision_class = SelectField("督办类别", choices=_choices(SUPERVISION_CLASS_LABELS))
