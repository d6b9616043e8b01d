"""The one exception of the domain."""


class WorkflowError(Exception):
    """A refused operation; the message is shown to the user as it is."""
