"""The Flask-Admin back office."""
from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from admin.assessment import AssessmentItemView, AssessmentView
from admin.drafts import DraftView
from admin.evaluations import AttitudeEvaluationView, CommitmentLedgerView, ImplementationEvaluationView, SatisfactionView
from admin.excel import ExcelView
from admin.home import HomeView
from admin.jobs import JobView
from admin.key_supervision import KeyBoardView, KeySupervisionView
from admin.notices import MessageTemplateView, OutboxView
from admin.publication import PublicationView
from admin.recess import RecessView
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
    CategoryCommitteeView,
    CommitteeView,
    CongressSessionView,
    DeputyGroupView,
    DeputyView,
    NotAcceptedReasonView,
    RuleSettingView,
    TownshipView,
    UnitView,
    UserView,
)
from admin.statistics import StatisticsView
from admin.suggestions import SuggestionView
from admin.supervision import SupervisionActivityView, SupervisionQueueView
from models import (
    AssessmentItem,
    AuditEntry,
    CalendarDay,
    CategoryCommittee,
    Committee,
    CongressSession,
    Contact,
    Deputy,
    DeputyGroup,
    Evaluation,
    ExtensionRequest,
    Job,
    KeySupervision,
    NotAcceptedReason,
    Publication,
    Reply,
    ReturnRequest,
    RuleSetting,
    Suggestion,
    SupervisionActivity,
    Township,
    Unit,
    User,
    db,
)
from web.translations import use_for_flask_admin

HANDLING = "办理"
SUPERVISION = "督办"
REFERENCE = "基础数据"
SETTINGS = "系统设置"


def init_admin(app: Flask) -> Admin:
    use_for_flask_admin()
    admin = Admin(
        app, name="建议通", url="/admin", theme=Bootstrap4Theme(swatch="default", base_template="admin/app_base.html", fluid=True),
        index_view=HomeView(name="首页", url="/admin", template="admin/home.html"),
    )
    session = db
    admin.add_view(SuggestionView(Suggestion, session, name="建议", endpoint="suggestion"))
    admin.add_view(DraftView(Suggestion, session, name="建议草稿", endpoint="draft"))
    admin.add_view(RecessView(name="直通车时效", endpoint="recess", url="/admin/recess"))
    admin.add_view(StatisticsView(name="统计分析", endpoint="statistics", url="/admin/statistics"))
    admin.add_view(AssessmentView(name="年度考核", endpoint="assessment", url="/admin/assessment"))
    admin.add_view(ExcelView(name="Excel 导入导出", endpoint="excel", url="/admin/excel"))
    admin.add_view(ContactView(Contact, session, name="沟通记录", category=HANDLING, endpoint="contact"))
    admin.add_view(ReplyView(Reply, session, name="答复", category=HANDLING, endpoint="reply"))
    admin.add_view(ExtensionRequestView(ExtensionRequest, session, name="延期申请", category=HANDLING, endpoint="extension"))
    admin.add_view(ReturnRequestView(ReturnRequest, session, name="退回申请", category=HANDLING, endpoint="return_request"))
    admin.add_view(EvaluationView(Evaluation, session, name="代表评价", category=HANDLING, endpoint="evaluation"))
    admin.add_view(SupervisionQueueView(Suggestion, session, name="督办任务", category=SUPERVISION, endpoint="supervision_queue"))
    admin.add_view(SupervisionActivityView(SupervisionActivity, session, name="督办活动", category=SUPERVISION,
                                           endpoint="supervision_activity"))
    admin.add_view(KeySupervisionView(KeySupervision, session, name="重点督办", category=SUPERVISION, endpoint="key_supervision"))
    admin.add_view(KeyBoardView(name="重点督办一览", category=SUPERVISION, endpoint="key_board", url="/admin/key_board"))
    admin.add_view(PublicationView(Publication, session, name="答复公开", category=HANDLING, endpoint="publication"))
    admin.add_view(AuditView(AuditEntry, session, name="审计日志", category=HANDLING, endpoint="audit"))
    admin.add_view(JobView(Job, session, name="我的任务", endpoint="job"))
    _add_evaluation_and_notice_views(admin)
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
    admin.add_view(NotAcceptedReasonView(NotAcceptedReason, session, name="不予立案理由", category=SETTINGS,
                                         endpoint="not_accepted_reason"))
    admin.add_view(CategoryCommitteeView(CategoryCommittee, session, name="初审分工（类别→委室）", category=SETTINGS,
                                         endpoint="category_committee"))
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
