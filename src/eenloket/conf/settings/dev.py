"""Development and the demo (`make demo`, `manage.py`, the bench): the default settings module.
Demo keys unless the environment sets its own, sweeps and Celery tasks in-process, readable logs
on the console. Never for production: production.py refuses the demo keys."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env_bool

# No worker in the demo: a task runs in-process when it is called. Set it to 0 (and
# CELERY_BROKER_URL) to try a real worker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")

# No mail server in the demo: e-mail from the outbox is written to files in var/mail/ (one per
# message, with its Message-ID). Set EMAIL_BACKEND (and EMAIL_HOST, EMAIL_PORT) for a real one.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
