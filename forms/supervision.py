"""Forms for supervision: activities, the supervising committee, key-supervision candidates and steps."""
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from domain.key_supervision import STEP_RULES
from forms.base import REQUIRED, ActionForm, date_field, text_field
from models import Committee, User, UserRole, db
from models.enums import Role
from models.supervision import ACTIVITY_KIND_LABELS

EVIDENCE_HELP = "PDF、Word 或图片，不超过 10 MB"


def _evidence() -> FileField:
    return FileField("佐证材料（可选）", description=EVIDENCE_HELP)


class ActivityForm(ActionForm):
    kind = SelectField("活动类型", choices=[(k.value, v) for k, v in ACTIVITY_KIND_LABELS.items()])
    held_on = date_field("活动日期")
    place = StringField("地点", validators=[DataRequired(REQUIRED), Length(max=200)])
    participants = TextAreaField("参加人员", validators=[DataRequired(REQUIRED), Length(max=2000)], render_kw={"rows": 2})
    invited_deputies = StringField("邀请参加的代表", validators=[Optional(), Length(max=500)])
    findings = text_field("督办情况（发现的问题、办理进展）")
    follow_up = TextAreaField("后续跟踪要求", validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})
    evidence = _evidence()

    def arguments(self, actor) -> dict:
        values = super().arguments(actor)
        return values | {"invited_deputies": values["invited_deputies"] or "", "follow_up": values["follow_up"] or ""}


class CommitteeForm(ActionForm):
    committee = SelectField("督办委室", coerce=int, validators=[DataRequired("请选择督办委室。")])

    def prepare(self, actor, rows) -> None:
        self.committee.choices = [(c.id, c.name) for c in db.session.scalars(select(Committee).order_by(Committee.id))]

    def arguments(self, actor) -> dict:
        return {"committee": db.session.get(Committee, self.committee.data)}


class ProposeForm(ActionForm):
    reason = text_field("提出理由（列为重点督办的原因）", 2000)


def active_leaders() -> list[User]:
    return db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.LEADER, UserRole.revoked_at.is_(None),
                                          User.active.is_(True)).order_by(User.id)
    ).all()


class KeyStepForm(ActionForm):
    """The form of one key-supervision step: its date, its own fields (STEP_RULES), and the evidence."""

    step = 0

    def prepare(self, actor, rows) -> None:
        if "leaders" in self._fields:
            self.leaders.choices = [(u.id, u.display_name) for u in active_leaders()]

    def arguments(self, actor) -> dict:
        values = {name: self._fields[name].data or "" for name in STEP_RULES[self.step].fields}
        values |= {"done_on": self.done_on.data, "evidence": self.evidence.data}
        if "leaders" in self._fields:
            chosen = set(self.leaders.data)
            values["leaders"] = [u for u in active_leaders() if u.id in chosen]
        if "published" in self._fields:
            values["published"] = self.published.data == "1"
        return values


def key_step_form(step: int) -> type[KeyStepForm]:
    fields = {"step": step, "done_on": date_field("日期")}
    for name, label in STEP_RULES[step].fields.items():
        fields[name] = TextAreaField(label, validators=[Optional(), Length(max=10000)], render_kw={"rows": 3}) \
            if name in ("details", "people", "units_present") else StringField(label, validators=[Optional(), Length(max=200)])
    if step == 2:
        fields["leaders"] = SelectMultipleField("领办督办区领导", coerce=int, validators=[DataRequired("请至少选择一位区领导。")])
    if step == 6:
        fields["published"] = RadioField("是否向社会公开办理结果", choices=[("1", "公开"), ("0", "不公开")],
                                         validators=[DataRequired("请选择是否公开。")])
    fields["evidence"] = _evidence()
    return type(f"KeyStep{step}Form", (KeyStepForm,), fields)
