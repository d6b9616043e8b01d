"""The Flask-Admin back office."""
from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from admin.assessment import AssessmentItemView, AssessmentView
from admin.excel import ExcelView
from admin.home import HomeView
from admin.publication import PublicationView
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
from admin.statistics import StatisticsView
from admin.suggestions import SuggestionView
from models import (
    AssessmentItem,
    AuditEntry,
    CalendarDay,
    Committee,
    CongressSession,
    Contact,
    Deputy,
    DeputyGroup,
    Evaluation,
    ExtensionRequest,
    Publication,
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
    admin.add_view(StatisticsView(name="统计分析", endpoint="statistics", url="/admin/statistics"))
    admin.add_view(AssessmentView(name="年度考核", endpoint="assessment", url="/admin/assessment"))
    admin.add_view(ExcelView(name="Excel 导入导出", endpoint="excel", url="/admin/excel"))
    admin.add_view(ContactView(Contact, session, name="沟通记录", category=HANDLING, endpoint="contact"))
    admin.add_view(ReplyView(Reply, session, name="答复", category=HANDLING, endpoint="reply"))
    admin.add_view(ExtensionRequestView(ExtensionRequest, session, name="延期申请", category=HANDLING, endpoint="extension"))
    admin.add_view(ReturnRequestView(ReturnRequest, session, name="退回申请", category=HANDLING, endpoint="return_request"))
    admin.add_view(EvaluationView(Evaluation, session, name="代表评价", category=HANDLING, endpoint="evaluation"))
    admin.add_view(PublicationView(Publication, session, name="答复公开", category=HANDLING, endpoint="publication"))
    admin.add_view(AuditView(AuditEntry, session, name="审计日志", category=HANDLING, endpoint="audit"))
    admin.add_view(CongressSessionView(CongressSession, session, name="届次", category=REFERENCE, endpoint="congress_session"))
    admin.add_view(TownshipView(Township, session, name="镇街", category=REFERENCE, endpoint="township"))
    admin.add_view(DeputyGroupView(DeputyGroup, session, name="代表小组", category=REFERENCE, endpoint="deputy_group"))
    admin.add_view(DeputyView(Deputy, session, name="代表", category=REFERENCE, endpoint="deputy"))
    admin.add_view(CommitteeView(Committee, session, name="委室", category=REFERENCE, endpoint="committee"))
    admin.add_view(UnitView(Unit, session, name="承办单位", category=REFERENCE, endpoint="unit"))
    admin.add_view(UserView(User, session, name="用户", category=SETTINGS, endpoint="user"))
    admin.add_view(RuleSettingView(RuleSetting, session, name="时限规则", category=SETTINGS, endpoint="rule_setting"))
    admin.add_view(AssessmentItemView(AssessmentItem, session, name="考核规则", category=SETTINGS, endpoint="assessment_item"))
    admin.add_view(CalendarDayView(CalendarDay, session, name="节假日调整", category=SETTINGS, endpoint="calendar_day"))
    return admin
