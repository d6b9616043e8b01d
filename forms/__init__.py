"""WTForms forms. ACTION_FORMS: the form of each declared action, by the name its declaration gives."""
from domain.key_supervision import STEP_RULES
from forms.drafting import CoSignerForm, PreparationStepForm, ReviewCommentForm, SupervisionClassForm
from forms.records import NewPasswordForm, SummaryForm
from forms.supervision import ActivityForm, CommitteeForm, ProposeForm, key_step_form
from forms.workflow import (
    AssignForm,
    ContactForm,
    CorrectionForm,
    DecisionForm,
    EvaluateForm,
    ExtensionForm,
    MergeForm,
    NotAcceptForm,
    OpinionForm,
    ReasonForm,
    ReplyForm,
)

ACTION_FORMS = {
    "reason": ReasonForm, "assign": AssignForm, "contact": ContactForm, "opinion": OpinionForm,
    "extension": ExtensionForm, "reply": ReplyForm, "correction": CorrectionForm, "evaluate": EvaluateForm,
    "not_accept": NotAcceptForm, "merge": MergeForm, "decision": DecisionForm, "review_comment": ReviewCommentForm,
    "preparation_step": PreparationStepForm, "co_signer": CoSignerForm, "supervision_class": SupervisionClassForm,
    "activity": ActivityForm, "committee": CommitteeForm, "propose": ProposeForm, "summary": SummaryForm,
    "new_password": NewPasswordForm,
    **{f"key_step_{step}": key_step_form(step) for step in STEP_RULES},
}
