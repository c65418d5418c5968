"""The sweep of legal terms (services.warn_and_escalate, registered as the sweep
"deadlines.warn_and_escalate"), at frozen moments: a "termijn bewaken" task for the team a
number of working days before the end (once), the team lead told once when a term is about to
pass without a decision and without a timely notice, and both starting over after a resume or
an extension. Working days skip the holidays of the Algemene termijnenwet.

2026: Goede Vrijdag 3 April, Easter Monday 6 April, Koningsdag Monday 27 April, Bevrijdingsdag
Tuesday 5 May. A woo-verzoek received Tuesday 24 March is due Tuesday 21 April."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import Notification
from eenloket.core.sweeps import registry
from eenloket.deadlines import services
from eenloket.deadlines.kinds import WATCH
from eenloket.deadlines.models import RequestType, TrackedRequest
from eenloket.worklist import services as worklist
from eenloket.worklist.models import Task, TaskState

pytestmark = pytest.mark.django_db

D = dt.date
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)  # Wednesday


def at(day: dt.date, hour=10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def sweep(frozen, day: dt.date, hour=10) -> int:
    frozen.move_to(at(day, hour))
    return services.warn_and_escalate(at(day, hour))


def tasks(obj):
    return Task.objects.filter(kind=WATCH, source_type="tracked_request", source_id=str(obj.uuid))


def escalations(user):
    """The escalations about terms a user got (not the "U heeft een taak gekregen" ones)."""
    return Notification.objects.filter(user=user, text__startswith="Termijn ")


# ---- the warning: a task for the team ---------------------------------------------------------------
def test_a_term_ending_within_five_working_days_gets_one_task_for_the_team(
    register, team, handler, resident, frozen
):
    woo = register("woo-verzoek")  # due Tuesday 21 April
    later = register("aanvraag")  # due Tuesday 19 May
    # Wednesday 15 April: the fifth working day after it is Wednesday 22 April.
    sweep(frozen, D(2026, 4, 15))
    task = tasks(woo).get()
    assert task.state == TaskState.OPEN
    assert (task.team, task.assigned_to, task.resident) == (team, handler, resident)
    assert task.organisation_id == woo.organisation_id
    assert "dinsdag 21 april 2026" in task.title
    assert woo.reference in task.note
    assert task.due_at == dt.datetime(2026, 4, 21, 23, 59, 59, tzinfo=AMSTERDAM)
    assert TrackedRequest.objects.get(pk=woo.pk).warned_at == at(D(2026, 4, 15))
    assert not tasks(later).exists()

    # Again, the same moment and a day later: no second task.
    sweep(frozen, D(2026, 4, 15))
    sweep(frozen, D(2026, 4, 16))
    assert tasks(woo).count() == 1
    assert not tasks(later).exists()


def test_a_term_just_outside_the_window_gets_nothing_yet(register, frozen):
    woo = register("woo-verzoek")  # due Tuesday 21 April
    # Monday 13 April: the fifth working day after it is Monday 20 April.
    assert sweep(frozen, D(2026, 4, 13)) == 0
    assert not tasks(woo).exists()
    # Tuesday 14 April: Tuesday 21 April is the fifth working day.
    sweep(frozen, D(2026, 4, 14))
    assert tasks(woo).count() == 1


def test_the_warning_window_skips_easter(register, frozen):
    # Wmo-aanvraag, 2 weeks: received 25 March → Wednesday 8 April; 26 March → Thursday 9 April.
    frozen.move_to(at(D(2026, 3, 30)))
    on_8_april = register("wmo-aanvraag", received_on=D(2026, 3, 25))
    on_9_april = register("wmo-aanvraag", received_on=D(2026, 3, 26))
    # Monday 30 March: the working days after it are 31 March, 1 and 2 April, (Goede Vrijdag,
    # weekend, Easter Monday) 7 and 8 April. Counting those holidays as working days, the fifth
    # would be Monday 6 April and neither would be warned.
    sweep(frozen, D(2026, 3, 30))
    assert tasks(on_8_april).count() == 1
    assert not tasks(on_9_april).exists()
    sweep(frozen, D(2026, 3, 31))
    assert tasks(on_9_april).count() == 1
    assert tasks(on_8_april).count() == 1


def test_the_warning_window_skips_koningsdag_and_bevrijdingsdag(register, handler, frozen):
    woo = register("woo-verzoek")
    services.extend(user=handler, request=woo, reason="Er zijn veel stukken.")
    # Due Wednesday 6 May. On Koningsdag (Monday 27 April) the fifth working day is Monday
    # 4 May; on Tuesday 28 April it is Wednesday 6 May (Bevrijdingsdag skipped).
    sweep(frozen, D(2026, 4, 27))
    assert not tasks(woo).exists()
    sweep(frozen, D(2026, 4, 28))
    assert "woensdag 6 mei 2026" in tasks(woo).get().title


@pytest.mark.parametrize("step", ["suspend", "decide", "withdraw"])
def test_a_suspended_decided_or_withdrawn_request_gets_no_task(register, handler, frozen, step):
    woo = register("woo-verzoek")
    if step == "suspend":
        services.suspend(
            user=handler, request=woo, starts_on=D(2026, 4, 14), reason="Stukken ontbreken"
        )
    elif step == "decide":
        services.decide(user=handler, request=woo, decided_on=D(2026, 4, 15))
    else:
        services.withdraw(user=handler, request=woo)
    for day in (D(2026, 4, 15), D(2026, 4, 20), D(2026, 4, 22)):
        assert sweep(frozen, day) == 0
    assert not tasks(woo).exists()
    assert not Notification.objects.exists()


def test_a_term_that_passed_unwarned_gets_a_task_saying_so(register, frozen):
    woo = register("woo-verzoek")  # due 21 April, never swept before
    sweep(frozen, D(2026, 4, 23))
    task = tasks(woo).get()
    assert "voorbij" in task.title
    # The task is not born overdue: it is due after the moment it was made.
    assert task.due_at > at(D(2026, 4, 23))
    assert task.state == TaskState.OPEN


# ---- escalation to the team lead ------------------------------------------------------------------------
def test_the_team_lead_is_told_once_when_the_term_ends_the_next_working_day(
    register, lead, handler, frozen
):
    woo = register("woo-verzoek")  # due Tuesday 21 April
    sweep(frozen, D(2026, 4, 15))
    assert not escalations(lead).exists()
    sweep(frozen, D(2026, 4, 17))  # Friday: the next working day is Monday 20 April
    assert not escalations(lead).exists()
    sweep(frozen, D(2026, 4, 20))  # Monday: the next working day is the due date
    note = escalations(lead).get()
    assert note.link == reverse("deadlines:detail", kwargs={"uuid": woo.uuid})
    assert woo.reference in note.text
    assert TrackedRequest.objects.get(pk=woo.pk).escalated_at == at(D(2026, 4, 20))
    # Once: not again that day, on the due date or after it.
    for day in (D(2026, 4, 20), D(2026, 4, 21), D(2026, 4, 22)):
        sweep(frozen, day)
    assert escalations(lead).count() == 1
    # The handler got the task, not the escalation.
    assert not escalations(handler).exists()


def test_the_next_working_day_skips_easter(register, lead, frozen):
    frozen.move_to(at(D(2026, 3, 30)))
    obj = register("wmo-aanvraag", received_on=D(2026, 3, 24))  # due Tuesday 7 April
    sweep(frozen, D(2026, 4, 1))  # Wednesday: the next working day is Thursday 2 April
    assert not escalations(lead).exists()
    sweep(frozen, D(2026, 4, 2))  # Thursday: the next working day is Tuesday 7 April
    assert escalations(lead).count() == 1
    assert obj.reference in escalations(lead).get().text


def test_a_timely_notice_means_no_escalation(register, lead, handler, frozen):
    woo = register("woo-verzoek")  # due 21 April
    services.send_delay_notice(
        user=handler,
        request=woo,
        reason="Er zijn veel stukken",
        expected_on=D(2026, 5, 12),
    )
    for day in (D(2026, 4, 20), D(2026, 4, 21), D(2026, 4, 23)):
        sweep(frozen, day)
    assert not escalations(lead).exists()
    # The team is still warned: the decision is still to be made.
    assert tasks(woo).count() == 1


def test_a_notice_after_the_due_date_does_not_stop_the_escalation(register, lead, handler, frozen):
    woo = register("woo-verzoek")  # due 21 April
    frozen.move_to(at(D(2026, 4, 22)))
    services.send_delay_notice(
        user=handler, request=woo, reason="Er zijn veel stukken", expected_on=D(2026, 5, 12)
    )
    sweep(frozen, D(2026, 4, 22))
    note = escalations(lead).get()
    assert "voorbij" in note.text


def test_a_request_without_a_handler_is_a_task_for_the_whole_team(register, team, lead, frozen):
    woo = register("woo-verzoek", handler_user=None)
    sweep(frozen, D(2026, 4, 20))
    task = tasks(woo).get()
    assert (task.team, task.assigned_to) == (team, None)
    assert escalations(lead).count() == 1


# ---- starting over after a resume or an extension -------------------------------------------------------
def test_after_an_extension_a_new_warning_comes_for_the_new_date(register, handler, frozen):
    woo = register("woo-verzoek")
    sweep(frozen, D(2026, 4, 15))
    assert tasks(woo).count() == 1
    services.extend(user=handler, request=woo, reason="Er zijn veel stukken.")  # → 6 May
    stored = TrackedRequest.objects.get(pk=woo.pk)
    assert (stored.warned_at, stored.escalated_at) == (None, None)
    sweep(frozen, D(2026, 4, 15))
    sweep(frozen, D(2026, 4, 27))
    assert tasks(woo).count() == 1  # 6 May is not near yet
    sweep(frozen, D(2026, 4, 28))
    assert tasks(woo).count() == 2
    assert "woensdag 6 mei 2026" in tasks(woo).order_by("created_at", "id").last().title


def test_after_a_resume_a_new_warning_comes_for_the_new_date(register, handler, lead, frozen):
    woo = register("woo-verzoek")
    sweep(frozen, D(2026, 4, 20))  # warned and escalated for 21 April
    assert escalations(lead).count() == 1
    services.suspend(user=handler, request=woo, starts_on=D(2026, 4, 15), reason="Vraag gesteld")
    sweep(frozen, D(2026, 4, 21))
    services.resume(user=handler, request=woo, ends_on=D(2026, 4, 21))
    stored = TrackedRequest.objects.get(pk=woo.pk)
    # 6 days suspended: 21 April + 6 = Monday 27 April, Koningsdag → Tuesday 28 April.
    assert stored.due_date == D(2026, 4, 28)
    assert (stored.warned_at, stored.escalated_at) == (None, None)
    # Tuesday 21 April: Tuesday 28 April is the fourth working day after it (27 April skipped).
    sweep(frozen, D(2026, 4, 21))
    assert tasks(woo).count() == 2
    assert "dinsdag 28 april 2026" in tasks(woo).order_by("created_at", "id").last().title
    assert escalations(lead).count() == 1
    # Friday 24 April: the next working day is Tuesday 28 April (Koningsdag skipped).
    sweep(frozen, D(2026, 4, 24))
    assert escalations(lead).count() == 2


# ---- the registered sweep -----------------------------------------------------------------------------
def test_the_registered_sweep_warns_and_escalates(register, lead, frozen):
    woo = register("woo-verzoek")
    register("aanvraag")
    run = registry()["deadlines.warn_and_escalate"].function
    frozen.move_to(at(D(2026, 4, 20)))
    assert run(at(D(2026, 4, 20))) == 2  # one warning, one escalation
    assert tasks(woo).count() == 1 and escalations(lead).count() == 1
    assert run(at(D(2026, 4, 20))) == 0
    assert run() == 0  # without a moment: now


# ---- bugs --------------------------------------------------------------------------------------------
def test_after_an_extension_the_lead_is_told_when_the_new_date_is_about_to_pass(
    register, lead, handler, frozen
):
    woo = register("woo-verzoek")
    services.extend(user=handler, request=woo, reason="Er zijn veel stukken.")  # → 6 May
    # Monday 4 May: the next working day is Wednesday 6 May (Bevrijdingsdag skipped); no
    # decision, and the resident has not been told the decision comes after 6 May.
    sweep(frozen, D(2026, 5, 4))
    assert escalations(lead).count() == 1


def test_after_an_extension_no_task_for_the_old_date_stays_open(register, lead, handler, frozen):
    woo = register("woo-verzoek")
    sweep(frozen, D(2026, 4, 15))  # task for 21 April
    services.extend(user=handler, request=woo, reason="Er zijn veel stukken.")  # → 6 May
    sweep(frozen, D(2026, 4, 28))  # task for 6 May
    frozen.move_to(at(D(2026, 4, 28)))
    worklist.escalate_overdue(at(D(2026, 4, 28)))
    # The team lead hears nothing is late: the term runs to 6 May.
    assert not Notification.objects.filter(user=lead, text__startswith="Te laat").exists()
    still_open = tasks(woo).filter(state=TaskState.OPEN)
    assert still_open.count() == 1
    assert "woensdag 6 mei 2026" in still_open.get().title


def test_a_handler_who_left_does_not_stop_the_sweep(register, enschede, team, handler, frozen):
    from ..factories import staff

    leaving = staff(enschede, team=team, first_name="Piet", last_name="Vertrokken")
    first = register("woo-verzoek", handler_user=leaving, received_on=D(2026, 3, 23))
    second = register("woo-verzoek")
    leaving.is_active = False
    leaving.save(update_fields=["is_active"])
    sweep(frozen, D(2026, 4, 15))
    assert tasks(second).count() == 1
    assert tasks(first).count() == 1


def test_a_type_with_a_long_warning_is_warned_in_time(enschede, team, handler, frozen):
    own = RequestType.objects.create(
        organisation=enschede,
        code="omgevingsvergunning-uitgebreid",
        name="Omgevingsvergunning (uitgebreid)",
        term="P26W",
        article="Awb 3:18 lid 1",
        warn_working_days=35,
    )
    obj = services.register(
        user=handler,
        organisation=enschede,
        request_type=own,
        subject="Aanbouw",
        team=team,
        received_on=D(2025, 12, 24),
    )
    # 24 December 2025 + 26 weeks = Wednesday 24 June 2026 (Atw art. 4: beyond 12 weeks).
    assert TrackedRequest.objects.get(pk=obj.pk).due_date == D(2026, 6, 24)
    # Thursday 7 May 2026: 48 days before the end, 32 working days (Ascension and Whit Monday
    # off): within the 35 working days of the type.
    sweep(frozen, D(2026, 5, 7))
    assert tasks(obj).count() == 1
