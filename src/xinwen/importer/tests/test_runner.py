"""An import runs in batches (issue 17), and every article keeps what a single write guarantees.

Each page is still its own transaction with its revision, audit entry and content checks;
what a batch shares is the checks' lexicon stamps and one delivery of the change notices.
"""

from __future__ import annotations

import pytest
from reversion.models import Version

from xinwen.importer import runner
from xinwen.importer.models import ImportRecord
from xinwen.importer.pipeline import Source
from xinwen.importer.services import ImportOptions
from xinwen.importer.sources import Item
from xinwen.importer.tests.test_services import TZ, page_html
from xinwen.news import changes
from xinwen.news.models import Article, AuditEntry
from xinwen.search.models import SearchDocument

pytestmark = pytest.mark.django_db
CLEAN = "<p>会议总结了去年的工作，部署了今年的重点任务。会议要求各单位抓好落实。</p>"


def item(n: int, *, title: str = "", body: str = CLEAN) -> Item:
    url = f"http://www.dfzl.example/news/{n}.html"
    data = page_html(title=title or f"公司召开第{n}次工作会议", body=body)
    return Item(url, lambda: Source(ref=url, kind="html", data=data, url=url))


@pytest.fixture
def batches():
    """What a subscriber with a batch handler hears: one list of article ids per delivery."""
    calls: list[list[int]] = []
    changes.subscribe("test-import-batches", article=lambda **notice: calls.append([notice["article_id"]]),
                      many={"article": lambda notices: calls.append([n["article_id"] for n in notices])})  # fmt: skip
    yield calls
    changes.unsubscribe("test-import-batches")


def run(items):
    return runner.import_run(items, options=ImportOptions(), tz=TZ, page_timeout=0)


def test_a_batch_import_holds_a_forbidden_article_and_indexes_every_published_one(tree, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(runner, "BATCH_SIZE", 3)
    items = [item(n) for n in range(7)]
    items[4] = item(4, body="<p>会议总结了去年的工作。详情请访问百家乐官网。会议要求各单位抓好落实。</p>")
    with django_capture_on_commit_callbacks(execute=True):
        summary = run(items)

    assert summary.counts == {"created": 7}
    held = Article.objects.get(import_record__ref=items[4].ref)
    assert held.status == Article.Status.REVIEW and "百家乐" in held.import_record.flags.get(kind="content_check").message
    published = set(Article.objects.published().values_list("pk", flat=True))
    assert len(published) == 6 and held.pk not in published
    assert set(SearchDocument.objects.values_list("article_id", flat=True)) == published  # every published one, only those
    for article in Article.objects.all():  # each its own revision and audit entry, as one write would have
        assert Version.objects.get_for_object(article).count() == 1
        assert AuditEntry.objects.filter(object_id=str(article.pk), action="create").count() == 1


def test_a_failing_page_is_rolled_back_alone_and_never_announced(tree, monkeypatch, batches, django_capture_on_commit_callbacks):
    from xinwen.news.services import media

    audit = media.audit_record

    def failing_for_one(**kwargs):
        if "故障" in kwargs["obj"].title:
            raise RuntimeError("audit log down")
        return audit(**kwargs)

    monkeypatch.setattr(media, "audit_record", failing_for_one)
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    items = [item(n) for n in range(5)]
    items[2] = item(2, title="故障稿件的标题在这里")
    with django_capture_on_commit_callbacks(execute=True):
        summary = run(items)

    assert summary.counts == {"created": 4, "failed": 1}
    assert [row["status"] for row in summary.rows] == ["created", "created", "failed", "created", "created"]
    assert "audit log down" in summary.rows[2]["error"]
    assert not Article.objects.filter(title__contains="故障").exists()
    assert not ImportRecord.objects.filter(ref=items[2].ref).exists()
    created = [row["article_id"] for row in summary.rows if row["status"] == "created"]
    assert batches == [created[:2], created[2:3], created[3:]]  # one delivery per batch, the failed page in none
    assert set(SearchDocument.objects.values_list("article_id", flat=True)) == set(created)


@pytest.mark.django_db(transaction=True)
def test_readers_hear_of_each_batch_when_it_is_committed(tree, monkeypatch, batches):
    """With real commits: a batch's notices come after its last page, and before the next batch starts."""
    seen = []
    changes.subscribe("test-import-count", article=lambda **notice: None,
                      many={"article": lambda notices: seen.append(Article.objects.count())})  # fmt: skip
    try:
        monkeypatch.setattr(runner, "BATCH_SIZE", 2)
        summary = run([item(n) for n in range(5)])
    finally:
        changes.unsubscribe("test-import-count")

    assert summary.counts == {"created": 5}
    assert seen == [2, 4, 5]
    assert [len(ids) for ids in batches] == [2, 2, 1]
    assert SearchDocument.objects.count() == 5
