"""SQLite: a second, small FTS5 table of titles only, for the title pass of a search.

A column filter ({tc} : "…") in the main table still reads every position of each
character in every body: a phrase that many bodies contain but no title cost 25-60 ms at
100,000 articles. Titles alone are about 1/75 of the text, so the same search here reads
1/75 of the data. Filled by triggers from the stored row, like search_fts (0001).
PostgreSQL needs nothing: its title lexemes are already marked (^word) in the tsvector.
"""

from importlib import import_module

from django.db import migrations

_initial = import_module("xinwen.search.migrations.0001_initial")


def statements(tw: str = _initial._TW) -> list[str]:
    """The table and its triggers, with this word column (0010_multi_piece_words gives its own): the main table's title columns."""
    return _initial.fts_statements("search_fts_title", "search_document_title", {"tw": tw, "tc": _initial._TC, "cat": _initial._CAT})


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
