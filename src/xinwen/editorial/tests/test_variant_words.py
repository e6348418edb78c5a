"""繁体用词提示 on the article form, and 「加入词表」 through the glossary service."""

import pytest
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.hanzi.convert import convert
from xinwen.hanzi.models import GlossaryTerm
from xinwen.hanzi.selectors import current_glossary
from xinwen.news.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(tree):
    return make_article(category=tree["company"], title="新产线完成试运行", body="<p>设备综合效率提升，智能产线投运。</p>")


def test_the_form_lists_the_words_taiwan_replaces_with_a_button_to_keep_them(client, editor, article):
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    panel = page.split('id="variant-words"', 1)[1].split("</section>", 1)[0]
    assert "试运行" in panel and "試執行" in panel and "試運行" in panel
    assert "设备" in panel and "裝置" in panel and "智慧" in panel
    assert panel.count('value="加入词表"') == 3


def test_keeping_a_term_adds_it_through_the_service_and_taiwan_keeps_the_word(client, editor, article, django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):  # the glossary notice moves the version
        response = client.post(reverse("admin:news_article_keep_term", args=[article.pk]), {"term": "试运行"})
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "已加入简繁词表" in response.content.decode()
    term = GlossaryTerm.objects.get(term="试运行")
    assert term.mode == GlossaryTerm.Mode.FORCE and term.zh_tw == "試運行"
    assert AuditEntry.objects.filter(content_type__model="glossaryterm", object_id=str(term.pk), username="editor").exists()
    assert convert("新产线完成试运行", "zh-tw", glossary=current_glossary()[1]) == "新產線完成試運行"
    page = response.content.decode()
    assert 'name="term" value="试运行"' not in page  # settled: no longer listed


def test_only_listed_words_and_only_glossary_editors(client, editor, author, article):
    client.force_login(editor)
    assert client.post(reverse("admin:news_article_keep_term", args=[article.pk]), {"term": "任意词"}).status_code == 400
    assert client.get(reverse("admin:news_article_keep_term", args=[article.pk])).status_code == 405
    assert not GlossaryTerm.objects.filter(term="任意词").exists()
    article.created_by = author
    article.status = "draft"
    article.save()
    client.force_login(author)
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert not author.has_perm("hanzi.add_glossaryterm")  # 作者 do not edit the glossary
    assert "裝置" in page and 'value="加入词表"' not in page  # shown the words, not the button
    assert client.post(reverse("admin:news_article_keep_term", args=[article.pk]), {"term": "设备"}).status_code == 403
    assert not GlossaryTerm.objects.filter(term="设备").exists()
