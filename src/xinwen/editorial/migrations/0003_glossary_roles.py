"""Editors and admins maintain the site glossary (简繁词表)."""

from django.db import migrations

GLOSSARY = ["hanzi.add_glossaryterm", "hanzi.change_glossaryterm", "hanzi.delete_glossaryterm", "hanzi.view_glossaryterm"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = [
        Permission.objects.get(content_type__app_label="hanzi", codename=code.split(".")[1]) for code in GLOSSARY
    ]
    for name in ("编辑", "管理员"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["编辑", "管理员"]):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="hanzi"))


class Migration(migrations.Migration):
    dependencies = [("editorial", "0002_roles"), ("hanzi", "0001_initial")]

    operations = [migrations.RunPython(grant, revoke)]
