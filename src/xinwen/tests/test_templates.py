"""The contract of the readers' templates (Jinja2, xinwen/templating.py).

Jinja2 reports an unknown filter when a template compiles, but a misspelt function, a
method printed without its call (Django's templates called it silently) or a value
marked safe show only on the page that renders them. So: every template is read here
once for what it calls and marks, and every kind of public page is rendered in every
script and read for what a broken port leaves behind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import engines
from jinja2 import nodes

from xinwen.hanzi.variants import VARIANTS
from xinwen.news.models import Article, Category, Tag, Topic
from xinwen.site.demo import demo_load

PACKAGE = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(PACKAGE.rglob("jinja2/**/*.html"))
# Called by name but given by a context processor, not the environment: news.context_processors.site.
FROM_CONTEXT = {"navigation"}


def env():
    return engines["jinja2"].env


def parsed(path: Path):
    return env().parse(path.read_text(encoding="utf-8"), name=str(path.relative_to(PACKAGE)))


def test_every_public_page_is_a_jinja2_template_and_the_back_office_keeps_djangos():
    names = {p.name for p in TEMPLATES}
    assert {"base.html", "article.html", "category.html", "home.html", "results.html", "404.html", "500.html"} <= names
    assert not list(PACKAGE.rglob("templates/base.html")), "one base page: jinja2/base.html"
    assert engines["jinja2"].env.autoescape is True


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_template_compiles_and_calls_only_what_the_environment_gives(path):
    tree = parsed(path)
    env().compile(path.read_text(encoding="utf-8"))  # an unknown filter or test fails here
    called = {call.node.name for call in tree.find_all(nodes.Call) if isinstance(call.node, nodes.Name)}
    macros = {m.name for m in tree.find_all(nodes.Macro)} | {
        name if isinstance(name, str) else name[1] for imported in tree.find_all(nodes.FromImport) for name in imported.names
    }
    assert called - set(env().globals) - FROM_CONTEXT - macros == set()
    for imported in tree.find_all(nodes.FromImport):  # a macro's hz() and picture() need the page's request
        assert imported.with_context, f"{path.name}: import {imported.template.value} with context"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_template_never_marks_a_value_safe(path):
    """Templates never evaluate data: only Python that escaped or sanitised it returns markup."""
    tree = parsed(path)
    assert [f.name for f in tree.find_all(nodes.Filter) if f.name in {"safe", "forceescape"}] == []
    assert list(tree.find_all(nodes.ScopedEvalContextModifier)) == []  # {% autoescape false %}
    assert list(tree.find_all(nodes.EvalContextModifier)) == []


def test_a_value_is_escaped_and_a_missing_one_prints_nothing():
    template = env().from_string('<p title="{{ text }}">{{ text }}{{ missing }}{{ missing.deeper.still }}</p>')
    assert template.render(text='"><script>x</script>') == (
        '<p title="&#34;&gt;&lt;script&gt;x&lt;/script&gt;">&#34;&gt;&lt;script&gt;x&lt;/script&gt;</p>'
    )


def test_a_catalogue_string_is_trusted_and_the_values_put_into_it_are_escaped(settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        html = env().from_string('{{ _("No articles match “%(query)s”.", query=q) }}').render(q="<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>" not in html and "“" in html


def test_the_views_values_win_over_the_context_processors(rf):
    """Django's Jinja2 backend lets a processor's value replace the view's; search passes its own alternates."""
    from django.template.loader import get_template

    request = rf.get("/")
    html = get_template("search/_box.html").render({"raw_query": "储能"}, request)
    assert 'value="储能"' in html
    template = engines["jinja2"].from_string("{{ alternates }}")
    assert template.render({"alternates": "mine"}, request) == "mine"


# What a port leaves on a page: a method printed, not called; an undefined object; template syntax.
LEFTOVERS = re.compile(r"bound method|<function |object at 0x|Undefined|\{\{|\{%|\{#|=\"None\"|>None<")


@pytest.fixture
def _no_kept_rankings():
    """The demo's view counts rank its articles in the cache (热门文章); no later test may see that ranking."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_kept_rankings")
def test_every_kind_of_public_page_renders_whole_in_every_script(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load()
    article_ids = list(Article.objects.published().values_list("pk", flat=True))
    gallery = Article.objects.published().filter(kind=Article.Kind.GALLERY).values_list("pk", flat=True).first()
    video = Article.objects.published().exclude(video="").values_list("pk", flat=True).first()
    paths = ["/", "/sitemap/", "/search/?q=储能", "/search/?q=", "/search/?q=发展&page=2&page_size=1"]
    paths += [c.get_absolute_url() for c in Category.objects.all()]
    paths += [t.get_absolute_url() for t in Tag.objects.all()[:3]] + [t.get_absolute_url() for t in Topic.objects.all()]
    paths += [f"/article/{pk}/" for pk in article_ids] + [f"/article/{article_ids[0]}/?ruby=1"]
    assert gallery and video and len(paths) > 40, "the demo should show every kind of page"
    for variant in VARIANTS.values():
        prefix = f"/{variant.prefix}" if variant.prefix else ""
        for path in paths:
            response = client.get(prefix + path)
            html = response.content.decode()
            assert response.status_code == 200, (prefix + path, response.status_code)
            assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>"), prefix + path
            found = LEFTOVERS.search(html)
            assert found is None, (prefix + path, html[max(found.start() - 120, 0) : found.end() + 60])
        missing = client.get(f"{prefix}/article/999999/")
        assert missing.status_code == 404 and LEFTOVERS.search(missing.content.decode()) is None
