"""PostgreSQL: a search document's row keeps only what a scan needs; its texts go to TOAST.

A phrase is found by its character pairs (0004): a bitmap of `grams`, then a scan of
every row the bitmap names, sorted newest first. With the ranking's lead (~1.5 KB) and
the subtitle and summary stored in the row, a row was about 1.6 KB: five to a page, and a
common phrase's ~13,000 rows at 100,000 articles read 10,000 of the table's 20,000 pages
(45 ms of a 50 ms search). With rows cut to at most 256 bytes (the texts moved out, as the
tsvector and the pairs already were) the table is a sixth of its size, about 30 rows to
a page, and the same scan reads 3,100 pages that stay in shared buffers (12 ms). Ranking
reads the texts of its 200 candidates from TOAST instead: about 0.2 ms more.

`lead` is stored uncompressed (EXTERNAL): Chinese text rarely saves the quarter that
PostgreSQL asks of compression, so trying costs time on every write and gains nothing.

Rows written before this migration are rewritten here (VACUUM FULL: the table is locked
while it runs, about two minutes at 100,000 articles); nothing else changes.
"""

from django.db import migrations

NARROW = [
    "ALTER TABLE search_document SET (toast_tuple_target = 256)",
    "ALTER TABLE search_document ALTER COLUMN lead SET STORAGE EXTERNAL",
    "VACUUM FULL search_document",
]
WIDE = [
    "ALTER TABLE search_document RESET (toast_tuple_target)",
    "ALTER TABLE search_document ALTER COLUMN lead SET STORAGE EXTENDED",
    "VACUUM FULL search_document",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run inside a transaction

    dependencies = [("search", "0007_grams_given")]

    operations = [migrations.RunPython(_run(NARROW), _run(WIDE))]
