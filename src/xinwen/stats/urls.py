from django.urls import path

from xinwen.stats import views

app_name = "stats"

urlpatterns = [
    path("stats/view/", views.beacon, name="beacon"),
    path("stats/view/<int:pk>.gif", views.pixel, name="pixel"),
]
