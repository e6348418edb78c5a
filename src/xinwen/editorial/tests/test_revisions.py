"""The 版本与操作记录 page: labels and display values, a word diff, the body rendered side by side."""

import pytest
from django.templatetags.static import static
from django.urls import reverse

from xinwen.editorial.revisions import body_text, display_value, version_changes
from xinwen.news import services
from xinwen.news.models import Article

pytestmark = pytest.mark.django_db

TABLE = "<table><tbody><tr><th>指标</th><th>数值</th></tr><tr><td>产能</td><td>提升三成</td></tr></tbody></table>"


def edit(article, editor, **fields):
    for name, value in fields.items():
        setattr(article, name, value)
    services.article_save(article=article, user=editor, changed_fields=list(fields))


@pytest.fixture
def history(tree, editor):
    article = Article(category=tree["company"], title="集团召开年度工作会议", body="<p>会议部署&nbsp;全年任务。</p>")
    services.article_save(article=article, user=editor)
    edit(
        article,
        editor,
        title="集团召开年度专题会议",
        category=tree["industry"],
        pinned=True,
        body=f"<p>会议部署&nbsp;全年重点任务。</p><p><img src=\"/media/body/chart.png\" alt=\"产能图\"></p>{TABLE}",
    )
    return article


def test_the_page_loads_the_stylesheets_and_speaks_in_labels_and_display_values(client, editor, tree, history):
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_revisions", args=[history.pk])).content.decode()
    assert static("editorial/admin.css") in page and static("editorial/revisions.css") in page
    assert '<th scope="row" class="xw-change-field">栏目</th>' in page
    assert "<del>新闻中心 &gt; 公司新闻</del>" in page or "<del>公司新闻</del>" in page
    assert "行业动态</ins>" in page
    assert "<del>否</del><ins>是</ins>" in page  # 置顶, never False/True
    assert "False" not in page and "True" not in page
    assert "&amp;nbsp;" not in page and "nbsp" not in page.split("xw-side-by-side")[0]
    # a word diff: the changed word is whole
    assert "<del>工作会议</del><ins>专题会议</ins>" in page


def test_the_body_is_rendered_side_by_side_with_images_and_tables(client, editor, history):
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_revisions", args=[history.pk])).content.decode()
    after = page.split('class="xw-side xw-side--after"', 1)[1].split("</div>", 1)[0]
    assert '<img src="/media/body/chart.png" alt="产能图">' in after
    assert "<table>" in after and "<td>提升三成</td>" in after
    before = page.split('class="xw-side xw-side--before"', 1)[1].split("</div>", 1)[0]
    assert "<img" not in before and "全年任务" in before


def test_a_change_of_markup_alone_is_still_shown(tree):
    older = {"body": "<p>正文</p>", "category_id": tree["company"].pk}
    newer = {"body": '<p>正文</p><p><img src="/media/a.png" alt=""></p>', "category_id": tree["company"].pk}
    (change,) = version_changes(older, newer)
    assert change.label == "正文" and "图片" in change.diff_html
    assert "<img" in change.after_html


def test_a_script_in_an_old_version_is_never_rendered(tree):
    older = {"body": "<p>旧</p>"}
    newer = {"body": '<p>新</p><script>alert(1)</script><img src=x onerror="alert(2)">'}
    (change,) = [c for c in version_changes(older, newer) if c.field == "body"]
    assert "<script" not in change.after_html and "onerror" not in change.after_html


@pytest.mark.parametrize(
    "name, value, shown",
    [
        ("pinned", True, "是"),
        ("pinned", False, "否"),
        ("subtitle", "", "（空）"),
        ("title", "A&amp;B&nbsp;公司", "A&B 公司"),
        ("cover", "covers/ab12cd.jpg", "ab12cd.jpg"),
        ("category", 999999, "（已删除的栏目 999999）"),
    ],
)
def test_display_values(name, value, shown):
    assert display_value(name, value) == shown


def test_body_text_keeps_blocks_on_lines_and_decodes_entities():
    assert body_text("<p>第一段&nbsp;文字</p><p>第二段</p><ul><li>甲</li><li>乙</li></ul>") == "第一段 文字\n第二段\n甲\n乙"


def test_the_first_version_shows_what_it_held_and_comments_use_labels(client, editor, history):
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_revisions", args=[history.pk])).content.decode()
    first = page.split('class="module xw-version"')[-1]
    changes = first.split("</thead>")[1].split("操作记录")[0]
    assert "（空）" not in changes and "<del>" not in changes
    assert "集团召开年度工作会议" in first
    assert "修改：标题、栏目、置顶、正文" in page and "title、" not in page
