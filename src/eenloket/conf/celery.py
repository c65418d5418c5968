"""Celery app for production background work. Periodic sweeps come from the @sweep
registrations of the apps (core/sweeps.py); every sweep is idempotent so beat may call it at any time.
The settings (CELERY_*: acks late, prefetch 1, time limits, not eager unless set) are in
conf/settings/base.py. Every task runs with a trace id of its own, which its log records and
access-log rows carry."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eenloket.conf.settings")
app = Celery("eenloket")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_sweeps(sender, **kwargs):
    """Beat calls every sweep registered with @sweep (core/sweeps.py) at its interval; the
    registrations exist once Django's apps are ready, so the schedule is set here, not above."""
    from eenloket.core.sweeps import beat_schedule

    sender.conf.beat_schedule = beat_schedule()


_trace_tokens = {}


@task_prerun.connect
def _start_trace(task_id=None, **kwargs):
    from eenloket.core.tracing import set_trace_id

    _trace_tokens[task_id] = set_trace_id((task_id or "").replace("-", "") or None)


@task_postrun.connect
def _end_trace(task_id=None, **kwargs):
    from eenloket.core.tracing import set_trace_id

    token = _trace_tokens.pop(task_id, None)
    if token is not None:
        set_trace_id(None, token)
