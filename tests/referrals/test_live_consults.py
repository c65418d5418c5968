"""Live consults ("collega erbij halen") at the service/selector level on PostgreSQL: duty,
requests, who sees them, accepting, expiry with frozen time, turning a consult into a referral
or an appointment, and two colleagues accepting the same consult at the same moment."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.errors import NotFound
from eenloket.core.models import AccessLog, Notification
from eenloket.core.roles import Role
from eenloket.organisations.models import User
from eenloket.referrals import selectors, services
from eenloket.referrals.models import ConsultState, LiveConsult, OnDuty, Referral, ReferralState

from ..concurrency import race
from ..factories import ContactMomentFactory, LocationFactory, OrganisationFactory, staff

pytestmark = pytest.mark.django_db
C = ConsultState
TUESDAY_10 = dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM)


def at(hh, mm=0, ss=0, day=10):
    return dt.datetime(2026, 3, day, hh, mm, ss, tzinfo=AMSTERDAM)


@pytest.fixture
def w(enschede, uwv, maastricht, enschede_location, uwv_location, counter_enschede):
    svb = OrganisationFactory(code="svb", type="svb", name="SVB")
    enschede_location.guest_organisations.add(svb)
    maastricht_hall = LocationFactory(
        organisation=maastricht, name="Stadhuis Maastricht", city="Maastricht"
    )
    contact = ContactMomentFactory(
        organisation=enschede, staff=counter_enschede, location=enschede_location
    )
    return SimpleNamespace(
        enschede=enschede,
        uwv=uwv,
        svb=svb,
        maastricht=maastricht,
        hall=enschede_location,  # Stadhuis Enschede: UWV and SVB are guests
        uwv_office=uwv_location,
        maastricht_hall=maastricht_hall,
        contact=contact,
        requester=counter_enschede,
        requester_colleague=staff(enschede, Role.KCC_MEDEWERKER, username="kcc.enschede"),
        uwv1=staff(uwv, Role.MEDEWERKER_UITVOERING, username="uwv.1", first_name="Joost"),
        uwv2=staff(uwv, Role.MEDEWERKER_UITVOERING, username="uwv.2"),
        uwv_remote=staff(uwv, Role.MEDEWERKER_UITVOERING, username="uwv.telefoon"),
        uwv_elsewhere=staff(uwv, Role.MEDEWERKER_UITVOERING, username="uwv.kantoor"),
        uwv_off=staff(uwv, Role.MEDEWERKER_UITVOERING, username="uwv.vrij"),
        uwv_manager=staff(uwv, Role.MANAGEMENT, username="uwv.management"),
        svb_staff=staff(svb, Role.MEDEWERKER_UITVOERING, username="svb.1"),
        third=staff(maastricht, Role.KCC_MEDEWERKER, username="kcc.maastricht"),
    )


def on_duty(w, *names, location=None, reachable="ter-plaatse"):
    for name in names:
        services.start_duty(user=getattr(w, name), location=location or w.hall, reachable=reachable)


def ask(w, **kw) -> LiveConsult:
    args = {
        "user": w.requester,
        "contact": w.contact,
        "to_organisation": w.uwv,
        "question": "Inwoner heeft vragen over de WW-uitkering na ontslag.",
    }
    args.update(kw)
    return services.request_consult(**args)


@pytest.fixture
def frozen():
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


# ---- duty ---------------------------------------------------------------------------------------
def test_start_duty_at_a_host_location_as_guest_and_at_an_own_location(w, frozen):
    duty = services.start_duty(user=w.uwv1, location=w.hall)
    assert duty.organisation == w.uwv and duty.location == w.hall
    assert duty.reachable == "ter-plaatse" and duty.since == TUESDAY_10
    assert duty.until.astimezone(AMSTERDAM).date() == TUESDAY_10.date()  # until the end of today
    assert duty.until.astimezone(AMSTERDAM).strftime("%H:%M") == "23:59"
    assert selectors.current_duty(w.uwv1) == duty
    own = services.start_duty(user=w.uwv2, location=w.uwv_office)
    assert own.organisation == w.uwv
    # the host municipality's own staff can be on duty too
    assert services.start_duty(user=w.requester, location=w.hall).organisation == w.enschede


def test_start_duty_refused_where_the_organisation_does_not_work(w, frozen):
    with pytest.raises(ValidationError) as info:
        services.start_duty(user=w.uwv1, location=w.maastricht_hall)
    assert "location" in info.value.message_dict
    # claiming to be on duty for an organisation one is not a member of
    with pytest.raises(ValidationError):
        services.start_duty(user=w.uwv1, location=w.hall, organisation=w.enschede)
    # the organisation of a member who does not work at this location
    with pytest.raises(ValidationError):
        services.start_duty(user=w.third, location=w.hall, organisation=w.maastricht)
    assert not OnDuty.objects.exists()


def test_start_duty_needs_a_contact_role_and_sensible_input(w, frozen):
    with pytest.raises(PermissionDenied):
        services.start_duty(user=w.uwv_manager, location=w.hall)
    with pytest.raises(ValidationError) as info:
        services.start_duty(user=w.uwv1, location=w.hall, reachable="postduif")
    assert "reachable" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.start_duty(user=w.uwv1, location=w.hall, until=at(9))
    assert "until" in info.value.message_dict
    assert not OnDuty.objects.exists()


def test_start_duty_in_the_last_minute_of_the_day(w):
    with time_machine.travel(at(23, 59, 30), tick=False):
        duty = services.start_duty(user=w.uwv1, location=w.hall)
        assert duty.until > at(23, 59, 30)
        assert selectors.current_duty(w.uwv1) == duty


def test_a_new_duty_replaces_the_running_one_and_end_duty_stops_it(w, frozen):
    first = services.start_duty(user=w.uwv1, location=w.hall)
    frozen.shift(dt.timedelta(minutes=30))
    second = services.start_duty(user=w.uwv1, location=w.uwv_office, reachable="video")
    first.refresh_from_db()
    assert first.until == at(10, 30)
    assert selectors.current_duty(w.uwv1) == second
    frozen.shift(dt.timedelta(minutes=30))
    assert services.end_duty(user=w.uwv1) == 1
    assert selectors.current_duty(w.uwv1) is None
    assert OnDuty.objects.count() == 2  # history is kept
    assert services.end_duty(user=w.uwv1) == 0


def test_duty_ends_by_itself_at_until(w, frozen):
    services.start_duty(user=w.uwv1, location=w.hall, until=at(12))
    assert selectors.on_duty_for(w.uwv, w.hall).count() == 1
    frozen.move_to(at(12))
    assert selectors.on_duty_for(w.uwv, w.hall).count() == 0
    assert selectors.current_duty(w.uwv1) is None


# ---- requesting -----------------------------------------------------------------------------
def test_request_refused_when_nobody_is_on_duty(w, frozen):
    on_duty(w, "uwv_elsewhere", location=w.uwv_office)  # on site, but at another location
    on_duty(w, "svb_staff")  # another organisation, here
    with pytest.raises(ValidationError) as info:
        ask(w)
    [message] = info.value.message_dict["to_organisation"]
    assert "UWV" in message and "doorverwijzing" in message
    assert info.value.error_dict["to_organisation"][0].code == "nobody_on_duty"
    assert not LiveConsult.objects.exists()
    assert not AccessLog.objects.filter(processing_activity_id="overleg-aanvragen").exists()


def test_request_with_a_colleague_on_duty(w, frozen, settings):
    settings.LIVE_CONSULT_TIMEOUT_MINUTES = 7
    on_duty(w, "uwv1")
    consult = ask(w)
    assert consult.state == C.OPEN and consult.location == w.hall
    assert consult.requester == w.requester and consult.to_organisation == w.uwv
    assert consult.expires_at == TUESDAY_10 + dt.timedelta(minutes=7)
    [log] = AccessLog.objects.filter(processing_activity_id="overleg-aanvragen")
    assert log.action == "create" and log.object_id == str(consult.uuid)
    assert log.actor_organisation == "gemeente-enschede"
    # recorded on the contact, for the requester's organisation
    assert selectors.consults_of_contact(w.requester, w.contact) == [consult]
    assert selectors.consults_of_contact(w.requester_colleague, w.contact) == [consult]
    assert selectors.consults_of_contact(w.uwv1, w.contact) == []


def test_a_colleague_reachable_by_phone_anywhere_counts(w, frozen):
    on_duty(w, "uwv_remote", location=w.uwv_office, reachable="telefoon")
    assert ask(w).state == C.OPEN


def test_anonymous_contact_writes_no_access_log(w, frozen):
    on_duty(w, "uwv1")
    anonymous = ContactMomentFactory(
        organisation=w.enschede, staff=w.requester, location=w.hall, resident=None
    )
    ask(w, contact=anonymous)
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("question", ""),
        ("question", "   "),
        ("question", "a\x00b"),
        ("question", "x" * 5001),
        ("to_organisation", None),
        ("to_organisation", "own"),
    ],
)
def test_bad_requests_are_refused(w, frozen, field, value):
    on_duty(w, "uwv1")
    if value == "own":
        on_duty(w, "requester_colleague")
        value = w.enschede
    with pytest.raises(ValidationError) as info:
        ask(w, **{field: value})
    assert field in info.value.message_dict
    assert not LiveConsult.objects.exists()


@pytest.mark.parametrize("who", ["uwv1", "third", "uwv_manager"])
def test_only_the_contacts_organisation_may_ask(w, frozen, who):
    on_duty(w, "uwv1")
    with pytest.raises(PermissionDenied):
        ask(w, user=getattr(w, who))
    assert not LiveConsult.objects.exists()


# ---- who sees the request -------------------------------------------------------------------
def test_open_consults_for_shows_the_request_to_the_right_colleagues(w, frozen):
    on_duty(w, "uwv1", "uwv2", "svb_staff")
    on_duty(w, "uwv_remote", location=w.uwv_office, reachable="video")
    on_duty(w, "uwv_elsewhere", location=w.uwv_office)
    consult = ask(w)
    for who in ("uwv1", "uwv2", "uwv_remote"):
        assert selectors.open_consults_for(getattr(w, who)) == [consult], who
    for who in ("uwv_elsewhere", "uwv_off", "svb_staff", "third", "requester", "uwv_manager"):
        assert selectors.open_consults_for(getattr(w, who)) == [], who
    # both sides can open it; a third organisation cannot know it exists
    assert selectors.get_consult(w.requester, consult.uuid) == consult
    assert selectors.get_consult(w.uwv_off, consult.uuid) == consult
    with pytest.raises(NotFound):
        selectors.get_consult(w.third, consult.uuid)
    with pytest.raises(NotFound):
        selectors.get_consult(w.svb_staff, consult.uuid)


def test_off_duty_colleagues_stop_seeing_requests(w, frozen):
    on_duty(w, "uwv1", "uwv2")
    consult = ask(w)
    services.end_duty(user=w.uwv2)
    assert selectors.open_consults_for(w.uwv2) == []
    assert selectors.open_consults_for(w.uwv1) == [consult]


def test_a_request_without_location_goes_to_phone_and_video_colleagues_only(w, frozen):
    # Enschede works at two locations and this KCC colleague never registered a contact at
    # one: where the requester is cannot be known.
    LocationFactory(organisation=w.enschede, name="Stadskantoor Enschede")
    kcc = w.requester_colleague
    phone_contact = ContactMomentFactory(
        organisation=w.enschede, staff=kcc, location=None, channel="telefoon"
    )
    on_duty(w, "uwv1")  # on site at the town hall
    with pytest.raises(ValidationError):
        ask(w, user=kcc, contact=phone_contact)
    on_duty(w, "uwv_remote", location=w.uwv_office, reachable="telefoon")
    consult = ask(w, user=kcc, contact=phone_contact)
    assert consult.location is None
    assert selectors.open_consults_for(w.uwv_remote) == [consult]
    # who is on site cannot take it, so the request is not shown to them either
    assert selectors.open_consults_for(w.uwv1) == []
    with pytest.raises(PermissionDenied):
        services.accept_consult(user=w.uwv1, consult=consult)
    assert services.accept_consult(user=w.uwv_remote, consult=consult).state == C.ACCEPTED


def test_an_expired_request_is_not_shown_even_before_the_sweep(w, frozen):
    on_duty(w, "uwv1")
    consult = ask(w)
    frozen.move_to(consult.expires_at)
    assert selectors.open_consults_for(w.uwv1) == []
    assert selectors.consult_is_expired(consult)


# ---- accepting ----------------------------------------------------------------------------------
def test_first_to_accept_gets_it(w, frozen):
    on_duty(w, "uwv1", "uwv2")
    consult = ask(w)
    frozen.shift(dt.timedelta(seconds=40))
    won = services.accept_consult(user=w.uwv1, consult=consult)
    assert won.state == C.ACCEPTED and won.accepted_by == w.uwv1
    assert won.accepted_at == TUESDAY_10 + dt.timedelta(seconds=40)
    with pytest.raises(ValidationError) as info:
        services.accept_consult(user=w.uwv2, consult=LiveConsult.objects.get(pk=consult.pk))
    assert info.value.code == "already_taken"
    assert "Joost" in info.value.messages[0]  # says who took it
    assert selectors.open_consults_for(w.uwv2) == []
    row = LiveConsult.objects.get(pk=consult.pk)
    assert row.accepted_by == w.uwv1


@pytest.mark.parametrize("who", ["uwv_off", "uwv_elsewhere", "svb_staff", "third", "requester"])
def test_only_on_duty_colleagues_of_that_organisation_at_that_place_may_accept(w, frozen, who):
    on_duty(w, "uwv1", "svb_staff")
    on_duty(w, "uwv_elsewhere", location=w.uwv_office)
    consult = ask(w)
    with pytest.raises(PermissionDenied):
        services.accept_consult(user=getattr(w, who), consult=consult)
    assert LiveConsult.objects.get(pk=consult.pk).state == C.OPEN


def test_accepting_after_the_time_is_up_is_refused(w, frozen):
    on_duty(w, "uwv1")
    consult = ask(w)
    frozen.move_to(consult.expires_at + dt.timedelta(seconds=1))
    with pytest.raises(ValidationError) as info:
        services.accept_consult(user=w.uwv1, consult=consult)
    assert info.value.code == "not_open"


# ---- cancelling -------------------------------------------------------------------------------
def test_cancel_only_by_the_requester(w, frozen):
    on_duty(w, "uwv1")
    consult = ask(w)
    for who in ("requester_colleague", "uwv1", "third"):
        with pytest.raises(PermissionDenied):
            services.cancel_consult(user=getattr(w, who), consult=consult)
    assert LiveConsult.objects.get(pk=consult.pk).state == C.OPEN
    done = services.cancel_consult(user=w.requester, consult=consult)
    assert done.state == C.CANCELLED and done.closed_at == TUESDAY_10
    with pytest.raises(ValidationError) as info:
        services.cancel_consult(user=w.requester, consult=consult)
    assert info.value.code == "not_open"
    assert selectors.open_consults_for(w.uwv1) == []


def test_an_accepted_consult_cannot_be_cancelled(w, frozen):
    on_duty(w, "uwv1")
    consult = ask(w)
    services.accept_consult(user=w.uwv1, consult=consult)
    with pytest.raises(ValidationError):
        services.cancel_consult(user=w.requester, consult=consult)
    assert LiveConsult.objects.get(pk=consult.pk).state == C.ACCEPTED


# ---- expiry sweep -------------------------------------------------------------------------------
def test_expire_consults_after_the_timeout_tells_the_requester_once(w, frozen, settings):
    settings.LIVE_CONSULT_TIMEOUT_MINUTES = 3
    on_duty(w, "uwv1")
    consult = ask(w)
    taken = ask(w, question="Een tweede vraag.")
    services.accept_consult(user=w.uwv1, consult=taken)
    frozen.move_to(at(10, 2, 59))
    assert services.expire_consults() == 0
    assert not selectors.consult_is_expired(LiveConsult.objects.get(pk=consult.pk))
    frozen.move_to(at(10, 3))
    assert services.expire_consults() == 1
    assert services.expire_consults() == 0  # idempotent
    row = LiveConsult.objects.get(pk=consult.pk)
    assert row.state == C.EXPIRED and row.closed_at == at(10, 3)
    assert selectors.consult_is_expired(row)
    [note] = Notification.objects.filter(user=w.requester, link=f"/overleg/{consult.uuid}/")
    assert "UWV" in note.text and note.text.startswith("Niemand")
    # The other notification: the accepted consult ("... komt erbij").
    assert Notification.objects.count() == 2
    assert LiveConsult.objects.get(pk=taken.pk).state == C.ACCEPTED  # never expires
    frozen.move_to(at(18))
    assert services.expire_consults() == 0


def test_expire_through_the_sweep_registry(w, frozen):
    from eenloket.core.sweeps import run_all

    on_duty(w, "uwv1")
    ask(w)
    assert run_all(at(11))["referrals.expire_consults"] == 1
    assert run_all(at(11))["referrals.expire_consults"] == 0


# ---- turning a consult into a referral or an appointment --------------------------------------
def test_expired_consult_to_referral(w, frozen):
    on_duty(w, "uwv1")
    consult = ask(w)
    frozen.move_to(at(10, 10))
    services.expire_consults()
    # The reason is always shown to the receiver: it is not copied from the resident's question.
    with pytest.raises(ValidationError) as info:
        services.consult_to_referral(
            user=w.requester, consult=consult, preferred_channel="telefoon"
        )
    assert "reason" in info.value.message_dict
    assert not Referral.objects.exists()
    referral = services.consult_to_referral(
        user=w.requester, consult=consult, preferred_channel="telefoon", reason="Niemand kon komen."
    )
    assert referral.state == ReferralState.SENT
    assert referral.to_organisation == w.uwv and referral.contact == w.contact
    assert referral.reason == "Niemand kon komen."
    row = LiveConsult.objects.get(pk=consult.pk)
    assert row.state == C.REFERRED and row.referral == referral and row.closed_at == at(10, 10)
    assert referral.consult == row
    with pytest.raises(ValidationError) as info:
        services.consult_to_referral(
            user=w.requester, consult=consult, preferred_channel="telefoon", reason="Nog eens."
        )
    assert info.value.code == "not_open"
    assert Referral.objects.count() == 1


def test_consult_to_referral_with_its_own_reason_while_still_open(w, frozen):
    on_duty(w, "uwv1")
    consult = ask(w)
    referral = services.consult_to_referral(
        user=w.requester, consult=consult, reason="Eigen reden.", preferred_channel="email"
    )
    assert referral.reason == "Eigen reden."
    assert LiveConsult.objects.get(pk=consult.pk).state == C.REFERRED
    assert selectors.open_consults_for(w.uwv1) == []


def test_consult_to_referral_with_bad_input_changes_nothing(w, frozen):
    on_duty(w, "uwv1")
    consult = ask(w)
    with pytest.raises(ValidationError):
        services.consult_to_referral(user=w.requester, consult=consult, preferred_channel="duif")
    assert LiveConsult.objects.get(pk=consult.pk).state == C.OPEN
    assert not Referral.objects.exists()


def test_only_the_requester_converts_and_not_an_accepted_consult(w, frozen):
    on_duty(w, "uwv1")
    consult = ask(w)
    for who in ("requester_colleague", "uwv1"):
        with pytest.raises(PermissionDenied):
            services.consult_to_referral(
                user=getattr(w, who), consult=consult, preferred_channel="telefoon"
            )
        with pytest.raises(PermissionDenied):
            services.consult_to_appointment(user=getattr(w, who), consult=consult, note="Ma 9u")
    services.accept_consult(user=w.uwv1, consult=consult)
    with pytest.raises(ValidationError) as info:
        services.consult_to_referral(
            user=w.requester, consult=consult, preferred_channel="telefoon", reason="Nog eens."
        )
    assert info.value.code == "not_open"
    with pytest.raises(ValidationError):
        services.consult_to_appointment(user=w.requester, consult=consult, note="Ma 9u")
    assert LiveConsult.objects.get(pk=consult.pk).state == C.ACCEPTED
    assert not Referral.objects.exists()


def test_consult_to_appointment(w, frozen):
    on_duty(w, "uwv1")
    consult = ask(w)
    services.cancel_consult(user=w.requester, consult=consult)
    for bad in ("", "  ", "x\x00"):
        with pytest.raises(ValidationError) as info:
            services.consult_to_appointment(user=w.requester, consult=consult, note=bad)
        assert "note" in info.value.message_dict
    assert LiveConsult.objects.get(pk=consult.pk).state == C.CANCELLED
    done = services.consult_to_appointment(
        user=w.requester, consult=consult, note="Donderdag 14:00 bij UWV in het stadhuis."
    )
    assert done.state == C.APPOINTMENT and done.note.startswith("Donderdag")
    with pytest.raises(ValidationError) as info:
        services.consult_to_appointment(user=w.requester, consult=consult, note="Nog een.")
    assert info.value.code == "not_open"


# ---- the race: two colleagues accept at the same moment -------------------------------------
@pytest.mark.xdist_group("transactional")
@pytest.mark.django_db(transaction=True)
def test_two_colleagues_accept_the_same_consult_exactly_one_wins(w):
    until = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    for name in ("uwv1", "uwv2"):
        services.start_duty(user=getattr(w, name), location=w.hall, until=until)
    winners = set()
    rounds = 20
    for i in range(rounds):
        consult = ask(w, question=f"Ronde {i}: vraag over de WW.")
        # each thread gets its own user and consult objects: nothing cached is shared
        a, b = User.objects.get(pk=w.uwv1.pk), User.objects.get(pk=w.uwv2.pk)
        ca, cb = LiveConsult.objects.get(pk=consult.pk), LiveConsult.objects.get(pk=consult.pk)
        hold = LiveConsult.objects.filter(pk=consult.pk) if i % 2 else None
        results = race(
            [
                lambda a=a, ca=ca: services.accept_consult(user=a, consult=ca),
                lambda b=b, cb=cb: services.accept_consult(user=b, consult=cb),
            ],
            hold_row=hold,
        )
        oks = [value for kind, value in results if kind == "ok"]
        errors = [value for kind, value in results if kind == "error"]
        assert len(oks) == 1 and len(errors) == 1, results
        assert isinstance(errors[0], ValidationError), errors[0]
        assert errors[0].code == "already_taken"
        row = LiveConsult.objects.get(pk=consult.pk)
        assert row.state == C.ACCEPTED
        assert row.accepted_by_id == oks[0].accepted_by_id
        winners.add(row.accepted_by_id)
    assert LiveConsult.objects.filter(state=C.ACCEPTED).count() == rounds
    assert winners <= {w.uwv1.pk, w.uwv2.pk}


# ---- where the requester is: the location of a consult ------------------------------------------
def test_a_contact_without_location_asks_where_the_requester_usually_works(w, frozen):
    """Issue 8: a phone contact has no location; the requester works at the town hall (the
    only location of Enschede) where a UWV colleague is on duty in person: that counts."""
    phone_contact = ContactMomentFactory(
        organisation=w.enschede, staff=w.requester, location=None, channel="telefoon"
    )
    on_duty(w, "uwv1")  # on site at the town hall
    consult = ask(w, contact=phone_contact)
    assert consult.location == w.hall
    assert selectors.open_consults_for(w.uwv1) == [consult]


def test_the_default_location_is_where_the_requester_is(w, frozen):
    office = LocationFactory(organisation=w.enschede, name="Stadskantoor Enschede")
    office.guest_organisations.add(w.uwv)
    phone_contact = ContactMomentFactory(
        organisation=w.enschede, staff=w.requester, location=None, channel="telefoon"
    )
    # Two locations, no location on the contact: where they last registered a contact.
    assert selectors.default_consult_location(w.requester, phone_contact) == w.hall
    # A colleague who never did, not on duty: unknown, phone and video only.
    kcc = w.requester_colleague
    assert selectors.default_consult_location(kcc, phone_contact) is None
    # The contact's location.
    assert selectors.default_consult_location(w.requester, w.contact) == w.hall
    # Where the requester is on duty comes first.
    services.start_duty(user=w.requester, location=office)
    assert selectors.default_consult_location(w.requester, w.contact) == office
    assert selectors.default_consult_location(w.requester, phone_contact) == office
    on_duty(w, "uwv1", location=office)
    assert ask(w, contact=phone_contact).location == office


def test_nobody_on_duty_says_what_is_really_missing(w, frozen):
    on_duty(w, "uwv_elsewhere", location=w.uwv_office)  # UWV is on duty, but at its own office
    with pytest.raises(ValidationError) as info:
        ask(w)
    [message] = info.value.message_dict["to_organisation"]
    assert message == (
        "Er is nu niemand van UWV in dienst op Stadhuis Enschede. "
        "Wel in dienst: UWV-kantoor Enschede (1 collega). "
        "Kies een andere locatie of maak een doorverwijzing."
    )
    services.end_duty(user=w.uwv_elsewhere)
    with pytest.raises(ValidationError) as info:
        ask(w)
    assert info.value.message_dict["to_organisation"] == [
        "Er is nu niemand van UWV in dienst op Stadhuis Enschede. Maak een doorverwijzing."
    ]


# ---- one definition of "on duty": still a colleague there -----------------------------------
def test_a_moved_colleague_no_longer_sees_or_takes_the_old_organisations_consults(w, frozen):
    on_duty(w, "uwv1", "uwv2")
    consult = ask(w)
    assert selectors.open_consults_for(w.uwv1) == [consult]
    # uwv1 moves to the SVB: the UWV membership ends, the duty row (until tonight) stays.
    w.uwv1.memberships.filter(organisation=w.uwv).delete()
    moved = User.objects.get(pk=w.uwv1.pk)
    staff_membership = moved.memberships.create(organisation=w.svb, role=Role.MEDEWERKER_UITVOERING)
    assert staff_membership.pk and OnDuty.objects.filter(staff=moved, until__gt=at(10)).exists()
    assert selectors.open_consults_for(moved) == []
    assert selectors.current_duty(moved) is None
    assert list(selectors.on_duty_for(w.uwv, w.hall)) == [selectors.current_duty(w.uwv2)]
    assert selectors.on_duty_counts(w.hall) == {w.uwv.pk: 1}
    with pytest.raises(PermissionDenied):
        services.accept_consult(user=moved, consult=consult)


def test_a_deactivated_colleague_is_not_counted_anywhere(w, frozen):
    on_duty(w, "uwv1")
    User.objects.filter(pk=w.uwv1.pk).update(is_active=False)
    assert selectors.on_duty_counts(w.hall) == {}
    assert not selectors.on_duty_for(w.uwv, w.hall).exists()
    with pytest.raises(ValidationError):
        ask(w)


# ---- one duty per person, enforced by the database ------------------------------------------
@pytest.mark.xdist_group("transactional")
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_two_overlapping_duty_periods_of_one_person(w):
    from django.db import IntegrityError, transaction

    def period(user, since, until, location=None):
        return OnDuty.objects.create(
            staff=user, organisation=w.uwv, location=location or w.hall, since=since, until=until
        )

    period(w.uwv1, at(9), at(12))
    period(w.uwv1, at(12), at(14))  # [9, 12) and [12, 14) touch, they do not overlap
    period(w.uwv2, at(9), at(17))  # another person may overlap
    for since, until in [(at(11), at(13)), (at(8), at(18)), (at(13), at(13, 30))]:
        with pytest.raises(IntegrityError), transaction.atomic():
            period(w.uwv1, since, until, location=w.uwv_office)
    with pytest.raises(IntegrityError), transaction.atomic():
        period(w.uwv1, at(15), at(14))  # ends before it starts
    assert OnDuty.objects.filter(staff=w.uwv1).count() == 2


@pytest.mark.xdist_group("transactional")
@pytest.mark.django_db(transaction=True)
def test_concurrent_start_duty_requests_leave_one_active_duty(w, api_as):
    """Real concurrent HTTP requests (one thread and database connection each): every one
    answers 201 and exactly one duty period is running afterwards. With `hold_row` all requests
    provably meet at the deciding statement together."""
    from django.utils import timezone

    services.start_duty(user=w.uwv1, location=w.uwv_office)
    places = [w.hall, w.uwv_office, w.hall, w.uwv_office]
    for rnd in range(2):
        clients = [api_as(User.objects.get(pk=w.uwv1.pk)) for _ in places]
        running = selectors.current_duty(w.uwv1)
        hold = OnDuty.objects.filter(pk=running.pk) if rnd == 0 else None
        results = race(
            [
                lambda c=c, p=p: c.post(
                    "/api/v1/on-duty/", {"location": str(p.uuid)}, format="json"
                )
                for c, p in zip(clients, places, strict=True)
            ],
            hold_row=hold,
        )
        assert [kind for kind, _ in results] == ["ok"] * len(places), results
        assert [r.status_code for _, r in results] == [201] * len(places)
        now = timezone.now()
        active = OnDuty.objects.filter(staff=w.uwv1, since__lte=now, until__gt=now)
        assert active.count() == 1, list(active.values("since", "until"))
        assert OnDuty.objects.filter(staff=w.uwv1, until__gt=now).count() == 1


# ---- "on duty" is one definition on every surface -------------------------------------------
def _on_duty_everywhere(w, ui_as, colleague, consult) -> dict:
    """What each surface says about `colleague` being on duty for UWV at the town hall."""
    form = ui_as(w.requester).get(f"/contacten/{w.contact.uuid}/overleg/").content.decode()
    return {
        "consult form (count)": "UWV – 1 collega in dienst" in form,
        "service: on duty for": selectors.on_duty_for(w.uwv, w.hall)
        .filter(staff=colleague)
        .exists(),
        "service: may accept": selectors.is_on_duty_for(colleague, consult),
        "available_actions (API)": "accept" in selectors.consult_actions(colleague, consult),
        "current duty": selectors.current_duty(colleague) is not None,
        "open requests": selectors.open_consults_for(colleague) == [consult],
    }


@pytest.mark.parametrize("change", ["deactivated", "membership ended"])
def test_a_deactivated_or_moved_colleague_is_on_duty_nowhere(w, frozen, ui_as, change):
    on_duty(w, "uwv1")
    consult = ask(w)
    everywhere = _on_duty_everywhere(w, ui_as, w.uwv1, consult)
    assert all(everywhere.values()), everywhere  # on duty on every surface, before the change
    if change == "deactivated":
        User.objects.filter(pk=w.uwv1.pk).update(is_active=False)
    else:  # moved to the SVB; the UWV duty row stays until tonight
        w.uwv1.memberships.filter(organisation=w.uwv).delete()
        w.uwv1.memberships.create(organisation=w.svb, role=Role.MEDEWERKER_UITVOERING)
    colleague = User.objects.get(pk=w.uwv1.pk)  # no cached scope
    assert OnDuty.objects.filter(staff=colleague, until__gt=at(10)).exists()  # the row stays
    nowhere = _on_duty_everywhere(w, ui_as, colleague, consult)
    assert not any(nowhere.values()), nowhere
    with pytest.raises(PermissionDenied):
        services.accept_consult(user=colleague, consult=consult)
    with pytest.raises(ValidationError) as info:
        ask(w)  # nobody else is on duty: asking is refused as for an empty desk
    assert info.value.message_dict["to_organisation"][0].startswith("Er is nu niemand van UWV")


def test_the_moved_colleagues_own_duty_page_and_api_say_not_on_duty(w, frozen, ui_as, api_as):
    on_duty(w, "uwv1")
    assert 'id="huidige-dienst"' in ui_as(w.uwv1).get("/overleg/").content.decode()
    assert api_as(w.uwv1).get("/api/v1/on-duty/").json()["organisation"] == "uwv"
    w.uwv1.memberships.filter(organisation=w.uwv).delete()
    w.uwv1.memberships.create(organisation=w.svb, role=Role.MEDEWERKER_UITVOERING)
    page = ui_as(w.uwv1).get("/overleg/").content.decode()
    assert 'id="huidige-dienst"' not in page and "Stoppen met dienst" not in page
    assert ">In dienst gaan</button>" in page
    response = api_as(w.uwv1).get("/api/v1/on-duty/")
    assert response.status_code == 200 and response.json() is None
    assert api_as(w.uwv1).get("/api/v1/live-consults/").json() == []


def test_the_open_consults_list_with_available_actions_costs_a_fixed_number_of_queries(
    w, frozen, api_as
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    on_duty(w, "uwv1")
    client = api_as(w.uwv1)

    def queries_for_list() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/api/v1/live-consults/").json()
        assert all(c["available_actions"] == ["accept"] for c in body)
        return len(ctx.captured_queries), len(body)

    ask(w)
    few, n_few = queries_for_list()
    for i in range(4):
        ask(w, question=f"Nog een vraag {i}.")
    many, n_many = queries_for_list()
    assert (n_few, n_many) == (1, 5)
    assert many == few
