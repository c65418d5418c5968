"""Settings, URLs, WSGI/ASGI and the Celery app. The Celery app is loaded with Django (Celery's
documented pattern), so `task.delay()` in a web process uses its settings (CELERY_*: the broker,
or in-process tasks in the demo and the tests) instead of Celery's bare default app."""

from .celery import app as celery_app

__all__ = ["celery_app"]
