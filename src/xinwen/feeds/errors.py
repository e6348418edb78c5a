"""Errors of the feeds app."""

from __future__ import annotations

__all__ = ["ApiError"]


class ApiError(Exception):
    """A request the JSON API cannot answer: becomes {"error": {"code", "message", "field"}} with `status`."""

    def __init__(self, status: int, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
