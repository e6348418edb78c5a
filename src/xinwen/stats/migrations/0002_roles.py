"""Editors and admins see the view statistics (dashboard, charts, CSV export); authors do not."""

from django.db import migrations

ROLES = ("编辑", "管理员")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need this one now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="stats", codename="view_dailyviews")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(view)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="stats"))


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial"), ("editorial", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
