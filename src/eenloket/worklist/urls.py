"""Screens of worklist (included at the site root)."""

from django.urls import path

from . import views

app_name = "worklist"

urlpatterns = [
    path("taken/", views.task_list, name="list"),
    path("taken/<uuid:uuid>/", views.task_detail, name="detail"),
    path("taken/<uuid:uuid>/<slug:action>/", views.task_action, name="action"),
]
