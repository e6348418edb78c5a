"""What can go wrong when backing up or restoring; every message says what to do."""

__all__ = ["BackupError", "ArchiveCorrupt", "SiteNotEmpty", "DatabaseToolError"]


class BackupError(Exception):
    """A backup or restore could not be done; the message is for the operator."""


class ArchiveCorrupt(BackupError):
    """The archive is damaged, incomplete or altered; nothing was restored."""


class SiteNotEmpty(BackupError):
    """Restore refuses a site that already has content, so nothing is ever overwritten."""


class DatabaseToolError(BackupError):
    """pg_dump / pg_restore / SQLite failed or is missing."""
