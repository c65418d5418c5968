"""Periodic sweeps of referrals and live consults (core/sweeps.py: the registry, the Celery
tasks and the beat schedule come from these declarations). Idempotent: beat (or the demo's
request hook) may call them at any moment, as often as it likes."""

import datetime as dt

from eenloket.core.sweeps import sweep

from . import services


@sweep("referrals.escalate_overdue", every=dt.timedelta(minutes=5))
def escalate_overdue(now=None) -> int:
    """Overdue referrals to the receiving team's lead, once per stage (services)."""
    return services.escalate_overdue(now)


@sweep("referrals.expire_consults", every=dt.timedelta(seconds=30))
def expire_consults(now=None) -> int:
    """Open live consults past their time become expired; the requester is told (services)."""
    return services.expire_consults(now)
