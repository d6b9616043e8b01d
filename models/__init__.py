"""All models, importable from one place."""
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
from models.people import Committee, Deputy, DeputyGroup, Township, Unit, User, UserRole
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
    ReturnRequest,
    Suggestion,
    suggestion_co_signer,
)

__all__ = [
    "AuditEntry", "Base", "db", "Committee", "Deputy", "DeputyGroup", "Township", "Unit", "User",
    "UserRole", "CalendarDay", "RuleSetting", "Assignment", "Commitment", "CongressSession",
    "Contact", "Evaluation", "ExtensionRequest", "NumberCounter", "Reply", "ReturnRequest",
    "Suggestion", "suggestion_co_signer", "CategoryCommittee", "NotAcceptedReason", "PreparationStep",
    "ReviewComment", "Revision", "TextFingerprint",
]
