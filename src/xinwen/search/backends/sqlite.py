"""SQLite: an FTS5 table of words and characters, kept in step with SearchDocument by triggers.

A second FTS5 table holds the titles alone (tw, tc, cat) for the title pass of a search
(migrations/0003_title_index.py): it answers the same expressions from far less data.

The FTS5 table is contentless (the text is stored once, in search_document) and has
two pairs of columns: words (tw: title, w: other fields) and characters (tc, c), plus
the category as a token (cat). The word columns hold the words of more than one piece and
the dictionary's sub-words, and answer such word terms from the index alone; phrases,
single characters and words of one piece (2025, 5g) use the character columns, where FTS5's
phrase matching finds consecutive characters. The triggers (migrations/0001_initial.py,
word columns as of migrations/0010_multi_piece_words.py) derive every column from the
stored row, so a delete removes exactly what the insert added.
The rowid is SearchDocument.key, so newest-first is FTS5's own descending rowid order,
which stops after `limit` matches instead of ranking every match.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

from xinwen.search.backends.base import SearchBackend
from xinwen.search.documents import Document
from xinwen.search.models import SearchDocument
from xinwen.search.query import Form, Term

__all__ = ["SQLiteBackend", "match_expression"]

log = logging.getLogger(__name__)

UPDATE_FIELDS = [f.name for f in SearchDocument._meta.concrete_fields if f.name != "article_id"]


def _string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _term(term: Term, title_only: bool) -> str:
    phrase = ("{tc}" if title_only else "{tc c}") + " : " + _string(" ".join(term.pieces))
    if not term.is_word or len(term.pieces) == 1:  # a word of one piece is in the character columns alone (0010)
        return phrase
    word = ("{tw}" if title_only else "{tw w}") + " : " + _string(term.text)
    return f"({word} OR {phrase})" if term.site_term else word


def match_expression(forms: tuple[Form, ...], *, title_only: bool = False, category_ids: list[int] | None = None) -> str:
    """An FTS5 query built only from quoted terms and FTS5's own operators."""
    readings = []
    for form in forms:
        expression = " AND ".join(_term(term, title_only) for term in form.include)
        if form.exclude:
            expression = f"({expression}) NOT ({' OR '.join(_term(term, False) for term in form.exclude)})"
        readings.append(f"({expression})")
    expression = " OR ".join(readings)
    if category_ids:
        expression = f"({expression}) AND ({' OR '.join('{cat} : ' + _string(f'c{pk}') for pk in category_ids)})"
    return expression


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def rows(self, documents: list[Document]) -> list[SearchDocument]:
        return [SearchDocument(**document.row()) for document in documents]

    def write_rows(self, rows: list[SearchDocument]) -> None:
        # An upsert: the update trigger replaces the FTS entry (also when the key moved).
        SearchDocument.objects.bulk_create(
            rows, batch_size=500, update_conflicts=True, unique_fields=["article_id"], update_fields=UPDATE_FIELDS
        )

    def candidates(self, forms, *, low, high, limit, category_ids=None, title_only=False, keys=None) -> list[int]:
        if not forms or keys == []:
            return []
        expression = match_expression(forms, title_only=title_only, category_ids=category_ids)
        # Titles have their own small table (migration 0003); an exclusion must be checked in the
        # whole text, which only the main table holds.
        table = "search_fts_title" if title_only and not any(form.exclude for form in forms) else "search_fts"
        try:
            with connection.cursor() as cursor:
                only = f" AND rowid IN ({', '.join(['%s'] * len(keys))})" if keys else ""
                cursor.execute(
                    f"SELECT rowid FROM {table} WHERE {table} MATCH %s AND rowid BETWEEN %s AND %s{only} "
                    "ORDER BY rowid DESC LIMIT %s",
                    [expression, low, high, *(keys or ()), limit],
                )
                return [row[0] for row in cursor.fetchall()]
        except DatabaseError:
            # Terms are quoted letters and digits, so this is not the reader's input at fault.
            log.exception("FTS5 query failed: %s", expression)
            return []

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            for table in ("search_fts", "search_fts_title"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    def size(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT name LIKE 'search_fts%%', sum(pgsize) FROM dbstat WHERE name IN "
                    "(SELECT name FROM sqlite_master WHERE tbl_name = 'search_document' OR name LIKE 'search_fts%%') "
                    "GROUP BY 1"
                )
            except DatabaseError:  # SQLite built without the dbstat table
                return {}
            sizes = dict(cursor.fetchall())
        return {"documents": int(sizes.get(0, 0)), "index": int(sizes.get(1, 0))}
