"""One `@sweep` declaration per periodic job (core/sweeps.py) yields the registry, the Celery
task and the beat schedule."""

import datetime as dt

import pytest
from celery import Celery
from django.core.exceptions import ImproperlyConfigured

from eenloket.core import sweeps
from eenloket.referrals import tasks

EXPECTED = {  # name → seconds between runs
    "referrals.escalate_overdue": 300.0,
    "referrals.expire_consults": 30.0,
    "worklist.escalate_overdue": 300.0,
    "messaging.deliver_due": 30.0,
    "helped.schedule_checks": 300.0,
    "helped.expire_unanswered": 300.0,
    "appointments.send_reminders": 900.0,
    "deadlines.warn_and_escalate": 1800.0,
    "cases.escalate_doorbraak": 1800.0,
    "intermediaries.escalate_overdue": 300.0,
}


def test_the_registry_holds_every_declared_sweep():
    registry = sweeps.registry()
    assert {name: s.every.total_seconds() for name, s in registry.items()} == EXPECTED
    assert registry["referrals.escalate_overdue"].function is tasks.escalate_overdue
    assert registry["referrals.expire_consults"].function is tasks.expire_consults


def test_the_beat_schedule_comes_from_the_declarations():
    assert sweeps.beat_schedule() == {
        name: {"task": name, "schedule": seconds} for name, seconds in EXPECTED.items()
    }


def test_every_sweep_is_a_celery_task_of_its_own_name():
    app = Celery("sweeps-test", set_as_current=False)
    # As conf/celery.py wires it: once the app is finalized (the Django apps are loaded by then),
    # its beat schedule is the sweeps'.
    app.on_after_finalize.connect(
        lambda sender, **kwargs: setattr(sender.conf, "beat_schedule", sweeps.beat_schedule()),
        weak=False,
    )
    app.finalize()
    for name in EXPECTED:
        assert app.tasks[name].name == name
        assert sweeps.registry()[name].task.name == name
    assert app.conf.beat_schedule == sweeps.beat_schedule()


@pytest.mark.django_db
def test_a_sweeps_task_runs_the_sweep():
    # Nothing is due: each sweep answers with the count of what it did (0), through its task.
    for name in EXPECTED:
        result = sweeps.registry()[name].task.apply()
        assert result.successful() and result.get() == 0


@pytest.mark.django_db
def test_run_all_runs_every_sweep_once():
    assert sweeps.run_all() == dict.fromkeys(EXPECTED, 0)


def test_two_sweeps_with_one_name_are_refused():
    with pytest.raises(ImproperlyConfigured):

        @sweep_named("referrals.escalate_overdue")
        def another(now=None):
            return 0

    with pytest.raises(ImproperlyConfigured):
        sweeps.sweep("test.never", every=dt.timedelta(0))


def sweep_named(name):
    return sweeps.sweep(name, every=dt.timedelta(minutes=1))
