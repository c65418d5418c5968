"""Periodic sweeps of "bent u geholpen?" (core/sweeps.py). Idempotent: beat (or the demo's
request hook) may call them at any moment, as often as it likes."""

import datetime as dt

from django.utils import timezone

from eenloket.core.sweeps import sweep

from . import services


@sweep("helped.schedule_checks", every=dt.timedelta(minutes=5))
def schedule_checks(now=None) -> int:
    """Plan the checks for new contacts and ended referrals, then ask those whose time has
    come (services.schedule_checks, services.send_due_checks). Returns the number of checks
    planned plus asked."""
    now = now or timezone.now()
    return services.schedule_checks(now) + services.send_due_checks(now)


@sweep("helped.expire_unanswered", every=dt.timedelta(minutes=5))
def expire_unanswered(now=None) -> int:
    """No answer in time: "geen antwoord" and a follow-up task for the team."""
    return services.expire_unanswered(now)
