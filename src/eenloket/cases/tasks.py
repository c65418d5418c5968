"""Periodic sweep of doorbraak requests (core/sweeps.py). Idempotent."""

import datetime as dt

from eenloket.core.sweeps import sweep

from . import services


@sweep("cases.escalate_doorbraak", every=dt.timedelta(minutes=30))
def escalate_doorbraak(now=None) -> int:
    """Unanswered doorbraak requests to the coordinator, then management; settled pauses."""
    return services.escalate_doorbraak(now)
