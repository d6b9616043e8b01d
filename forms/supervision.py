"""Forms for supervision: activities, the supervising committee, key-supervision candidates and steps."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forms.workflow import REQUIRED, _text, date_field
from models.supervision import ACTIVITY_KIND_LABELS

EVIDENCE_HELP = "PDF、Word 或图片，不超过 10 MB"


def _evidence() -> FileField:
    return FileField("佐证材料（可选）", description=EVIDENCE_HELP)


class ActivityForm(FlaskForm):
    kind = SelectField("活动类型", choices=[(k.value, v) for k, v in ACTIVITY_KIND_LABELS.items()])
    held_on = date_field("活动日期")
    place = StringField("地点", validators=[DataRequired(REQUIRED), Length(max=200)])
    participants = TextAreaField("参加人员", validators=[DataRequired(REQUIRED), Length(max=2000)], render_kw={"rows": 2})
    invited_deputies = StringField("邀请参加的代表", validators=[Optional(), Length(max=500)])
    findings = _text("督办情况（发现的问题、办理进展）")
    follow_up = TextAreaField("后续跟踪要求", validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})
    evidence = _evidence()


class CommitteeForm(FlaskForm):
    committee = SelectField("督办委室", coerce=int, validators=[DataRequired("请选择督办委室。")])


class ProposeForm(FlaskForm):
    reason = _text("提出理由（列为重点督办的原因）", 2000)


def key_step_form(fields: dict[str, str], step: int, leader_choices=()):
    """The form of one key-supervision step: its date, its own fields, and the evidence."""

    class KeyStepForm(FlaskForm):
        done_on = date_field("日期")

    for name, label in fields.items():
        field = TextAreaField(label, validators=[Optional(), Length(max=10000)], render_kw={"rows": 3}) \
            if name in ("details", "people", "units_present") else StringField(label, validators=[Optional(), Length(max=200)])
        setattr(KeyStepForm, name, field)
    if step == 2:
        KeyStepForm.leaders = SelectMultipleField("领办督办区领导", coerce=int, choices=list(leader_choices),
                                                  validators=[DataRequired("请至少选择一位区领导。")])
    if step == 6:
        KeyStepForm.published = RadioField("是否向社会公开办理结果", choices=[("1", "公开"), ("0", "不公开")],
                                           validators=[DataRequired("请选择是否公开。")])
    KeyStepForm.evidence = _evidence()
    return KeyStepForm
