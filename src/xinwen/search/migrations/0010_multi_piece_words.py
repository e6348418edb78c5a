"""SQLite: the word columns (tw, w) keep only words of more than one piece, and the sub-words.

A word of one piece (a lone character such as 的 or 年, or a run such as 2025 or 5g) is
also in the character columns (tc, c) as that same token, and a search never asks the word
columns for one: a lone character is a phrase of one character, and a run word is now
asked of the character columns too (backends/sqlite.py), as PostgreSQL already finds it
among a document's pieces. So the word columns held a second copy of a fifth of the
index: without it the index is about 5 % smaller (134 to 127 MB at 10,000 articles).

The stored form keeps a word's pieces apart with spaces ("集 团|的|5g"), so the triggers
keep the words that hold a space: json_each() splits the text at "|" (a quote or backslash,
which the stored form never holds, is escaped all the same), and the kept words are joined
in their order, the same for the insert and the delete of a row.

Both FTS tables are made again from search_document here: about 20 seconds per 10,000
articles; search keeps answering from the old tables until the migration commits.
PostgreSQL needs nothing: its tsvector is untouched.
"""

from importlib import import_module

from django.db import migrations

_initial = import_module("xinwen.search.migrations.0001_initial")
_titles = import_module("xinwen.search.migrations.0003_title_index")
_run = import_module("xinwen.search.migrations.0008_narrow_rows")._run


def _words(text: str) -> str:
    """SQL: the words of the stored form `text` that have more than one piece, joined by spaces."""
    escaped = f"replace(replace({text}, '\\', '\\\\'), '\"', '\\\"')"
    return (
        "(SELECT coalesce(group_concat(replace(value, ' ', ''), ' '), '') "
        f"FROM json_each('[\"' || replace({escaped}, '|', '\",\"') || '\"]') WHERE instr(value, ' ') > 0)"
    )


TW = _words("{r}.title") + " || ' ' || {r}.title_sub"
W = _words("{r}.extra || '|' || {r}.meta || '|' || {r}.body") + " || ' ' || {r}.text_sub"
OPTIMIZE = [f"INSERT INTO {table}({table}) VALUES ('optimize')" for table in ("search_fts", "search_fts_title")]


# Both FTS tables and their triggers as they are now: a later migration that alters
# search_document (which drops its triggers on SQLite) runs create_index again.
create_index = _run(
    _initial.SQLITE_DROP + _initial.sqlite_statements(tw=TW, w=W) + _titles.DROP + _titles.statements(tw=TW) + OPTIMIZE, "sqlite"
)
previous_index = _run(_initial.SQLITE_DROP + _initial.SQLITE + _titles.DROP + _titles.CREATE + OPTIMIZE, "sqlite")


class Migration(migrations.Migration):
    dependencies = [("search", "0009_pair_statistics")]

    operations = [migrations.RunPython(create_index, previous_index)]
