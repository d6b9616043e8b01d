"""Forms for the workflow actions that need input."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from models.enums import (
    CONTACT_METHOD_LABELS,
    EVALUATION_LEVEL_LABELS,
    REPLY_CATEGORY_LABELS,
)

REQUIRED = "此项为必填项。"


def date_field(label: str, required: bool = True) -> DateField:
    # InputRequired, not DataRequired: a mistyped date must show the parse error, not "required".
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return DateField(label, validators=validators, format="%Y-%m-%d", render_kw={"placeholder": "2026-03-05"})


def _text(label: str, max_length: int = 20000) -> TextAreaField:
    return TextAreaField(label, validators=[DataRequired(REQUIRED), Length(max=max_length)], render_kw={"rows": 5})


class ReasonForm(FlaskForm):
    reason = _text("理由", 2000)


class AssignForm(FlaskForm):
    mode = RadioField("交办方式", choices=[("joint", "主办 + 协办"), ("split", "分办")], default="joint")
    lead_unit = SelectField("主办单位", coerce=int, validators=[Optional()])
    co_handlers = SelectMultipleField("协办单位", coerce=int, validators=[Optional()])
    split_units = SelectMultipleField("分办单位", coerce=int, validators=[Optional()])

    def set_units(self, units) -> None:
        choices = [(u.id, u.name) for u in units]
        self.lead_unit.choices = [(0, "—— 请选择 ——")] + choices
        self.co_handlers.choices = choices
        self.split_units.choices = choices


class ContactForm(FlaskForm):
    contacted_on = date_field("沟通日期")
    method = SelectField("沟通方式", choices=[(k.value, v) for k, v in CONTACT_METHOD_LABELS.items()])
    people = StringField("参加人员", validators=[DataRequired(REQUIRED), Length(max=200)])
    summary = _text("沟通情况")


class OpinionForm(FlaskForm):
    opinion = _text("协办意见")


class ExtensionForm(FlaskForm):
    requested_due_on = date_field("申请延期至")
    reason = _text("延期理由", 2000)


class CommitmentForm(FlaskForm):
    class Meta:
        csrf = False

    content = StringField("承诺事项", validators=[Optional(), Length(max=500)])
    due_on = date_field("完成期限", required=False)


class ReplyForm(FlaskForm):
    reply_category = SelectField("答复类别", choices=[(k.value, v) for k, v in REPLY_CATEGORY_LABELS.items()])
    text = _text("答复正文")
    signatory = StringField("签发人", validators=[DataRequired(REQUIRED), Length(max=60)])
    replied_on = date_field("答复日期")
    commitments = FieldList(FormField(CommitmentForm), label="承诺事项", min_entries=3, max_entries=10)

    def commitment_pairs(self) -> list[tuple[str, object]]:
        return [(c.content.data or "", c.due_on.data) for c in self.commitments if (c.content.data or "").strip()]

    def validate_commitments(self, field) -> None:
        for entry in field:
            if (entry.content.data or "").strip() and not entry.due_on.data:
                raise ValidationError("每项承诺事项都须填写完成期限。")


class EvaluateForm(FlaskForm):
    level = SelectField("评价结果", choices=[(k.value, v) for k, v in EVALUATION_LEVEL_LABELS.items()])
    comment = TextAreaField("代表意见", validators=[Optional(), Length(max=5000)], render_kw={"rows": 4})
    given_on = date_field("评价日期（代表纸质评价表）")
    scanned_form = FileField("代表签字的纸质评价表扫描件（PDF 或图片）")


class MergeForm(FlaskForm):
    target_number = StringField("并入的建议案号", validators=[DataRequired(REQUIRED), Length(max=60)],
                                render_kw={"placeholder": "如 2026大会第012号"})


class DecisionForm(FlaskForm):
    decision = RadioField("审批意见", choices=[("approve", "同意"), ("refuse", "不同意")],
                          validators=[DataRequired("请选择同意或不同意。")])
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
