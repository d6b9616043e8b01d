"""All models, importable from one place."""
from models import indexes  # noqa: F401  covering indexes for statistics and the public page
from models.assessment import AssessmentItem
from models.attachment import Attachment
from models.audit import AuditEntry
from models.base import Base, db
from models.drafting import (
    CategoryCommittee,
    NotAcceptedReason,
    PreparationStep,
    ReviewComment,
    Revision,
    TextFingerprint,
)
from models.evaluations import AttitudeEvaluation, ImplementationEvaluation
from models.jobs import Job
from models.outbox import MessageTemplate, OutboxAttempt, OutboxMessage
from models.people import Committee, Deputy, DeputyGroup, Township, Unit, User, UserRole
from models.publication import (
    Publication,
    PublicationMode,
    PublicationStatus,
    PublicCacheGeneration,
)
from models.settings import CalendarDay, RuleSetting
from models.suggestion import (
    Assignment,
    Commitment,
    CongressSession,
    Contact,
    Evaluation,
    ExtensionRequest,
    NumberCounter,
    Reply,
    ReplyCorrection,
    ReturnRequest,
    Suggestion,
    suggestion_co_signer,
)
from models.supervision import (
    KeyStep,
    KeySupervision,
    SupervisionActivity,
    SupervisionAssignment,
    key_supervision_leader,
)

__all__ = [
    "Attachment", "AuditEntry", "Base", "db", "Committee", "Deputy", "DeputyGroup", "Township", "Unit", "User",
    "UserRole", "CalendarDay", "RuleSetting", "Assignment", "Commitment", "CongressSession",
    "Contact", "Evaluation", "ExtensionRequest", "NumberCounter", "Reply", "ReplyCorrection", "ReturnRequest",
    "KeyStep", "KeySupervision", "SupervisionActivity", "SupervisionAssignment", "key_supervision_leader",
    "Suggestion", "suggestion_co_signer", "CategoryCommittee", "NotAcceptedReason", "PreparationStep",
    "ReviewComment", "Revision", "TextFingerprint",
    "AssessmentItem", "Publication", "PublicationMode", "PublicationStatus", "PublicCacheGeneration",
    "AttitudeEvaluation", "ImplementationEvaluation", "MessageTemplate",
    "OutboxAttempt", "OutboxMessage", "Job",
]
