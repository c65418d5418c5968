"""What happens to an appointment after it is booked: moving and cancelling (by the resident's
link and by staff), the manage link, check-in (and the warm referral it came from), no-show,
the outcome as a contact moment (and "bent u geholpen?"), travel documents picked up
elsewhere, reminders, internal meetings, visits with several organisations, arranging a time
by phone, skills, hours and the pilot's figures."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.appointments import selectors, services, slots
from eenloket.appointments.models import (
    Appointment,
    AppointmentPart,
    Occupancy,
    Schedule,
    StaffSkill,
)
from eenloket.contacts.models import ContactMoment
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import Notification
from eenloket.core.roles import Role
from eenloket.helped import services as helped_services
from eenloket.helped.models import CheckState, HelpedCheck
from eenloket.messaging.models import Message
from eenloket.referrals import services as referral_services
from eenloket.referrals.models import Referral, ReferralState
from eenloket.residents.models import Resident
from eenloket.worklist.models import Task
from tests.factories import ContactMomentFactory, OrganisationFactory, ResidentFactory, staff

from .helpers import (
    add_uwv_hours,
    at,
    book_aow,
    book_passport,
    local_times,
    messages,
    occupancy,
    person,
    token_in,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=AMSTERDAM)  # Monday
TUESDAY = dt.date(2026, 12, 8)


def aow_times(th, day=TUESDAY, **kw):
    return local_times(
        slots.search(location=th.location, service=th.aow, date_from=day, date_to=day, **kw).slots
    )


def fresh(appointment) -> Appointment:
    return Appointment.objects.get(pk=appointment.pk)


def snapshot(appointment):
    row = fresh(appointment)
    return (
        row.state,
        row.starts_at,
        row.token_hash,
        occupancy(row),
        list(row.parts.values_list("organisation_id", "employee_id", "desk_id", "starts_at")),
        Message.objects.count(),
    )


def outsider():
    heerlen = OrganisationFactory(code="gemeente-heerlen", type="gemeente", name="Gemeente Heerlen")
    return staff(heerlen, Role.BALIEMEDEWERKER, username="balie.heerlen")


# ---- reschedule ---------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_reschedule_by_link_frees_the_old_time_confirms_again_and_replaces_the_link(town_hall):
    appointment = book_aow(town_hall, at(TUESDAY, 10))
    old_token = appointment.token
    Appointment.objects.filter(pk=appointment.pk).update(reminder_sent_at=NOW)

    moved = services.reschedule(
        appointment=appointment, starts_at=at(TUESDAY, 11, 30), token=old_token
    )

    row = fresh(appointment)
    assert (row.starts_at, row.ends_at) == (at(TUESDAY, 11, 30), at(TUESDAY, 12))
    assert row.state == "gepland" and row.reminder_sent_at is None
    assert {u for u, _d, _e in occupancy(row)} == {
        at(TUESDAY, 11, 30).astimezone(dt.UTC),
        at(TUESDAY, 11, 45).astimezone(dt.UTC),
    }
    part = row.parts.get()
    assert part.starts_at == at(TUESDAY, 11, 30)
    # The old time is free again: two other residents take both desks at 10:00.
    book_aow(town_hall, at(TUESDAY, 10), email="b@example.nl")
    book_aow(town_hall, at(TUESDAY, 10), email="c@example.nl")

    confirmations = messages(appointment, "afspraak-bevestiging").order_by("id")
    assert confirmations.count() == 2
    latest = confirmations.last()
    assert "11:30" in latest.body
    assert token_in(latest) == moved.token != old_token
    # The old link no longer works, the new one does.
    with pytest.raises(ValidationError) as caught:
        services.appointment_for_token(old_token)
    assert caught.value.code == "bad_link"
    assert services.appointment_for_token(moved.token).pk == appointment.pk
    with pytest.raises(ValidationError) as caught:
        services.cancel(appointment=row, token=old_token)
    assert caught.value.code == "bad_link"
    assert fresh(appointment).state == "gepland"


@time_machine.travel(NOW, tick=False)
def test_reschedule_to_a_full_time_is_refused_and_the_appointment_stays_as_it_was(town_hall):
    appointment = book_aow(town_hall, at(TUESDAY, 10))
    book_aow(town_hall, at(TUESDAY, 11), email="b@example.nl")
    book_aow(town_hall, at(TUESDAY, 11), email="c@example.nl")
    before = snapshot(appointment)

    with pytest.raises(ValidationError) as caught:
        services.reschedule(
            appointment=appointment, starts_at=at(TUESDAY, 11), token=appointment.token
        )
    assert caught.value.code == "slot_taken"
    assert snapshot(appointment) == before
    assert services.appointment_for_token(appointment.token).pk == appointment.pk


@time_machine.travel(NOW, tick=False)
def test_staff_reschedule_and_an_outsider_may_not(town_hall):
    appointment = book_aow(town_hall, at(TUESDAY, 10))
    before = snapshot(appointment)
    with pytest.raises(PermissionDenied):
        services.reschedule(appointment=appointment, starts_at=at(TUESDAY, 11), user=outsider())
    assert snapshot(appointment) == before
    # The host counter of the town hall moves it to Thursday (only Bram, the plain desk).
    moved = services.reschedule(
        appointment=appointment, starts_at=at(dt.date(2026, 12, 10), 14), user=town_hall.counter
    )
    part = moved.parts.get()
    assert (part.employee, part.desk) == (town_hall.svb_bram, town_hall.plain_desk)
    assert "14:00" not in aow_times(town_hall, dt.date(2026, 12, 10))


# ---- cancel ------------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_cancel_by_the_residents_link_frees_the_time_and_tells_them(town_hall):
    appointment = book_aow(town_hall, at(TUESDAY, 10))
    book_aow(town_hall, at(TUESDAY, 10), email="b@example.nl")
    assert "10:00" not in aow_times(town_hall)

    cancelled = services.cancel(appointment=appointment, token=appointment.token)

    row = fresh(appointment)
    assert row.state == "geannuleerd" and row.closed_at == NOW
    assert row.cancel_reason == "Geannuleerd door de inwoner"
    assert occupancy(row) == set()
    assert "10:00" in aow_times(town_hall)
    message = messages(appointment, "afspraak-geannuleerd").get()
    assert message.to == "joost@example.nl"
    assert "gaat niet door" in message.body or "geannuleerd" in message.body
    assert cancelled.parts.count() == 1  # the appointment and its part stay, for the record

    count = Message.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.cancel(appointment=appointment, token=appointment.token)
    assert caught.value.code == "invalid_transition"
    assert Message.objects.count() == count


@time_machine.travel(NOW, tick=False)
def test_cancel_by_staff_records_the_reason_and_an_outsider_may_not(town_hall):
    appointment = book_aow(town_hall, at(TUESDAY, 10))
    before = snapshot(appointment)
    with pytest.raises(PermissionDenied):
        services.cancel(appointment=appointment, user=outsider(), reason="Weg")
    assert snapshot(appointment) == before

    services.cancel(appointment=appointment, user=town_hall.svb_bram, reason="Medewerker ziek")
    row = fresh(appointment)
    assert (row.state, row.cancel_reason) == ("geannuleerd", "Medewerker ziek")
    assert Occupancy.objects.filter(appointment=appointment).count() == 0
    assert messages(appointment, "afspraak-geannuleerd").count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_tampered_or_unknown_link_is_refused_and_changes_nothing(town_hall):
    appointment = book_aow(town_hall, at(TUESDAY, 10))
    other = book_aow(town_hall, at(TUESDAY, 11), email="b@example.nl")
    token = appointment.token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    before = snapshot(appointment)
    for bad in (tampered, "x" * 32, "kort", "", token + "x" * 40):
        with pytest.raises(ValidationError) as caught:
            services.appointment_for_token(bad)
        assert caught.value.code == "bad_link", bad
        with pytest.raises(ValidationError) as caught:
            services.cancel(appointment=appointment, token=bad)
        assert caught.value.code == "bad_link", bad
        with pytest.raises(ValidationError) as caught:
            services.reschedule(appointment=appointment, starts_at=at(TUESDAY, 9), token=bad)
        assert caught.value.code == "bad_link", bad
    # A real link, but of someone else's appointment.
    with pytest.raises(PermissionDenied):
        services.cancel(appointment=appointment, token=other.token)
    assert snapshot(appointment) == before


# ---- check-in, warm referrals, no-show, complete --------------------------------------------------
def warm_referral(th, resident):
    contact = ContactMomentFactory(
        organisation=th.municipality,
        staff=th.counter,
        resident=resident,
        location=th.location,
        question="Mijn man is overleden, wat betekent dat voor mijn AOW?",
    )
    return referral_services.create_referral(
        user=th.counter,
        contact=contact,
        to_organisation=th.svb,
        to_team=th.svb_team,
        service=th.aow,
        reason="Vragen over de AOW na overlijden van de partner.",
        preferred_channel="telefoon",
        consent_given=True,
        shared=["naam-en-contactgegevens", "vraag"],
    )


@pytest.fixture
def referred(town_hall):
    """A resident referred warmly by the municipal counter to the SVB, booked at the SVB's hours
    from that referral."""
    with time_machine.travel(NOW, tick=False):
        resident = ResidentFactory(
            given_names="Maria", surname="Dassen", city="Maastricht", email="maria@example.nl"
        )
        referral = warm_referral(town_hall, resident)
        appointment = services.book(
            user=town_hall.counter,
            location=town_hall.location,
            service=town_hall.aow,
            starts_at=at(TUESDAY, 10),
            resident=resident,
            source=referral,
        )
    assert appointment.referral == referral and appointment.source_type == "referral"
    return resident, referral, appointment


def test_check_in_by_the_svb_sets_the_warm_referral_to_resident_contacted(town_hall, referred):
    resident, referral, appointment = referred
    with time_machine.travel(at(TUESDAY, 9, 55), tick=False):
        services.check_in(user=town_hall.svb_anna, appointment=appointment)
    row = fresh(appointment)
    assert row.state == "aangemeld" and row.checked_in_by == town_hall.svb_anna
    assert row.checked_in_at == at(TUESDAY, 9, 55)
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.state == ReferralState.CONTACTED
    assert referral.accepted_at is not None and referral.contacted_at is not None
    # Bram has the appointment (the plain booking goes to the untrained colleague): he hears
    # that the resident is there.
    assert row.parts.get().employee == town_hall.svb_bram
    assert Notification.objects.filter(user=town_hall.svb_bram, text__contains="is er").exists()


def test_check_in_by_the_host_counter_leaves_the_referral_to_the_svb(town_hall, referred):
    _resident, referral, appointment = referred
    with time_machine.travel(at(TUESDAY, 9, 55), tick=False):
        services.check_in(user=town_hall.counter, appointment=appointment)
    assert fresh(appointment).state == "aangemeld"
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.SENT


def test_complete_with_referral_helped_closes_it_and_the_helped_check_follows(town_hall, referred):
    resident, referral, appointment = referred
    with time_machine.travel(at(TUESDAY, 9, 55), tick=False):
        services.check_in(user=town_hall.svb_anna, appointment=appointment)
    with time_machine.travel(at(TUESDAY, 10, 25), tick=False):
        services.complete(
            user=town_hall.svb_anna,
            appointment=appointment,
            outcome="beantwoord",
            answer="Nabestaandenuitkering uitgelegd, aanvraag samen gedaan.",
            referral_helped=True,
        )
    row = fresh(appointment)
    assert row.state == "afgerond"
    contact = row.contact
    assert contact.resident == resident and contact.organisation == town_hall.svb
    assert (contact.channel, contact.outcome) == ("balie", "beantwoord")
    assert contact.service == town_hall.aow and contact.location == town_hall.location
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.state == ReferralState.HELPED and referral.closed_at is not None

    with time_machine.travel(at(TUESDAY, 17), tick=False):
        helped_services.schedule_checks()
    asked = HelpedCheck.objects.filter(resident=resident).exclude(state=CheckState.SKIPPED)
    assert asked.count() == 1  # once, not once per source
    assert HelpedCheck.objects.filter(contact=contact, resident=resident).exists()


@time_machine.travel(NOW, tick=False)
def test_no_show_before_the_start_is_refused_and_from_the_start_it_is_recorded(town_hall):
    appointment = book_aow(town_hall, at(TUESDAY, 10))
    with time_machine.travel(at(TUESDAY, 9, 59), tick=False):
        with pytest.raises(ValidationError) as caught:
            services.no_show(user=town_hall.svb_bram, appointment=appointment)
        assert caught.value.code == "invalid_transition"
    assert fresh(appointment).state == "gepland"
    with time_machine.travel(at(TUESDAY, 10, 5), tick=False):
        with pytest.raises(PermissionDenied):
            services.no_show(user=outsider(), appointment=appointment)
        services.no_show(user=town_hall.counter, appointment=appointment)
        row = fresh(appointment)
        assert row.state == "niet-gekomen" and row.closed_at == at(TUESDAY, 10, 5)
        with pytest.raises(ValidationError) as caught:
            services.check_in(user=town_hall.svb_bram, appointment=appointment)
        assert caught.value.code == "invalid_transition"


@time_machine.travel(NOW, tick=False)
def test_complete_writes_the_outcome_as_a_contact_moment_only_after_check_in(town_hall):
    appointment = book_aow(town_hall, at(TUESDAY, 10))
    with time_machine.travel(at(TUESDAY, 10), tick=False):
        with pytest.raises(ValidationError) as caught:
            services.complete(
                user=town_hall.svb_bram, appointment=appointment, outcome="beantwoord"
            )
        assert caught.value.code == "invalid_transition"
        services.check_in(user=town_hall.counter, appointment=appointment)
        # The host counter checks in, but the outcome is the SVB's.
        with pytest.raises(PermissionDenied):
            services.complete(user=town_hall.counter, appointment=appointment, outcome="beantwoord")
        with pytest.raises(ValidationError) as caught:
            services.complete(user=town_hall.svb_bram, appointment=appointment, outcome="prima")
        assert "outcome" in caught.value.message_dict
    assert ContactMoment.objects.count() == 0
    with time_machine.travel(at(TUESDAY, 10, 20), tick=False):
        services.complete(
            user=town_hall.svb_bram,
            appointment=appointment,
            outcome="aanvraag-ingenomen",
            answer="AOW-aanvraag ingenomen.",
        )
    row = fresh(appointment)
    contact = ContactMoment.objects.get()
    assert row.contact == contact and row.state == "afgerond"
    assert contact.staff == town_hall.svb_bram and contact.organisation == town_hall.svb
    assert (contact.outcome, contact.answer) == ("aanvraag-ingenomen", "AOW-aanvraag ingenomen.")
    assert contact.started_at == at(TUESDAY, 10) and contact.ended_at == at(TUESDAY, 10, 20)
    assert contact.resident is None  # booked on the public page, not registered
    assert row.closed_at == at(TUESDAY, 10, 20)


@time_machine.travel(NOW, tick=False)
def test_complete_with_register_resident_records_them_and_they_are_asked_if_helped(town_hall):
    appointment = book_aow(town_hall, at(TUESDAY, 10))
    with time_machine.travel(at(TUESDAY, 10), tick=False):
        services.check_in(user=town_hall.svb_bram, appointment=appointment)
        services.complete(
            user=town_hall.svb_bram,
            appointment=appointment,
            outcome="beantwoord",
            register_resident=True,
        )
    row = fresh(appointment)
    resident = Resident.objects.get()
    assert (resident.given_names, resident.surname) == ("Joost", "Hermans")
    assert (resident.email, resident.phone) == ("joost@example.nl", "+31612345678")
    assert row.resident == resident and row.contact.resident == resident

    with time_machine.travel(at(TUESDAY, 17), tick=False):
        helped_services.schedule_checks()
    check = HelpedCheck.objects.get(resident=resident)
    assert check.contact == row.contact and check.state == CheckState.SCHEDULED
    assert check.organisation == town_hall.svb and check.service == town_hall.aow


@time_machine.travel(NOW, tick=False)
def test_complete_for_a_known_resident_the_counter_booked_at_the_svb(town_hall):
    # The municipal counter books the SVB hours for a resident it knows (no referral): the SVB
    # employee records the outcome with the resident, so "bent u geholpen?" can follow.
    resident = ResidentFactory(given_names="Jan", surname="Willems", city="Maastricht")
    appointment = services.book(
        user=town_hall.counter,
        location=town_hall.location,
        service=town_hall.aow,
        starts_at=at(TUESDAY, 10),
        resident=resident,
    )
    with time_machine.travel(at(TUESDAY, 10), tick=False):
        services.check_in(user=town_hall.counter, appointment=appointment)
        services.complete(user=town_hall.svb_bram, appointment=appointment, outcome="beantwoord")
    # The appointment can be completed: the outcome is recorded as a contact moment.
    row = fresh(appointment)
    assert row.state == "afgerond" and row.contact is not None
    assert row.contact.organisation == town_hall.svb


# ---- travel documents ---------------------------------------------------------------------------
def test_travel_document_picked_up_at_the_town_hall_five_working_days_later(town_hall):
    tuesday = dt.date(2026, 12, 22)
    with time_machine.travel(NOW, tick=False):
        appointment = book_passport(
            town_hall,
            at(tuesday, 10),
            delivery="ophalen",
            pickup_location=town_hall.location,
        )
    assert appointment.kind == "reisdocument"
    assert appointment.pickup_location == town_hall.location
    # Wed 23, Thu 24, (Christmas, weekend), Mon 28, Tue 29, Wed 30.
    assert appointment.ready_on == dt.date(2026, 12, 30)
    assert appointment not in selectors.pickups(
        town_hall.counter, town_hall.location, dt.date(2026, 12, 15)
    )

    with time_machine.travel(at(tuesday, 10), tick=False):
        services.check_in(user=town_hall.counter, appointment=appointment)
        services.complete(
            user=town_hall.counter, appointment=appointment, outcome="aanvraag-ingenomen"
        )

    day = dt.date(2026, 12, 30)
    assert list(selectors.pickups(town_hall.counter, town_hall.location, day)) == [appointment]
    assert list(selectors.pickups(town_hall.counter, town_hall.office, day)) == []
    assert list(selectors.pickups(town_hall.svb_anna, town_hall.location, day)) == []
    with time_machine.travel(at(day, 14), tick=False):
        with pytest.raises(PermissionDenied):
            services.hand_over(user=town_hall.svb_anna, appointment=appointment)
        services.hand_over(user=town_hall.counter, appointment=appointment)
        assert fresh(appointment).handed_over_at == at(day, 14)
        assert list(selectors.pickups(town_hall.counter, town_hall.location, day)) == []
        with pytest.raises(ValidationError) as caught:
            services.hand_over(user=town_hall.counter, appointment=appointment)
        assert caught.value.code == "invalid_transition"


@time_machine.travel(NOW, tick=False)
def test_moving_a_travel_document_application_moves_its_ready_date(town_hall):
    appointment = book_passport(
        town_hall, at(TUESDAY, 10), delivery="ophalen", pickup_location=town_hall.location
    )
    assert appointment.ready_on == dt.date(2026, 12, 15)
    services.reschedule(
        appointment=appointment, starts_at=at(dt.date(2026, 12, 22), 10), token=appointment.token
    )
    # Applied on 22 December: not ready on the 15th, but five working days after the 22nd.
    assert fresh(appointment).ready_on == dt.date(2026, 12, 30)
    assert (
        list(selectors.pickups(town_hall.counter, town_hall.location, dt.date(2026, 12, 15))) == []
    )


@time_machine.travel(NOW, tick=False)
def test_travel_document_delivery_choices_are_checked_and_nothing_is_written(town_hall):
    other = OrganisationFactory(code="gemeente-heerlen", type="gemeente", name="Gemeente Heerlen")
    from tests.factories import LocationFactory

    heerlen = LocationFactory(organisation=other, name="Stadhuis Heerlen")
    cases = [
        ({"delivery": ""}, "delivery"),
        ({"delivery": "thuisbezorgen", "delivery_address": "  "}, "delivery_address"),
        ({"delivery": "ophalen"}, "pickup_location"),
        ({"delivery": "ophalen", "pickup_location": town_hall.office}, "pickup_location"),
        ({"delivery": "ophalen", "pickup_location": heerlen}, "pickup_location"),
    ]
    for extra, field in cases:
        with pytest.raises(ValidationError) as caught:
            book_passport(town_hall, at(TUESDAY, 10), **extra)
        assert field in caught.value.message_dict, (extra, caught.value.message_dict)
    assert Appointment.objects.count() == 0 and Occupancy.objects.count() == 0

    home = book_passport(
        town_hall,
        at(TUESDAY, 10),
        delivery="thuisbezorgen",
        delivery_address="Markt 1, 6211 CK Maastricht",
    )
    assert home.delivery == "thuisbezorgen" and home.pickup_location is None
    assert home.delivery_address == "Markt 1, 6211 CK Maastricht"
    assert home.ready_on == dt.date(2026, 12, 15)
    assert list(selectors.pickups(town_hall.counter, town_hall.office, dt.date(2026, 12, 15))) == []


# ---- reminders ---------------------------------------------------------------------------------
def reminders():
    return Message.objects.filter(template_key="afspraak-herinnering")


def test_reminder_goes_out_once_on_the_working_day_before(town_hall):
    monday = dt.date(2026, 12, 14)
    with time_machine.travel(NOW, tick=False):
        appointment = book_passport(town_hall, at(monday, 10))
    with time_machine.travel(at(dt.date(2026, 12, 10), 16), tick=False):  # Thursday
        assert services.send_reminders() == 0
    assert reminders().count() == 0
    with time_machine.travel(at(dt.date(2026, 12, 11), 7), tick=False):  # Friday
        assert services.send_reminders() == 1
    with time_machine.travel(at(dt.date(2026, 12, 11), 7, 15), tick=False):
        assert services.send_reminders() == 0
    with time_machine.travel(at(dt.date(2026, 12, 12), 10), tick=False):  # Saturday
        assert services.send_reminders() == 0
    message = reminders().get()
    assert message.cause_id == str(appointment.uuid) and message.to == "joost@example.nl"
    assert "14 december 2026" in message.body
    # Its link manages the appointment.
    assert services.appointment_for_token(token_in(message)).pk == appointment.pk


def test_no_reminder_for_a_booking_made_on_the_reminder_day_or_cancelled(town_hall):
    monday = dt.date(2026, 12, 14)
    friday = dt.date(2026, 12, 11)
    with time_machine.travel(NOW, tick=False):
        cancelled = book_passport(town_hall, at(monday, 9), email="weg@example.nl")
        services.cancel(appointment=cancelled, token=cancelled.token)
    with time_machine.travel(at(friday, 11), tick=False):
        late = book_passport(town_hall, at(monday, 11), email="laat@example.nl")
    with time_machine.travel(at(friday, 15), tick=False):
        assert services.send_reminders() == 0
    assert reminders().count() == 0
    assert fresh(late).reminder_sent_at is not None  # settled: later sweeps skip it
    with time_machine.travel(at(friday, 15, 15), tick=False):
        assert services.send_reminders() == 0
    assert reminders().count() == 0


def test_reminder_before_a_monday_after_christmas_goes_on_thursday(town_hall):
    with time_machine.travel(dt.datetime(2026, 12, 21, 8, tzinfo=AMSTERDAM), tick=False):
        book_passport(town_hall, at(dt.date(2026, 12, 28), 10))
    assert services.reminder_day(at(dt.date(2026, 12, 28), 10)) == dt.date(2026, 12, 24)
    with time_machine.travel(at(dt.date(2026, 12, 23), 16), tick=False):
        assert services.send_reminders() == 0
    with time_machine.travel(at(dt.date(2026, 12, 24), 8), tick=False):
        assert services.send_reminders() == 1
    with time_machine.travel(at(dt.date(2026, 12, 25), 8), tick=False):
        assert services.send_reminders() == 0
    assert reminders().count() == 1


def test_the_confirmation_link_keeps_working_after_the_reminder(town_hall):
    with time_machine.travel(NOW, tick=False):
        appointment = book_passport(town_hall, at(dt.date(2026, 12, 14), 10))
    confirmation_token = appointment.token
    with time_machine.travel(at(dt.date(2026, 12, 11), 7), tick=False):
        services.send_reminders()
    # The resident may click the link in either message.
    assert services.appointment_for_token(token_in(reminders().get())).pk == appointment.pk
    assert services.appointment_for_token(confirmation_token).pk == appointment.pk


# ---- internal meetings --------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_meeting_refused_when_a_participant_is_booked_and_names_them(town_hall):
    booked = book_aow(town_hall, at(TUESDAY, 10), needs=["eenvoudige-taal"])
    assert booked.parts.get().employee == town_hall.svb_anna
    count = Appointment.objects.count(), Occupancy.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.plan_meeting(
            user=town_hall.svb_bram,
            organisation=town_hall.svb,
            location=town_hall.location,
            title="Casusoverleg",
            starts_at=at(TUESDAY, 9, 45),
            ends_at=at(TUESDAY, 10, 15),
            participants=[town_hall.svb_anna],
        )
    text = caught.value.message_dict["participants"][0]
    assert "Anna Aerts" in text and "Bram" not in text
    assert (Appointment.objects.count(), Occupancy.objects.count()) == count

    meeting = services.plan_meeting(
        user=town_hall.svb_bram,
        organisation=town_hall.svb,
        location=town_hall.location,
        title="Casusoverleg",
        starts_at=at(TUESDAY, 11),
        ends_at=at(TUESDAY, 12),
        participants=[town_hall.svb_anna],
        desk=town_hall.loop_desk,
    )
    assert meeting.kind == "intern"
    assert Occupancy.objects.filter(appointment=meeting).count() == 12  # 4 quarters x 3
    assert {p.employee for p in meeting.parts.all()} == {town_hall.svb_anna, town_hall.svb_bram}
    assert Notification.objects.filter(user=town_hall.svb_anna, text__contains="overleg").exists()
    # Both colleagues are in the meeting: no AOW appointments at 11:00 or 11:30.
    assert aow_times(town_hall) == ["09:00", "09:30", "10:00", "10:30"]
    # A second meeting in that room names the room.
    with pytest.raises(ValidationError) as caught:
        services.plan_meeting(
            user=town_hall.counter,
            organisation=town_hall.municipality,
            location=town_hall.location,
            title="Werkoverleg",
            starts_at=at(TUESDAY, 11, 30),
            ends_at=at(TUESDAY, 12),
            participants=[],
            desk=town_hall.loop_desk,
        )
    assert town_hall.loop_desk.name in caught.value.message_dict["participants"][0]


@time_machine.travel(NOW, tick=False)
def test_meeting_times_must_be_on_a_quarter_and_the_room_at_the_location(town_hall):
    with pytest.raises(ValidationError) as caught:
        services.plan_meeting(
            user=town_hall.svb_bram,
            organisation=town_hall.svb,
            location=town_hall.location,
            title="",
            starts_at=at(TUESDAY, 10, 10),
            ends_at=at(TUESDAY, 10, 5),
            participants=[],
            desk=town_hall.counter_desk,
        )
    assert {"title", "ends_at", "desk"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.plan_meeting(
            user=town_hall.svb_bram,
            organisation=town_hall.svb,
            location=town_hall.location,
            title="Overleg",
            starts_at=at(TUESDAY, 10, 10),
            ends_at=at(TUESDAY, 11),
            participants=[],
        )
    assert "kwartier" in caught.value.message_dict["starts_at"][0]
    assert Appointment.objects.count() == 0


# ---- a visit with several organisations -------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_visit_in_a_row_books_each_organisation_after_the_other(town_hall):
    uwv = add_uwv_hours(town_hall)
    visit = services.book_visit(
        user=town_hall.counter,
        location=town_hall.location,
        services=[town_hall.aow, uwv.ww],
        starts_at=at(TUESDAY, 9),
        **person(),
    )
    assert visit.kind == "meerdere"
    assert (visit.starts_at, visit.ends_at) == (at(TUESDAY, 9), at(TUESDAY, 10))
    parts = list(visit.parts.order_by("position"))
    assert [p.organisation for p in parts] == [town_hall.svb, uwv.uwv]
    assert [(p.starts_at, p.ends_at) for p in parts] == [
        (at(TUESDAY, 9), at(TUESDAY, 9, 30)),
        (at(TUESDAY, 9, 30), at(TUESDAY, 10)),
    ]
    assert parts[1].desk == uwv.room and parts[1].employee in (uwv.employee, uwv.employee2)
    rows = Occupancy.objects.filter(appointment=visit)
    assert rows.count() == 8
    assert set(rows.filter(desk=uwv.room).values_list("unit_start", flat=True)) == {
        at(TUESDAY, 9, 30).astimezone(dt.UTC),
        at(TUESDAY, 9, 45).astimezone(dt.UTC),
    }
    assert messages(visit, "afspraak-bevestiging").count() == 1

    # Cancelling the visit frees every organisation's time.
    services.cancel(appointment=visit, user=town_hall.counter)
    assert Occupancy.objects.filter(appointment=visit).count() == 0


@time_machine.travel(NOW, tick=False)
def test_visit_together_puts_everyone_at_one_desk_at_the_same_time(town_hall):
    uwv = add_uwv_hours(town_hall)
    visit = services.book_visit(
        user=town_hall.counter,
        location=town_hall.location,
        services=[town_hall.aow, uwv.ww],
        starts_at=at(TUESDAY, 10),
        together=True,
        **person(),
    )
    parts = list(visit.parts.order_by("position"))
    assert {(p.starts_at, p.ends_at) for p in parts} == {(at(TUESDAY, 10), at(TUESDAY, 10, 30))}
    assert parts[0].desk == parts[1].desk != uwv.room
    assert parts[0].employee != parts[1].employee
    rows = Occupancy.objects.filter(appointment=visit)
    assert rows.filter(desk__isnull=False).count() == 2  # one desk, two quarters
    assert rows.filter(employee__isnull=False).count() == 4
    assert not rows.filter(desk=uwv.room).exists()


@time_machine.travel(NOW, tick=False)
def test_visit_refused_when_one_organisation_cannot_at_that_time(town_hall):
    uwv = add_uwv_hours(town_hall)
    # The UWV has one room: one WW appointment at 9:30 fills that time.
    services.book(
        location=town_hall.location, service=uwv.ww, starts_at=at(TUESDAY, 9, 30), **person()
    )
    count = Appointment.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.book_visit(
            user=town_hall.counter,
            location=town_hall.location,
            services=[town_hall.aow, uwv.ww],
            starts_at=at(TUESDAY, 9),
            **person(email="c@example.nl"),
        )
    assert "niet alle organisaties" in caught.value.message_dict["starts_at"][0]
    assert Appointment.objects.count() == count
    with pytest.raises(ValidationError) as caught:
        services.book_visit(
            user=town_hall.counter,
            location=town_hall.location,
            services=[town_hall.aow],
            starts_at=at(TUESDAY, 9),
            **person(),
        )
    assert "services" in caught.value.message_dict


@time_machine.travel(NOW, tick=False)
def test_moving_a_visit_keeps_every_organisations_part(town_hall):
    uwv = add_uwv_hours(town_hall)
    visit = services.book_visit(
        user=town_hall.counter,
        location=town_hall.location,
        services=[town_hall.aow, uwv.ww],
        starts_at=at(TUESDAY, 9),
        **person(),
    )
    before = snapshot(visit)
    try:
        services.reschedule(appointment=visit, starts_at=at(TUESDAY, 10), user=town_hall.counter)
    except ValidationError:
        # Refusing to move a combined visit this way is acceptable if nothing changed.
        assert snapshot(visit) == before
    else:
        row = fresh(visit)
        assert [p.organisation for p in row.parts.order_by("position")] == [
            town_hall.svb,
            uwv.uwv,
        ]
        assert row.ends_at == at(TUESDAY, 11)
        assert Occupancy.objects.filter(appointment=visit, desk=uwv.room).count() == 2


def test_each_organisation_of_a_visit_records_its_own_outcome(town_hall):
    uwv = add_uwv_hours(town_hall)
    with time_machine.travel(NOW, tick=False):
        visit = services.book_visit(
            user=town_hall.counter,
            location=town_hall.location,
            services=[town_hall.aow, uwv.ww],
            starts_at=at(TUESDAY, 9),
            **person(),
        )
    uwv_employee = visit.parts.get(organisation=uwv.uwv).employee
    with time_machine.travel(at(TUESDAY, 9), tick=False):
        services.check_in(user=town_hall.counter, appointment=visit)
    with time_machine.travel(at(TUESDAY, 9, 30), tick=False):
        services.complete(user=town_hall.svb_bram, appointment=visit, outcome="beantwoord")
    with time_machine.travel(at(TUESDAY, 10), tick=False):
        services.complete(user=uwv_employee, appointment=visit, outcome="aanvraag-ingenomen")
    # The resident met both: the SVB and the UWV each have their contact moment.
    assert set(ContactMoment.objects.values_list("organisation__code", "outcome")) == {
        ("svb", "beantwoord"),
        ("uwv", "aanvraag-ingenomen"),
    }


# ---- arranging a time by phone ----------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_request_arrangement_makes_a_call_task_for_the_schedules_team(town_hall):
    task = services.request_arrangement(
        location=town_hall.location,
        service=town_hall.aow,
        needs=["gebarentolk"],
        given_name="Lotte",
        surname="Peeters",
        phone="06 87654321",
        needs_note="Liefst op dinsdag.",
    )
    task = Task.objects.get(pk=task.pk)
    assert task.kind == "afspraak-regelen"
    assert (task.organisation, task.team) == (town_hall.svb, town_hall.svb_team)
    assert task.phone == "+31687654321"
    assert "Lotte Peeters" in task.note and "gebarentaal" in task.note.lower()
    assert "Liefst op dinsdag." in task.note
    assert task.due_at > NOW

    with pytest.raises(ValidationError) as caught:
        services.request_arrangement(
            location=town_hall.location,
            service=town_hall.aow,
            needs=["gebarentolk"],
            given_name="Lotte",
            surname="Peeters",
            phone="",
            email="lotte@example.nl",
        )
    assert "phone" in caught.value.message_dict
    assert Task.objects.count() == 1


# ---- skills ----------------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_only_the_employee_their_lead_or_admin_record_a_skill(town_hall):
    lead = staff(town_hall.svb, Role.TEAMLEIDER, team=town_hall.svb_team, username="lead.svb")
    obtained = dt.date(2026, 11, 1)
    for user in (town_hall.svb_anna, town_hall.admin, town_hall.counter):
        with pytest.raises(PermissionDenied):
            services.record_skill(
                user=user, employee=town_hall.svb_bram, skill="gebarentaal", obtained_on=obtained
            )
    with pytest.raises(PermissionDenied):
        services.record_learning_need(
            user=town_hall.svb_anna, employee=town_hall.svb_bram, description="Gebarentaal"
        )
    assert not StaffSkill.objects.filter(user=town_hall.svb_bram).exists()
    thursday = dt.date(2026, 12, 10)
    assert aow_times(town_hall, thursday, needs=["gebarentolk"]) == []

    for user in (town_hall.svb_bram, lead, town_hall.svb_admin):
        services.record_skill(
            user=user, employee=town_hall.svb_bram, skill="gebarentaal", obtained_on=obtained
        )
    row = StaffSkill.objects.get(user=town_hall.svb_bram)
    assert row.recorded_by == town_hall.svb_admin
    # Now a deaf resident can book Bram's Thursday hours.
    assert len(aow_times(town_hall, thursday, needs=["gebarentolk"])) == 6

    with pytest.raises(ValidationError) as caught:
        services.record_skill(
            user=lead,
            employee=town_hall.svb_bram,
            skill="taal",
            obtained_on=dt.date(2027, 1, 1),
        )
    assert {"language", "obtained_on"} <= set(caught.value.message_dict)


# ---- hours (schedules) ------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_save_schedule_refuses_wrong_location_desks_staff_and_services_with_nothing_written(
    town_hall,
):
    count = Schedule.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.save_schedule(
            user=town_hall.svb_admin,
            location=town_hall.office,  # the SVB is no guest at the neighbourhood office
            organisation=town_hall.svb,
            weekday=4,
            starts=dt.time(9),
            ends=dt.time(12),
            valid_from=dt.date(2027, 1, 1),
            services=[town_hall.passport],
            desks=[town_hall.loop_desk],  # a desk of the town hall
            staff=[town_hall.counter],  # a municipal employee
        )
    errors = caught.value.message_dict
    assert "SVB werkt niet op Wijkkantoor Malberg" in errors["organisation"][0]
    assert errors["desks"] == ["Kies balies van deze locatie."]
    assert errors["staff"] == ["Kies medewerkers van SVB."]
    assert "Deze diensten zijn niet van SVB: Paspoort" in errors["services"][0]
    assert Schedule.objects.count() == count

    with pytest.raises(PermissionDenied):
        services.save_schedule(
            user=town_hall.admin,  # the municipality does not manage the SVB's hours
            location=town_hall.location,
            organisation=town_hall.svb,
            weekday=4,
            starts=dt.time(9),
            ends=dt.time(12),
            valid_from=dt.date(2026, 12, 1),
            services=[town_hall.aow],
            desks=[town_hall.plain_desk],
            staff=[town_hall.svb_bram],
        )
    with pytest.raises(ValidationError) as caught:
        services.save_schedule(
            user=town_hall.svb_admin,
            location=town_hall.location,
            organisation=town_hall.svb,
            weekday=4,
            starts=dt.time(9, 10),
            ends=dt.time(9),
            valid_from=dt.date(2026, 12, 1),
            valid_until=dt.date(2026, 11, 1),
        )
    assert {"ends", "valid_until", "desks", "staff", "services"} <= set(caught.value.message_dict)
    assert Schedule.objects.count() == count

    services.save_schedule(
        user=town_hall.svb_admin,
        location=town_hall.location,
        organisation=town_hall.svb,
        weekday=4,
        starts=dt.time(9),
        ends=dt.time(11),
        valid_from=dt.date(2026, 12, 1),
        services=[town_hall.aow],
        desks=[town_hall.plain_desk],
        staff=[town_hall.svb_bram],
        team=town_hall.svb_team,
    )
    assert aow_times(town_hall, dt.date(2026, 12, 11)) == ["09:00", "09:30", "10:00", "10:30"]


# ---- pilot figures -----------------------------------------------------------------------------------
def test_pilot_figures_count_appointments_no_shows_and_needs_met(town_hall):
    lead = staff(town_hall.svb, Role.TEAMLEIDER, team=town_hall.svb_team, username="lead.svb")
    management = staff(town_hall.municipality, Role.MANAGEMENT, username="mt.maastricht")
    with time_machine.travel(NOW, tick=False):
        book_aow(town_hall, at(TUESDAY, 9))
        book_aow(town_hall, at(TUESDAY, 9, 30), needs=["ringleiding"], email="b@example.nl")
        book_aow(
            town_hall,
            at(TUESDAY, 10, 30),
            needs=["anders"],
            needs_note="Komt met een begeleider.",
            email="c@example.nl",
        )
        gone = book_aow(town_hall, at(TUESDAY, 11), email="d@example.nl")
        cancelled = book_aow(town_hall, at(TUESDAY, 10), email="e@example.nl")
        services.cancel(appointment=cancelled, token=cancelled.token)
        book_passport(town_hall, at(TUESDAY, 9))
        services.plan_meeting(
            user=town_hall.svb_bram,
            organisation=town_hall.svb,
            location=town_hall.location,
            title="Werkoverleg",
            starts_at=at(TUESDAY, 11, 30),
            ends_at=at(TUESDAY, 12),
            participants=[],
        )
    with time_machine.travel(at(TUESDAY, 11, 10), tick=False):
        services.no_show(user=town_hall.svb_bram, appointment=gone)

    period = {"date_from": dt.date(2026, 12, 7), "date_to": dt.date(2026, 12, 13)}
    [svb] = selectors.pilot_figures(lead, **period)
    assert (svb.organisation, svb.location, svb.week) == ("SVB", "Stadhuis Maastricht", "2026-W50")
    assert svb.week_start == dt.date(2026, 12, 7)
    assert (svb.appointments, svb.no_shows, svb.no_show_rate) == (4, 1, 25.0)
    assert (svb.with_needs, svb.needs_met, svb.needs_met_share) == (1, 1, 100.0)
    # Booked Monday 8:00; the first free time was Tuesday 9:00: a day ahead.
    assert svb.lead_days == 1.0

    # The municipality sees the pilot at its town hall and its own office.
    rows = {(r.organisation, r.location): r for r in selectors.pilot_figures(management, **period)}
    assert set(rows) == {
        ("SVB", "Stadhuis Maastricht"),
        ("Gemeente Maastricht", "Wijkkantoor Malberg"),
    }
    assert rows[("Gemeente Maastricht", "Wijkkantoor Malberg")].appointments == 1
    assert (
        selectors.pilot_figures(
            lead, date_from=dt.date(2026, 12, 14), date_to=dt.date(2026, 12, 20)
        )
        == []
    )
    with pytest.raises(PermissionDenied):
        selectors.pilot_figures(town_hall.svb_bram, **period)
    assert AppointmentPart.objects.filter(appointment__kind="intern").exists()
