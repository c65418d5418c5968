"""Periodic sweep of the contact point (core/sweeps.py). Idempotent."""

import datetime as dt

from eenloket.core.sweeps import sweep

from . import services


@sweep("intermediaries.escalate_overdue", every=dt.timedelta(minutes=5))
def escalate_overdue(now=None) -> int:
    """Unanswered concern reports past their moment to the team lead, once (acute: soon)."""
    return services.escalate_overdue(now)
