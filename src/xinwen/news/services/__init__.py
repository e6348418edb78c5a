"""The write path: the only code that creates, changes, moves, publishes, unpublishes,
deletes (to the recycle bin), restores, purges or imports articles, categories, attachments, 图集 pictures, body
images (and their generated sizes), glossary terms, tags, topics (专题) and the site settings.

Every service runs in one transaction, checks the user's role, keeps a revision where
content changed, writes the audit entry and ends with a change notice (news.changes),
which reaches the page cache, the search index and the other subscribers after commit.
The back office, the importer, the demo and every command call these functions; a test
(news/tests/test_write_path.py) fails if any other module writes these rows.

`user` is the person acting (request.user in the back office). `user=None` means the
site operator running a command on the server (`xinwen import`, `xinwen demo`), who
holds every role; web requests always pass a user.
"""

from xinwen.news.services.access import OPERATOR, audit_record, can_edit, can_publish, can_review
from xinwen.news.services.articles import (
    article_archive,
    article_publish,
    article_rollback,
    article_save,
    article_unpublish,
)
from xinwen.news.services.review import (
    WORKFLOW,
    article_approve,
    article_reject,
    article_submit,
    article_withdraw,
    remaining_levels,
    workflow_actions,
)
from xinwen.news.services.sections import section_grant_delete, section_grant_save
from xinwen.news.services.recycle import (
    article_delete,
    article_purge,
    article_restore,
    recycle_bin_expiry,
    recycle_bin_purge_expired,
)
from xinwen.news.services.media import (
    article_import_batch,
    article_import_save,
    attachment_delete,
    attachment_save,
    body_image_create,
)
from xinwen.news.services.autosave import article_autosave
from xinwen.news.services.gallery import gallery_image_delete, gallery_image_save, gallery_is_live, gallery_publish_check
from xinwen.news.services.schedule import article_reschedule
from xinwen.news.services.images import image_sizes_ensure, image_sizes_generate, image_sizes_rebuild
from xinwen.news.services.site import site_settings_save
from xinwen.news.services.listing import MAX_ALSO_IN, article_also_in_check, article_also_in_set
from xinwen.news.services.tags import MAX_TAGS, article_tags_set, tag_names_parse
from xinwen.news.services.topics import topic_delete, topic_save
from xinwen.news.services.taxonomy import (
    category_create,
    category_delete,
    category_path_ensure,
    category_save,
    glossary_term_delete,
    glossary_term_save,
)

__all__ = [
    "OPERATOR",
    "audit_record",
    "can_publish",
    "can_edit",
    "can_review",
    "remaining_levels",
    "article_approve",
    "section_grant_save",
    "section_grant_delete",
    "WORKFLOW",
    "workflow_actions",
    "article_save",
    "article_submit",
    "article_reject",
    "article_publish",
    "article_unpublish",
    "article_archive",
    "article_withdraw",
    "article_delete",
    "article_restore",
    "article_purge",
    "recycle_bin_expiry",
    "recycle_bin_purge_expired",
    "article_rollback",
    "article_reschedule",
    "article_autosave",
    "article_import_save",
    "article_import_batch",
    "attachment_save",
    "attachment_delete",
    "body_image_create",
    "gallery_image_save",
    "gallery_image_delete",
    "gallery_publish_check",
    "gallery_is_live",
    "image_sizes_ensure",
    "image_sizes_generate",
    "image_sizes_rebuild",
    "category_save",
    "category_create",
    "category_delete",
    "category_path_ensure",
    "glossary_term_save",
    "glossary_term_delete",
    "site_settings_save",
    "article_tags_set",
    "article_also_in_set",
    "article_also_in_check",
    "MAX_ALSO_IN",
    "MAX_TAGS",
    "tag_names_parse",
    "topic_save",
    "topic_delete",
]
