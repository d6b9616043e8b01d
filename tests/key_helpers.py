"""Building key suggestions through the domain, step by step, for the key-supervision and printing tests."""
from datetime import date

from domain import key_supervision, supervision
from models import db
from tests import helpers

TODAY = date(2026, 6, 30)
STEP_VALUES = {
    1: dict(reference="第十八届第12次主任会议", people="主任、副主任", details="研究确定为重点督办建议"),
    2: dict(details="每季度听取一次汇报"),
    3: dict(place="区行政中心3号会议室", people="区领导、代表", units_present="区住房和城乡建设局"),
    4: dict(people="城建环保委", details="三次跟踪督办"),
    5: dict(place="柯桥街道", people="王堃代表、住建局", details="代表对办理结果表示满意"),
    6: dict(details="在门户网站公开答复摘要", published=True),
    7: dict(reference="区十八届人大七次会议书面报告", people="代表工委"),
}


def step_dates(step: int) -> date:
    return date(2026, 3, step)


def key_suggestion(district, title="关于建设城市绿道的建议", steps=7, **kwargs):
    """A replied suggestion proposed for key supervision and taken through the first `steps` steps."""
    suggestion = helpers.replied(district, title, **kwargs)
    office = district.office
    key = key_supervision.propose(office, suggestion, "群众关注度高", TODAY)
    for step in range(1, steps + 1):
        if step == 4:
            supervision.record_activity(
                district.users["committee"], suggestion, kind="inspection", held_on=date(2026, 3, 3), place="现场",
                participants="城建环保委", invited_deputies="", findings="进展顺利", follow_up="", today=TODAY)
        extra = {"leaders": [district.users["leader"]]} if step == 2 else {}
        key_supervision.record_step(office, key, step, done_on=step_dates(step), today=TODAY, **STEP_VALUES[step], **extra)
    db.session.commit()
    return key
