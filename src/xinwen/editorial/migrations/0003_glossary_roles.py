"""Granted the glossary to editors; news.roles now defines every role."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("editorial", "0002_roles"), ("hanzi", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
