"""Delivery of the outbox: the Celery task `messaging.deliver` (asked after the commit that
wrote a message) and the sweep `messaging.deliver_due` (every 30 s: whatever is due, also when
the task was never queued because the broker was down, and messages whose worker stopped)."""

import datetime as dt

from celery import shared_task

from eenloket.core.sweeps import sweep

from . import outbox


@shared_task(name="messaging.deliver")
def deliver(message_id: int) -> int:
    """Deliver one message, if it is (still) due: the sweep may have taken it already."""
    return outbox.deliver_due(only=[message_id])


@sweep("messaging.deliver_due", every=dt.timedelta(seconds=30))
def deliver_due(now=None) -> int:
    """Everything that is due now, a batch at a time (outbox.deliver_due)."""
    return outbox.deliver_due(now)
