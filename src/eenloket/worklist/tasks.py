"""Periodic sweeps of the work list (core/sweeps.py). Idempotent: beat (or the demo's request
hook) may call them at any moment, as often as it likes."""

import datetime as dt

from eenloket.core.sweeps import sweep

from . import services


@sweep("worklist.escalate_overdue", every=dt.timedelta(minutes=5))
def escalate_overdue(now=None) -> int:
    """Open tasks past their deadline to the team lead(s), once per task (services)."""
    return services.escalate_overdue(now)
