"""The deputy's evaluation forms (their own pages)."""
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from domain.evaluations import IMPLEMENTATION_RESULTS
from models.enums import COMMITMENT_STATUS_LABELS, EVALUATION_LEVEL_LABELS

LEVELS = [(k.value, v) for k, v in EVALUATION_LEVEL_LABELS.items()]
YES_NO = [("1", "有"), ("0", "没有")]


def _choice(label: str, choices, message: str) -> RadioField:
    return RadioField(label, choices=choices, validators=[InputRequired(message)])


def _comment(label: str = "意见和建议") -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=2000)], render_kw={"rows": 4})


class ContentEvaluationForm(FlaskForm):
    level = _choice("对答复内容的评价", LEVELS, "请选择评价。")
    comment = _comment("意见（不满意时必填）")


class AttitudeEvaluationForm(FlaskForm):
    level = _choice("对办理态度的评价", LEVELS, "请选择评价。")
    before = _choice("办理前，承办单位是否与您沟通？", YES_NO, "请选择是否有办理前沟通。")
    during = _choice("办理中，承办单位是否与您沟通？", YES_NO, "请选择是否有办理中沟通。")
    after = _choice("答复后，承办单位是否与您沟通？", YES_NO, "请选择是否有答复后沟通。")
    comment = _comment("意见（不满意时必填）")


class ImplementationEvaluationForm(FlaskForm):
    result = _choice("承诺事项落实情况", [(k.value, COMMITMENT_STATUS_LABELS[k]) for k in IMPLEMENTATION_RESULTS],
                     "请选择落实情况。")
    comment = _comment("意见（未完全落实时必填）")
