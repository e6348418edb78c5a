"""The back office raises the write path's errors (news.errors)."""

from xinwen.news.errors import NotAllowed, WorkflowError

__all__ = ["WorkflowError", "NotAllowed"]
