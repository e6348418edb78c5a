"""PostgreSQL: a tsvector of pre-segmented words and characters per document, with a GIN index.

PostgreSQL's own parsers cannot cut Chinese into words, so the tsvector is built here
from the segmented document: every character (or run of letters and digits) at its
position, every word and dictionary sub-word at the position of its first character,
weighted by field (A title, B subtitle and summary, C source/author/category, D body),
and the title's lexemes once more with a mark for title-only searches.
Word terms are single lexemes; phrases are <-> chains over characters. pg_trgm was
considered and not used: its index cannot serve the one- and two-character queries that
most Chinese searches are (a trigram needs three characters), and whether it sees CJK
characters at all depends on the database's locale (not under plain C).

Phrases are first narrowed by their character pairs: `grams`, an int4[] with its own GIN
index, holds every pair of neighbouring pieces in `vec` (characters, and ASCII runs such as
"2025" by a hash of the whole run; migrations/0004_grams.py and 0006_run_grams.py), so only
documents holding every pair of the phrase are rechecked against their tsvector. The pairs
are computed here with the tsvector (`_grams`, equal to the database's search_grams(vec));
a trigger computes them for any other writer (migrations/0007_grams_given.py). A row holds
only the texts ranking reads, the sub-words and the lead in TOAST (migrations/0008_narrow_rows.py):
about twelve rows to a page, not five, so the read of a common pair's rows touches fewer pages.
ANALYZE lists the 2,500 commonest pairs (migrations/0009_pair_statistics.py): knowing a common
pair is common, the planner reads a window's rows by a BitmapAnd with the key range.

Which index finds a phrase is chosen from `search_sample` (migrations/0005_sample.py), the
share of documents holding each lexeme and pair in a sample taken at every rebuild: a code
by its far rarer run ("d188": a bitmap of the tsvector index, every document holding all
its lexemes rechecked), anything else by its pairs, read newest first with each tsvector
rechecked only until enough match (`_narrowed`). ANALYZE's statistics could not choose:
they list only elements in more than about a fifth of the documents.

PostgreSQL keeps at most 255 positions per lexeme and positions up to 16,383, so a
phrase far into a very long article (beyond about 16,000 characters) may be missed;
word matches are unaffected.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import re
from contextlib import contextmanager
from typing import NamedTuple

from django.db import DatabaseError, connection, transaction

from xinwen.hanzi.segment import pieces
from xinwen.search.backends.base import SearchBackend
from xinwen.search.documents import SEPARATOR, Document
from xinwen.search.models import SearchDocument
from xinwen.search.query import Form, Term

__all__ = ["PostgresBackend", "Sample", "tsvector", "tsquery", "gram", "form_grams"]

log = logging.getLogger(__name__)

WEIGHTS = (("title", "A"), ("extra", "B"), ("meta", "C"), ("body", "D"))
# Title lexemes are also stored with this mark ("^集团"), so a title-only search is an exact
# GIN lookup: a weight restriction (:A) can only be checked row by row, which is slow.
TITLE = "^"
MAX_POSITION = 16383
MAX_POSITIONS = 255
_ASCII_RUN = re.compile(r"[0-9a-z]+")
TITLE_SALT = 0x5BD1E995  # as in migrations/0004_grams.py: a title's pairs, kept apart from the others
COLUMNS = [f.column for f in SearchDocument._meta.concrete_fields]
WINDOWS = 3  # windows of the newest documents a common query tries before the whole range
SAMPLE = 2000  # documents sampled for the shares of lexemes and pairs (migrations/0005_sample.py)
RARER = 8  # how much rarer than its pairs a phrase's rarest lexeme must be to find it by the lexemes
LAZY_ROWS = 5000  # documents holding a phrase's pairs read in key order before windows pay


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(document: Document) -> tuple[str, list[int]]:
    """The tsvector literal of a document, and its pairs: what search_grams() makes of that tsvector.

    A rebuild makes one per article (~1,000 lexemes each), so the loop is written out: a
    helper call per position was a quarter of the time. The pairs are computed here, not
    by the trigger (migrations/0007_grams_given.py): the trigger's SQL was half of
    PostgreSQL's time per document written.
    """
    positions: dict[str, list[str]] = {}
    entries_of = positions.setdefault
    stream: list[str | None] = []  # the piece at each position (index + 1), None at a gap
    extend = stream.extend
    unusual = False  # a sub-word that is itself one piece, or a position past MAX_POSITION
    position = title_end = 0
    for name, weight in WEIGHTS:
        field = getattr(document, name)
        title = weight == "A"  # title lexemes are also stored marked (TITLE)
        subwords_of = field.subwords_of
        position += 1  # a gap: no phrase runs from one field into the next
        stream.append(None)
        for word in field.words:
            if word == SEPARATOR:
                position += 1
                stream.append(None)
                continue
            first = position + 1
            parts = pieces(word)
            extend(parts)
            for piece in parts:
                position += 1
                entry = f"{position if position < MAX_POSITION else MAX_POSITION}{weight}"
                entries_of(piece, []).append(entry)
                if title:
                    entries_of(TITLE + piece, []).append(entry)
            if len(parts) == 1 and word not in subwords_of:
                continue  # most words: one character or one run
            whole = [(word, first)] if len(parts) > 1 else []
            for sub in subwords_of.get(word, ()):
                whole.append((sub, first + word.find(sub)))
                unusual = unusual or len(pieces(sub)) == 1
            for lexeme, at in whole:
                entry = f"{at if at < MAX_POSITION else MAX_POSITION}{weight}"
                entries_of(lexeme, []).append(entry)
                if title:
                    entries_of(TITLE + lexeme, []).append(entry)
        if title:
            title_end = position
    # The first MAX_POSITIONS positions of each lexeme, in the order they were met.
    literal = " ".join([f"{_lexeme(lexeme)}:{','.join(entries[:MAX_POSITIONS])}" for lexeme, entries in positions.items()])
    if unusual or position >= MAX_POSITION:
        return literal, _grams(positions)
    return literal, _stream_grams(stream, title_end, positions)


def _stream_grams(stream: list[str | None], title_end: int, positions: dict[str, list[str]]) -> list[int]:
    """`_grams` where every lexeme that pairs is a piece at one position (the usual document): by neighbours in `stream`."""
    distinct = set(stream)
    distinct.discard(None)
    if any(piece[:1] == TITLE for piece in distinct):  # the SQL would read such a piece as a title lexeme
        return _grams(positions)
    code_of = {piece: _code(piece) for piece in distinct if _paired(piece)}
    titled = stream[:title_end]
    for lexeme, entries in positions.items():  # met more often than the tsvector keeps: the later positions hold nothing
        if len(entries) > MAX_POSITIONS:
            marked = lexeme[:1] == TITLE
            piece, held = (lexeme[1:], titled) if marked else (lexeme, stream)
            seen = 0
            for index, found in enumerate(held):
                if found == piece:
                    seen += 1
                    if seen > MAX_POSITIONS:
                        held[index] = None
    pairs = set()
    for held, salt in ((stream, 0), (titled, TITLE_SALT)):
        codes = list(map(code_of.get, held))
        pairs.update(((a << 16) | b) ^ salt for a, b in set(zip(codes, codes[1:])) if a is not None and b is not None)
    return sorted(map(_signed, pairs))


def _grams(positions: dict[str, list[str]]) -> list[int]:
    """search_grams() (migrations/0006_run_grams.py) of the tsvector of `positions`: sorted, distinct.

    As the SQL reads the stored tsvector: a lexeme marked TITLE is its piece in the title;
    a piece pairs when it is one character or a run of [0-9a-z]; only the positions the
    tsvector keeps count (the first MAX_POSITIONS, capped at MAX_POSITION, equal ones once).
    `positions` holds each lexeme's entries as the literal writes them ("12D").
    """
    at: dict[tuple[bool, int], list[int]] = {}
    codes_at = at.setdefault
    for lexeme, entries in positions.items():
        title = lexeme[:1] == TITLE
        piece = lexeme[1:] if title else lexeme
        if not _paired(piece):
            continue
        code = _code(piece)
        for position in {int(entry[:-1]) for entry in entries[:MAX_POSITIONS]}:
            codes_at((title, position), []).append(code)
    pairs = set()
    for (title, position), firsts in at.items():
        seconds = at.get((title, position + 1))
        if seconds is None:
            continue
        salt = TITLE_SALT if title else 0
        for first in firsts:
            for second in seconds:
                pairs.add(((first << 16) | second) ^ salt)
    return sorted(map(_signed, pairs))


def _signed(packed: int) -> int:
    """32 packed bits as the int4 the database stores."""
    return packed - (1 << 32) if packed >= 1 << 31 else packed


@functools.lru_cache(maxsize=4096)  # runs repeat across documents ("2025", "5g"); bounded
def _code(piece: str) -> int:
    """A piece as 16 bits: a character its code point, a longer ASCII run 16 bits of its MD5 (as search_grams(), 0006)."""
    if len(piece) == 1:
        return ord(piece) & 0xFFFF
    return int(hashlib.md5(piece.encode("ascii")).hexdigest()[:4], 16)


def gram(first: str, second: str, *, title: bool = False) -> int:
    """Two neighbouring pieces as one int4, packed as search_grams() packs them (migrations/0006_run_grams.py)."""
    packed = (_code(first) << 16) | _code(second)
    if title:
        packed ^= TITLE_SALT
    return _signed(packed)


def _paired(piece: str) -> bool:
    """A character, or a run of ASCII letters and digits ("2025", "zl"): the pieces search_grams() pairs."""
    return len(piece) == 1 or _ASCII_RUN.fullmatch(piece) is not None


def form_grams(form: Form, *, title_only: bool = False) -> list[int]:
    """The pairs every match of `form` holds: those of its phrases (a word is found by its own lexeme)."""
    pairs: dict[int, None] = {}
    for term in form.include:
        if term.is_word:
            continue  # a word (also a site term, which may match as a word) needs no pairs
        for first, second in zip(term.pieces, term.pieces[1:]):
            if _paired(first) and _paired(second):
                pairs[gram(first, second, title=title_only)] = None
    return list(pairs)


def _lexemes(term: Term) -> list[str]:
    """The lexemes a term is found by in the statistics: a word's own, a phrase's pieces."""
    return [term.text] if term.is_word else list(term.pieces)


def _held(form: Form, title_only: bool = False) -> list[str]:
    """The lexemes every match of `form` holds: a word's own, a phrase's (or site term's) pieces."""
    mark = TITLE if title_only else ""
    lexemes: dict[str, None] = {}
    for term in form.include:
        for lexeme in [term.text] if term.is_word and not term.site_term else term.pieces:
            lexemes[mark + lexeme] = None
    return list(lexemes)


class Sample(NamedTuple):
    """What the index's last sample says of some lexemes and pairs (search_sample, migrations/0005_sample.py)."""

    shares: dict[str, float]  # element ("l" + lexeme, "p" + pair) -> share of the sampled documents holding it
    rare: float  # the share of an element not listed: it was in fewer than two sampled documents
    documents: int  # documents in the index when it was sampled

    def share(self, element: str) -> float:
        return self.shares.get(element, self.rare)

    def matching(self, forms, mark: str) -> float | None:
        """The estimated share of documents matching (only to choose a window: too small is merely slower)."""
        best = 0.0
        for form in forms:
            if not form.include:
                return None  # a reading of exclusions only: no estimate
            # A phrase as if its characters were independent; the terms of a reading as if independent too.
            best = max(best, math.prod(math.prod(self.share(f"l{mark}{lexeme}") for lexeme in _lexemes(term)) for term in form.include))
        return best

    def plan(self, held: list[list[str]], pairs: list[list[int]]) -> tuple[bool, float]:
        """(found by its lexemes, expected share of documents to read) for phrases narrowed by their pairs.

        The readings are found by their lexemes when each one's rarest lexeme is RARER times
        rarer than its rarest pair (a rare word beside a phrase of common characters, a code's
        run), else by their pairs: a phrase's rechecks are every document holding all its lexemes
        against only those holding its pairs, in key order until enough match. The share is an
        upper bound of the documents the chosen index leaves: the rarest element's.
        """
        rarest = [
            (min((self.share(f"l{lexeme}") for lexeme in form_lexemes), default=1.0), min(self.share(f"p{pair}") for pair in form_pairs))
            for form_lexemes, form_pairs in zip(held, pairs, strict=True)
        ]
        by_lexemes = all(lexeme * RARER <= pair for lexeme, pair in rarest)
        return by_lexemes, max(lexeme if by_lexemes else pair for lexeme, pair in rarest)


@contextmanager
def _bitmaps_only(cursor, on: bool = True):
    """Within the caller's transaction, let the planner use bitmap scans only, then give it back every plan.

    The settings must not outlive the statement: _key_at is an index-only scan, which they would refuse.
    """
    if not on:
        yield
        return
    cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off")
    yield  # on an error the caller's savepoint is rolled back, and the settings with it
    cursor.execute("SET LOCAL enable_indexscan TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT")


def _term(term: Term, title_only: bool) -> str:
    mark = TITLE if title_only else ""
    phrase = "(" + " <-> ".join(_lexeme(mark + piece) for piece in term.pieces) + ")"
    if not term.is_word:
        return phrase
    word = _lexeme(mark + term.text)
    return f"({word} | {phrase})" if term.site_term else word


def tsquery(forms: tuple[Form, ...], *, title_only: bool = False) -> str:
    """A tsquery literal built only from quoted lexemes and tsquery's own operators."""
    readings = []
    for form in forms:
        parts = [_term(term, title_only) for term in form.include]
        parts += [f"!{_term(term, False)}" for term in form.exclude]
        readings.append("(" + " & ".join(parts) + ")")
    return " | ".join(readings)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    narrow_by_pairs = True  # off only to compare with the plain tsvector match (tests)

    def rows(self, documents: list[Document]) -> list[list]:
        fields = SearchDocument._meta.concrete_fields
        rows = []
        for document in documents:
            row = SearchDocument(**document.row())
            values = [field.get_db_prep_save(field.pre_save(row, add=True), connection) for field in fields]
            literal, pairs = tsvector(document)
            # An array literal: psycopg adapts a list of a thousand ints element by element, twice as slow.
            rows.append([*values, literal, "{" + ",".join(map(str, pairs)) + "}"])
        return rows

    def write_rows(self, rows: list[list]) -> None:
        if not rows:
            return
        names = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
        updates = ", ".join(f"{connection.ops.quote_name(c)} = EXCLUDED.{connection.ops.quote_name(c)}" for c in COLUMNS if c != "article_id")
        sql = (
            f"INSERT INTO search_document ({names}, vec, grams) VALUES ({', '.join(['%s'] * len(COLUMNS))}, %s::tsvector, %s::int4[]) "
            f"ON CONFLICT (article_id) DO UPDATE SET {updates}, vec = EXCLUDED.vec, grams = EXCLUDED.grams"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
            due = self._count_written(cursor, len(rows))
        if due:
            self.sample()

    def candidates(self, forms, *, low, high, limit, category_ids=None, title_only=False, keys=None) -> list[int]:
        if not forms or keys == []:
            return []
        if keys:  # a few documents named by key: read them by the key index, whatever the query's shape
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    return self._keys(cursor, tsquery(forms, title_only=title_only), low, high, limit, category_ids, only=keys)
            except DatabaseError:
                log.exception("tsquery failed on %d named documents", len(keys))
                return []
        query = tsquery(forms, title_only=title_only)
        # Words only: never the key index with a row-by-row `vec @@` filter, which detoasts the
        # whole tsvector of every row it reads (~40 µs each; a word in 3% of 11,000 documents:
        # 600 ms for 1,000 rows). Bitmap scans only: GIN finds the rows and a word needs no
        # recheck. A broad query is first tried on the newest documents only (a window of the
        # key index sized from its estimated share), so it does not visit every match to keep 200.
        # A phrase needs positions, which only the tsvector holds: a bitmap scan rechecks every
        # row with all its characters, the key order reads rows until `limit` match. The
        # first is cheaper for a rare phrase (a name: 250 ms against 600 at 11,000 documents),
        # the second for a common one: rare as if its characters were independent gets bitmaps,
        # anything else the planner's choice.
        # A single character or run is one lexeme, like a word: no positions to recheck.
        words_only = all(
            (term.is_word and not term.site_term) or len(term.pieces) == 1 for form in forms for term in (*form.include, *form.exclude)
        )
        # Phrases narrowed by their character pairs (when every reading has some): the GIN index
        # of `grams` leaves about as many rows to recheck as match. Which index finds them, and
        # whether a common one is first looked for among the newest documents, the sample decides
        # (_by_sample). Before the index's first sample nothing is estimated: one pass over the range.
        pairs = [form_grams(form, title_only=title_only) for form in forms]
        narrowed = self.narrow_by_pairs and not words_only and all(pairs)
        held = [_held(form, title_only) for form in forms]
        mark = TITLE if title_only else ""
        elements = {f"l{mark}{lexeme}" for form in forms for term in form.include for lexeme in _lexemes(term)}
        elements.update(f"l{lexeme}" for form in held for lexeme in form)
        elements.update(f"p{pair}" for form in pairs for pair in form)
        sample = self._sample(sorted(elements))
        share = None if sample is None else sample.matching(forms, mark)
        expected = None if share is None else share * sample.documents
        bitmaps = words_only or narrowed or (expected is not None and expected < 4 * limit)
        windowed = words_only and expected is not None and expected > 4 * limit
        try:
            # A savepoint: a failed statement must not abort the caller's transaction.
            with transaction.atomic(), connection.cursor() as cursor:

                def keys_in(start: int, with_pairs: bool) -> list[int]:
                    with _bitmaps_only(cursor, bitmaps):
                        return self._keys(cursor, query, start, high, limit, category_ids, pairs if with_pairs else None)

                if narrowed and sample is not None:
                    plan = sample.plan(held, pairs)
                    return self._by_sample(plan, sample.documents, cursor, keys_in, query, pairs, low, high, limit, category_ids)
                # Common words: windows of the newest documents, each four times the last, until
                # one holds `limit` matches (a BitmapAnd of the key range and the words).
                offset = max(int(limit / share * 2), limit) if windowed else 0
                for _ in range(WINDOWS if windowed else 0):
                    window = self._key_at(low, high, offset)
                    if window is None:
                        break  # the window would hold every document: the whole range below
                    keys = keys_in(max(low, window), False)
                    if len(keys) >= limit:
                        return keys
                    offset *= 4
                return keys_in(low, narrowed)
        except DatabaseError:
            log.exception("tsquery failed: %s", query)
            return []

    @staticmethod
    def _keys(cursor, query: str, low: int, high: int, limit: int, category_ids, pairs=None, only=None) -> list[int]:
        sql = "SELECT key FROM search_document WHERE vec @@ %s::tsquery AND key BETWEEN %s AND %s"
        params: list = [query, low, high]
        if only:
            sql += " AND key = ANY(%s)"
            params.append(list(only))
        if pairs:
            sql += " AND (" + " OR ".join(["grams @> %s::int4[]"] * len(pairs)) + ")"
            params += pairs
        if category_ids:
            sql += " AND category_id = ANY(%s)"
            params.append(list(category_ids))
        cursor.execute(sql + " ORDER BY key DESC LIMIT %s", [*params, limit])
        return [row[0] for row in cursor.fetchall()]

    # --- estimates from the sample (migrations/0005_sample.py), retaken as the index grows

    @staticmethod
    def _sample(elements: list[str]) -> Sample | None:
        """The sampled shares of `elements` (lexemes "l…", pairs "p…"), or None before the index's first sample."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT element, share FROM search_sample WHERE element = ANY(%s)", [[*elements, "#", "="]])
            shares = dict(cursor.fetchall())
        size, documents = shares.pop("#", None), shares.pop("=", None)
        if not size:
            return None
        return Sample(shares, 1.0 / size, max(int(documents or 0), 1))  # not listed: in fewer than two sampled documents

    def _by_sample(self, plan, documents: int, cursor, keys_in, query: str, pairs, low: int, high: int, limit: int, category_ids) -> list[int]:
        """A phrase by its rarest lexeme (a bitmap of the tsvector index, every match rechecked) or its pairs (lazily).

        Either way a common one is first looked for among the newest documents, in windows
        sized from the share the chosen index leaves, each four times the last. Within a window
        the key index narrows (a BitmapAnd of the key range and the lexemes), not the pairs: a
        common phrase's pairs leave about every match, and the planner, misjudging them as rare,
        rechecked all of them before the key range ("储能柜" at 100,000 documents: 331 ms, 13 without).
        """
        by_lexemes, share = plan
        expected = share * documents
        offset = max(int(limit / max(share, 1e-9) * 2), limit)
        for _ in range(WINDOWS if expected > (4 * limit if by_lexemes else LAZY_ROWS) else 0):
            window = self._key_at(low, high, offset)
            if window is None:
                break
            if by_lexemes:
                keys = keys_in(max(low, window), False)
            else:
                keys = self._lazily(cursor, query, pairs, max(low, window), high, limit, category_ids)
            if len(keys) >= limit:
                return keys
            offset *= 4
        if by_lexemes:
            return keys_in(low, True)
        return self._lazily(cursor, query, pairs, low, high, limit, category_ids)

    def _lazily(self, cursor, query: str, pairs, low: int, high: int, limit: int, category_ids) -> list[int]:
        with _bitmaps_only(cursor):
            return self._narrowed(cursor, query, pairs, low, high, limit, category_ids)

    @staticmethod
    def sample() -> None:
        """Refill search_sample from about SAMPLE random documents.

        Taken after every rebuild (optimise()) and, as the index changes, by write(): when
        as many documents have been written since the last sample as the index then held
        (so a growing site is sampled at 1, 2, 4 … documents, then about once per turnover).
        One process samples at a time; another finding it busy leaves it.
        """
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext('search_sample'))")
            if not cursor.fetchone()[0]:
                return
            cursor.execute("SELECT count(*) FROM search_document")
            (documents,) = cursor.fetchone()
            cursor.execute("DELETE FROM search_sample")
            if not documents:
                return  # nothing to sample (and a freshly migrated site stays empty: backup's restore needs it so)
            cursor.execute("INSERT INTO search_sample (element, share) VALUES ('=', %s), ('@', 0)", [documents])
            cursor.execute(
                "WITH s AS MATERIALIZED (SELECT vec, grams FROM search_document TABLESAMPLE BERNOULLI (%s)), "
                "n AS (SELECT count(*)::float8 AS n FROM s) "
                "INSERT INTO search_sample (element, share) "
                "SELECT 'l' || l, count(*) / (SELECT n FROM n) FROM s, unnest(tsvector_to_array(s.vec)) l GROUP BY l HAVING count(*) >= 2 "
                "UNION ALL SELECT 'p' || g, count(*) / (SELECT n FROM n) FROM s, unnest(s.grams) g GROUP BY g HAVING count(*) >= 2 "
                "UNION ALL SELECT '#', n FROM n WHERE n > 0",
                [min(100.0, 100.0 * SAMPLE / documents)],
            )

    @staticmethod
    def _count_written(cursor, written: int) -> bool:
        """Count documents written since the last sample; True when the sample is due (see sample())."""
        cursor.execute(
            "UPDATE search_sample SET share = share + %s WHERE element = '@' "
            "RETURNING share, (SELECT share FROM search_sample WHERE element = '=')",
            [written],
        )
        row = cursor.fetchone()
        return row is None or row[0] >= max(row[1] or 0.0, 1.0)

    @staticmethod
    def _narrowed(cursor, query: str, pairs: list[list[int]], low: int, high: int, limit: int, category_ids) -> list[int]:
        """Documents holding the pairs, newest first, each rechecked against its tsvector only until `limit` match.

        The inner query finds the documents by the GIN index of `grams` alone (no tsvector
        read: the array's containment is exact) and orders them by key; OFFSET 0 keeps the
        planner from pushing `vec @@` into it, so the outer filter reads tsvectors lazily, in
        key order, and the LIMIT stops it after `limit` matches.
        """
        sql = "SELECT key, vec FROM search_document WHERE key BETWEEN %s AND %s AND (" + " OR ".join(["grams @> %s::int4[]"] * len(pairs)) + ")"
        params: list = [low, high, *pairs]
        if category_ids:
            sql += " AND category_id = ANY(%s)"
            params.append(list(category_ids))
        cursor.execute(
            f"SELECT key FROM ({sql} ORDER BY key DESC OFFSET 0) narrowed WHERE vec @@ %s::tsquery LIMIT %s",
            [*params, query, limit],
        )
        return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _key_at(low: int, high: int, offset: int) -> int | None:
        """The key `offset` documents below the newest in [low, high] (an index-only scan), or None."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT key FROM search_document WHERE key BETWEEN %s AND %s ORDER BY key DESC OFFSET %s LIMIT 1",
                [low, high, offset],
            )
            row = cursor.fetchone()
        return row[0] if row else None

    def document_frequencies(self, terms, *, documents: int) -> dict:
        """From the sample, read once for all the terms; a word it does not list is counted through
        the GIN index (None for every term before the first sample).

        A phrase is in no more documents than its rarest character. Counting is cheap only for
        a rare word: one the sample does not list is in fewer than about 0.1% of the documents.
        """
        lexemes = {term: _lexemes(term) for term in terms}
        sample = self._sample(sorted({f"l{lexeme}" for held in lexemes.values() for lexeme in held}))
        if sample is None:
            return dict.fromkeys(terms)
        common = {element[1:]: share for element, share in sample.shares.items() if element.startswith("l")}
        found, rare = {}, {}
        for term, held in lexemes.items():
            if all(lexeme in common for lexeme in held):
                found[term] = min(common[lexeme] * documents for lexeme in held)  # a phrase: no more than its rarest character
            else:
                rare[term] = next(lexeme for lexeme in held if lexeme not in common)
        if rare:  # one savepoint and one change of plan settings for all the counts
            with transaction.atomic(), connection.cursor() as cursor, _bitmaps_only(cursor):
                for term, lexeme in rare.items():
                    cursor.execute("SELECT count(*) FROM search_document WHERE vec @@ %s::tsquery", [_lexeme(lexeme)])
                    found[term] = float(cursor.fetchone()[0])
        return found

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('search_document_vec'::regclass)")
            cursor.execute("SELECT gin_clean_pending_list('search_document_grams'::regclass)")
            # VACUUM also sets the visibility map, so counting keys is an index-only scan;
            # it cannot run inside a transaction (a rebuild called from one gets ANALYZE).
            cursor.execute("ANALYZE search_document" if connection.in_atomic_block else "VACUUM (ANALYZE) search_document")
        self.sample()

    def size(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_table_size('search_document'), "
                "pg_relation_size('search_document_vec') + pg_relation_size('search_document_grams'), "
                "pg_indexes_size('search_document') - pg_relation_size('search_document_vec') - pg_relation_size('search_document_grams')"
            )
            table, index, other = cursor.fetchone()
        return {"documents": int(table) + int(other), "index": int(index)}
