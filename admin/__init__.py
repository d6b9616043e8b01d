"""The Flask-Admin back office."""
from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from admin.evaluations import AttitudeEvaluationView, CommitmentLedgerView, ImplementationEvaluationView, SatisfactionView
from admin.home import HomeView
from admin.notices import MessageTemplateView, OutboxView
from admin.records import (
    AuditView,
    ContactView,
    EvaluationView,
    ExtensionRequestView,
    ReplyView,
    ReturnRequestView,
)
from admin.reference import (
    CalendarDayView,
    CommitteeView,
    CongressSessionView,
    DeputyGroupView,
    DeputyView,
    RuleSettingView,
    TownshipView,
    UnitView,
    UserView,
)
from admin.suggestions import SuggestionView
from models import (
    AuditEntry,
    CalendarDay,
    Committee,
    CongressSession,
    Contact,
    Deputy,
    DeputyGroup,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReturnRequest,
    RuleSetting,
    Suggestion,
    Township,
    Unit,
    User,
    db,
)

HANDLING = "办理"
REFERENCE = "基础数据"
SETTINGS = "系统设置"


def init_admin(app: Flask) -> Admin:
    admin = Admin(
        app, name="建议通", url="/admin", theme=Bootstrap4Theme(swatch="default", base_template="admin/app_base.html", fluid=True),
        index_view=HomeView(name="首页", url="/admin", template="admin/home.html"),
    )
    session = db
    admin.add_view(SuggestionView(Suggestion, session, name="建议", endpoint="suggestion"))
    admin.add_view(ContactView(Contact, session, name="沟通记录", category=HANDLING, endpoint="contact"))
    admin.add_view(ReplyView(Reply, session, name="答复", category=HANDLING, endpoint="reply"))
    admin.add_view(ExtensionRequestView(ExtensionRequest, session, name="延期申请", category=HANDLING, endpoint="extension"))
    admin.add_view(ReturnRequestView(ReturnRequest, session, name="退回申请", category=HANDLING, endpoint="return_request"))
    admin.add_view(EvaluationView(Evaluation, session, name="代表评价", category=HANDLING, endpoint="evaluation"))
    admin.add_view(AuditView(AuditEntry, session, name="审计日志", category=HANDLING, endpoint="audit"))
    _add_evaluation_and_notice_views(admin)
    admin.add_view(CongressSessionView(CongressSession, session, name="届次", category=REFERENCE, endpoint="congress_session"))
    admin.add_view(TownshipView(Township, session, name="镇街", category=REFERENCE, endpoint="township"))
    admin.add_view(DeputyGroupView(DeputyGroup, session, name="代表小组", category=REFERENCE, endpoint="deputy_group"))
    admin.add_view(DeputyView(Deputy, session, name="代表", category=REFERENCE, endpoint="deputy"))
    admin.add_view(CommitteeView(Committee, session, name="委室", category=REFERENCE, endpoint="committee"))
    admin.add_view(UnitView(Unit, session, name="承办单位", category=REFERENCE, endpoint="unit"))
    admin.add_view(UserView(User, session, name="用户", category=SETTINGS, endpoint="user"))
    admin.add_view(RuleSettingView(RuleSetting, session, name="时限规则", category=SETTINGS, endpoint="rule_setting"))
    admin.add_view(CalendarDayView(CalendarDay, session, name="节假日调整", category=SETTINGS, endpoint="calendar_day"))
    return admin


def _add_evaluation_and_notice_views(admin: Admin) -> None:
    from models import AttitudeEvaluation, ImplementationEvaluation, MessageTemplate, OutboxMessage

    evaluations, notices = "评价与承诺", "通知"
    admin.add_view(AttitudeEvaluationView(AttitudeEvaluation, db, name="办理态度评价", category=evaluations,
                                          endpoint="attitude_evaluation"))
    admin.add_view(ImplementationEvaluationView(ImplementationEvaluation, db, name="承诺落实评价", category=evaluations,
                                                endpoint="implementation_evaluation"))
    admin.add_view(CommitmentLedgerView(name="承诺事项台账", category=evaluations, endpoint="commitment_ledger"))
    admin.add_view(SatisfactionView(name="满意度统计", category=evaluations, endpoint="satisfaction"))
    admin.add_view(OutboxView(OutboxMessage, db, name="发件箱", category=notices, endpoint="outbox"))
    admin.add_view(MessageTemplateView(MessageTemplate, db, name="通知模板", category=notices, endpoint="message_template"))
