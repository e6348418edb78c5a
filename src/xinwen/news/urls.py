from django.urls import path

from xinwen.news import topicviews, views

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("tag/<slug:slug>/", views.tag_page, name="tag"),
    path("topic/<slug:slug>/", topicviews.topic_page, name="topic"),
    path("article/<int:pk>/", views.article, name="article"),
    path("article/<int:pk>/share-qr.svg", views.article_qr, name="article-qr"),
    path("sitemap/", views.sitemap, name="sitemap"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
]
