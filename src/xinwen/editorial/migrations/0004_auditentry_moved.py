"""The audit log's model now belongs to news (news.0004); the table stays, only the state moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("editorial", "0003_glossary_roles"), ("news", "0004_auditentry")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="AuditEntry")], database_operations=[])
    ]
