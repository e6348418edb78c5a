"""Editors and admins review imported articles (the list of flagged imports in the back office)."""

from django.db import migrations

PERMISSIONS = ["view_importrecord", "view_importflag"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = list(Permission.objects.filter(content_type__app_label="importer", codename__in=PERMISSIONS))
    for name in ("编辑", "管理员"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["编辑", "管理员"]):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="importer"))


class Migration(migrations.Migration):
    dependencies = [("importer", "0001_initial"), ("editorial", "0003_glossary_roles")]

    operations = [migrations.RunPython(grant, revoke)]
