"""Enumerations of the domain, with their Chinese labels for the UI."""
from enum import StrEnum


class Role(StrEnum):
    OFFICE = "office"
    COMMITTEE = "committee"
    GOV_OFFICE = "gov_office"
    UNIT = "unit"
    TOWNSHIP = "township"
    DEPUTY = "deputy"
    LEADER = "leader"


ROLE_LABELS = {
    Role.OFFICE: "代表工委",
    Role.COMMITTEE: "委室",
    Role.GOV_OFFICE: "区政府办",
    Role.UNIT: "承办单位",
    Role.TOWNSHIP: "镇街人大",
    Role.DEPUTY: "代表",
    Role.LEADER: "区领导",
}


class State(StrEnum):
    DRAFT = "draft"
    PRE_SUBMITTED = "pre_submitted"
    UNDER_REVIEW = "under_review"
    RETURNED_FOR_REVISION = "returned_for_revision"
    SUBMITTED = "submitted"
    ASSIGNED = "assigned"
    HANDLING = "handling"
    REPLIED = "replied"
    EVALUATED = "evaluated"
    REHANDLING = "rehandling"
    CLOSED = "closed"
    NOT_ACCEPTED = "not_accepted"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"


STATE_LABELS = {
    State.DRAFT: "草稿",
    State.PRE_SUBMITTED: "已预交",
    State.UNDER_REVIEW: "初审中",
    State.RETURNED_FOR_REVISION: "退回修改",
    State.SUBMITTED: "已提交待交办",
    State.ASSIGNED: "已交办待签收",
    State.HANDLING: "办理中",
    State.REPLIED: "已答复待评价",
    State.EVALUATED: "已评价",
    State.REHANDLING: "重办中",
    State.CLOSED: "已办结",
    State.NOT_ACCEPTED: "不予立案",
    State.MERGED: "已并案",
    State.WITHDRAWN: "已撤回",
}


class Source(StrEnum):
    CONGRESS = "congress"
    RECESS = "recess"


SOURCE_LABELS = {Source.CONGRESS: "大会建议", Source.RECESS: "闭会建议（直通车）"}


class Category(StrEnum):
    ECONOMY = "economy"
    URBAN = "urban"
    RURAL = "rural"
    SOCIAL = "social"
    EDUCATION = "education"
    HEALTH = "health"
    ENVIRONMENT = "environment"
    TRANSPORT = "transport"
    GOVERNANCE = "governance"


CATEGORY_LABELS = {
    Category.ECONOMY: "经济发展",
    Category.URBAN: "城建城管",
    Category.RURAL: "农业农村",
    Category.SOCIAL: "社会保障",
    Category.EDUCATION: "教育科技",
    Category.HEALTH: "医疗卫生",
    Category.ENVIRONMENT: "生态环境",
    Category.TRANSPORT: "交通出行",
    Category.GOVERNANCE: "政务法治",
}


class HandlingMode(StrEnum):
    JOINT = "joint"  # one lead unit plus co-handlers
    SPLIT = "split"  # several units, each replying on its own part


HANDLING_MODE_LABELS = {HandlingMode.JOINT: "主办协办", HandlingMode.SPLIT: "分办"}


class AssignmentRole(StrEnum):
    LEAD = "lead"
    CO_HANDLER = "co_handler"
    SPLIT = "split"


ASSIGNMENT_ROLE_LABELS = {
    AssignmentRole.LEAD: "主办",
    AssignmentRole.CO_HANDLER: "协办",
    AssignmentRole.SPLIT: "分办",
}


class ContactMethod(StrEnum):
    FACE_TO_FACE = "face_to_face"
    PHONE = "phone"
    FORUM = "forum"
    VISIT = "visit"


CONTACT_METHOD_LABELS = {
    ContactMethod.FACE_TO_FACE: "当面沟通",
    ContactMethod.PHONE: "电话沟通",
    ContactMethod.FORUM: "座谈会",
    ContactMethod.VISIT: "走访",
}


class ReplyCategory(StrEnum):
    A = "A"
    B = "B"
    C = "C"


REPLY_CATEGORY_LABELS = {
    ReplyCategory.A: "A 所提问题已解决或基本解决",
    ReplyCategory.B: "B 正在解决或列入计划逐步解决",
    ReplyCategory.C: "C 因条件限制或其他原因暂时不能解决，作为参考",
}


class EvaluationLevel(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    UNSATISFIED = "unsatisfied"


EVALUATION_LEVEL_LABELS = {
    EvaluationLevel.SATISFIED: "满意",
    EvaluationLevel.BASICALLY_SATISFIED: "基本满意",
    EvaluationLevel.UNSATISFIED: "不满意",
}


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    LAPSED = "lapsed"  # the suggestion moved on (replied, withdrawn…) before a decision


REQUEST_STATUS_LABELS = {
    RequestStatus.PENDING: "待审批",
    RequestStatus.APPROVED: "已同意",
    RequestStatus.REFUSED: "未同意",
    RequestStatus.LAPSED: "已失效",
}


class CommitmentStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    PARTLY_KEPT = "partly_kept"
    NOT_KEPT = "not_kept"


COMMITMENT_STATUS_LABELS = {
    CommitmentStatus.OPEN: "落实中",
    CommitmentStatus.KEPT: "已落实",
    CommitmentStatus.PARTLY_KEPT: "部分落实",
    CommitmentStatus.NOT_KEPT: "未落实",
}
