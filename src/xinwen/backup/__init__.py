"""Backup and restore of a whole site: the database (native dump) and the media files, in one checked archive."""
