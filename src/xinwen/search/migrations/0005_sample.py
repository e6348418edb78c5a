"""PostgreSQL: the share of documents holding each lexeme and each character pair, from a sample.

A phrase can be found by its rarest lexeme (the tsvector's GIN index, every document
holding all its characters rechecked) or by its pairs (`grams`, 0004). Which is cheaper
depends on the real counts: a product code's own run ("d188") is in a few documents while
its pair l|d is in one of seven; a name's characters (顾, 浩) are each in thousands while
most documents holding the pair 顾浩 match. ANALYZE's statistics cannot tell these apart:
they list only elements in more than about a fifth of the documents, and estimate every
other one alike. `search_sample` holds, for every element in at least two documents of a
random sample of about 2,000, its share of the sample; an element not listed is rarer
than that. Filled by the backend's optimise() after every rebuild (backends/postgres.py).

SQLite needs nothing: FTS5 reads the position lists of the rarest term itself.
"""

from django.db import migrations

CREATE = "CREATE TABLE search_sample (element text PRIMARY KEY, share real NOT NULL)"
DROP = "DROP TABLE IF EXISTS search_sample"


def create_sample(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_sample(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_grams")]

    operations = [migrations.RunPython(create_sample, drop_sample)]
