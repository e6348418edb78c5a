"""PostgreSQL: the writer gives a document's pairs; the trigger computes them only where it did not.

search_grams() (0006) reads every position of the tsvector and joins them: about half of
PostgreSQL's time per document a rebuild writes, in the database's one process, while
the rows are built in Python beside the writes. The backend now computes the same pairs
from the positions it has just laid out (backends/postgres.py `_grams`) and writes them with
the tsvector. The trigger stays for any other writer of `vec`:

- an INSERT whose `grams` is empty (the column's default) gets search_grams(vec);
- an UPDATE that changes `vec` and leaves `grams` as it was gets search_grams(vec);
- otherwise the given pairs are kept.

An UPDATE that gives new content with the very pairs the row already had is computed
again, to the same pairs: correct, only slower.
"""

from django.db import migrations

GIVEN = """
CREATE OR REPLACE FUNCTION search_document_grams() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF cardinality(NEW.grams) = 0 THEN
            NEW.grams := search_grams(NEW.vec);
        END IF;
    ELSIF NEW.grams IS NOT DISTINCT FROM OLD.grams AND NEW.vec IS DISTINCT FROM OLD.vec THEN
        NEW.grams := search_grams(NEW.vec);
    END IF;
    RETURN NEW;
END
$$
"""


def given(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GIVEN, params=None)


def always(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from importlib import import_module

        schema_editor.execute(import_module("xinwen.search.migrations.0004_grams").TRIGGER_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_run_grams")]

    operations = [migrations.RunPython(given, always)]
