"""站点设置 writes: the one row every page shows in its header and footer, so every page is dropped."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from xinwen.news import changes
from xinwen.news.errors import WorkflowError
from xinwen.news.models import AuditEntry, ImageSizes, SiteSettings
from xinwen.news.services.access import audit_record, require_perm
from xinwen.news.services.images import image_sizes_generate

__all__ = ["site_settings_save"]


@transaction.atomic
def site_settings_save(*, site_settings: SiteSettings, user, changed_fields: list[str] | None = None) -> SiteSettings:
    """Save the site settings as the single row (pk 1); pages show them from the next request on."""
    require_perm(user, "news.change_sitesettings", "您没有修改站点设置的权限。")
    site_settings.pk = SiteSettings.SINGLETON_PK
    try:
        site_settings.full_clean(validate_unique=False)  # the one row is overwritten, by design
    except ValidationError as exc:
        raise WorkflowError("；".join(m for messages in exc.message_dict.values() for m in messages)) from None
    site_settings.save()
    for picture in (site_settings.logo, site_settings.header_banner):
        if picture and not ImageSizes.objects.filter(name=picture.name).exists():
            image_sizes_generate(name=picture.name, watermark=None)  # the site's own marks carry no watermark
    audit_record(user=user, action=AuditEntry.Action.CHANGE, obj=site_settings, detail={"fields": changed_fields or []})
    changes.site_changed(setting=",".join(changed_fields or []) or "all", action=AuditEntry.Action.CHANGE)
    return site_settings
