"""Forms of the actions on records other than suggestions: publication decisions, accounts."""
from wtforms import PasswordField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length

from forms.base import REQUIRED, ActionForm


class SummaryForm(ActionForm):
    summary = TextAreaField("经审定的公开摘要", validators=[DataRequired(REQUIRED), Length(max=20000)], render_kw={"rows": 10})

    def prepare(self, actor, rows) -> None:
        if not self.is_submitted() and len(rows) == 1:
            self.summary.data = rows[0].summary or rows[0].reply.text


class NewPasswordForm(ActionForm):
    password = PasswordField("新的临时密码（用户下次登录时须修改）", validators=[DataRequired(REQUIRED), Length(max=200)])
    confirm = PasswordField("再次输入", validators=[EqualTo("password", "两次输入的密码不一致。")])

    def arguments(self, actor) -> dict:
        return {"password": self.password.data}
