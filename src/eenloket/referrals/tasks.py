"""Periodic sweeps of referrals and live consults. Idempotent: beat (or the demo's request
hook) may call them at any moment, as often as it likes."""

from celery import shared_task

from . import services


@shared_task(name="referrals.escalate_overdue")
def escalate_overdue():
    return services.escalate_overdue()


@shared_task(name="referrals.expire_consults")
def expire_consults():
    return services.expire_consults()
