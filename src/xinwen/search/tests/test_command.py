"""`xinwen reindex`: rebuilds the index, shows progress on stderr (also without a terminal), has --dry-run."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinwen.conftest import make_article
from xinwen.news.models import Article
from xinwen.search.models import SearchDocument
from xinwen.search.tests.conftest import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(tree):
    published = [make_article(category=tree["company"], title=f"储能电站第{n}期并网") for n in range(1, 8)]
    make_article(category=tree["company"], title="储能电站草稿", status=Article.Status.DRAFT)
    return published


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_reindex_builds_the_index_with_progress_lines_without_a_terminal(articles):
    out, err = run("--batch-size", "3")

    assert "已索引 7 篇文章，移除 0 条过期索引" in out
    lines = err.strip().splitlines()
    assert lines[0].startswith("索引 0/7 (0%)")
    assert lines[-1].startswith("索引 7/7 (100%)")
    assert "\r" not in err  # a log file gets lines, not a redrawn bar
    assert len(search("储能电站")) == 7


def test_reindex_draws_a_bar_on_a_terminal(articles):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    err = Terminal()
    call_command("reindex", stdout=io.StringIO(), stderr=err)

    drawn = err.getvalue()
    assert "\r" in drawn  # a tqdm bar, redrawn in place
    assert "索引: 100%" in drawn and "7/7" in drawn


def test_dry_run_changes_nothing(articles):
    out, err = run("--dry-run")

    assert "将索引 7 篇文章，移除 0 条过期索引（未执行：--dry-run）" in out
    assert err == ""
    assert not SearchDocument.objects.exists()


def test_reindex_is_safe_to_run_again_and_removes_what_went_away(articles):
    run()
    Article.objects.filter(pk=articles[0].pk).update(status=Article.Status.ARCHIVED)

    out, _err = run()

    assert "已索引 6 篇文章，移除 1 条过期索引" in out
    assert articles[0].pk not in search("储能电站")
    assert len(search("储能电站")) == 6


def test_reindex_one_article(articles):
    out, _err = run("--article", str(articles[0].pk))

    assert "已更新 1 篇文章的索引：1 篇可搜索。" in out
    assert search("储能电站") == [articles[0].pk]


def test_bad_batch_size():
    with pytest.raises(CommandError, match="--batch-size"):
        run("--batch-size", "0")
