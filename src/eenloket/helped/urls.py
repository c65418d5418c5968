"""Screens of helped (included at the site root)."""

from django.urls import path  # noqa: F401

app_name = "helped"

urlpatterns: list = []
