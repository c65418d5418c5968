"""`eenloket.conf.settings` is the development/demo settings (dev.py), so that `manage.py`, the
WSGI app, Celery and the bench work without any configuration. Production sets
DJANGO_SETTINGS_MODULE=eenloket.conf.settings.production; pytest uses ...settings.test."""

from .dev import *  # noqa: F403
