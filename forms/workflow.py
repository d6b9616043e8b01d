"""Forms of the workflow actions that need input (the transition table names them)."""
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from domain import access, reference
from domain.errors import WorkflowError
from forms.base import REQUIRED, ActionForm, date_field, text_field
from models import Suggestion, Unit, db
from models.enums import (
    CONTACT_METHOD_LABELS,
    EVALUATION_LEVEL_LABELS,
    REPLY_CATEGORY_LABELS,
)

CHOOSE = "—— 请选择 ——"


def _labelled(labels) -> list[tuple[str, str]]:
    return [(key.value, label) for key, label in labels.items()]


class ReasonForm(ActionForm):
    reason = text_field("理由", 2000)


class AssignForm(ActionForm):
    mode = RadioField("交办方式", choices=[("joint", "主办 + 协办"), ("split", "分办")], default="joint")
    lead_unit = SelectField("主办单位", coerce=int, validators=[Optional()])
    co_handlers = SelectMultipleField("协办单位", coerce=int, validators=[Optional()])
    split_units = SelectMultipleField("分办单位", coerce=int, validators=[Optional()])

    def prepare(self, actor, rows) -> None:
        choices = [(u.id, u.name) for u in db.session.scalars(select(Unit).order_by(Unit.id))]
        self.lead_unit.choices = [(0, CHOOSE)] + choices
        self.co_handlers.choices = choices
        self.split_units.choices = choices

    def arguments(self, actor) -> dict:
        units = {u.id: u for u in db.session.scalars(select(Unit))}
        if self.mode.data == "split":
            return {"lead_unit": None, "split_units": [units[i] for i in self.split_units.data]}
        return {"lead_unit": units.get(self.lead_unit.data), "co_handlers": [units[i] for i in self.co_handlers.data]}


class ContactForm(ActionForm):
    contacted_on = date_field("沟通日期")
    method = SelectField("沟通方式", choices=_labelled(CONTACT_METHOD_LABELS))
    people = StringField("参加人员", validators=[DataRequired(REQUIRED), Length(max=200)])
    summary = text_field("沟通情况")


class OpinionForm(ActionForm):
    opinion = text_field("协办意见")


class ExtensionForm(ActionForm):
    requested_due_on = date_field("申请延期至")
    reason = text_field("延期理由", 2000)


class CommitmentForm(ActionForm):
    class Meta:
        csrf = False

    content = StringField("承诺事项", validators=[Optional(), Length(max=500)])
    due_on = date_field("完成期限", required=False)


class ReplyForm(ActionForm):
    reply_category = SelectField("答复类别", choices=_labelled(REPLY_CATEGORY_LABELS))
    text = text_field("答复正文")
    signatory = StringField("签发人", validators=[DataRequired(REQUIRED), Length(max=60)])
    replied_on = date_field("答复日期")
    commitments = FieldList(FormField(CommitmentForm), label="承诺事项", min_entries=3, max_entries=10)

    def validate_commitments(self, field) -> None:
        for entry in field:
            if (entry.content.data or "").strip() and not entry.due_on.data:
                raise ValidationError("每项承诺事项都须填写完成期限。")

    def arguments(self, actor) -> dict:
        pairs = [(c.content.data or "", c.due_on.data) for c in self.commitments if (c.content.data or "").strip()]
        return {"reply_category": self.reply_category.data, "text": self.text.data, "signatory": self.signatory.data,
                "replied_on": self.replied_on.data, "commitments": pairs}


class CorrectionForm(ActionForm):
    reply_category = SelectField("答复类别", choices=_labelled(REPLY_CATEGORY_LABELS))
    text = text_field("更正后的答复正文")
    reason = text_field("更正理由（将告知代表工委和领衔代表）", 2000)

    def prepare(self, actor, rows) -> None:
        if not self.is_submitted() and len(rows) == 1:
            self.reply_category.data, self.text.data = rows[0].reply_category, rows[0].text


class EvaluateForm(ActionForm):
    level = SelectField("评价结果", choices=_labelled(EVALUATION_LEVEL_LABELS))
    comment = TextAreaField("代表意见", validators=[Optional(), Length(max=5000)], render_kw={"rows": 4})
    given_on = date_field("评价日期（代表纸质评价表）")
    scanned_form = FileField("代表签字的纸质评价表扫描件（PDF 或图片）")

    def arguments(self, actor) -> dict:
        return {"level": self.level.data, "comment": self.comment.data or "", "given_on": self.given_on.data,
                "scanned_form": self.scanned_form.data}


class NotAcceptForm(ActionForm):
    reason = SelectField("不予立案理由", validators=[DataRequired("请选择理由。")])
    note = TextAreaField("补充说明", validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})

    def prepare(self, actor, rows) -> None:
        self.reason.choices = [(reason, reason) for reason in reference.not_accepted_reasons()]

    def arguments(self, actor) -> dict:
        return {"reason": self.reason.data, "note": self.note.data or ""}


class MergeForm(ActionForm):
    """The suggestion to merge into, by its case number (or, from the duplicates panel, by its id)."""

    target_number = StringField("并入的建议案号", validators=[Optional(), Length(max=60)],
                                render_kw={"placeholder": "如 2026大会第012号"})
    target_id = HiddenField()

    def validate_target_number(self, field) -> None:
        if not (field.data or "").strip() and not (self.target_id.data or "").isdigit():
            raise ValidationError("请填写要并入的建议案号。")

    def arguments(self, actor) -> dict:
        condition = (Suggestion.id == int(self.target_id.data) if (self.target_id.data or "").isdigit()
                     else Suggestion.number_label == (self.target_number.data or "").strip())
        target = db.session.scalar(access.scoped(actor, Suggestion).where(condition))
        if target is None:
            raise WorkflowError(f"找不到案号为“{(self.target_number.data or '').strip()}”的建议。")
        return {"target": target}


class DecisionForm(ActionForm):
    decision = RadioField("审批意见", choices=[("approve", "同意"), ("refuse", "不同意")],
                          validators=[DataRequired("请选择同意或不同意。")])
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})

    def arguments(self, actor) -> dict:
        return {"approve": self.decision.data == "approve", "note": self.note.data or ""}
