"""SQLite: a second, small FTS5 table of titles only, for the title pass of a search.

A column filter ({tc} : "…") in the main table still reads every position of each
character in every body: a phrase that many bodies contain but no title cost 25-60 ms at
100,000 articles. Titles alone are about 1/75 of the text, so the same search here reads
1/75 of the data. Filled by triggers from the stored row, like search_fts (0001).
PostgreSQL needs nothing: its title lexemes are already marked (^word) in the tsvector.
"""

from django.db import migrations

_TW = "replace(replace({r}.title, ' ', ''), '|', ' ') || ' ' || {r}.title_sub"
_TC = "{r}.title"
_CAT = "'c' || {r}.category_id"


def statements(tw: str = _TW) -> list[str]:
    """The table and its triggers, with this word column (0010_multi_piece_words gives its own)."""

    def values(row: str) -> str:
        return ", ".join(expression.format(r=row) for expression in (tw, _TC, _CAT))

    insert = "INSERT INTO search_fts_title(rowid, tw, tc, cat) VALUES (NEW.key, " + values("NEW") + ");"
    delete = "INSERT INTO search_fts_title(search_fts_title, rowid, tw, tc, cat) VALUES ('delete', OLD.key, " + values("OLD") + ");"
    return [
        "CREATE VIRTUAL TABLE search_fts_title USING fts5(tw, tc, cat, content='', columnsize=0, detail=full, "
        "tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER search_document_title_ai AFTER INSERT ON search_document BEGIN {insert} END",
        f"CREATE TRIGGER search_document_title_ad AFTER DELETE ON search_document BEGIN {delete} END",
        f"CREATE TRIGGER search_document_title_au AFTER UPDATE ON search_document BEGIN {delete} {insert} END",
        "INSERT INTO search_fts_title(rowid, tw, tc, cat) SELECT key, " + values("search_document") + " FROM search_document",
    ]


DROP = [
    "DROP TRIGGER IF EXISTS search_document_title_ai",
    "DROP TRIGGER IF EXISTS search_document_title_ad",
    "DROP TRIGGER IF EXISTS search_document_title_au",
    "DROP TABLE IF EXISTS search_fts_title",
]
CREATE = statements()


def create_title_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in DROP + CREATE:
            schema_editor.execute(sql, params=None)


def drop_title_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_dictionary_roles")]

    operations = [migrations.RunPython(create_title_index, drop_title_index)]
