"""Create the three roles: 作者 writes drafts, 编辑 publishes, 管理员 also manages accounts."""

from django.db import migrations

ROLES = {
    "作者": [
        "news.add_article", "news.change_article", "news.view_article",
        "news.add_attachment", "news.change_attachment", "news.delete_attachment", "news.view_attachment",
        "news.add_bodyimage", "news.view_category",
    ],
    "编辑": [
        "news.add_article", "news.change_article", "news.view_article", "news.delete_article",
        "news.publish_article",
        "news.add_attachment", "news.change_attachment", "news.delete_attachment", "news.view_attachment",
        "news.add_bodyimage",
        "news.add_category", "news.change_category", "news.delete_category", "news.view_category",
        "editorial.view_auditentry",
    ],
}
ROLES["管理员"] = ROLES["编辑"] + [
    "auth.add_user", "auth.change_user", "auth.delete_user", "auth.view_user",
    "auth.view_group", "auth.change_group",
    "axes.view_accessattempt", "axes.delete_accessattempt",
    "axes.view_accessfailurelog", "axes.view_accesslog",
]  # fmt: skip


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("news", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
