"""The audit log moves to news with the write path; its table (editorial_auditentry) stays where it is."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_article_list_indexes"),
        ("editorial", "0003_glossary_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                        ("username", models.CharField(blank=True, max_length=150, verbose_name="操作人账号")),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("create", "创建"), ("change", "修改"), ("submit", "提交审核"), ("reject", "退回修改"),
                                    ("publish", "发布"), ("schedule", "定时发布"), ("unpublish", "撤回发布"),
                                    ("archive", "归档"), ("rollback", "回滚版本"), ("delete", "删除"),
                                ],
                                max_length=12,
                                verbose_name="操作",
                            ),
                        ),
                        ("object_id", models.CharField(max_length=64, verbose_name="对象 ID")),
                        ("object_repr", models.CharField(max_length=200, verbose_name="对象")),
                        ("detail", models.JSONField(blank=True, default=dict, verbose_name="详情")),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, to="contenttypes.contenttype", verbose_name="类型"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="操作人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "操作日志",
                        "verbose_name_plural": "操作日志",
                        "ordering": ["-at", "-id"],
                        "indexes": [models.Index(fields=["content_type", "object_id"], name="audit_object")],
                        "db_table": "editorial_auditentry",
                    },
                )
            ],
            database_operations=[],
        )
    ]
