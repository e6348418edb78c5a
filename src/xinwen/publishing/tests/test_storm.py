"""A publish storm: a reader fetching through nginx never gets a partial file or a link to a missing page."""

import gzip
import re
import threading
import urllib.error
import urllib.request

import pytest

from xinwen.conftest import make_article
from xinwen.news.services import article_save, article_unpublish
from xinwen.publishing.manifest import tree_verify
from xinwen.publishing.services import site_publish, site_publish_changed

pytestmark = pytest.mark.django_db
LINK = re.compile(rb'href="(/(?:zh-[a-z]+/)?(?:article|category)/[^"?#]+/)"')
EDITS = 100
EDITS_PER_RUN = 20  # the worker coalesces the edits that arrive while it renders


def get(url: str, **headers) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)  # a torn .gz twin fails here
            return response.status, body
    except urllib.error.HTTPError as error:
        return error.code, b""


class Reader(threading.Thread):
    """Fetches the home page, a section and every page they link to, over and over, in two scripts."""

    def __init__(self, origin: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.origin, self.stop, self.problems, self.pages = origin, stop, [], 0

    def run(self):
        starts = ["/", "/zh-tw/", "/category/company/", "/zh-hk/category/industry/"]
        while not self.stop.is_set():
            for start in starts:
                for encoding in ("identity", "gzip"):
                    self.check(start, encoding)

    def check(self, path: str, encoding: str):
        status, body = get(self.origin + path, **{"Accept-Encoding": encoding})
        self.pages += 1
        if status != 200 or not body.rstrip().endswith(b"</html>"):
            self.problems.append(f"{path} ({encoding}): {status}, {len(body)} bytes, partial")
            return
        for link in sorted(set(LINK.findall(body))):
            linked, page = get(self.origin + link.decode())
            self.pages += 1
            if linked == 200 and page.rstrip().endswith(b"</html>"):
                continue
            # A link from a page fetched before an unpublish is fine if that page no longer links there.
            status, again = get(self.origin + path)
            if link in LINK.findall(again):
                self.problems.append(f"{path} links to {link.decode()}, which answers {linked}")


def test_a_reader_never_sees_a_partial_file_or_a_dangling_link_during_a_storm(news, target, start_nginx, editor):
    site_publish(target=target)
    origin = start_nginx(target, app="127.0.0.1:9")
    stop = threading.Event()
    reader = Reader(origin, stop)
    reader.start()
    published = list(news["articles"])
    try:
        for n in range(EDITS):
            kind = n % 4
            if kind == 0:  # a new article: its page and the lists that link to it
                published.append(make_article(category=news["company"], title=f"风暴中发布的第{n}篇", days_ago=0.001))
                article_save(article=published[-1], user=editor, changed_fields=["title"])
            elif kind == 1:  # an unpublish: lists drop the link, then the page goes
                article_unpublish(article=published.pop(0), user=editor)
            else:  # an edit of a listed article
                article = published[-1 - n % 5]
                article.title = f"风暴中改过的标题{n}"
                article_save(article=article, user=editor, changed_fields=["title"])
            if n % EDITS_PER_RUN == EDITS_PER_RUN - 1:
                site_publish_changed(target=target)
    finally:
        stop.set()
        reader.join(timeout=60)
    assert reader.pages > 100, "the reader did not keep up with the storm"
    assert reader.problems == []
    assert tree_verify(target.resolve()) == []
