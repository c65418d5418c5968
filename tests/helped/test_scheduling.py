"""Scheduling "bent u geholpen?": which contacts and referrals get a check, when (working days,
frozen time), and the rules (anonymous, opt-out, 14 days, configured outcomes, disabled
organisations, idempotency also under concurrency)."""

import datetime as dt

import pytest
import time_machine

from eenloket.core.roles import Role
from eenloket.helped import services, tasks
from eenloket.helped.models import CheckSettings, CheckState, HelpedCheck
from eenloket.messaging.models import Message

from ..concurrency import race
from ..factories import ResidentFactory, TeamFactory, staff
from .conftest import local

pytestmark = pytest.mark.django_db

MONDAY = local(2026, 11, 16, 9, 30)  # no holidays around it
WEDNESDAY_10 = local(2026, 11, 18, 10, 0)


def sweep(now):
    with time_machine.travel(now, tick=False):
        return tasks.schedule_checks(now)


def test_a_contact_is_asked_two_working_days_later_at_ten(make_contact, resident):
    contact = make_contact(MONDAY)
    sweep(MONDAY + dt.timedelta(minutes=5))
    check = HelpedCheck.objects.get()
    assert check.state == CheckState.SCHEDULED
    assert check.contact == contact
    assert check.source_type == "contact-moment" and check.source_id == str(contact.uuid)
    assert check.scheduled_for == WEDNESDAY_10
    assert check.source_at == MONDAY

    sweep(WEDNESDAY_10 - dt.timedelta(minutes=1))
    check.refresh_from_db()
    assert check.state == CheckState.SCHEDULED
    assert not Message.objects.exists()

    sweep(WEDNESDAY_10)
    check.refresh_from_db()
    assert check.state == CheckState.SENT
    assert check.sent_at == WEDNESDAY_10
    # 5 working days to answer: Wednesday 25 November, end of the day.
    assert check.answer_due_at == local(2026, 11, 25, 23, 59, 59)
    message = Message.objects.get(cause_type="helped-check", cause_id=str(check.uuid))
    assert message.channel == "email" and message.to == resident.email


def test_friday_contact_is_asked_on_tuesday_and_holidays_do_not_count(make_contact):
    make_contact(local(2026, 11, 20, 15, 0))  # Friday
    sweep(local(2026, 11, 20, 16, 0))
    # Wednesday before Christmas: 24th (Thu) counts, 25 and 26 do not, 28 (Mon) is the 2nd.
    make_contact(local(2026, 12, 23, 11, 0), resident=ResidentFactory(email="a@example.org"))
    sweep(local(2026, 12, 23, 12, 0))
    times = sorted(HelpedCheck.objects.values_list("scheduled_for", flat=True))
    assert times == [local(2026, 11, 24, 10, 0), local(2026, 12, 28, 10, 0)]


def test_running_the_sweep_twice_makes_one_check(make_contact):
    make_contact(MONDAY)
    assert sweep(MONDAY + dt.timedelta(hours=1)) == 1
    assert sweep(MONDAY + dt.timedelta(hours=1)) == 0
    sweep(WEDNESDAY_10)
    sweep(WEDNESDAY_10 + dt.timedelta(minutes=5))
    assert HelpedCheck.objects.count() == 1
    assert Message.objects.filter(cause_type="helped-check").count() == 1


def test_no_check_for_an_anonymous_contact(make_contact):
    make_contact(MONDAY, resident=None)
    sweep(WEDNESDAY_10)
    assert not HelpedCheck.objects.exists()


def test_opt_out_is_skipped_with_its_reason(make_contact, resident):
    resident.helped_check_opt_out = True
    resident.save()
    make_contact(MONDAY)
    sweep(WEDNESDAY_10)
    check = HelpedCheck.objects.get()
    assert check.state == CheckState.SKIPPED
    assert check.skip_reason == "opt-out"
    assert not Message.objects.exists()


def test_opt_out_after_scheduling_is_respected_when_sending(make_contact, resident):
    make_contact(MONDAY)
    sweep(MONDAY + dt.timedelta(hours=1))
    resident.helped_check_opt_out = True
    resident.save()
    sweep(WEDNESDAY_10)
    check = HelpedCheck.objects.get()
    assert (check.state, check.skip_reason) == (CheckState.SKIPPED, "opt-out")
    assert not Message.objects.exists()


def test_at_most_one_check_per_resident_per_fourteen_days(make_contact):
    first = make_contact(MONDAY)
    second = make_contact(MONDAY + dt.timedelta(days=3))
    sweep(MONDAY + dt.timedelta(days=3, hours=1))
    assert HelpedCheck.objects.get(contact=first).state == CheckState.SENT
    skipped = HelpedCheck.objects.get(contact=second)
    assert (skipped.state, skipped.skip_reason) == (CheckState.SKIPPED, "recent")
    # Three weeks later the resident may be asked again.
    third = make_contact(MONDAY + dt.timedelta(days=21))
    sweep(MONDAY + dt.timedelta(days=21, hours=1))
    assert HelpedCheck.objects.get(contact=third).state == CheckState.SCHEDULED


def test_default_outcomes_and_organisation_settings(make_contact, enschede, uwv, counter):
    callback = make_contact(MONDAY, outcome="terugbelverzoek")
    answered = make_contact(MONDAY, outcome="beantwoord", resident=ResidentFactory())
    sweep(MONDAY + dt.timedelta(hours=1))
    assert not HelpedCheck.objects.filter(contact=callback).exists()
    assert HelpedCheck.objects.filter(contact=answered).exists()

    CheckSettings.objects.create(
        organisation=enschede, contact_outcomes=["aanvraag-ingenomen"], delay_working_days=1
    )
    other = make_contact(MONDAY, outcome="beantwoord", resident=ResidentFactory())
    taken = make_contact(MONDAY, outcome="aanvraag-ingenomen", resident=ResidentFactory())
    sweep(MONDAY + dt.timedelta(hours=2))
    assert not HelpedCheck.objects.filter(contact=other).exists()
    assert HelpedCheck.objects.get(contact=taken).scheduled_for == local(2026, 11, 17, 10, 0)


def test_a_disabled_organisation_asks_nothing(make_contact, enschede):
    CheckSettings.objects.create(organisation=enschede, enabled=False)
    make_contact(MONDAY)
    sweep(WEDNESDAY_10)
    assert not HelpedCheck.objects.exists()


def test_contacts_older_than_the_lookback_are_never_asked(make_contact):
    make_contact(MONDAY - dt.timedelta(days=40))
    sweep(MONDAY)
    assert not HelpedCheck.objects.exists()


def test_team_and_location_come_from_the_contact(make_contact, team, enschede_location):
    contact = make_contact(MONDAY)
    sweep(MONDAY + dt.timedelta(hours=1))
    check = HelpedCheck.objects.get(contact=contact)
    assert check.team == team
    assert check.location == enschede_location
    assert check.organisation == contact.organisation
    assert check.source_channel == "balie"


def test_referral_helped_by_the_receiver_is_asked_for_the_receiving_team(
    make_contact, make_referral, uwv
):
    uwv_team = TeamFactory(organisation=uwv, name="WW op locatie")
    contact = make_contact(MONDAY, outcome="terugbelverzoek")  # the contact itself: not asked
    referral = make_referral(contact, MONDAY + dt.timedelta(hours=2), team=uwv_team)
    sweep(MONDAY + dt.timedelta(hours=3))
    check = HelpedCheck.objects.get()
    assert check.referral == referral
    assert check.source_type == "referral"
    assert (check.organisation, check.team) == (uwv, uwv_team)
    assert check.scheduled_for == WEDNESDAY_10


def test_referral_closed_after_contact_by_receiver_counts_withdrawn_does_not(
    make_contact, make_referral, resident
):
    other = ResidentFactory()
    worked = make_referral(
        make_contact(MONDAY, outcome="terugbelverzoek"),
        MONDAY,
        state="afgesloten",
        from_state="geaccepteerd",
    )
    withdrawn = make_referral(
        make_contact(MONDAY, outcome="terugbelverzoek", resident=other),
        MONDAY,
        state="afgesloten",
        from_state="verstuurd",
    )
    sweep(MONDAY + dt.timedelta(hours=1))
    assert HelpedCheck.objects.filter(referral=worked).exists()
    assert not HelpedCheck.objects.filter(referral=withdrawn).exists()


def test_referrals_can_be_switched_off_per_organisation(make_contact, make_referral, uwv):
    CheckSettings.objects.create(organisation=uwv, after_referrals=False)
    make_referral(make_contact(MONDAY, outcome="terugbelverzoek"), MONDAY)
    sweep(MONDAY + dt.timedelta(hours=1))
    assert not HelpedCheck.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_make_one_check_per_source(make_contact):
    make_contact(MONDAY)
    make_contact(MONDAY, resident=ResidentFactory())
    now = MONDAY + dt.timedelta(hours=1)
    results = race([lambda: services.schedule_checks(now) for _ in range(3)])
    assert all(kind == "ok" for kind, _value in results), results
    assert sum(value for _kind, value in results) == 2
    assert HelpedCheck.objects.count() == 2


def test_staff_without_team_gives_a_check_without_team(make_contact, enschede):
    loose = staff(enschede, Role.KCC_MEDEWERKER, username="kcc")
    contact = make_contact(MONDAY, staff=loose)
    sweep(MONDAY + dt.timedelta(hours=1))
    assert HelpedCheck.objects.get(contact=contact).team is None
