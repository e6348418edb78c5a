"""PostgreSQL: ANALYZE keeps the shares of the 2,500 commonest character pairs, not 1,000.

A common phrase is first looked for among the newest documents (backends/postgres.py
`_by_sample`): its pairs AND the key range of the window. With the default statistics the
planner knew only the 1,000 commonest pairs; any other it took for a pair in one document
in 100,000. So it read every row holding the phrase's pairs in the whole index and
dropped those outside the window afterwards ("将于本周六" at 100,000 articles: 13,391 rows,
8,700 buffers, 12 ms), where a BitmapAnd with the key index reads the window's 406
(2,100 buffers, 5 ms). With 2,500 pairs listed it plans the BitmapAnd. ANALYZE of the
search table takes about twice as long (8 s instead of 3.4 at 100,000 articles); it runs
after a rebuild and in autovacuum's own process, never in a reader's request.
"""

from importlib import import_module

from django.db import migrations

PAIRS_LISTED = 250  # the statistics target: ANALYZE lists ten times as many elements
_run = import_module("xinwen.search.migrations.0008_narrow_rows")._run
TARGET = "ALTER TABLE search_document ALTER COLUMN grams SET STATISTICS {}"


class Migration(migrations.Migration):
    dependencies = [("search", "0008_narrow_rows")]

    operations = [migrations.RunPython(_run([TARGET.format(PAIRS_LISTED)]), _run([TARGET.format(-1)]))]
