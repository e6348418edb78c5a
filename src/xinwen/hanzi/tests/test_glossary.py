"""The site glossary on real pages: names kept as written, terms forced per script, edits seen at once."""

from __future__ import annotations

import pytest

from xinwen.conftest import make_article, make_category, make_user
from xinwen.news.models import AuditEntry
from xinwen.news.services import glossary_term_delete, glossary_term_save
from xinwen.hanzi.convert import convert
from xinwen.hanzi.models import GlossaryTerm
from xinwen.hanzi.tests.conftest import (
    HOSTILE_FORM,
    VARIANT_IDS,
    VARIANTS,
    add_attachment,
    article_body,
    element,
    event_handlers,
    h1,
    html_of,
    text,
)

pytestmark = pytest.mark.django_db

Mode = GlossaryTerm.Mode
TITLE = "范晓明出席发布会"


@pytest.fixture
def named(tree, site):
    """An article about a person whose surname 范 becomes 範 when converted without the glossary."""
    studio = make_category("范晓明工作室", slug="studio", parent=tree["root"], order=40)
    article = make_article(category=studio, title=TITLE, body="<p>范晓明在发布会上讲话。</p>", author="范晓明")
    add_attachment(article, "范晓明讲话稿")
    return article


def article_page(client, prefix: str, article) -> str:
    response = client.get(f"{prefix}/article/{article.pk}/")
    assert response.status_code == 200
    return html_of(response)


@pytest.mark.parametrize("prefix, lang", VARIANTS)
def test_kept_name_is_written_as_is_everywhere_on_the_page(client, named, prefix, lang):
    GlossaryTerm.objects.create(term="范晓明", mode=Mode.KEEP)

    html = article_page(client, prefix, named)

    assert h1(html).startswith("范晓明出席")
    assert text(article_body(html)).startswith("范晓明在")
    assert "作者：范晓明" in text(element(html, r'<p class="meta">.*?</p>'))
    assert text(element(html, r'<nav class="breadcrumb.*?</nav>')).endswith("范晓明工作室")
    assert "范晓明工作室" in text(element(html, r'<nav class="site-nav".*?</nav>'))
    name = "范晓明讲话稿" if not prefix else "范晓明講話稿"
    assert f'/attachment/{named.attachments.get().pk}/">{name}</a>' in html  # a PDF: no download attribute
    assert "<title>范晓明出席" in html
    assert "範" not in html and "曉" not in html
    home = html_of(client.get(prefix + "/"))
    assert f'<a href="{prefix}/article/{named.pk}/">范晓明出席' in home


def test_without_the_glossary_the_surname_is_converted(client, named):
    # The reason the glossary exists: 范 (a surname) is not 範 (a model).
    html = article_page(client, "/zh-hant", named)

    assert h1(html) == "範曉明出席發布會"
    assert '/">範曉明講話稿</a>' in html  # the attachment link (a PDF: no download attribute)


def test_kept_term_in_the_site_name(client, named):
    GlossaryTerm.objects.create(term="东方智联", mode=Mode.KEEP)

    html = html_of(client.get("/zh-hk/"))

    assert '<a class="site-name" href="/zh-hk/">东方智联裝備集團</a>' in html


# Taiwan calls a launch event 發表會; OpenCC's s2twp would write 釋出會 (a software "release").
FORCED = [
    ("", "范晓明出席发布会", "范晓明在发布会上讲话。"),
    ("/zh-hant", "範曉明出席發布會", "範曉明在發布會上講話。"),
    ("/zh-tw", "範曉明出席發表會", "範曉明在發表會上講話。"),
    ("/zh-hk", "範曉明出席發佈會", "範曉明在發佈會上講話。"),
]


@pytest.mark.parametrize("prefix, title, body", FORCED, ids=VARIANT_IDS)
def test_forced_form_applies_to_its_variant_only(client, named, prefix, title, body):
    GlossaryTerm.objects.create(term="发布会", mode=Mode.FORCE, zh_tw="發表會")

    html = article_page(client, prefix, named)

    assert h1(html) == title
    assert text(article_body(html)) == body


def test_forced_form_in_category_names_and_attachment_titles(client, named):
    named.category.name = "发布会专区"
    named.category.save()
    add_attachment(named, "发布会议程")
    GlossaryTerm.objects.create(term="发布会", mode=Mode.FORCE, zh_tw="發表會")

    html = article_page(client, "/zh-tw", named)

    assert "發表會專區" in text(element(html, r'<nav class="site-nav".*?</nav>'))
    assert text(element(html, r'<nav class="breadcrumb.*?</nav>')).endswith("發表會專區")
    assert '/">發表會議程</a>' in html  # the attachment link (a PDF: no download attribute)


# Edits below go through the service the back office calls: its notice tells every worker.


def test_editing_a_term_changes_the_next_page(client, named, django_capture_on_commit_callbacks):
    term = GlossaryTerm.objects.create(term="发布会", mode=Mode.FORCE, zh_tw="發表會")
    assert h1(article_page(client, "/zh-tw", named)) == "範曉明出席發表會"

    term.zh_tw = "記者會"
    with django_capture_on_commit_callbacks(execute=True):
        glossary_term_save(term=term, user=None)

    html = article_page(client, "/zh-tw", named)
    assert h1(html) == "範曉明出席記者會"
    assert text(article_body(html)) == "範曉明在記者會上講話。"


def test_deleting_a_term_changes_the_next_page(client, named, django_capture_on_commit_callbacks):
    term = GlossaryTerm.objects.create(term="范晓明", mode=Mode.KEEP)
    assert h1(article_page(client, "/zh-hant", named)) == "范晓明出席發布會"

    with django_capture_on_commit_callbacks(execute=True):
        glossary_term_delete(term=term, user=None)

    html = article_page(client, "/zh-hant", named)
    assert h1(html) == "範曉明出席發布會"
    assert text(article_body(html)) == convert("范晓明在发布会上讲话。", "zh-hant", source="zh-hans")


def test_switching_a_term_from_keep_to_force(client, named, django_capture_on_commit_callbacks):
    term = GlossaryTerm.objects.create(term="范晓明", mode=Mode.KEEP)
    assert h1(article_page(client, "/zh-hk", named)).startswith("范晓明")

    term.mode = Mode.FORCE
    term.zh_hk = "范曉明"
    with django_capture_on_commit_callbacks(execute=True):
        glossary_term_save(term=term, user=None)

    assert h1(article_page(client, "/zh-hk", named)).startswith("范曉明出席")
    # Forms not given for a variant: converted as usual.
    assert h1(article_page(client, "/zh-hant", named)).startswith("範曉明出席")


# --- the back office -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "admin_user"])
def test_glossary_is_maintained_in_the_back_office(client, named, who, request, django_capture_on_commit_callbacks):
    user = request.getfixturevalue(who)
    client.force_login(user)

    assert client.get("/admin/hanzi/glossaryterm/").status_code == 200
    assert client.get("/admin/hanzi/glossaryterm/add/").status_code == 200
    response = client.post(
        "/admin/hanzi/glossaryterm/add/",
        {"term": "范晓明", "mode": "keep", "note": "集团董事长", "zh_hans": "", "zh_hant": "", "zh_tw": "", "zh_hk": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    term = GlossaryTerm.objects.get(term="范晓明")
    assert AuditEntry.objects.filter(object_id=str(term.pk), action=AuditEntry.Action.CREATE, user=user).exists()

    client.logout()
    assert h1(article_page(client, "/zh-tw", named)).startswith("范晓明出席")

    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):  # the commit a real request ends with
        response = client.post(f"/admin/hanzi/glossaryterm/{term.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not GlossaryTerm.objects.exists()
    assert AuditEntry.objects.filter(object_id=str(term.pk), action=AuditEntry.Action.DELETE).exists()

    client.logout()
    assert h1(article_page(client, "/zh-tw", named)).startswith("範曉明出席")


def test_authors_cannot_change_the_glossary(client, named, author):
    client.force_login(author)

    assert client.get("/admin/hanzi/glossaryterm/").status_code == 403
    response = client.post("/admin/hanzi/glossaryterm/add/", {"term": "范晓明", "mode": "keep"})
    assert response.status_code == 403
    assert not GlossaryTerm.objects.exists()


def test_glossary_admin_is_not_served_under_a_prefix(client, named):
    client.force_login(make_user("root", superuser=True))

    assert client.get("/zh-tw/admin/hanzi/glossaryterm/").status_code == 404


# --- glossary entries are plain text ------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("zh_tw", HOSTILE_FORM),
        ("zh_hant", "&lt;"),
        ("zh_hk", 'a"b'),
        ("zh_hans", "范\x1b晓明"),
        ("term", "<b>范晓明</b>"),
    ],
)
def test_the_back_office_refuses_markup_in_glossary_entries(client, editor, field, value):
    client.force_login(editor)
    data = {"term": "范晓明", "mode": "force", "note": "", "zh_hans": "", "zh_hant": "", "zh_tw": "範曉明", "zh_hk": ""}

    response = client.post("/admin/hanzi/glossaryterm/add/", {**data, field: value})

    assert response.status_code == 200  # the form again, with the reason
    assert "只能填写纯文本" in response.content.decode()
    assert not GlossaryTerm.objects.exists()


def test_a_hostile_form_from_an_old_row_reaches_pages_as_text_only(client, named):
    """A row saved before entries were checked: its form prints as characters, never as an element."""
    GlossaryTerm.objects.create(term="发布会", mode=Mode.FORCE, zh_tw=HOSTILE_FORM)

    for url in (f"/zh-tw/article/{named.pk}/", f"/zh-tw/article/{named.pk}/?ruby=1"):
        html = html_of(client.get(url))
        assert event_handlers(html) == [], url
        assert "&lt;img src=x onerror=" in html, url
