"""A page cache in front of Django: anonymous GETs of public pages are served from stored bytes.

Views say what a page shows with news.pagetags; pages without tags are never stored,
so caching is something a view opts into. Purges follow the notice path (news.changes).
"""
