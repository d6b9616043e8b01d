"""All models, importable from one place."""
from models.attachment import Attachment
from models.audit import AuditEntry
from models.base import Base, db
from models.evaluations import AttitudeEvaluation, ImplementationEvaluation
from models.outbox import MessageTemplate, OutboxAttempt, OutboxMessage
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
    "Attachment", "AuditEntry", "Base", "db", "Committee", "Deputy", "DeputyGroup", "Township", "Unit", "User",
    "UserRole", "CalendarDay", "RuleSetting", "Assignment", "Commitment", "CongressSession",
    "Contact", "Evaluation", "ExtensionRequest", "NumberCounter", "Reply", "ReturnRequest",
    "Suggestion", "suggestion_co_signer", "AttitudeEvaluation", "ImplementationEvaluation", "MessageTemplate",
    "OutboxAttempt", "OutboxMessage",
]
