"""What a search backend does: keep its index in step with SearchDocument rows and find candidates."""

from __future__ import annotations

from collections.abc import Iterable

from xinwen.search.documents import Document
from xinwen.search.query import Form

__all__ = ["SearchBackend", "SearchUnavailable"]


class SearchUnavailable(RuntimeError):
    """The database in use has no full-text backend."""


class SearchBackend:
    vendor = ""

    def write(self, documents: list[Document]) -> None:
        """Insert or replace the documents (and their index entries)."""
        self.write_rows(self.rows(documents))

    def rows(self, documents: list[Document]) -> list:
        """The documents as write_rows() stores them: the part of a write that is Python work.

        A rebuild calls it where it builds documents, so that its writer thread only waits
        for the database (services._Writes).
        """
        raise NotImplementedError

    def write_rows(self, rows: list) -> None:
        """Insert or replace what rows() made, in the caller's transaction."""
        raise NotImplementedError

    def delete(self, article_ids: Iterable[int]) -> None:
        """Remove the documents of these articles, if indexed."""
        from xinwen.search.models import SearchDocument

        ids = list(article_ids)
        for start in range(0, len(ids), 500):
            SearchDocument.objects.filter(article_id__in=ids[start : start + 500]).delete()

    def candidates(
        self,
        forms: tuple[Form, ...],
        *,
        low: int,
        high: int,
        limit: int,
        category_ids: list[int] | None = None,
        title_only: bool = False,
        keys: list[int] | None = None,
    ) -> list[int]:
        """Keys of matching documents with low <= key <= high, newest first, at most `limit`.

        With title_only, every term must match in the title; with `keys`, only those documents
        are searched (the few listed in a section by 同时发布到, whatever their own section).
        """
        raise NotImplementedError

    def document_frequencies(self, terms, *, documents: int) -> dict:
        """Term -> about how many of `documents` hold it, where the backend knows cheaply; None: count a sample."""
        return dict.fromkeys(terms)

    def optimise(self) -> None:
        """Compact the index after a bulk rebuild."""

    def size(self) -> dict[str, int]:
        """Bytes on disk: {"documents": stored rows, "index": full-text index}."""
        raise NotImplementedError
