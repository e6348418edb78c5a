"""Granted the search dictionary to editors; news.roles now defines every role."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial"), ("editorial", "0002_roles")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
