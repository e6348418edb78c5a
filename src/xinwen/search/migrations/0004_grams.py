"""PostgreSQL: the character pairs of each document as an int4[] with a GIN index, for phrases.

A phrase (周建国, "数字孪生") is a <-> chain of characters, which the tsvector's GIN index
cannot answer alone: it finds every document holding all the characters, and each of those
must be rechecked with its whole tsvector (about 15 KB, out of TOAST). A two-character name
of common characters rechecked a third of all documents: 0.3-1.2 s at 20,000 articles.
`grams` holds every pair of neighbouring pieces of `vec` (single characters and runs of
ASCII letters and digits, a run by its last or first character: 了|2025 is the pair 了2),
and of the title's marked ones (search_grams below), so `grams @> <the phrase's pairs>` leaves only documents that hold
each pair somewhere, and the recheck reads a few. Derived from `vec` by a trigger, the
pairs hold by construction wherever the phrase matches: the filter never loses a match.
A pair is packed as (first code point << 16 | second) in 32 bits (beyond the BMP the low
16 bits: a collision only lets an extra document through to the recheck).

SQLite needs nothing: FTS5 matches phrases from its own position lists.
"""

import sys

from django.db import migrations

BATCH = 2000
# Pairs of a title's marked lexemes (^集 ^团: see backends/postgres.py) are stored once more,
# scrambled by this constant, so a title-only phrase is narrowed by the title's pairs.
TITLE_SALT = 0x5BD1E995

FUNCTION = """
CREATE OR REPLACE FUNCTION search_grams(vec tsvector) RETURNS int4[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH pieces AS (
        SELECT CASE WHEN left(u.lexeme, 1) = '^' THEN substr(u.lexeme, 2) ELSE u.lexeme END AS piece,
            left(u.lexeme, 1) = '^' AS title, p
        FROM unnest(vec) u, unnest(u.positions) p
    ), single AS (
        SELECT left(piece, 1) AS head, right(piece, 1) AS tail, title, p
        FROM pieces WHERE length(piece) = 1 OR piece ~ '^[0-9a-z]+$'
    )
    SELECT coalesce(array_agg(DISTINCT
        ((((ascii(a.tail) & 65535) << 16) | (ascii(b.head) & 65535)) # (CASE WHEN a.title THEN %d ELSE 0 END))), '{}')
    FROM single a JOIN single b ON b.p = a.p + 1 AND b.title = a.title
$$
""" % TITLE_SALT
TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION search_document_grams() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.grams := search_grams(NEW.vec);
    RETURN NEW;
END
$$
"""
CREATE = [
    FUNCTION,
    TRIGGER_FUNCTION,
    "ALTER TABLE search_document ADD COLUMN grams int4[] NOT NULL DEFAULT '{}'",
]
# After the backfill: one index build is faster than GIN updates row by row.
FINISH = [
    "CREATE INDEX search_document_grams ON search_document USING gin (grams)",
    "CREATE TRIGGER search_document_grams BEFORE INSERT OR UPDATE OF vec ON search_document "
    "FOR EACH ROW EXECUTE FUNCTION search_document_grams()",
]
DROP = [
    "DROP TRIGGER IF EXISTS search_document_grams ON search_document",
    "DROP INDEX IF EXISTS search_document_grams",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS grams",
    "DROP FUNCTION IF EXISTS search_document_grams()",
    "DROP FUNCTION IF EXISTS search_grams(tsvector)",
]


def create_grams(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in CREATE:
        schema_editor.execute(sql, params=None)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT article_id FROM search_document ORDER BY article_id")
        ids = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            cursor.execute("UPDATE search_document SET grams = search_grams(vec) WHERE article_id = ANY(%s)", [batch])
            # Progress for a large index (a migration has no logger the operator sees).
            print(f"  search_document.grams: {start + len(batch)}/{len(ids)}", file=sys.stderr, flush=True)
    for sql in FINISH:
        schema_editor.execute(sql, params=None)


def drop_grams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_title_index")]

    operations = [migrations.RunPython(create_grams, drop_grams)]
