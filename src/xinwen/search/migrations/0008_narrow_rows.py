"""PostgreSQL: a search document's row keeps what a search reads from it; the other texts go to TOAST.

A phrase is found by its character pairs (0004): a bitmap of `grams`, then a read of every
row the bitmap names, sorted newest first. A row was about 1.6 KB, five to a page, and 60 %
of it was `text_sub` (the dictionary sub-words of the summary, meta and body), which only
SQLite's index reads: a common phrase's ~13,000 rows at 100,000 articles read 10,000 of the
table's 20,000 pages (25 ms of SQL for 充电桩).

`text_sub` and `lead` (the ranking's first 200 words, which TOAST already held) are now
always stored out of the row (EXTERNAL, with toast_tuple_target 256 so that they always
leave); the texts every ranking reads (title, subtitle and summary, meta) stay in it
(MAIN). Rows are about 640 bytes, the table 65 MB instead of 156 at 100,000 articles, and
the same read takes 8,600 buffers and 12 ms. Reading the texts of a search's 400
candidates costs what it did: the lead from TOAST, the rest from the row. (Moving every
text out made the table 24 MB but cost that read a TOAST fetch per text per candidate.)

Rows written before this migration are rewritten here (VACUUM FULL: the table is locked
while it runs, about two minutes at 100,000 articles); nothing else changes.
"""

from django.db import migrations

# Each column's storage here; back to PostgreSQL's default for text, EXTENDED, on the way back.
STORAGE = {"text_sub": "EXTERNAL", "lead": "EXTERNAL", "title": "MAIN", "extra": "MAIN", "meta": "MAIN", "title_sub": "MAIN"}


def _storage(storage: dict[str, str]) -> str:
    return "ALTER TABLE search_document " + ", ".join(f"ALTER COLUMN {column} SET STORAGE {kind}" for column, kind in storage.items())


NARROW = [
    "ALTER TABLE search_document SET (toast_tuple_target = 256)",
    _storage(STORAGE),
    "VACUUM FULL search_document",
]
WIDE = [
    "ALTER TABLE search_document RESET (toast_tuple_target)",
    _storage(dict.fromkeys(STORAGE, "EXTENDED")),
    "VACUUM FULL search_document",
]


def _run(statements: list[str], vendor: str = "postgresql"):
    """A migration step running `statements` on that database (0009 and 0010 use it too), nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == vendor:
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run inside a transaction

    dependencies = [("search", "0007_grams_given")]

    operations = [migrations.RunPython(_run(NARROW), _run(WIDE))]
