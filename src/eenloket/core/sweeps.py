"""The periodic sweeps, in one registry. Production: Celery beat calls the tasks
(`CELERY_BEAT_SCHEDULE`). Demo and development: `manage.py run_sweeps`, or the request hook
below (`RUN_SWEEPS_IN_REQUESTS`), so no extra server is needed. Every sweep is idempotent."""

import logging
import threading
import time

from django.conf import settings
from django.utils.module_loading import import_string

SWEEPS = {
    "referrals.escalate_overdue": "eenloket.referrals.services.escalate_overdue",
    "referrals.expire_consults": "eenloket.referrals.services.expire_consults",
}

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_last_run = 0.0


def run_all(now=None) -> dict[str, int]:
    results = {}
    for name, path in SWEEPS.items():
        results[name] = import_string(path)(now)
    return results


class SweepOnRequestMiddleware:
    """Runs the sweeps at most every `SWEEP_INTERVAL_SECONDS`, after a response, when
    `RUN_SWEEPS_IN_REQUESTS` is on (the demo; production uses Celery beat)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(settings, "RUN_SWEEPS_IN_REQUESTS", False):
            global _last_run
            interval = getattr(settings, "SWEEP_INTERVAL_SECONDS", 30)
            now = time.monotonic()
            if now - _last_run >= interval and _lock.acquire(blocking=False):
                try:
                    _last_run = now
                    run_all()
                except Exception:  # a failed sweep must not break the page; the next run retries
                    logger.exception("sweep failed")
                finally:
                    _lock.release()
        return response
