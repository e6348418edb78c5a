"""The roles, defined once: 作者 writes drafts, 编辑 publishes, 管理员 also manages accounts and the site settings.

`roles_sync()` makes the role groups hold exactly these permissions; it runs after
every `xinwen migrate` (post_migrate), so a new permission reaches existing sites
with the release that adds it. Groups of other names are left alone.
"""

from __future__ import annotations

from django.apps import apps as global_apps

__all__ = ["ROLES", "AUTHOR", "EDITOR", "ADMIN", "roles_sync"]

AUTHOR, EDITOR, ADMIN = "作者", "编辑", "管理员"

_AUTHOR = [
    "news.add_article", "news.change_article", "news.view_article",
    "news.add_attachment", "news.change_attachment", "news.delete_attachment", "news.view_attachment",
    "news.add_galleryimage", "news.change_galleryimage", "news.delete_galleryimage", "news.view_galleryimage",
    "news.add_bodyimage", "news.view_category",
]  # fmt: skip
_EDITOR = [
    "news.add_article", "news.change_article", "news.view_article", "news.delete_article",
    "news.publish_article",
    "news.add_attachment", "news.change_attachment", "news.delete_attachment", "news.view_attachment",
    "news.add_galleryimage", "news.change_galleryimage", "news.delete_galleryimage", "news.view_galleryimage",
    "news.add_bodyimage",
    "news.add_category", "news.change_category", "news.delete_category", "news.view_category",
    "news.view_auditentry",
    "hanzi.add_glossaryterm", "hanzi.change_glossaryterm", "hanzi.delete_glossaryterm", "hanzi.view_glossaryterm",
    "search.add_searchterm", "search.change_searchterm", "search.delete_searchterm", "search.view_searchterm",
    "importer.view_importrecord", "importer.view_importflag",
    "stats.view_dailyviews",
]  # fmt: skip
_ADMIN = _EDITOR + [
    "news.purge_article",
    "auth.add_user", "auth.change_user", "auth.delete_user", "auth.view_user",
    "auth.view_group",
    "news.change_sitesettings", "news.view_sitesettings",
    "news.add_sectiongrant", "news.change_sectiongrant", "news.delete_sectiongrant", "news.view_sectiongrant",
    "axes.view_accessattempt", "axes.delete_accessattempt",
    "axes.view_accessfailurelog", "axes.view_accesslog",
]  # fmt: skip

ROLES: dict[str, list[str]] = {AUTHOR: _AUTHOR, EDITOR: _EDITOR, ADMIN: _ADMIN}


def roles_sync(*, apps=global_apps, using: str = "default", verbosity: int = 0) -> None:
    """Create the role groups and give each exactly its permissions (unknown ones are skipped)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are created app by app after migrate; the roles need all of them now.
    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using, apps=apps)
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {code for codes in ROLES.values() for code in codes}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app_label}.{codename}" in wanted
    }
    for name, codes in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([found[code] for code in codes if code in found])
    if verbosity >= 2:
        print(f"roles synced: {', '.join(ROLES)}")


def _after_migrate(sender, using="default", verbosity=0, apps=global_apps, **kwargs):
    roles_sync(apps=apps, using=using, verbosity=verbosity)
