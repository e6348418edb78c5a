"""The peer row: a plain Django project rendering the article page with 3 queries, for `bench/pages.py`.

Not xinwen: Django's default middleware (as `startproject` writes it), one view, one
template of the same shape (head, navigation, breadcrumb, body, related list, footer),
reading the bench site's own SQLite database through two unmanaged models. Queries: the
article with its category, the navigation, the related list. `write(folder, database)`
puts the project in `folder`; granian serves `peerapp.wsgi:application` from there.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write"]

SETTINGS = '''
from pathlib import Path

DEBUG = False
SECRET_KEY = "peer-" + "x" * 60
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "peerapp.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions",
                  "django.contrib.messages", "peerapp"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [Path(__file__).with_name("templates")],
    "OPTIONS": {
        "context_processors": ["django.template.context_processors.request",
                               "django.contrib.auth.context_processors.auth",
                               "django.contrib.messages.context_processors.messages"],
        # What Django does in production by default (DEBUG off): parsed templates are kept.
        "loaders": [("django.template.loaders.cached.Loader", ["django.template.loaders.filesystem.Loader"])],
    },
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "{DATABASE}"}}
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"
'''

MODELS = '''
from django.db import models
from django.urls import reverse


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField()
    parent = models.ForeignKey("self", null=True, on_delete=models.DO_NOTHING)
    order = models.IntegerField()

    class Meta:
        managed = False
        db_table = "news_category"
        ordering = ["order", "id"]

    def get_absolute_url(self):
        return reverse("category", kwargs={"slug": self.slug})


class Article(models.Model):
    title = models.CharField(max_length=200)
    summary = models.TextField()
    body = models.TextField()
    author = models.CharField(max_length=100)
    source_name = models.CharField(max_length=100)
    status = models.CharField(max_length=20)
    publish_at = models.DateTimeField(null=True)
    view_count = models.IntegerField()
    category = models.ForeignKey(Category, on_delete=models.DO_NOTHING)

    class Meta:
        managed = False
        db_table = "news_article"
        ordering = ["-publish_at", "-id"]

    def get_absolute_url(self):
        return reverse("article", kwargs={"pk": self.pk})
'''

VIEWS = '''
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from peerapp.models import Article, Category


def article(request, pk):
    public = Article.objects.filter(status="published", publish_at__lte=timezone.now())
    item = get_object_or_404(public.select_related("category"), pk=pk)
    navigation = list(Category.objects.all())
    related = list(public.filter(category_id=item.category_id).exclude(pk=item.pk)
                   .only("id", "title", "publish_at")[:5])
    return render(request, "article.html", {"article": item, "navigation": navigation, "related": related})


def category(request, slug):
    return render(request, "article.html", {})
'''

URLS = '''
from django.urls import path

from peerapp import views

urlpatterns = [
    path("article/<int:pk>/", views.article, name="article"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("", views.category, {"slug": ""}, name="home"),
]
'''

WSGI = '''
import os

os.environ["DJANGO_SETTINGS_MODULE"] = "peerapp.settings"
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
'''

TEMPLATE = '''<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ article.title }} - 新闻中心</title>
<meta name="description" content="{{ article.summary|default:article.body|striptags|truncatechars:120 }}">
<link rel="canonical" href="{{ request.build_absolute_uri }}">
<meta property="og:title" content="{{ article.title }}">
<meta property="og:url" content="{{ request.build_absolute_uri }}">
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<header class="site-header"><div class="wrap">
  <a class="site-name" href="{% url 'home' %}">新闻中心</a>
  <nav><ul><li><a href="{% url 'home' %}">首页</a></li>
  {% for item in navigation %}<li><a href="{{ item.get_absolute_url }}"{% if item.pk == article.category_id %} aria-current="page"{% endif %}>{{ item.name }}</a></li>{% endfor %}
  </ul></nav>
  <form action="/search/" method="get"><input type="search" name="q"><button type="submit">搜索</button></form>
</div></header>
<nav class="breadcrumb">当前位置：<a href="{% url 'home' %}">首页</a> &gt; <a href="{{ article.category.get_absolute_url }}">{{ article.category.name }}</a></nav>
<main id="main" class="wrap">
<article>
  <h1>{{ article.title }}</h1>
  <p class="meta">来源：{{ article.source_name|default:"本站" }} 作者：{{ article.author }}
  发布时间：<time datetime="{{ article.publish_at|date:'c' }}">{{ article.publish_at|date:"Y-m-d" }}</time> 浏览：{{ article.view_count }}</p>
  <div class="article-body">{{ article.body|safe }}</div>
</article>
{% if related %}<aside><h2>相关文章</h2><ul>
{% for item in related %}<li><a href="{{ item.get_absolute_url }}">{{ item.title }}</a> <time datetime="{{ item.publish_at|date:'c' }}">{{ item.publish_at|date:"Y-m-d" }}</time></li>{% endfor %}
</ul></aside>{% endif %}
</main>
<footer><p>© {% now "Y" %} 新闻中心</p></footer>
</body>
</html>
'''


def write(folder: Path, database: Path) -> None:
    """The peer project in `folder` (importable as `peerapp` from there), reading `database`."""
    package = folder / "peerapp"
    (package / "templates").mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(SETTINGS.replace("{DATABASE}", str(database)))
    (package / "models.py").write_text(MODELS)
    (package / "views.py").write_text(VIEWS)
    (package / "urls.py").write_text(URLS)
    (package / "wsgi.py").write_text(WSGI)
    (package / "templates" / "article.html").write_text(TEMPLATE)
