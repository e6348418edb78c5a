"""PostgreSQL: a run of ASCII letters and digits pairs by the whole run, not by its end character.

0004 packed "2021" next to 年 as the pair 1|年, which every run ending in 1 shares: 16,000
of 100,000 documents held the pair of "2021年" and 800 the phrase, and a search read them
all. A phrase matches a run only as a whole lexeme (the tsquery '2021' <-> '年'), so a
pair may stand for the whole run: a run of two or more characters is now represented by
16 bits of its MD5 (runs are ASCII, so the bytes hashed are the same in Python and in the
database). A single character, a run of one included, keeps its code point. A hash that
meets a code point only lets an extra document through to the recheck.

The pairs of every document are computed again (the GIN indexes dropped for the update and
built after it, as in 0004), and the sample of element shares (0005) is taken again. At
100,000 articles this takes about five minutes, with a progress line per 2,000.
"""

import sys

from django.db import migrations

BATCH = 2000
TITLE_SALT = 0x5BD1E995  # as in 0004

FUNCTION = """
CREATE OR REPLACE FUNCTION search_grams(vec tsvector) RETURNS int4[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH pieces AS (
        SELECT CASE WHEN left(u.lexeme, 1) = '^' THEN substr(u.lexeme, 2) ELSE u.lexeme END AS piece,
            left(u.lexeme, 1) = '^' AS title, p
        FROM unnest(vec) u, unnest(u.positions) p
    ), single AS (
        SELECT CASE WHEN length(piece) = 1 THEN ascii(piece) & 65535
            ELSE ('x' || left(md5(piece), 4))::bit(16)::int END AS code, title, p
        FROM pieces WHERE length(piece) = 1 OR piece ~ '^[0-9a-z]+$'
    )
    SELECT coalesce(array_agg(DISTINCT ((a.code << 16) | b.code) # (CASE WHEN a.title THEN %d ELSE 0 END)), '{}')
    FROM single a JOIN single b ON b.p = a.p + 1 AND b.title = a.title
$$
""" % TITLE_SALT


INDEXES = {
    "search_document_grams": "CREATE INDEX search_document_grams ON search_document USING gin (grams)",
    # Every updated row is a new row version with new entries in every index: the tsvector's
    # index is built again too, or it would keep an entry per old version (it grew 70% at 100,000).
    "search_document_vec": "CREATE INDEX search_document_vec ON search_document USING gin (vec)",
}


def _recompute(schema_editor, function: str) -> None:
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)
    schema_editor.execute(function, params=None)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT article_id FROM search_document ORDER BY article_id")
        ids = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            cursor.execute("UPDATE search_document SET grams = search_grams(vec) WHERE article_id = ANY(%s)", [batch])
            print(f"  search_document.grams: {start + len(batch)}/{len(ids)}", file=sys.stderr, flush=True)
    for create in INDEXES.values():
        schema_editor.execute(create, params=None)
    from xinwen.search.backends.postgres import PostgresBackend

    PostgresBackend.sample()


def whole_runs(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _recompute(schema_editor, FUNCTION)


def end_characters(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from importlib import import_module

        _recompute(schema_editor, import_module("xinwen.search.migrations.0004_grams").FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_sample")]

    operations = [migrations.RunPython(whole_runs, end_characters)]
