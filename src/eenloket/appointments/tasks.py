"""Periodic sweeps of appointments (core/sweeps.py). Idempotent."""

import datetime as dt

from eenloket.core.sweeps import sweep

from . import services


@sweep("appointments.send_reminders", every=dt.timedelta(minutes=15))
def send_reminders(now=None) -> int:
    """Reminders on the working day before the appointment, once each (services)."""
    return services.send_reminders(now)
