"""Screens of helped (included at the site root)."""

from django.urls import path

from . import views

app_name = "helped"

urlpatterns = [
    path("geholpen/cijfers/", views.report, name="report"),
    path("geholpen/<str:token>/", views.answer, name="answer"),
    path("geholpen/<str:token>/bedankt/", views.thanks, name="thanks"),
]
