"""Editors and admins maintain the search dictionary (搜索词典), as they do the glossary."""

from django.db import migrations

DICTIONARY = ["add_searchterm", "change_searchterm", "delete_searchterm", "view_searchterm"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = list(Permission.objects.filter(content_type__app_label="search", codename__in=DICTIONARY))
    for group in Group.objects.filter(name__in=["编辑", "管理员"]):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="search", codename__in=DICTIONARY)
    for group in Group.objects.filter(name__in=["编辑", "管理员"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial"), ("editorial", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
