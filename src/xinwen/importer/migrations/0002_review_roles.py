"""Granted import review to editors; news.roles now defines every role."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("importer", "0001_initial"), ("editorial", "0003_glossary_roles")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
