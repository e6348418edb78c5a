"""The back office keeps no tables of its own: the audit log lives with the write path (news.models.AuditEntry)."""
