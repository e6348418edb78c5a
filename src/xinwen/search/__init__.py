"""Chinese full-text search: /search/ in every script, kept in step with the editorial services.

documents.py   what is stored per article (folded to Simplified, segmented by hanzi.segment)
query.py       what a reader typed, as word and phrase terms
backends/      SQLite FTS5 or PostgreSQL tsvector/GIN: finds candidates, newest first
ranking.py     BM25 per field (title first) with a mild recency boost, the same on both
highlight.py   marks and snippets in the reader's script
services.py    index writes: after each editorial commit, `xinwen reindex`, dictionary edits
selectors.py   the read path: candidates → ranking → a page of Article.objects.published()
views.py       the results page (noindex, rate-limited); templates/search/_box.html the header box
"""
