"""The exceptions of the domain; their messages are shown to the user as they are."""


class WorkflowError(Exception):
    """A refused operation: the rules or the actor's role do not allow it. Nothing was changed."""


class StaleError(WorkflowError):
    """The record was changed by someone else since the form was opened; the form is refused, not merged."""


def require(condition: bool, message: str) -> None:
    """Refuse the operation with `message` unless `condition` holds."""
    if not condition:
        raise WorkflowError(message)
