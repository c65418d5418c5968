"""The periodic sweeps, registered in one place: `@sweep`.

An app declares a sweep by decorating its function in its own tasks.py (imported in its
AppConfig.ready):

    @sweep("referrals.escalate_overdue", every=dt.timedelta(minutes=5))
    def escalate_overdue(now=None) -> int: ...

From that one declaration come the registry (`registry()`, `run_all`), the Celery task of the
same name, and the Celery beat schedule (`beat_schedule()`, read by conf/celery.py). Production:
Celery beat calls the tasks. Demo and development: `manage.py run_sweeps`, or the request hook
below (`RUN_SWEEPS_IN_REQUESTS`), so no extra server is needed. Every sweep is idempotent: it may
run at any moment, as often as it likes. A sweep takes an optional `now` and returns a count."""

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_last_run = 0.0


@dataclass(frozen=True)
class Sweep:
    name: str  # also the Celery task's name
    function: Callable
    every: dt.timedelta
    task: object  # the Celery task


_registry: dict[str, Sweep] = {}


def sweep(name: str, *, every: dt.timedelta):
    """Register `function` as the sweep `name`, run every `every` by Celery beat. Returns the
    function unchanged (its Celery task is `registry()[name].task`)."""
    if every <= dt.timedelta(0):
        raise ImproperlyConfigured(f"Sweep {name!r}: `every` must be positive.")

    def register(function):
        known = _registry.get(name)
        if known is not None and known.function is not function:
            raise ImproperlyConfigured(f"Two sweeps are called {name!r}.")

        task = shared_task(name=name)(function)  # beat calls it without arguments: now
        _registry[name] = Sweep(name=name, function=function, every=every, task=task)
        return function

    return register


def registry() -> dict[str, Sweep]:
    """Every registered sweep by name (after the apps are loaded)."""
    apps.check_apps_ready()
    return dict(_registry)


def beat_schedule() -> dict[str, dict]:
    """The Celery beat schedule of every registered sweep (conf/celery.py sets
    `app.conf.beat_schedule` to this once the apps are loaded)."""
    return {
        s.name: {"task": s.name, "schedule": s.every.total_seconds()} for s in registry().values()
    }


def run_all(now=None) -> dict[str, int]:
    """Run every sweep once, in the order they were registered."""
    return {name: s.function(now) for name, s in registry().items()}


class SweepOnRequestMiddleware:
    """Runs the sweeps at most every `SWEEP_INTERVAL_SECONDS`, after a response, when
    `RUN_SWEEPS_IN_REQUESTS` is on (the demo; production uses Celery beat)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.RUN_SWEEPS_IN_REQUESTS:
            global _last_run
            interval = settings.SWEEP_INTERVAL_SECONDS
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
