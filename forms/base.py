"""The base of the forms that collect an action's input, and shared field builders."""
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

REQUIRED = "此项为必填项。"


def date_field(label: str, required: bool = True) -> DateField:
    # InputRequired, not DataRequired: a mistyped date must show the parse error, not "required".
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return DateField(label, validators=validators, format="%Y-%m-%d", render_kw={"placeholder": "2026-03-05"})


def text_field(label: str, max_length: int = 20000) -> TextAreaField:
    return TextAreaField(label, validators=[DataRequired(REQUIRED), Length(max=max_length)], render_kw={"rows": 5})


class ActionForm(FlaskForm):
    """A form of a declared action: `prepare` fills choices from the data, `arguments` gives the domain function's
    keyword arguments (reading rows only through the actor's scope)."""

    def prepare(self, actor, rows) -> None:
        """Choices and defaults that depend on the data and on the rows acted on."""

    def arguments(self, actor) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
