"""Warm referrals at the service/selector level on PostgreSQL: the state machine, the rules on
creation, response norms and the escalation sweep with frozen time, the permission matrix of
sender, receiver and a third organisation, work lists, the social counsellor, and two colleagues
claiming one referral at the same moment."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from eenloket.catalogue.models import RoutingOutcome
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.errors import NotFound
from eenloket.core.models import AccessLog, Notification
from eenloket.core.roles import Role
from eenloket.organisations.models import OpeningHours
from eenloket.referrals import selectors, services
from eenloket.referrals.models import (
    Escalation,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralState,
    ResponseNorm,
    SharedItem,
)

from ..concurrency import race
from ..factories import (
    ContactMomentFactory,
    LocationFactory,
    OrganisationFactory,
    ResidentFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
    staff,
)
from ..state_oracle import ORACLE

pytestmark = pytest.mark.django_db
S = ReferralState
ALL_SHARED = [SharedItem.IDENTITY, SharedItem.BSN, SharedItem.QUESTION, SharedItem.DISCUSSED]
QUESTION = "Ik ben mijn baan kwijt en wil een WW-uitkering aanvragen"


def at(y, m, d, hh=12, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=AMSTERDAM)


def end_of(y, m, d):
    return dt.datetime(y, m, d, 23, 59, 59, tzinfo=AMSTERDAM).astimezone(dt.UTC)


@pytest.fixture
def w(enschede, uwv, maastricht, enschede_location, counter_enschede, counter_maastricht):
    """Enschede (sender) refers to UWV (receiver); Maastricht is the third organisation."""
    team = TeamFactory(organisation=uwv, name="Werk en inkomen")
    other_team = TeamFactory(organisation=uwv, name="Uitkeringen")
    resident = ResidentFactory(city="Enschede")
    contact = ContactMomentFactory(
        organisation=enschede,
        staff=counter_enschede,
        resident=resident,
        location=enschede_location,
        question=QUESTION,
    )
    return SimpleNamespace(
        enschede=enschede,
        uwv=uwv,
        maastricht=maastricht,
        location=enschede_location,
        team=team,
        other_team=other_team,
        resident=resident,
        contact=contact,
        sender=counter_enschede,
        sender_colleague=staff(enschede, Role.KCC_MEDEWERKER, username="kcc.enschede"),
        receiver=staff(uwv, Role.MEDEWERKER_UITVOERING, team=team, username="uwv.1"),
        receiver2=staff(uwv, Role.MEDEWERKER_UITVOERING, team=team, username="uwv.2"),
        receiver_other_team=staff(
            uwv, Role.MEDEWERKER_UITVOERING, team=other_team, username="uwv.3"
        ),
        team_lead=staff(uwv, Role.TEAMLEIDER, team=team, username="uwv.lead"),
        third=counter_maastricht,
        no_role=staff(enschede, Role.PRIVACYFUNCTIONARIS, username="privacy.enschede"),
        no_role_uwv=staff(uwv, Role.MANAGEMENT, team=team, username="uwv.management"),
        nobody=UserFactory(username="zonder.rol"),
    )


def send(w, **kw) -> Referral:
    args = {
        "user": w.sender,
        "contact": w.contact,
        "to_organisation": w.uwv,
        "reason": "De inwoner is werkloos geworden en heeft hulp nodig bij de WW.",
        "preferred_channel": "telefoon",
        "discussed": "Uitgelegd dat UWV over de WW gaat.",
    }
    args.update(kw)
    return services.create_referral(**args)


def fresh(referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


def snapshot(referral) -> dict:
    row = Referral.objects.get(pk=referral.pk)
    data = model_to_dict(row)
    data["updated_at"] = row.updated_at
    return data


def notes_for(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


# ---- bringing a referral into each state --------------------------------------------------------
def in_state(w, state) -> Referral:
    r = send(w)
    if state == S.SENT:
        return r
    if state == S.RETURNED:
        return services.return_referral(user=w.receiver, referral=r, reason="Hoort bij de SVB.")
    if state == S.REREFERRED:
        services.return_referral(user=w.receiver, referral=r, reason="Hoort bij de SVB.")
        services.rerefer(
            user=w.sender, referral=fresh(r), to_organisation=w.maastricht, reason="Nu goed."
        )
        return fresh(r)
    if state == S.CLOSED:
        return services.close(user=w.receiver, referral=r, reason="Inwoner wil geen hulp meer.")
    r = services.accept(user=w.receiver, referral=r)
    if state == S.ACCEPTED:
        return r
    if state == S.CONTACTED:
        return services.mark_contacted(user=w.receiver, referral=r, note="Gebeld.")
    if state == S.HELPED:
        return services.mark_helped(user=w.receiver, referral=r, feedback="Uitkering loopt.")
    raise AssertionError(state)


# The allowed states come from the tests' oracle (state_oracle.py; tests/referrals/test_states.py checks
# every role against it, with the API and the buttons).
ACTIONS = {
    "accept": (
        lambda w, r: services.accept(user=w.receiver, referral=r),
        ORACLE[("accept", "receiver")],
    ),
    "return": (
        lambda w, r: services.return_referral(user=w.receiver, referral=r, reason="Verkeerd."),
        ORACLE[("return", "receiver")],
    ),
    "contacted": (
        lambda w, r: services.mark_contacted(user=w.receiver, referral=r),
        ORACLE[("contacted", "receiver")],
    ),
    "helped": (
        lambda w, r: services.mark_helped(user=w.receiver, referral=r, feedback="Klaar."),
        ORACLE[("helped", "receiver")],
    ),
    "close-by-receiver": (
        lambda w, r: services.close(user=w.receiver, referral=r, reason="Wil geen hulp."),
        ORACLE[("close", "receiver")],
    ),
    "close-by-sender": (
        lambda w, r: services.close(user=w.sender, referral=r, reason="Ingetrokken."),
        ORACLE[("close", "sender")],
    ),
    "claim": (
        lambda w, r: services.claim(user=w.receiver, referral=r),
        ORACLE[("claim", "receiver")],
    ),
    "assign": (
        lambda w, r: services.assign(user=w.receiver, referral=r, to_user=w.receiver2),
        ORACLE[("assign", "receiver")],
    ),
    "rerefer": (
        lambda w, r: services.rerefer(
            user=w.sender, referral=r, to_organisation=w.maastricht, reason="Nu de juiste plek."
        ),
        ORACLE[("rerefer", "sender")],
    ),
}
EXPECTED_STATE = {
    "accept": S.ACCEPTED,
    "return": S.RETURNED,
    "contacted": S.CONTACTED,
    "helped": S.HELPED,
    "close-by-receiver": S.CLOSED,
    "close-by-sender": S.CLOSED,
    "rerefer": S.REREFERRED,
}
EXPECTED_ACTION = {
    "accept": ReferralEvent.Action.ACCEPTED,
    "return": ReferralEvent.Action.RETURNED,
    "contacted": ReferralEvent.Action.CONTACTED,
    "helped": ReferralEvent.Action.HELPED,
    "close-by-receiver": ReferralEvent.Action.CLOSED,
    "close-by-sender": ReferralEvent.Action.CLOSED,
    "claim": ReferralEvent.Action.CLAIMED,
    "assign": ReferralEvent.Action.ASSIGNED,
    "rerefer": ReferralEvent.Action.REREFERRED,
}
ALLOWED = [(a, s) for a, (_, states) in ACTIONS.items() for s in S.values if s in states]
ILLEGAL = [(a, s) for a, (_, states) in ACTIONS.items() for s in S.values if s not in states]


def actor_of(w, action):
    return w.sender if action in ("close-by-sender", "rerefer") else w.receiver


# ---- 2. the state machine -----------------------------------------------------------------------
def test_every_state_is_reachable_and_the_table_is_complete(w):
    assert len(ALLOWED) + len(ILLEGAL) == len(ACTIONS) * len(S.values)
    for state in S.values:
        assert in_state(w, state).state == state


@pytest.mark.parametrize(("action", "state"), ALLOWED)
def test_allowed_transition_writes_an_event_with_actor_and_time(w, action, state):
    referral = in_state(w, state)
    if action == "claim":
        # Accepting made it the receiver's; claiming one you hold changes nothing (see the
        # idempotency test): here nobody holds it yet.
        Referral.objects.filter(pk=referral.pk).update(assigned_to=None)
        referral = fresh(referral)
    before = set(ReferralEvent.objects.filter(referral=referral).values_list("id", flat=True))
    moment = at(2026, 3, 10, 10, 30)
    with time_machine.travel(moment, tick=False):
        ACTIONS[action][0](w, referral)
    row = fresh(referral)
    assert row.state == EXPECTED_STATE.get(action, state)
    new = ReferralEvent.objects.filter(referral=referral).exclude(id__in=before)
    assert new.count() == 1
    event = new.get()
    assert event.action == EXPECTED_ACTION[action]
    assert event.actor == actor_of(w, action)
    assert event.at == moment
    assert event.from_state == state
    assert event.to_state == row.state


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_illegal_transition_is_refused_and_changes_nothing(w, action, state):
    referral = in_state(w, state)
    before = snapshot(referral)
    events = ReferralEvent.objects.count()
    referrals = Referral.objects.count()
    notifications = Notification.objects.count()
    with pytest.raises(ValidationError) as info:
        ACTIONS[action][0](w, referral)
    assert info.value.code == "invalid_transition"
    assert "kan niet" in info.value.messages[0]
    assert snapshot(referral) == before
    assert ReferralEvent.objects.count() == events
    assert Referral.objects.count() == referrals
    assert Notification.objects.count() == notifications


def test_full_happy_path_history(w):
    referral = send(w)
    services.claim(user=w.receiver, referral=referral)
    services.assign(user=w.receiver, referral=referral, to_user=w.receiver2)
    services.accept(user=w.receiver2, referral=referral, note="Ik bel morgen.")
    services.mark_contacted(user=w.receiver2, referral=referral, note="Gebeld, afspraak gemaakt.")
    services.mark_helped(user=w.receiver2, referral=referral, feedback="WW aangevraagd.")
    row = fresh(referral)
    assert row.state == S.HELPED
    assert row.assigned_to == w.receiver2
    assert row.accepted_at and row.contacted_at and row.closed_at
    assert row.feedback == "WW aangevraagd."
    history = list(row.events.values_list("action", "actor__username"))
    assert history == [
        ("verstuurd", w.sender.username),
        ("opgepakt", "uwv.1"),
        ("overgedragen", "uwv.1"),
        ("geaccepteerd", "uwv.2"),
        ("inwoner-gesproken", "uwv.2"),
        ("geholpen", "uwv.2"),
    ]
    # The referrer sees the outcome in their own list.
    [view] = selectors.worklist(w.sender, "verstuurd")
    assert view.referral.state == S.HELPED and view.referral.feedback == "WW aangevraagd."


def test_accept_assigns_to_the_acceptor_unless_already_claimed(w):
    a = services.accept(user=w.receiver, referral=send(w))
    assert a.assigned_to == w.receiver
    b = send(w)
    services.claim(user=w.receiver2, referral=b)
    assert services.accept(user=w.receiver, referral=b).assigned_to == w.receiver2


def test_helped_directly_after_accept_sets_contacted_at(w):
    r = services.accept(user=w.receiver, referral=send(w))
    done = services.mark_helped(user=w.receiver, referral=r)
    assert done.contacted_at == done.closed_at


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_return_requires_a_reason(w, reason):
    referral = send(w)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as info:
        services.return_referral(user=w.receiver, referral=referral, reason=reason)
    assert "return_reason" in info.value.message_dict
    assert snapshot(referral) == before
    assert referral.events.count() == 1


@pytest.mark.parametrize("reason", ["", "  \n ", None])
@pytest.mark.parametrize("who", ["receiver", "sender"])
def test_close_requires_a_reason(w, reason, who):
    referral = send(w)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as info:
        services.close(user=getattr(w, who), referral=referral, reason=reason)
    assert "closure_reason" in info.value.message_dict
    assert snapshot(referral) == before


def test_texts_with_nul_characters_are_refused_on_transitions(w):
    referral = send(w)
    with pytest.raises(ValidationError):
        services.return_referral(user=w.receiver, referral=referral, reason="fout\x00")
    with pytest.raises(ValidationError):
        services.accept(user=w.receiver, referral=referral, note="a\x00b")
    with pytest.raises(ValidationError):
        services.close(user=w.receiver, referral=referral, reason="x" * 5001)
    assert fresh(referral).state == S.SENT


def test_return_then_rerefer_links_both_and_never_drops_the_old_one(w):
    svb = OrganisationFactory(code="svb", type="svb", name="SVB")
    old = send(w, consent_given=True, shared=[SharedItem.IDENTITY, SharedItem.QUESTION])
    services.return_referral(user=w.receiver, referral=old, reason="Kinderbijslag: de SVB.")
    returned = fresh(old)
    assert returned.state == S.RETURNED and returned.return_reason == "Kinderbijslag: de SVB."
    assert returned.assigned_to is None
    assert "Verwijs de inwoner opnieuw door" in notes_for(w.sender)[0]
    # still open in the sender's list: a returned referral is not done
    assert returned.is_open

    new = services.rerefer(
        user=w.sender, referral=returned, to_organisation=svb, reason="Over kinderbijslag."
    )
    old_row = fresh(old)
    assert old_row.state == S.REREFERRED and old_row.closed_at is not None
    assert old_row.next == new and new.previous == old_row
    assert new.state == S.SENT and new.to_organisation == svb
    # what the resident agreed to share carries over
    assert new.consent_given and new.shared == [SharedItem.IDENTITY, SharedItem.QUESTION]
    assert new.discussed == old_row.discussed and new.contact == old_row.contact
    assert list(old_row.events.values_list("action", flat=True)) == [
        "verstuurd",
        "teruggestuurd",
        "opnieuw-doorverwezen",
    ]
    assert list(new.events.values_list("action", flat=True)) == ["verstuurd"]
    assert Referral.objects.filter(pk=old.pk).exists()  # never dropped


def test_rerefer_with_bad_input_leaves_the_returned_referral_as_it_was(w):
    old = in_state(w, S.RETURNED)
    before = snapshot(old)
    with pytest.raises(ValidationError):
        services.rerefer(user=w.sender, referral=old, to_organisation=w.maastricht, reason=" ")
    assert snapshot(old) == before
    assert Referral.objects.count() == 1


def test_returned_referral_can_be_closed_by_the_sender_with_a_reason(w):
    r = in_state(w, S.RETURNED)
    closed = services.close(user=w.sender, referral=r, reason="Inwoner regelt het zelf.")
    assert closed.state == S.CLOSED and closed.closure_reason == "Inwoner regelt het zelf."


def test_returned_internal_referral_can_be_closed_by_the_sender(w, enschede):
    """A referral to another team of one's own organisation: the sender is on both sides."""
    wmo = TeamFactory(organisation=enschede, name="Wmo-loket")
    wmo_worker = staff(enschede, Role.BALIEMEDEWERKER, team=wmo, username="wmo.enschede")
    r = send(w, to_organisation=enschede, to_team=wmo)
    services.return_referral(user=wmo_worker, referral=r, reason="Hoort bij UWV.")
    closed = services.close(user=w.sender, referral=fresh(r), reason="Zelf opgelost.")
    assert closed.state == S.CLOSED


def test_referrer_is_notified_on_accept_return_and_helped(w):
    r = send(w)
    assert notes_for(w.sender) == []
    services.accept(user=w.receiver, referral=r)
    services.mark_helped(user=w.receiver, referral=r, feedback="Geholpen.")
    texts = notes_for(w.sender)
    assert len(texts) == 2
    assert any("geaccepteerd" in t for t in texts)
    assert any("geholpen" in t for t in texts)
    r2 = send(w)
    services.return_referral(user=w.receiver, referral=r2, reason="Niet bij ons.")
    assert any("teruggestuurd" in t.lower() for t in notes_for(w.sender))
    links = set(Notification.objects.filter(user=w.sender).values_list("link", flat=True))
    assert links == {f"/doorverwijzingen/{r.uuid}/", f"/doorverwijzingen/{r2.uuid}/"}
    # nobody else on the sending side is bothered
    assert notes_for(w.sender_colleague) == []


def test_assign_notifies_the_new_handler(w):
    services.assign(user=w.receiver, referral=send(w), to_user=w.receiver2)
    assert len(notes_for(w.receiver2)) == 1


def test_closing_tells_the_other_side(w):
    r = services.accept(user=w.receiver, referral=send(w))
    services.close(user=w.receiver, referral=r, reason="Inwoner verhuisd.")
    assert any("Inwoner verhuisd." in t for t in notes_for(w.sender))


def test_mark_helped_with_a_service_records_one_routing_outcome(w):
    ww = ServiceFactory(organisation_type="uwv", name="WW-uitkering")
    r = services.accept(user=w.receiver, referral=send(w))
    services.mark_helped(user=w.receiver, referral=r, service=ww, feedback="WW loopt.")
    outcome = RoutingOutcome.objects.get()
    assert outcome.service == ww
    assert outcome.source == RoutingOutcome.Source.REFERRAL
    assert outcome.source_id == r.uuid
    assert outcome.tenant == w.enschede  # the sending municipality learns
    assert outcome.terms and "WW-uitkering" not in outcome.terms  # stems, not the question
    assert fresh(r).service == ww
    # a second "helped" is refused, and nothing more is learned
    with pytest.raises(ValidationError):
        services.mark_helped(user=w.receiver, referral=r, service=ww)
    assert RoutingOutcome.objects.count() == 1


def test_mark_helped_without_a_service_learns_nothing(w):
    r = services.accept(user=w.receiver, referral=send(w))
    services.mark_helped(user=w.receiver, referral=r)
    assert RoutingOutcome.objects.count() == 0


def test_mark_helped_refuses_a_service_of_another_organisation(w):
    svb_service = ServiceFactory(organisation_type="svb")
    r = services.accept(user=w.receiver, referral=send(w))
    before = snapshot(r)
    with pytest.raises(ValidationError) as info:
        services.mark_helped(user=w.receiver, referral=r, service=svb_service)
    assert "service" in info.value.message_dict
    assert snapshot(r) == before
    assert RoutingOutcome.objects.count() == 0


# ---- 3. rules on creation -----------------------------------------------------------------------
def nothing_written():
    return (
        Referral.objects.count() == 0
        and ReferralEvent.objects.count() == 0
        and AccessLog.objects.filter(processing_activity_id="doorverwijzing-versturen").count() == 0
        and Notification.objects.count() == 0
    )


def test_create_writes_referral_event_and_access_log(w):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        r = send(w, consent_given=True, shared=ALL_SHARED, urgency="hoog")
    assert r.state == S.SENT
    assert r.from_organisation == w.enschede and r.from_staff == w.sender
    assert r.resident == w.resident
    assert r.urgency == "hoog" and r.preferred_channel == "telefoon"
    [event] = r.events.all()
    assert (event.action, event.actor, event.to_state) == ("verstuurd", w.sender, S.SENT)
    assert event.at == at(2026, 3, 10, 10)
    [log] = AccessLog.objects.filter(processing_activity_id="doorverwijzing-versturen")
    assert log.action == "create" and log.object_id == str(r.uuid)
    assert log.actor_organisation == "gemeente-enschede"
    assert w.resident.bsn not in log.data_subject_id  # pseudonymised


def test_shared_items_are_deduplicated(w):
    r = send(w, consent_given=True, shared=[SharedItem.QUESTION, SharedItem.QUESTION])
    assert r.shared == [SharedItem.QUESTION]


@pytest.mark.parametrize("item", [SharedItem.IDENTITY, SharedItem.BSN])
def test_identity_or_bsn_only_with_consent(w, item):
    with pytest.raises(ValidationError) as info:
        send(w, consent_given=False, shared=[item])
    assert "shared" in info.value.message_dict
    assert nothing_written()
    assert send(w, consent_given=True, shared=[item]).shared == [item]


def test_without_consent_the_question_may_be_shared(w):
    r = send(w, consent_given=False, shared=[SharedItem.QUESTION, SharedItem.DISCUSSED])
    assert r.shared == [SharedItem.QUESTION, SharedItem.DISCUSSED]


def test_anonymous_contact_cannot_share_identity(w):
    anonymous = ContactMomentFactory(organisation=w.enschede, staff=w.sender, resident=None)
    for item in (SharedItem.IDENTITY, SharedItem.BSN):
        with pytest.raises(ValidationError) as info:
            send(w, contact=anonymous, consent_given=True, shared=[item])
        assert "anoniem" in info.value.message_dict["shared"][0]
    assert nothing_written()
    r = send(w, contact=anonymous, shared=[SharedItem.QUESTION])
    assert r.resident is None
    assert not AccessLog.objects.exists()  # nobody's personal data was processed


def test_team_must_belong_to_the_organisation(w):
    svb = OrganisationFactory(code="svb", type="svb", name="SVB")
    svb_team = TeamFactory(organisation=svb)
    with pytest.raises(ValidationError) as info:
        send(w, to_team=svb_team)
    assert "to_team" in info.value.message_dict
    assert nothing_written()
    assert send(w, to_team=w.team).to_team == w.team


def test_within_own_organisation_a_team_is_required(w):
    with pytest.raises(ValidationError) as info:
        send(w, to_organisation=w.enschede)
    assert "to_team" in info.value.message_dict


def test_service_must_belong_to_the_organisation(w):
    with pytest.raises(ValidationError) as info:
        send(w, service=ServiceFactory(organisation_type="svb"))
    assert "service" in info.value.message_dict
    assert nothing_written()
    ww = ServiceFactory(organisation_type="uwv")
    assert send(w, service=ww).service == ww


def test_a_municipalitys_own_service_only_for_that_municipality(w):
    enschede_only = ServiceFactory(organisation_type="gemeente", tenant=w.enschede)
    maastricht_only = ServiceFactory(organisation_type="gemeente", tenant=w.maastricht)
    with pytest.raises(ValidationError) as info:
        send(w, to_organisation=w.maastricht, service=enschede_only)
    assert "service" in info.value.message_dict
    assert nothing_written()
    assert send(w, to_organisation=w.maastricht, service=maastricht_only).service_id
    # and the same rule when the receiver records which service helped
    r = services.accept(user=w.third, referral=send(w, to_organisation=w.maastricht))
    with pytest.raises(ValidationError):
        services.mark_helped(user=w.third, referral=r, service=enschede_only)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reason", "Werkloos\x00"),
        ("discussed", "\x00"),
        ("reason", ""),
        ("reason", "   \n\t "),
        ("reason", None),
        ("reason", "x" * 5001),
        ("discussed", "y" * 5001),
    ],
)
def test_bad_texts_are_refused_with_nothing_written(w, field, value):
    with pytest.raises(ValidationError) as info:
        send(w, consent_given=True, shared=ALL_SHARED, **{field: value})
    assert field in info.value.message_dict
    assert nothing_written()


def test_texts_of_exactly_5000_characters_are_fine(w):
    r = send(w, reason="x" * 5000, discussed="y" * 5000)
    assert len(r.reason) == 5000


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("urgency", "heel-erg"),
        ("preferred_channel", "duif"),
        ("kind", "koud"),
        ("shared", ["alles"]),
        ("to_organisation", None),
    ],
)
def test_unknown_choices_are_refused(w, field, value):
    with pytest.raises(ValidationError) as info:
        send(w, consent_given=True, **{field: value})
    assert field in info.value.message_dict
    assert nothing_written()


@pytest.mark.parametrize("who", ["no_role", "nobody", "third", "receiver"])
def test_only_a_contact_role_of_the_contacts_organisation_may_refer(w, who):
    with pytest.raises(PermissionDenied):
        send(w, user=getattr(w, who))
    assert nothing_written()


@pytest.fixture
def counsellors(db):
    org = OrganisationFactory(
        code="sociaal-raadslieden",
        type="sociaal-raadslieden",
        name="Sociaal Raadslieden",
        phone="+31880000000",
    )
    maastricht_office = LocationFactory(
        organisation=org, name="A Raadslieden Maastricht", city="Maastricht", phone="+31433333333"
    )
    enschede_office = LocationFactory(
        organisation=org, name="B Raadslieden Enschede", city="Enschede", phone="+31534444444"
    )
    OpeningHours.objects.create(
        location=enschede_office, weekday=1, opens=dt.time(9), closes=dt.time(12)
    )
    person = staff(
        org,
        Role.MEDEWERKER_UITVOERING,
        contact_person=True,
        username="raadsman",
        first_name="Ali",
        last_name="Yilmaz",
        direct_phone="+31535555555",
    )
    return SimpleNamespace(
        org=org, enschede=enschede_office, maastricht=maastricht_office, person=person
    )


def test_counsellor_referral_needs_the_counsellors_and_consent(w, counsellors):
    with pytest.raises(ValidationError) as info:
        send(w, kind=ReferralKind.COUNSELLOR, consent_given=True)  # to UWV
    assert "to_organisation" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        send(w, kind=ReferralKind.COUNSELLOR, to_organisation=counsellors.org)
    assert "consent_given" in info.value.message_dict
    assert nothing_written()


def test_counsellor_referral_copies_the_nearest_counsellor_same_town_first(w, counsellors):
    r = send(w, kind=ReferralKind.COUNSELLOR, to_organisation=counsellors.org, consent_given=True)
    assert r.kind == ReferralKind.COUNSELLOR
    c = r.counsellor
    assert c["location"] == "B Raadslieden Enschede"  # same town as the counter, not the first
    assert c["phone"] == "+31534444444"
    assert c["address"].endswith("Enschede")
    assert c["opening_hours"] == ["dinsdag 09:00–12:00"]
    assert c["counsellor"] == "Ali Yilmaz" and c["counsellor_phone"] == "+31535555555"
    assert c["organisation"] == "Sociaal Raadslieden"
    # a copy: later changes to the directory do not rewrite what the resident was given
    counsellors.enschede.phone = "+31530000000"
    counsellors.enschede.save()
    assert fresh(r).counsellor["phone"] == "+31534444444"


def test_nearest_counsellor_uses_the_residents_town_without_a_location(w, counsellors):
    resident = ResidentFactory(city="Maastricht")
    phone_contact = ContactMomentFactory(
        organisation=w.enschede, staff=w.sender, resident=resident, location=None
    )
    assert selectors.nearest_counsellor(phone_contact)["location"] == "A Raadslieden Maastricht"
    # unknown town: the first location is better than nothing
    nowhere = ContactMomentFactory(
        organisation=w.enschede, staff=w.sender, resident=None, location=None
    )
    assert selectors.nearest_counsellor(nowhere)["location"] == "A Raadslieden Maastricht"


def test_nearest_counsellor_without_counsellors_is_empty(w):
    assert selectors.nearest_counsellor(w.contact) == {}


# ---- due dates and the response norm -------------------------------------------------------------
def test_default_norm_is_one_and_two_working_days(w):
    with time_machine.travel(at(2026, 3, 13, 15), tick=False):  # Friday afternoon
        r = send(w)
    assert r.accept_due_at == end_of(2026, 3, 16)  # Monday
    assert r.contact_due_at == end_of(2026, 3, 17)  # Tuesday


def test_a_custom_norm_row_is_used(w):
    ResponseNorm.objects.create(organisation=w.uwv, accept_working_days=3, contact_working_days=5)
    with time_machine.travel(at(2026, 3, 13, 15), tick=False):
        r = send(w)
        other = send(w, to_organisation=w.maastricht)  # no row: the default
    assert r.accept_due_at == end_of(2026, 3, 18)
    assert r.contact_due_at == end_of(2026, 3, 20)
    assert other.accept_due_at == end_of(2026, 3, 16)


def test_due_dates_skip_easter(w):
    with time_machine.travel(at(2026, 4, 2, 15), tick=False):  # Thursday before Good Friday
        r = send(w)
    assert r.accept_due_at == end_of(2026, 4, 7)
    assert r.contact_due_at == end_of(2026, 4, 8)


# ---- 4. escalation with frozen time ------------------------------------------------------------
def escalation_events(referral):
    return list(
        ReferralEvent.objects.filter(referral=referral, action=ReferralEvent.Action.ESCALATED)
    )


def test_friday_afternoon_referral_escalates_on_tuesday_not_in_the_weekend(w):
    with time_machine.travel(at(2026, 3, 13, 16), tick=False):
        r = send(w, to_team=w.team)
    for moment in [
        at(2026, 3, 14, 12),  # Saturday
        at(2026, 3, 15, 23, 59),  # Sunday
        at(2026, 3, 16, 9),  # Monday morning
        at(2026, 3, 16, 23, 59, 58),  # Monday, just before the norm ends
    ]:
        with time_machine.travel(moment, tick=False):
            assert services.escalate_overdue() == 0, moment
            assert not selectors.is_overdue(fresh(r))
            assert selectors.worklist(w.receiver, "te-laat") == []
    assert Escalation.objects.count() == 0
    assert Notification.objects.count() == 0

    with time_machine.travel(at(2026, 3, 17, 0, 0), tick=False):  # Tuesday 00:00
        assert services.escalate_overdue() == 1
        assert selectors.is_overdue(fresh(r))
        assert [v.referral for v in selectors.worklist(w.receiver, "te-laat")] == [r]
        # idempotent
        assert services.escalate_overdue() == 0
    [escalation] = Escalation.objects.all()
    assert escalation.stage == Escalation.Stage.ACCEPT
    assert escalation.at == at(2026, 3, 17, 0, 0)
    [event] = escalation_events(r)
    assert event.actor is None and event.at == at(2026, 3, 17, 0, 0)
    assert event.from_state == event.to_state == S.SENT
    # the receiving team's lead and the referrer hear it; not the workers, not other leads
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"uwv.lead", w.sender.username}
    # the norm in the Dutch long form (the date once read in the reader's language)
    assert "maandag 16 maart 2026 om 23:59" in Notification.objects.get(user=w.team_lead).text

    # Wednesday 00:00: the resident has not been contacted either → the second stage, once.
    with time_machine.travel(at(2026, 3, 18, 0, 0), tick=False):
        assert services.escalate_overdue() == 1
        assert services.escalate_overdue() == 0
    assert sorted(Escalation.objects.values_list("stage", flat=True)) == ["accepteren", "contact"]
    assert len(escalation_events(r)) == 2
    # nothing deleted or closed by the sweep
    row = fresh(r)
    assert row.state == S.SENT and row.closed_at is None
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("sent", "quiet", "escalates"),
    [
        # Thursday before Good Friday: Fri, Sat, Sun, Easter Monday don't count → Tuesday's end
        (at(2026, 4, 2, 15), at(2026, 4, 7, 23, 0), at(2026, 4, 8, 0, 0, 1)),
        # Friday before Koningsdag (Monday 27 April 2026)
        (at(2026, 4, 24, 15), at(2026, 4, 28, 23, 0), at(2026, 4, 29, 0, 0, 1)),
        # Christmas Eve 2025 (Wednesday): 25, 26 Dec and the weekend don't count → Monday 29
        (at(2025, 12, 24, 15), at(2025, 12, 29, 23, 0), at(2025, 12, 30, 0, 0, 1)),
        # Monday 4 May 2026: 5 May is a holiday every year
        (at(2026, 5, 4, 15), at(2026, 5, 6, 23, 0), at(2026, 5, 7, 0, 0, 1)),
    ],
)
def test_escalation_counts_across_holidays(w, sent, quiet, escalates):
    with time_machine.travel(sent, tick=False):
        r = send(w)
    with time_machine.travel(quiet, tick=False):
        assert services.escalate_overdue() == 0
    with time_machine.travel(escalates, tick=False):
        assert services.escalate_overdue() >= 1
        assert services.escalate_overdue() == 0
    assert Escalation.objects.filter(referral=r, stage="accepteren").count() == 1


def test_the_sweep_takes_now_as_an_argument_too(w):
    with time_machine.travel(at(2026, 3, 13, 16), tick=False):
        send(w)
    assert services.escalate_overdue(at(2026, 3, 16, 12)) == 0
    assert services.escalate_overdue(at(2026, 3, 17, 0, 1)) == 1


def test_accepted_but_not_contacted_escalates_at_contact_due(w):
    with time_machine.travel(at(2026, 3, 13, 16), tick=False):
        r = send(w, to_team=w.team)
    with time_machine.travel(at(2026, 3, 16, 10), tick=False):
        services.accept(user=w.receiver, referral=r)
    with time_machine.travel(at(2026, 3, 17, 12), tick=False):  # accept norm passed: accepted
        assert services.escalate_overdue() == 0
    with time_machine.travel(at(2026, 3, 18, 0, 0, 1), tick=False):
        assert services.escalate_overdue() == 1
        assert services.escalate_overdue() == 0
        assert [v.referral for v in selectors.worklist(w.receiver, "te-laat")] == [r]
    assert list(Escalation.objects.values_list("stage", flat=True)) == ["contact"]
    assert fresh(r).state == S.ACCEPTED


def test_helped_and_closed_never_escalate_returned_and_contacted_ones_are_followed_up(w):
    with time_machine.travel(at(2026, 3, 13, 16), tick=False):
        states = [S.CONTACTED, S.HELPED, S.CLOSED, S.RETURNED, S.REREFERRED]
        rows = {state: in_state(w, state) for state in states}
    rereferred_to = fresh(rows[S.REREFERRED]).next
    with time_machine.travel(at(2026, 6, 1, 12), tick=False):
        services.escalate_overdue()
    escalated = set(Escalation.objects.values_list("referral_id", "stage"))
    # The new, still unanswered referral; and the returned one nobody re-referred: its
    # sender's side hears about it (stage "opnieuw"). Nothing else, and nothing changes state.
    assert {r for r, _ in escalated} == {
        rereferred_to.pk,
        rows[S.RETURNED].pk,
        rows[S.CONTACTED].pk,  # spoken to months ago and never finished
    }
    assert (rows[S.RETURNED].pk, Escalation.Stage.REREFER) in escalated
    assert (rows[S.CONTACTED].pk, Escalation.Stage.FOLLOW_UP) in escalated
    assert any("teruggestuurde" in text for text in notes_for(w.sender))
    for state, r in rows.items():
        assert fresh(r).state == state


def test_escalation_goes_to_the_organisations_leads_when_the_team_has_none(w):
    org_lead = staff(w.uwv, Role.TEAMLEIDER, username="uwv.orglead")
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        send(w, to_team=w.other_team)  # "Uitkeringen" has no lead
        send(w)  # no team at all
    with time_machine.travel(at(2026, 3, 12, 0, 0, 1), tick=False):
        assert services.escalate_overdue() == 2
    leads = {"uwv.lead", org_lead.username}
    for user in (w.team_lead, org_lead):
        assert len(notes_for(user)) == 2, user
    assert notes_for(w.receiver) == [] and notes_for(w.receiver_other_team) == []
    assert len(notes_for(w.sender)) == 2
    assert set(Notification.objects.values_list("user__username", flat=True)) == leads | {
        w.sender.username
    }


def test_a_deactivated_lead_gets_no_escalation_the_active_one_does(w):
    gone = staff(w.uwv, Role.TEAMLEIDER, team=w.team, username="uwv.oudlead")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        send(w)
    with time_machine.travel(at(2026, 3, 12, 0, 0, 1), tick=False):
        assert services.escalate_overdue() == 1
    assert notes_for(gone) == []
    assert len(notes_for(w.team_lead)) == 1


def test_sweep_through_the_registry(w):
    from eenloket.core.sweeps import run_all

    with time_machine.travel(at(2026, 3, 13, 16), tick=False):
        send(w)
    result = run_all(at(2026, 3, 20, 12))
    assert result["referrals.escalate_overdue"] == 2
    assert run_all(at(2026, 3, 20, 12))["referrals.escalate_overdue"] == 0


# ---- 5. permissions -----------------------------------------------------------------------------
SEES = {
    "sender": True,
    "sender_colleague": True,
    "receiver": True,
    "receiver_other_team": True,
    "third": False,
    "no_role": False,
    "no_role_uwv": False,
    "nobody": False,
}


@pytest.mark.parametrize("who", list(SEES))
def test_visibility_matrix(w, who):
    r = send(w, consent_given=True, shared=ALL_SHARED)
    user = getattr(w, who)
    assert (r in selectors.visible_referrals(user)) == SEES[who]
    if SEES[who]:
        assert selectors.get_referral(user, r.uuid).referral == r
        assert selectors.referrals_of_contact(user, w.contact)[0].referral == r
    else:
        with pytest.raises(NotFound):
            selectors.get_referral(user, r.uuid)
        with pytest.raises(NotFound):
            selectors.get_referral(user, str(r.uuid))
        assert selectors.referrals_of_contact(user, w.contact) == []
        for name in selectors.WORKLISTS:
            assert selectors.worklist(user, name) == []


@pytest.mark.parametrize("bad", ["not-a-uuid", "", "00000000-0000-0000-0000-000000000000"])
def test_get_referral_with_an_unknown_id_is_not_found(w, bad):
    send(w)
    with pytest.raises(NotFound):
        selectors.get_referral(w.sender, bad)


def test_receiver_sees_only_what_is_shared(w):
    r = send(w, consent_given=False, shared=[])
    view = selectors.get_referral(w.receiver, r.uuid)
    assert view.is_receiver and not view.is_sender
    assert view.resident is None and view.bsn is None
    assert view.question is None and view.discussed is None
    assert view.referral.reason  # the reason is always there
    # the sender sees everything
    own = selectors.get_referral(w.sender, r.uuid)
    assert own.resident == w.resident and own.bsn == w.resident.bsn
    assert own.question == QUESTION and own.discussed == r.discussed


@pytest.mark.parametrize(
    ("shared", "visible"),
    [
        ([SharedItem.IDENTITY], {"resident"}),
        ([SharedItem.BSN], {"bsn"}),
        ([SharedItem.QUESTION], {"question"}),
        ([SharedItem.DISCUSSED], {"discussed"}),
        (ALL_SHARED, {"resident", "bsn", "question", "discussed"}),
    ],
)
def test_receiver_sees_each_shared_item(w, shared, visible):
    r = send(w, consent_given=True, shared=shared)
    view = selectors.get_referral(w.receiver, r.uuid)
    for part in ("resident", "bsn", "question", "discussed"):
        assert (getattr(view, part) is not None) == (part in visible), part
    # the work list rows hide the same parts
    [row] = selectors.worklist(w.receiver, "nieuw")
    for part in ("resident", "bsn", "question", "discussed"):
        assert (getattr(row, part) is not None) == (part in visible), part


def test_access_log_when_identity_is_shown(w):
    hidden = send(w, consent_given=False, shared=[SharedItem.QUESTION])
    shown = send(w, consent_given=True, shared=[SharedItem.IDENTITY])

    def reads():
        return AccessLog.objects.filter(processing_activity_id="doorverwijzing-inzien")

    selectors.get_referral(w.receiver, hidden.uuid)
    assert reads().count() == 0  # nothing personal was shown
    selectors.get_referral(w.receiver, shown.uuid, channel="api")
    [log] = reads()
    assert log.actor_organisation == "uwv" and log.action == "read" and log.channel == "api"
    assert log.object_type == "referral" and log.object_id == str(shown.uuid)
    selectors.get_referral(w.sender, hidden.uuid)  # the sender sees the resident
    assert reads().count() == 2
    assert reads().order_by("-id").first().actor_organisation == "gemeente-enschede"


def test_access_log_when_only_the_bsn_is_shown(w):
    r = send(w, consent_given=True, shared=[SharedItem.BSN])
    view = selectors.get_referral(w.receiver, r.uuid)
    assert view.bsn == w.resident.bsn
    assert AccessLog.objects.filter(processing_activity_id="doorverwijzing-inzien").count() == 1


RECEIVER_ONLY = {
    "accept": lambda w, u, r: services.accept(user=u, referral=r),
    "return": lambda w, u, r: services.return_referral(user=u, referral=r, reason="Nee."),
    "contacted": lambda w, u, r: services.mark_contacted(user=u, referral=r),
    "helped": lambda w, u, r: services.mark_helped(user=u, referral=r),
    "claim": lambda w, u, r: services.claim(user=u, referral=r),
    "assign": lambda w, u, r: services.assign(user=u, referral=r, to_user=w.receiver2),
}


@pytest.mark.parametrize("who", ["sender", "sender_colleague", "third", "no_role_uwv", "nobody"])
@pytest.mark.parametrize("action", list(RECEIVER_ONLY))
def test_receiver_only_actions_are_refused_for_others(w, who, action):
    r = send(w)
    if action in ("contacted", "helped"):
        r = services.accept(user=w.receiver, referral=r)
    before = snapshot(r)
    events = ReferralEvent.objects.count()
    with pytest.raises(PermissionDenied):
        RECEIVER_ONLY[action](w, getattr(w, who), r)
    assert snapshot(r) == before
    assert ReferralEvent.objects.count() == events


@pytest.mark.parametrize("who", ["receiver", "third", "no_role", "nobody"])
def test_sender_only_actions_are_refused_for_others(w, who):
    r = in_state(w, S.RETURNED)
    before = snapshot(r)
    with pytest.raises(PermissionDenied):
        services.rerefer(
            user=getattr(w, who), referral=r, to_organisation=w.maastricht, reason="Elders."
        )
    if who != "receiver":  # the receiver may close, as the receiving side (and not when returned)
        with pytest.raises(PermissionDenied):
            services.close(user=getattr(w, who), referral=r, reason="Weg ermee.")
    assert snapshot(r) == before


def test_receiver_cannot_close_a_returned_referral(w):
    r = in_state(w, S.RETURNED)
    with pytest.raises(ValidationError) as info:
        services.close(user=w.receiver, referral=r, reason="Weg.")
    assert info.value.code == "invalid_transition"


def test_sender_may_withdraw_before_acceptance_but_not_after(w):
    r = send(w)
    services.claim(user=w.receiver, referral=r)
    closed = services.close(user=w.sender_colleague, referral=r, reason="Inwoner is geholpen.")
    assert closed.state == S.CLOSED
    assert any("Inwoner is geholpen." in t for t in notes_for(w.receiver))  # the handler hears
    accepted = services.accept(user=w.receiver, referral=send(w))
    with pytest.raises(ValidationError):
        services.close(user=w.sender, referral=accepted, reason="Toch niet.")


def test_assign_only_to_a_colleague_of_the_receiving_team(w):
    r = send(w, to_team=w.team)
    for outsider in (w.receiver_other_team, w.sender, w.third, w.no_role_uwv, w.nobody):
        with pytest.raises(ValidationError) as info:
            services.assign(user=w.receiver, referral=r, to_user=outsider)
        assert "to_user" in info.value.message_dict
    assert fresh(r).assigned_to is None
    assert services.assign(user=w.receiver, referral=r, to_user=w.receiver2).assigned_to == (
        w.receiver2
    )
    # without a team: any colleague of the receiving organisation with a contact role
    r2 = send(w)
    done = services.assign(user=w.receiver, referral=r2, to_user=w.receiver_other_team)
    assert done.assigned_to == w.receiver_other_team


def test_claim_twice_by_the_same_person_is_fine_by_another_refused(w):
    r = send(w)
    services.claim(user=w.receiver, referral=r)
    services.claim(user=w.receiver, referral=r)
    with pytest.raises(ValidationError) as info:
        services.claim(user=w.receiver2, referral=r)
    assert info.value.code == "already_claimed"
    assert fresh(r).assigned_to == w.receiver


def test_worklists(w):
    with time_machine.travel(at(2026, 3, 9, 10), tick=False):  # Monday
        overdue = send(w, reason="Oud.")
    with time_machine.travel(at(2026, 3, 12, 10), tick=False):  # Thursday
        new_team = send(w, to_team=w.team, reason="Voor ons team.")
        new_other_team = send(w, to_team=w.other_team, reason="Voor het andere team.")
        claimed = send(w, reason="Opgepakt.")
        services.claim(user=w.receiver, referral=claimed)
        accepted = services.accept(user=w.receiver2, referral=send(w, reason="Geaccepteerd."))
        helped = in_state(w, S.HELPED)
        returned = in_state(w, S.RETURNED)
        by_colleague = send(w, user=w.sender_colleague, reason="Van een collega.")

    def names(user, name):
        return {v.referral.reason for v in selectors.worklist(user, name)}

    with time_machine.travel(at(2026, 3, 12, 12), tick=False):
        assert names(w.receiver, "nieuw") == {"Oud.", "Voor ons team.", by_colleague.reason}
        assert names(w.receiver_other_team, "nieuw") == {
            "Oud.",
            "Voor het andere team.",
            by_colleague.reason,
        }
        assert names(w.receiver, "te-laat") == {"Oud."}
        assert names(w.receiver, "mijn") == {"Opgepakt."}  # not the helped one
        assert names(w.receiver2, "mijn") == {"Geaccepteerd."}
        assert names(w.receiver, "open") == {
            r.reason for r in (overdue, new_team, new_other_team, claimed, accepted, by_colleague)
        }
        sent = selectors.worklist(w.sender, "verstuurd")
        assert {v.referral.pk for v in sent} == {
            r.pk for r in (overdue, new_team, new_other_team, claimed, accepted, helped, returned)
        }
        assert names(w.sender_colleague, "verstuurd") == {"Van een collega."}
        # the receiving side has no "sent" list of its own here
        assert selectors.worklist(w.receiver, "verstuurd") == []
        counts = selectors.worklist_counts(w.receiver)
        assert counts == {"nieuw": 3, "te-laat": 1, "mijn": 1}
        with pytest.raises(NotFound):
            selectors.worklist(w.receiver, "alles")


def test_receiving_contacts_are_the_teams_named_people(w):
    person = staff(
        w.uwv, Role.MEDEWERKER_UITVOERING, team=w.team, contact_person=True, username="uwv.ap"
    )
    org_person = staff(w.uwv, Role.MEDEWERKER_UITVOERING, contact_person=True, username="uwv.x")
    assert [m.user for m in selectors.receiving_contacts(send(w, to_team=w.team))] == [person]
    everyone = {m.user for m in selectors.receiving_contacts(send(w, to_team=w.other_team))}
    assert everyone == {person, org_person}


# ---- 7. counsellor counts and hint ------------------------------------------------------------
def test_counsellor_counts_per_municipality_and_year(w, counsellors, uwv_staff):
    def refer(user, contact):
        return services.create_referral(
            user=user,
            contact=contact,
            to_organisation=counsellors.org,
            kind=ReferralKind.COUNSELLOR,
            consent_given=True,
            reason="Bezwaar tegen een besluit.",
            preferred_channel="telefoon",
        )

    maastricht_contact = ContactMomentFactory(organisation=w.maastricht, staff=w.third)
    uwv_at_town_hall = ContactMomentFactory(
        organisation=w.uwv, staff=uwv_staff, location=w.location
    )
    uwv_by_phone = ContactMomentFactory(organisation=w.uwv, staff=uwv_staff, location=None)
    with time_machine.travel(at(2025, 11, 3, 10), tick=False):
        refer(w.sender, w.contact)
    with time_machine.travel(at(2026, 2, 3, 10), tick=False):
        refer(w.sender, w.contact)
        refer(w.sender, w.contact)
        refer(w.third, maastricht_contact)
        refer(uwv_staff, uwv_at_town_hall)  # UWV as a guest at Stadhuis Enschede → Enschede
        refer(uwv_staff, uwv_by_phone)  # no municipality to count it for
        send(w)  # a warm referral is not counted
    # New Year's night in Amsterdam is still 31 December in UTC: counted for the new year.
    with time_machine.travel(at(2027, 1, 1, 0, 30), tick=False):
        refer(w.sender, w.contact)

    rows_2026 = selectors.counsellor_counts(2026)
    assert [(r["municipality"], r["count"]) for r in rows_2026] == [
        ("gemeente-enschede", 3),  # sorted by name: Gemeente Enschede, Gemeente Maastricht, ...
        ("gemeente-maastricht", 1),
        ("", 1),  # "Onbekende gemeente"
    ]
    assert {r["year"] for r in rows_2026} == {2026}
    assert {r["municipality_name"] for r in rows_2026} >= {"Gemeente Enschede"}
    everything = selectors.counsellor_counts()
    assert [r["year"] for r in everything][0] == 2027  # newest year first
    by_year = {(r["year"], r["municipality"]): r["count"] for r in everything}
    assert by_year[(2025, "gemeente-enschede")] == 1
    assert by_year[(2026, "gemeente-enschede")] == 3
    assert by_year[(2027, "gemeente-enschede")] == 1
    assert sum(by_year.values()) == 7


@pytest.mark.parametrize(
    ("question", "suggested", "hint"),
    [
        ("Ik wil bezwaar maken tegen mijn aanslag", [], True),
        ("Ik snap de brief van de Belastingdienst niet", [], True),
        ("Ik begrijp dit formulier niet", [], True),
        ("Waar kan ik mijn paspoort verlengen?", ["gemeente"], False),
        ("Hulp bij schulden", ["gemeente", "sociaal-raadslieden"], True),
        ("Kort", ["gemeente", "uwv", "belastingdienst"], False),
        (
            "Ik ben mijn baan kwijt, heb schulden en weet niet hoe het met mijn toeslagen moet",
            ["uwv", "toeslagen", "gemeente"],
            True,
        ),
        ("", [], False),
    ],
)
def test_counsellor_hint(question, suggested, hint):
    from eenloket.catalogue.selectors import counsellor_hint

    suggestions = [SimpleNamespace(organisation=o) for o in suggested]
    assert counsellor_hint(question, suggestions) is hint


def test_can_read_reports(w):
    assert selectors.can_read_reports(w.team_lead)
    assert selectors.can_read_reports(w.no_role_uwv)  # management
    assert not selectors.can_read_reports(w.receiver)
    assert not selectors.can_read_reports(w.nobody)


# ---- 6b. two colleagues claim one referral at the same moment -------------------------------
@pytest.mark.xdist_group("transactional")
@pytest.mark.django_db(transaction=True)
def test_two_colleagues_claim_the_same_referral_exactly_one_wins(w):
    from eenloket.organisations.models import User

    rounds = 20
    for i in range(rounds):
        r = send(w, reason=f"Ronde {i}")
        # fresh user objects per thread: nothing cached is shared between the threads
        a, b = User.objects.get(pk=w.receiver.pk), User.objects.get(pk=w.receiver2.pk)
        hold = Referral.objects.filter(pk=r.pk) if i % 2 else None
        results = race(
            [
                lambda a=a, r=r: services.claim(user=a, referral=r),
                lambda b=b, r=r: services.claim(user=b, referral=r),
            ],
            hold_row=hold,
        )
        oks = [value for kind, value in results if kind == "ok"]
        errors = [value for kind, value in results if kind == "error"]
        assert len(oks) == 1 and len(errors) == 1, results
        assert isinstance(errors[0], ValidationError), errors[0]
        assert errors[0].code == "already_claimed"
        row = fresh(r)
        assert row.assigned_to_id == oks[0].assigned_to_id
        assert row.events.filter(action=ReferralEvent.Action.CLAIMED).count() == 1


# ---- urgency, withdrawal, re-referral details ----------------------------------------------------


def test_spoed_is_accepted_the_same_working_day_and_the_resident_contacted_the_next(w):
    with time_machine.travel(at(2026, 3, 13, 10), tick=False):  # a Friday
        r = send(w, urgency="spoed")
    assert r.accept_due_at == end_of(2026, 3, 13)
    assert r.contact_due_at == end_of(2026, 3, 16)  # Monday
    with time_machine.travel(at(2026, 3, 14, 10), tick=False):  # a Saturday
        r = send(w, urgency="spoed")
    assert r.accept_due_at == end_of(2026, 3, 16)
    assert r.contact_due_at == end_of(2026, 3, 17)


def test_a_withdrawal_before_anyone_took_it_is_told_to_the_receiving_team_lead(w):
    r = send(w, to_team=w.team)
    services.close(user=w.sender, referral=r, reason="De inwoner is toch al geholpen.")
    assert any("afgesloten" in t for t in notes_for(w.team_lead))


def test_rerefer_refuses_unknown_fields_and_keeps_the_new_place_out_of_the_old_history(w):
    r = services.return_referral(user=w.receiver, referral=send(w), reason="Hoort bij de SVB.")
    before = snapshot(r)
    with pytest.raises(ValidationError) as caught:
        services.rerefer(
            user=w.sender, referral=r, to_organisation=w.maastricht, reason="x", colour="blauw"
        )
    assert "colour" in caught.value.message_dict
    assert snapshot(r) == before
    services.rerefer(user=w.sender, referral=r, to_organisation=w.maastricht, reason="Nu goed.")
    event = fresh(r).events.get(action="opnieuw-doorverwezen")
    assert w.maastricht.name not in event.note


# ---- a role counts only where it is held; team addressing; no self-handling ---------------------


def test_a_contact_role_elsewhere_does_not_open_the_receiving_side(w):
    from eenloket.organisations.models import Membership

    # A counter employee of Enschede who also sits in UWV's management (no contact role there).
    Membership.objects.create(user=w.sender_colleague, organisation=w.uwv, role=Role.MANAGEMENT)
    r = send(w, consent_given=True, shared=ALL_SHARED)
    from_uwv_side = selectors.view_of(w.sender_colleague, r)
    assert from_uwv_side.is_sender and not from_uwv_side.is_receiver
    with pytest.raises(PermissionDenied):
        services.accept(user=w.sender_colleague, referral=r)
    with pytest.raises(ValidationError):
        services.start_duty(user=w.sender_colleague, location=w.location, organisation=w.uwv)


def test_when_a_team_is_addressed_only_that_team_and_the_lead_take_the_steps(w):
    r = send(w, to_team=w.team)
    with pytest.raises(PermissionDenied):
        services.accept(user=w.receiver_other_team, referral=r)
    assert fresh(r).state == S.SENT
    assert services.accept(user=w.team_lead, referral=r).state == S.ACCEPTED
    assert services.mark_contacted(user=w.receiver, referral=r).state == S.CONTACTED


def test_the_sender_of_an_internal_referral_cannot_accept_it_themselves(w):
    from ..factories import TeamFactory

    debts = TeamFactory(organisation=w.enschede, name="Schuldhulp")
    colleague = staff(w.enschede, Role.CASEMANAGER, team=debts, username="schulden.enschede")
    r = send(w, to_organisation=w.enschede, to_team=debts)
    with pytest.raises(PermissionDenied):
        services.accept(user=w.sender, referral=r)
    assert services.accept(user=colleague, referral=r).state == S.ACCEPTED


def test_contacted_but_never_finished_escalates_after_ten_working_days(w):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):  # a Monday
        r = send(w, to_team=w.team)
        services.accept(user=w.receiver, referral=r)
        services.mark_contacted(user=w.receiver, referral=r)
    with time_machine.travel(at(2026, 3, 16, 12), tick=False):  # 10 working days later
        assert services.escalate_overdue() == 0
    with time_machine.travel(at(2026, 3, 17, 0, 0, 1), tick=False):
        assert services.escalate_overdue() == 1
        assert services.escalate_overdue() == 0
    assert fresh(r).state == S.CONTACTED  # nothing closes by itself
    assert any("niet op tijd afgerond" in t for t in notes_for(w.team_lead))
    assert any("niet op tijd afgerond" in t for t in notes_for(w.receiver))


def test_a_requester_cannot_accept_their_own_consult_and_ex_colleagues_are_not_on_duty(w):
    from eenloket.organisations.models import Membership

    # A municipal employee who is also a UWV colleague, on duty for UWV at the town hall.
    Membership.objects.create(user=w.sender, organisation=w.uwv, role=Role.MEDEWERKER_UITVOERING)
    w.sender.__dict__.pop("_eenloket_scope", None)  # the scope is cached per request
    services.start_duty(user=w.sender, location=w.location, organisation=w.uwv)
    services.start_duty(user=w.receiver, location=w.location, organisation=w.uwv)
    consult = services.request_consult(
        user=w.sender, contact=w.contact, to_organisation=w.uwv, question="Vraag over WW."
    )
    with pytest.raises(PermissionDenied):
        services.accept_consult(user=w.sender, consult=consult)
    # The receiver leaves UWV: their duty row no longer counts.
    Membership.objects.filter(user=w.receiver, organisation=w.uwv).delete()
    on_duty = selectors.on_duty_for(w.uwv, w.location)
    assert list(on_duty.values_list("staff__username", flat=True)) == [w.sender.username]
