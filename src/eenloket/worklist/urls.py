"""Screens of worklist (included at the site root)."""

from django.urls import path  # noqa: F401

app_name = "worklist"

urlpatterns: list = []
