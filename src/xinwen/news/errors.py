"""Errors raised by the content services; each message is shown to the editor as is."""

from django.core.exceptions import PermissionDenied

__all__ = ["WorkflowError", "NotAllowed"]


class WorkflowError(Exception):
    """The requested status change does not apply to the article's current status."""


class NotAllowed(PermissionDenied):
    """The user lacks the role this action needs."""
