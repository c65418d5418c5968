"""Celery app for production background work. Periodic sweeps are registered here once the
features that need them exist; every sweep is idempotent so beat may call it at any time."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eenloket.conf.settings")
app = Celery("eenloket")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
