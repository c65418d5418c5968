"""Periodic sweep of legal terms (core/sweeps.py). Idempotent."""

import datetime as dt

from eenloket.core.sweeps import sweep

from . import services


@sweep("deadlines.warn_and_escalate", every=dt.timedelta(minutes=30))
def warn_and_escalate(now=None) -> int:
    """Warn the team before a term ends, and the team lead when it is about to pass unseen."""
    return services.warn_and_escalate(now)
