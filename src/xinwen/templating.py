"""The public pages' template engine: Jinja2 through Django's own backend.

A page-cache miss spent about half its CPU in Django's template language (a variable
lookup walks dict, attribute and index for every dot; every tag is a node rendered
through several layers). The readers' pages (jinja2/ folders: base.html, news/, search/,
feeds/, stats/) are compiled to Python by Jinja2 instead; the back office keeps Django's
templates (the admin's own are written in them).

What the templates may call is listed here, and nothing else:

    {{ hz(text, source) }}            text in the reader's script (hanzi.render.variant_text), autoescaped
    {{ picture(image, alt, sizes, lazy, pictures=…) }}   a stored picture as <picture> (news.pictures)
    {% call chrome("header", arg, …) %}…{% endcall %}     a fragment kept per worker (news.chrome)
    {{ url("news:article", pk) }}, {{ static("news/site.css") }}, {{ _("Home") }}, {{ this_year() }}
    {{ article_structured_data(request, article, canonical, …) }}, article_social(request, article, …)  (feeds.head)
    {{ popular_articles(request, 10) }}                                      (stats.selectors.popular_on_page)
    filters: time_element, date, filesizeformat, truncatechars (Django's, the same bytes as before)

Templates never evaluate data: Jinja2 autoescapes every value as Django did, and {{ _() }}
marks only the catalogue's own strings safe (values put into them are escaped).
A missing variable prints nothing, as in Django's templates (ChainableUndefined).
"""

from __future__ import annotations

from django.template.backends.jinja2 import Jinja2 as DjangoJinja2, Template as DjangoTemplate
from django.template.defaultfilters import date as django_date, filesizeformat, truncatechars
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext
from jinja2 import ChainableUndefined, Environment, pass_context

from xinwen import routes
from xinwen.feeds.head import article_social, article_structured_data
from xinwen.hanzi.render import reader_script, variant_text
from xinwen.news.chrome import chrome
from xinwen.news.dates import time_element
from xinwen.news.pictures import picture_html
from xinwen.stats import selectors as stats_selectors

class Jinja2(DjangoJinja2):
    """Django's Jinja2 backend, with the view's context over the context processors' (as in Django's templates).

    Django's Jinja2 backend updates the view's values with the processors', so a view could not
    pass its own `alternates` (search does); here the processors' values come first.
    """

    def get_template(self, template_name):
        return Template(super().get_template(template_name).template, self)

    def from_string(self, template_code):
        return Template(self.env.from_string(template_code), self)


class Template(DjangoTemplate):
    def render(self, context=None, request=None):
        merged = {}
        if request is not None:
            merged["request"] = request
            for processor in self.backend.template_context_processors:
                merged.update(processor(request))
        merged.update(context or {})
        return super().render(merged)


@pass_context
def hz(context, text, source=None) -> str:
    """Plain text (title, name, summary) in the reader's script; printed, it is autoescaped like any value."""
    code, glossary = reader_script(context.get("request"))
    return variant_text(str(text or ""), code, source=source or None, glossary=glossary)


@pass_context
def picture(context, image, alt="", sizes="100vw", lazy=True, pictures=None) -> str:
    """A stored picture (a FieldFile: a cover) as <picture> with its generated sizes, or a plain <img> without them.

    The view looks the sizes up once for the whole page (news.pictures.picture_sets) and passes
    them as `pictures` (or the call does: the header's logo); no query here. `alt` is plain text.
    """
    if not image:
        return ""
    found = (pictures if pictures is not None else context.get("pictures") or {}).get(image.name)
    if found is not None:
        return mark_safe(picture_html(found, alt=str(alt), sizes=sizes, lazy=bool(lazy)))
    return format_html('<img src="{}" alt="{}"{}>', image.url, alt, mark_safe(' loading="lazy"') if lazy else "")


def url(name: str, *args, **kwargs) -> str:
    return routes.reverse(name, args, kwargs)


def this_year() -> int:
    """The year in the site's time zone (Django's {% now "Y" %})."""
    return timezone.localtime().year


def date(value, arg: str = "") -> str:
    """Django's date filter, in the site's time zone as Django's templates show datetimes."""
    return django_date(template_localtime(value), arg) if value else ""


def environment(**options) -> Environment:
    options["undefined"] = ChainableUndefined  # a missing value prints nothing, as in Django's templates
    options["keep_trailing_newline"] = True  # a file's last line break stays, as in Django's templates
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        hz=hz,
        picture=picture,
        chrome=chrome,
        url=url,
        static=static,
        this_year=this_year,
        article_structured_data=article_structured_data,
        article_social=article_social,
        popular_articles=stats_selectors.popular_on_page,
    )
    env.filters.update(time_element=time_element, date=date, filesizeformat=filesizeformat, truncatechars=truncatechars)
    return env
