"""Column by column: does an imported article say what WordPress itself says about the post?

Pure comparisons over WordPress's dump (dump.php) and xinwen's rows; the test decides
which ratios must hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from lxml import html as lxml_html

from xinwen.importer.legacy import legacy_key

__all__ = ["COLUMNS", "Row", "paragraphs", "compare_article", "find_article", "media_of", "squash"]

COLUMNS = ["imported", "published", "title", "date", "category", "also in", "tags", "author", "body", "media", "old URL 301",
           "?p=ID 301"]  # fmt: skip
BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "dt", "dd", "td", "th", "pre")


def squash(text: str) -> str:
    """Text without any whitespace: Chinese text compares equal however an editor or importer wrapped it."""
    return "".join(unescape(text).split())


def paragraphs(html: str) -> list[str]:
    """The text of each innermost block (paragraph, list item, heading, caption) of a body, squashed."""
    if not html.strip():
        return []
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    found = []
    for element in root.iter(*BLOCKS):
        if any(child.tag in BLOCKS for child in element.iterdescendants()):
            continue
        text = squash(element.text_content())
        if text:
            found.append(text)
    return found


def media_of(post: dict, host: str) -> dict[str, list[str]]:
    """Files of the old site a post shows or links to: images (by original file) and documents."""
    images, documents = set(), set()
    for page in post["pages"]:
        root = lxml_html.fragment_fromstring(page, create_parent="div")
        for img in root.iter("img"):
            images.add(img.get("src", ""))
        for a in root.iter("a"):
            href = a.get("href", "")
            if urlsplit(href).netloc == host and "/wp-content/uploads/" in href and not href.endswith((".jpg", ".png")):
                documents.add(href)
    return {"images": sorted(i for i in images if i), "documents": sorted(documents)}


@dataclass
class Row:
    post_id: int
    title: str
    cells: dict[str, bool] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def category_path(category) -> list[str]:
    names = []
    while category is not None:
        names.insert(0, category.name)
        category = category.parent
    return names


def compare_article(post: dict, article, *, host: str, client) -> Row:
    """One WordPress post against the xinwen article imported from it (or None)."""
    row = Row(post["id"], post["title"])
    row.cells = dict.fromkeys(COLUMNS, False)
    media = media_of(post, host)
    if not (media["images"] or media["documents"]):
        row.cells["media"] = None  # nothing to carry over
    if article is None:
        row.notes["imported"] = "no article"
        return row
    row.cells["imported"] = True
    row.cells["published"] = article.status == "published"
    if not row.cells["published"]:
        row.notes["published"] = f"status {article.status}: " + "; ".join(
            article.import_record.flags.filter(hold=True).values_list("message", flat=True)
        )
    row.cells["title"] = squash(article.title) == squash(post["title"])
    row.notes["title"] = "" if row.cells["title"] else repr(article.title)
    expected = datetime.fromisoformat(post["date_gmt"]).replace(tzinfo=timezone.utc)
    row.cells["date"] = article.publish_at is not None and abs((article.publish_at - expected).total_seconds()) < 60
    row.notes["date"] = "" if row.cells["date"] else f"{article.publish_at and article.publish_at.isoformat()} ≠ {expected.isoformat()}"
    path = category_path(article.category)
    row.cells["category"] = path == post["categories"][0]
    row.notes["category"] = "" if row.cells["category"] else f"{' > '.join(path)} ≠ {' > '.join(post['categories'][0])}"
    # Its further categories (同时发布到) and its 标签, each as a set: none where WordPress has none.
    also_in = sorted(category_path(c) for c in article.also_in.all())
    row.cells["also in"] = also_in == sorted(post["categories"][1:])
    row.notes["also in"] = "" if row.cells["also in"] else f"{also_in} ≠ {sorted(post['categories'][1:])}"
    tags = sorted(article.tags.values_list("name", flat=True))
    row.cells["tags"] = tags == sorted(post["tags"])
    row.notes["tags"] = "" if row.cells["tags"] else f"{tags} ≠ {sorted(post['tags'])}"
    row.cells["author"] = article.author == post["author"]
    row.notes["author"] = "" if row.cells["author"] else f"{article.author!r} ≠ {post['author']!r}"

    wanted = [p for page in post["pages"] for p in paragraphs(page)]
    got = paragraphs(article.body)
    got_text, wanted_text = "".join(got), squash("".join(lxml_html.fragment_fromstring(p, create_parent="div").text_content() for p in post["pages"]))
    missing = [p for p in wanted if p not in got_text]
    extra = [p for p in got if p not in wanted_text]
    row.cells["body"] = not missing and not extra
    row.notes["body"] = "; ".join([*(f"missing {p[:24]!r}" for p in missing), *(f"extra {p[:24]!r}" for p in extra)])

    if row.cells["media"] is not None:
        body = article.body
        local_images = [src for src in lxml_html.fragment_fromstring(body or "<p></p>", create_parent="div").xpath("//img/@src")
                        if src.startswith(settings.MEDIA_URL)]  # fmt: skip
        local_documents = article.attachments.count() + body.count(settings.MEDIA_URL + "attachments")
        old_host = host in body
        ok = len(local_images) >= len(media["images"]) and local_documents >= len(media["documents"]) and not old_host
        row.cells["media"] = ok
        row.notes["media"] = "" if ok else (f"images {len(local_images)}/{len(media['images'])}, documents "
                                            f"{min(local_documents, len(media['documents']))}/{len(media['documents'])}"
                                            + (", body still links to the old host" if old_host else ""))  # fmt: skip

    target = article.get_absolute_url()
    for column, url in (("old URL 301", post["permalink"]), ("?p=ID 301", post["shortlink"])):
        parts = urlsplit(url)
        response = client.get(parts.path + ("?" + parts.query if parts.query else ""))
        row.cells[column] = response.status_code == 301 and response["Location"] == target
        row.notes[column] = "" if row.cells[column] else f"{parts.path}{'?' + parts.query if parts.query else ''} → {response.status_code}"
    return row


def find_article(post: dict, records: dict):
    """The article imported from a post: by its permalink or its ?p= address."""
    for url in (post["permalink"], post["shortlink"]):
        record = records.get(legacy_key(url))
        if record is not None:
            return record.article
    return None
