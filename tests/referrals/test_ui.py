"""The referral, live-consult and social-counsellor screens over the Django test client: who
sees what, every step as a POST, refused steps with a clear message and nothing changed, forms
that refuse bad input without saving, and the htmx polling partials."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from eenloket.core.models import Notification
from eenloket.core.roles import Role
from eenloket.referrals import services
from eenloket.referrals.models import (
    ConsultState,
    LiveConsult,
    OnDuty,
    Referral,
    ReferralEvent,
    ReferralState,
)

from ..factories import (
    ContactMomentFactory,
    LocationFactory,
    OrganisationFactory,
    ResidentFactory,
    ServiceFactory,
    TeamFactory,
    staff,
)

pytestmark = pytest.mark.django_db

S = ReferralState


def html(response) -> str:
    return response.content.decode()


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def resident(db):
    return ResidentFactory(given_names="Noor", surname="Bakkerweg", city="Enschede")


@pytest.fixture
def uwv_service(db):
    return ServiceFactory(organisation_type="uwv", name="WW-uitkering aanvragen")


@pytest.fixture
def contact(enschede, enschede_location, counter_enschede, resident, uwv_service):
    return ContactMomentFactory(
        organisation=enschede,
        location=enschede_location,
        staff=counter_enschede,
        resident=resident,
        service=uwv_service,
        question="Mijn WW stopt en ik snap de brief van het UWV niet",
    )


@pytest.fixture
def uwv_team(uwv):
    return TeamFactory(organisation=uwv, name="Werk en inkomen")


@pytest.fixture
def uwv_colleague(uwv):
    return staff(
        uwv, Role.MEDEWERKER_UITVOERING, username="collega.uwv", first_name="Bram", last_name="Kok"
    )


@pytest.fixture
def uwv_contact_person(uwv, uwv_team):
    return staff(
        uwv,
        Role.MEDEWERKER_UITVOERING,
        team=uwv_team,
        contact_person=True,
        username="aanspreekpunt.uwv",
        first_name="Ilse",
        last_name="Aanspreek",
        direct_phone="+31537777777",
    )


def refer(user, contact, to_organisation, **kwargs):
    fields = {
        "reason": "Vraag over WW, graag contact",
        "preferred_channel": "telefoon",
        "discussed": "Uitgelegd dat UWV over de WW gaat; geheimpje-besproken",
        "consent_given": False,
        "shared": [],
    }
    fields.update(kwargs)
    return services.create_referral(
        user=user, contact=contact, to_organisation=to_organisation, **fields
    )


@pytest.fixture
def referral(counter_enschede, contact, uwv):
    """Sent to UWV, sharing nothing."""
    return refer(counter_enschede, contact, uwv)


@pytest.fixture
def counsellors(db):
    org = OrganisationFactory(
        code="sociaal-raadslieden", type="sociaal-raadslieden", name="Sociaal Raadslieden Twente"
    )
    LocationFactory(organisation=org, name="Raadslieden Enschede", city="Enschede", phone="0539999")
    staff(
        org,
        Role.MEDEWERKER_UITVOERING,
        contact_person=True,
        username="raadsman",
        first_name="Karim",
        last_name="Raadsman",
        direct_phone="+31538888888",
    )
    return org


# --- contact page ----------------------------------------------------------------------------------


def test_contact_page_offers_the_three_ways_and_lists_referrals(
    ui_as, counter_enschede, contact, uwv
):
    referral = refer(counter_enschede, contact, uwv)
    response = ui_as(counter_enschede).get(f"/contacten/{contact.uuid}/")
    page = html(response)
    assert response.status_code == 200
    assert f"/contacten/{contact.uuid}/doorverwijzen/" in page
    assert "?soort=sociaal-raadslieden" in page
    assert f"/contacten/{contact.uuid}/overleg/" in page
    assert f"/doorverwijzingen/{referral.uuid}/" in page
    assert "Verstuurd" in page


def test_nav_links_for_contact_roles_only(ui_as, counter_enschede, management_enschede):
    assert "/doorverwijzingen/" in html(ui_as(counter_enschede).get("/"))
    assert 'href="/overleg/"' in html(ui_as(counter_enschede).get("/"))
    page = html(ui_as(management_enschede).get("/"))
    assert 'href="/doorverwijzingen/"' not in page
    assert 'href="/overleg/"' not in page


# --- the referral form -----------------------------------------------------------------------------


def test_referral_form_is_prefilled(ui_as, counter_enschede, contact, uwv, resident):
    resident.preferred_channel = "email"
    resident.save()
    response = ui_as(counter_enschede).get(f"/contacten/{contact.uuid}/doorverwijzen/")
    page = html(response)
    assert response.status_code == 200
    assert f'<option value="{contact.service.uuid}" selected>' in page
    assert '<option value="email" selected>' in page
    assert "Warm doorverwijzen" in page


def test_referral_form_creates_a_referral(ui_as, counter_enschede, contact, uwv, uwv_team):
    client = ui_as(counter_enschede)
    response = client.post(
        f"/contacten/{contact.uuid}/doorverwijzen/",
        {
            "to_organisation": str(uwv.uuid),
            "to_team": str(uwv_team.uuid),
            "service": str(contact.service.uuid),
            "reason": "Hulp bij de WW-aanvraag",
            "discussed": "Brief samen gelezen",
            "consent_given": "on",
            "shared": ["naam-en-contactgegevens", "vraag"],
            "urgency": "hoog",
            "preferred_channel": "telefoon",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/doorverwijzingen/{referral.uuid}/"
    assert referral.to_team == uwv_team
    assert referral.shared == ["naam-en-contactgegevens", "vraag"]
    assert referral.consent_given and referral.urgency == "hoog"
    assert referral.from_staff == counter_enschede
    assert "verstuurd naar UWV" in messages_of(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": ""}, "Schrijf op waarom u doorverwijst."),
        ({"to_organisation": ""}, "Kies de organisatie waar u naar doorverwijst."),
        ({"shared": ["bsn"], "consent_given": ""}, "Zonder toestemming"),
        ({"to_team": "wrong-team"}, "Dit team hoort niet bij de gekozen organisatie."),
        ({"urgency": "morgen"}, "Kies een urgentie uit de lijst."),
        ({"shared": ["alles"]}, "Kies uit de lijst wat u deelt."),
    ],
)
def test_referral_form_refuses_bad_input_and_saves_nothing(
    ui_as, counter_enschede, contact, uwv, enschede, change, message
):
    other_team = TeamFactory(organisation=enschede, name="Schuldhulp")
    data = {
        "to_organisation": str(uwv.uuid),
        "reason": "Hulp bij de WW",
        "urgency": "normaal",
        "preferred_channel": "telefoon",
    }
    data.update(change)
    if data.get("to_team") == "wrong-team":
        data["to_team"] = str(other_team.uuid)
    response = ui_as(counter_enschede).post(f"/contacten/{contact.uuid}/doorverwijzen/", data)
    page = html(response)
    assert response.status_code == 200
    assert "Controleer wat u heeft ingevuld" in page
    assert message in page
    assert 'aria-invalid="true"' in page
    assert not Referral.objects.exists()


def test_referral_form_for_a_third_organisations_contact_is_404(ui_as, counter_maastricht, contact):
    response = ui_as(counter_maastricht).get(f"/contacten/{contact.uuid}/doorverwijzen/")
    assert response.status_code == 404


def test_anonymous_contact_cannot_share_name_or_bsn(ui_as, counter_enschede, enschede):
    anonymous = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=None)
    page = html(ui_as(counter_enschede).get(f"/contacten/{anonymous.uuid}/doorverwijzen/"))
    assert 'value="bsn"' not in page
    assert 'value="vraag"' in page


# --- the social counsellor -------------------------------------------------------------------------


def test_counsellor_form_shows_the_nearest_counsellor(
    ui_as, counter_enschede, contact, counsellors
):
    response = ui_as(counter_enschede).get(
        f"/contacten/{contact.uuid}/doorverwijzen/?soort=sociaal-raadslieden"
    )
    page = html(response)
    assert "Naar de sociaal raadsman" in page
    assert "Karim Raadsman" in page and "+31538888888" in page
    assert "Raadslieden Enschede" in page
    assert f'<option value="{counsellors.uuid}" selected>' in page
    assert 'value="uwv"' not in page  # only counsellor organisations to choose from


def test_counsellor_referral_needs_consent(ui_as, counter_enschede, contact, counsellors):
    client = ui_as(counter_enschede)
    data = {
        "soort": "sociaal-raadslieden",
        "to_organisation": str(counsellors.uuid),
        "reason": "Bezwaar tegen een besluit",
        "urgency": "normaal",
        "preferred_channel": "telefoon",
    }
    response = client.post(f"/contacten/{contact.uuid}/doorverwijzen/", data)
    assert response.status_code == 200
    assert "Vraag de inwoner om toestemming" in html(response)
    assert not Referral.objects.exists()

    response = client.post(
        f"/contacten/{contact.uuid}/doorverwijzen/", {**data, "consent_given": "on"}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.kind == "sociaal-raadslieden"
    assert referral.counsellor["counsellor"] == "Karim Raadsman"
    page = html(client.get(response["Location"]))
    assert "Gegevens van de sociaal raadsman" in page
    assert "+31538888888" in page


def test_counsellor_hint_in_routing_suggestions(ui_as, counter_enschede):
    client = ui_as(counter_enschede)
    page = html(
        client.get("/catalogus/suggesties/", {"question": "Ik begrijp de brief van de SVB niet"})
    )
    assert "Tip: vertel de inwoner over de sociaal raadsman." in page
    page = html(client.get("/catalogus/suggesties/", {"question": "paspoort verlengen"}))
    assert "sociaal raadsman" not in page


def test_counsellor_count_page_permissions(
    ui_as, counter_enschede, enschede, contact, counsellors, management_enschede
):
    refer(
        counter_enschede,
        contact,
        counsellors,
        kind="sociaal-raadslieden",
        consent_given=True,
    )
    assert ui_as(counter_enschede).get("/doorverwijzingen/sociaal-raadslieden/").status_code == 403
    year = timezone.localdate().year
    response = ui_as(management_enschede).get(
        "/doorverwijzingen/sociaal-raadslieden/", {"jaar": year}
    )
    page = html(response)
    assert response.status_code == 200
    assert "Gemeente Enschede" in page
    assert response.context["total"] == 1
    previous = ui_as(management_enschede).get(
        "/doorverwijzingen/sociaal-raadslieden/", {"jaar": year - 1}
    )
    assert previous.context["total"] == 0
    assert "nog niemand" in html(previous)
    # A nonsense year falls back to this year, never a 500.
    assert (
        ui_as(management_enschede)
        .get("/doorverwijzingen/sociaal-raadslieden/", {"jaar": "x"})
        .context["year"]
        == year
    )


# --- one referral: who sees what -------------------------------------------------------------------


def test_sender_sees_everything(ui_as, counter_enschede, referral, resident):
    page = html(ui_as(counter_enschede).get(f"/doorverwijzingen/{referral.uuid}/"))
    assert resident.full_name in page
    assert resident.bsn in page
    assert "geheimpje-besproken" in page
    assert "snap de brief" in page
    assert "niet gedeeld" not in page


def test_receiver_sees_only_what_is_shared(ui_as, uwv_staff, referral, resident):
    response = ui_as(uwv_staff).get(f"/doorverwijzingen/{referral.uuid}/")
    page = html(response)
    assert response.status_code == 200
    assert resident.full_name not in page
    assert resident.surname not in page
    assert resident.bsn not in page
    assert "geheimpje-besproken" not in page
    assert "snap de brief" not in page
    assert page.count("niet gedeeld") == 4  # name, BSN, question, discussed
    assert "Vraag over WW, graag contact" in page  # the reason always travels


def test_receiver_sees_shared_parts(ui_as, uwv_staff, counter_enschede, contact, uwv, resident):
    referral = refer(
        counter_enschede,
        contact,
        uwv,
        consent_given=True,
        shared=["naam-en-contactgegevens", "vraag"],
    )
    page = html(ui_as(uwv_staff).get(f"/doorverwijzingen/{referral.uuid}/"))
    assert resident.full_name in page
    assert "snap de brief" in page
    assert resident.bsn not in page
    assert "geheimpje-besproken" not in page


def test_third_organisation_gets_404_everywhere(ui_as, counter_maastricht, referral):
    client = ui_as(counter_maastricht)
    assert client.get(f"/doorverwijzingen/{referral.uuid}/").status_code == 404
    assert client.post(f"/doorverwijzingen/{referral.uuid}/accepteren/").status_code == 404
    assert (
        client.get(f"/doorverwijzingen/{referral.uuid}/opnieuw-doorverwijzen/").status_code == 404
    )
    assert referral.uuid not in {
        v.referral.uuid for v in client.get("/doorverwijzingen/?lijst=open").context["rows"]
    }


def test_detail_shows_due_dates_history_and_directory(
    ui_as, uwv_staff, counter_enschede, contact, uwv, uwv_team, uwv_contact_person
):
    # Friday 16:00 in Amsterdam: accept by Monday, contact by Tuesday (working days).
    with time_machine.travel(dt.datetime(2026, 6, 5, 14, 0, tzinfo=dt.UTC), tick=False):
        referral = refer(counter_enschede, contact, uwv, to_team=uwv_team)
    client = ui_as(uwv_staff)
    with time_machine.travel(dt.datetime(2026, 6, 8, 8, 0, tzinfo=dt.UTC), tick=False):
        page = html(client.get(f"/doorverwijzingen/{referral.uuid}/"))
    # Sent on Friday: accept by the end of Monday, contact by the end of Tuesday (working
    # days), shown in Europe/Amsterdam (stored as 21:59 UTC).
    assert "maandag 8 juni 2026 om 23:59" in page
    assert "dinsdag 9 juni 2026 om 23:59" in page
    assert "badge-overdue" not in page
    with time_machine.travel(dt.datetime(2026, 6, 9, 8, 0, tzinfo=dt.UTC), tick=False):
        assert "badge-overdue" in html(client.get(f"/doorverwijzingen/{referral.uuid}/"))
    assert "Ilse Aanspreek" in page and "+31537777777" in page
    assert "verstuurd" in page and counter_enschede.get_full_name() in page


# --- steps as POSTs --------------------------------------------------------------------------------


def test_receiver_flow_claim_accept_contacted_helped(ui_as, uwv_staff, counter_enschede, referral):
    client = ui_as(uwv_staff)
    url = f"/doorverwijzingen/{referral.uuid}/"
    page = html(client.get(url))
    for label in ("Oppakken", "Accepteren", "Terugsturen", "Afsluiten", "Overdragen aan collega"):
        assert label in page
    assert "Opnieuw doorverwijzen" not in page

    response = client.post(url + "oppakken/")
    assert response.status_code == 302 and response["Location"] == url
    referral.refresh_from_db()
    assert referral.assigned_to == uwv_staff

    client.post(url + "accepteren/")
    referral.refresh_from_db()
    assert referral.state == S.ACCEPTED
    page = html(client.get(url))
    assert "Inwoner gesproken" in page and "Oppakken" not in page

    client.post(url + "inwoner-gesproken/", {"note": "Gebeld, afspraak gemaakt"})
    referral.refresh_from_db()
    assert referral.state == S.CONTACTED

    response = client.post(url + "geholpen/", {"feedback": "WW aangevraagd samen met inwoner"})
    referral.refresh_from_db()
    assert referral.state == S.HELPED
    assert "de inwoner is geholpen" in messages_of(client.get(url))
    assert list(referral.events.values_list("action", flat=True)) == [
        "verstuurd",
        "opgepakt",
        "geaccepteerd",
        "inwoner-gesproken",
        "geholpen",
    ]
    # The referrer sees the outcome in their own list, and a notification on the start page.
    sender = ui_as(counter_enschede)
    sent = html(sender.get("/doorverwijzingen/?lijst=verstuurd"))
    assert "WW aangevraagd samen met inwoner" in sent
    assert "Inwoner geholpen" in sent
    start = html(sender.get("/"))
    assert "UWV heeft de inwoner geholpen." in start


def test_illegal_step_shows_a_message_and_changes_nothing(ui_as, uwv_staff, referral):
    client = ui_as(uwv_staff)
    url = f"/doorverwijzingen/{referral.uuid}/"
    response = client.post(url + "geholpen/", {"feedback": "te vroeg"}, follow=True)
    assert response.status_code == 200
    assert "“Inwoner geholpen” kan niet: de doorverwijzing staat op “Verstuurd”." in html(response)
    referral.refresh_from_db()
    assert referral.state == S.SENT and referral.feedback == ""
    assert referral.events.count() == 1


def test_sender_cannot_do_receiver_steps(ui_as, counter_enschede, referral):
    response = ui_as(counter_enschede).post(
        f"/doorverwijzingen/{referral.uuid}/accepteren/", follow=True
    )
    assert "Alleen het team of de organisatie die de doorverwijzing ontvangt, mag dit." in html(
        response
    )
    referral.refresh_from_db()
    assert referral.state == S.SENT


def test_return_needs_a_reason(ui_as, uwv_staff, referral):
    client = ui_as(uwv_staff)
    response = client.post(
        f"/doorverwijzingen/{referral.uuid}/terugsturen/", {"reason": "  "}, follow=True
    )
    assert "Schrijf op waarom u terugstuurt." in html(response)
    referral.refresh_from_db()
    assert referral.state == S.SENT


def test_unknown_step_is_404_and_get_is_refused(ui_as, uwv_staff, referral):
    client = ui_as(uwv_staff)
    assert client.post(f"/doorverwijzingen/{referral.uuid}/wegdoen/").status_code == 404
    assert client.get(f"/doorverwijzingen/{referral.uuid}/accepteren/").status_code == 405


def test_return_and_rerefer(ui_as, uwv_staff, counter_enschede, referral, enschede):
    svb = OrganisationFactory(code="svb", type="svb", name="SVB")
    ui_as(uwv_staff).post(
        f"/doorverwijzingen/{referral.uuid}/terugsturen/", {"reason": "Dit is AOW: SVB"}
    )
    referral.refresh_from_db()
    assert referral.state == S.RETURNED

    sender = ui_as(counter_enschede)
    page = html(sender.get(f"/doorverwijzingen/{referral.uuid}/"))
    assert "Opnieuw doorverwijzen" in page and "Dit is AOW: SVB" in page
    sent = html(sender.get("/doorverwijzingen/?lijst=verstuurd"))
    assert "Teruggestuurd: Dit is AOW: SVB" in sent

    url = f"/doorverwijzingen/{referral.uuid}/opnieuw-doorverwijzen/"
    # Choosing the SVB lists the SVB's teams only (htmx asks the page again), not all teams.
    aow = TeamFactory(organisation=svb, name="AOW")
    other = TeamFactory(organisation=enschede, name="Schuldhulp")
    teams = sender.get(url, {"to_organisation": str(svb.uuid)}).context["form"]["to_team"]
    assert list(teams.field.queryset) == [aow]
    response = sender.post(
        url, {"to_organisation": str(svb.uuid), "to_team": str(other.uuid), "reason": "AOW"}
    )
    assert "Dit team hoort niet bij de gekozen organisatie." in html(response)
    assert Referral.objects.count() == 1

    response = sender.post(url, {"to_organisation": "", "reason": ""})
    assert response.status_code == 200
    assert "Kies de organisatie waar u naar doorverwijst." in html(response)
    assert Referral.objects.count() == 1

    response = sender.post(url, {"to_organisation": str(svb.uuid), "reason": "AOW-vraag"})
    new = Referral.objects.get(previous=referral)
    assert response["Location"] == f"/doorverwijzingen/{new.uuid}/"
    referral.refresh_from_db()
    assert referral.state == S.REREFERRED
    # The old receiver does not see where the resident went next.
    old = html(ui_as(uwv_staff).get(f"/doorverwijzingen/{referral.uuid}/"))
    assert str(new.uuid) not in old and "AOW-vraag" not in old
    assert "Opnieuw doorverwezen" in old  # the step itself is visible
    assert str(new.uuid) in html(sender.get(f"/doorverwijzingen/{referral.uuid}/"))


def test_rerefer_of_a_referral_that_was_not_returned_is_refused(ui_as, counter_enschede, referral):
    response = ui_as(counter_enschede).get(
        f"/doorverwijzingen/{referral.uuid}/opnieuw-doorverwijzen/", follow=True
    )
    assert "“Opnieuw doorverwijzen” kan niet" in html(response)


def test_sender_withdraws(ui_as, counter_enschede, referral):
    client = ui_as(counter_enschede)
    url = f"/doorverwijzingen/{referral.uuid}/"
    assert "Intrekken" in html(client.get(url))
    response = client.post(url + "intrekken/", {"reason": ""}, follow=True)
    assert "Schrijf op waarom u afsluit." in html(response)
    client.post(url + "intrekken/", {"reason": "Inwoner belt zelf"})
    referral.refresh_from_db()
    assert referral.state == S.CLOSED and referral.closure_reason == "Inwoner belt zelf"


def test_assign_to_a_colleague(ui_as, uwv_staff, uwv_colleague, counter_enschede, referral):
    client = ui_as(uwv_staff)
    url = f"/doorverwijzingen/{referral.uuid}/"
    page = html(client.get(url))
    assert "Bram Kok" in page
    assert f'value="{uwv_colleague.uuid}"' in page
    assert f'value="{counter_enschede.uuid}"' not in page
    response = client.post(
        url + "overdragen/", {"to_user": str(counter_enschede.uuid)}, follow=True
    )
    assert "Kies een collega uit de lijst." in html(response)
    referral.refresh_from_db()
    assert referral.assigned_to is None
    client.post(url + "overdragen/", {"to_user": str(uwv_colleague.uuid)})
    referral.refresh_from_db()
    assert referral.assigned_to == uwv_colleague
    assert Notification.objects.filter(user=uwv_colleague).exists()


# --- work lists ------------------------------------------------------------------------------------


def test_worklist_tabs_with_counts(ui_as, uwv_staff, counter_enschede, contact, uwv):
    first = refer(counter_enschede, contact, uwv)
    second = refer(counter_enschede, contact, uwv)
    services.claim(user=uwv_staff, referral=second)
    client = ui_as(uwv_staff)
    response = client.get("/doorverwijzingen/")
    counts = {key: n for key, _label, n in response.context["tabs"]}
    assert counts == {"nieuw": 1, "te-laat": 0, "mijn": 1, "open": 2, "verstuurd": 0}
    assert [v.referral for v in response.context["rows"]] == [first]
    page = html(response)
    assert 'Nieuw <span class="tab-count">(1)</span>' in page
    assert "niet gedeeld" in page  # the receiver does not see the name
    mine = client.get("/doorverwijzingen/?lijst=mijn")
    assert [v.referral for v in mine.context["rows"]] == [second]
    # Unknown list: falls back to "nieuw".
    assert client.get("/doorverwijzingen/?lijst=zomaar").context["current"] == "nieuw"


def test_overdue_list_and_badge(ui_as, uwv_staff, counter_enschede, contact, uwv):
    with time_machine.travel(dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC), tick=False):
        referral = refer(counter_enschede, contact, uwv)
    with time_machine.travel(dt.datetime(2026, 6, 4, 8, 0, tzinfo=dt.UTC), tick=False):
        response = ui_as(uwv_staff).get("/doorverwijzingen/?lijst=te-laat")
        assert [v.referral for v in response.context["rows"]] == [referral]
        assert "badge-overdue" in html(response)


def test_worklist_needs_a_contact_role(ui_as, management_enschede):
    assert ui_as(management_enschede).get("/doorverwijzingen/").status_code == 403


def test_start_page_notifications_and_counts(ui_as, uwv_staff, counter_enschede, referral):
    services.accept(user=uwv_staff, referral=referral)
    client = ui_as(counter_enschede)
    page = html(client.get("/"))
    assert "Meldingen" in page and "UWV heeft uw doorverwijzing geaccepteerd." in page
    notification = Notification.objects.get(user=counter_enschede)
    response = client.post(f"/meldingen/{notification.uuid}/gelezen/")
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "UWV heeft uw doorverwijzing geaccepteerd." not in html(client.get("/"))
    # Someone else's notification cannot be marked.
    other = Notification.objects.create(user=uwv_staff, text="x")
    client.post(f"/meldingen/{other.uuid}/gelezen/")
    other.refresh_from_db()
    assert other.read_at is None
    receiving = html(ui_as(uwv_staff).get("/"))
    assert "/doorverwijzingen/?lijst=mijn" in receiving and "Mijn: 1" in receiving


# --- live consults ---------------------------------------------------------------------------------


@pytest.fixture
def on_duty(uwv_staff, enschede_location):
    return services.start_duty(user=uwv_staff, location=enschede_location)


def test_duty_page_start_and_stop(ui_as, uwv_staff, enschede_location, uwv_location, maastricht):
    client = ui_as(uwv_staff)
    page = html(client.get("/overleg/"))
    assert "In dienst gaan" in page
    assert str(enschede_location.uuid) in page and str(uwv_location.uuid) in page
    strange = LocationFactory(organisation=maastricht, name="Stadhuis Maastricht")
    response = client.post("/overleg/", {"location": str(strange.uuid), "reachable": "telefoon"})
    assert "Kies een locatie uit de lijst." in html(response)
    assert not OnDuty.objects.exists()
    response = client.post(
        "/overleg/", {"location": str(enschede_location.uuid), "reachable": "ter-plaatse"}
    )
    assert response.status_code == 302
    page = html(client.get("/overleg/"))
    assert "U bent in dienst voor UWV op Stadhuis Enschede" in page
    assert 'hx-trigger="every 3s"' in page
    client.post("/overleg/stoppen/")
    assert "In dienst gaan" in html(client.get("/overleg/"))


def test_consult_request_refused_when_nobody_on_duty(ui_as, counter_enschede, contact, uwv):
    client = ui_as(counter_enschede)
    page = html(client.get(f"/contacten/{contact.uuid}/overleg/"))
    assert "UWV – niemand in dienst" in page
    response = client.post(
        f"/contacten/{contact.uuid}/overleg/", {"to_organisation": str(uwv.uuid), "question": "WW"}
    )
    page = html(response)
    assert (
        "Er is nu niemand van UWV in dienst op Stadhuis Enschede. Maak een doorverwijzing." in page
    )
    assert f"/contacten/{contact.uuid}/doorverwijzen/?organisatie={uwv.uuid}" in page
    assert not LiveConsult.objects.exists()
    # The link prefills the referral form.
    form = html(client.get(f"/contacten/{contact.uuid}/doorverwijzen/?organisatie={uwv.uuid}"))
    assert f'<option value="{uwv.uuid}" selected>' in form


def test_consult_live_flow(
    ui_as, counter_enschede, uwv_staff, uwv_colleague, contact, uwv, on_duty
):
    services.start_duty(user=uwv_colleague, location=on_duty.location)
    requester = ui_as(counter_enschede)
    form = html(requester.get(f"/contacten/{contact.uuid}/overleg/"))
    assert "UWV – 2 collega&#x27;s in dienst" in form
    response = requester.post(
        f"/contacten/{contact.uuid}/overleg/",
        {"to_organisation": str(uwv.uuid), "question": "Kan iemand meekijken naar de WW?"},
    )
    consult = LiveConsult.objects.get()
    assert response["Location"] == f"/overleg/{consult.uuid}/"
    assert consult.location == contact.location

    page = html(requester.get(f"/overleg/{consult.uuid}/"))
    assert "Wacht op een collega" in page and 'hx-trigger="every 3s"' in page
    assert "Intrekken" in page

    # The on-duty colleague sees it in the polled partial.
    colleague = ui_as(uwv_staff)
    partial = colleague.get("/overleg/open/")
    assert "Kan iemand meekijken naar de WW?" in html(partial)
    key = partial.context["open_key"]
    assert colleague.get(f"/overleg/open/?k={key}", HTTP_HX_REQUEST="true").status_code == 204

    # The requester's poll is quiet while nothing changes.
    status = requester.get(f"/overleg/{consult.uuid}/stand/")
    assert status.context["state"] == "open"
    quiet = requester.get(
        f"/overleg/{consult.uuid}/stand/?k={status.context['status_key']}", HTTP_HX_REQUEST="true"
    )
    assert quiet.status_code == 204

    # First to accept gets it; the second hears who was first.
    response = colleague.post(f"/overleg/{consult.uuid}/aannemen/")
    assert response["Location"] == f"/overleg/{consult.uuid}/"
    second = ui_as(uwv_colleague).post(f"/overleg/{consult.uuid}/aannemen/", follow=True)
    assert f"{uwv_staff.get_full_name()} heeft dit overleg al aangenomen." in html(second)
    consult.refresh_from_db()
    assert consult.state == ConsultState.ACCEPTED and consult.accepted_by == uwv_staff

    status = requester.get(f"/overleg/{consult.uuid}/stand/", HTTP_HX_REQUEST="true")
    page = html(status)
    assert status.status_code == 200
    assert f"{uwv_staff.get_full_name()} heeft het overleg aangenomen" in page
    assert uwv_staff.direct_phone in page
    assert "every 3s" not in page  # polling stops
    assert "Kan iemand meekijken" not in html(colleague.get("/overleg/open/"))
    # Recorded on the contact.
    assert f"/overleg/{consult.uuid}/" in html(requester.get(f"/contacten/{contact.uuid}/"))


def test_consult_expires_then_becomes_a_referral(ui_as, counter_enschede, contact, uwv, on_duty):
    consult = services.request_consult(
        user=counter_enschede, contact=contact, to_organisation=uwv, question="WW-vraag"
    )
    client = ui_as(counter_enschede)
    with time_machine.travel(consult.expires_at + dt.timedelta(seconds=5), tick=False):
        status = client.get(f"/overleg/{consult.uuid}/stand/")
        page = html(status)
        assert status.context["state"] == "verlopen"
        assert "Niemand van UWV heeft het overleg op tijd aangenomen." in page
        assert f"/overleg/{consult.uuid}/doorverwijzen/" in page
        assert "every 3s" not in page  # polling stops
        assert "Niemand beschikbaar" in html(client.get(f"/contacten/{contact.uuid}/"))
        form = client.get(f"/overleg/{consult.uuid}/doorverwijzen/")
        assert f'<option value="{uwv.uuid}" selected>' in html(form)
        # The resident's question is not put into the (always visible) reason.
        assert "WW-vraag" not in html(form).split("<form")[1]
        bad = client.post(
            f"/overleg/{consult.uuid}/doorverwijzen/",
            {"reason": "x", "urgency": "nooit", "preferred_channel": "telefoon"},
        )
        assert bad.status_code == 200 and not Referral.objects.exists()
        response = client.post(
            f"/overleg/{consult.uuid}/doorverwijzen/",
            {
                "to_organisation": str(uwv.uuid),
                "reason": "Niemand kon komen",
                "urgency": "normaal",
                "preferred_channel": "telefoon",
            },
        )
    referral = Referral.objects.get()
    assert response["Location"] == f"/doorverwijzingen/{referral.uuid}/"
    consult.refresh_from_db()
    assert consult.state == ConsultState.REFERRED and consult.referral == referral
    assert referral.to_organisation == uwv


def test_consult_to_appointment_and_cancel(
    ui_as, counter_enschede, uwv_staff, contact, uwv, on_duty
):
    client = ui_as(counter_enschede)
    consult = services.request_consult(
        user=counter_enschede, contact=contact, to_organisation=uwv, question="WW-vraag"
    )
    # Only the requester may withdraw.
    response = ui_as(uwv_staff).post(f"/overleg/{consult.uuid}/intrekken/", follow=True)
    assert "Alleen wie het overleg vroeg, kan het intrekken." in html(response)
    client.post(f"/overleg/{consult.uuid}/intrekken/")
    consult.refresh_from_db()
    assert consult.state == ConsultState.CANCELLED
    page = html(client.get(f"/overleg/{consult.uuid}/"))
    assert "Het overleg is ingetrokken." in page and "Afspraak maken" in page
    # The button books a real appointment: the booking screen with the consult as its source.
    booking = client.get(f"/overleg/{consult.uuid}/afspraak/")
    assert booking.status_code == 302
    assert booking["Location"] == f"/afspraken/nieuw/?overleg={consult.uuid}"
    # An appointment made elsewhere can still be recorded with a note (as the API does).
    response = client.post(f"/overleg/{consult.uuid}/afspraak/", {"note": ""}, follow=True)
    assert "Schrijf op welke afspraak is gemaakt." in html(response)
    client.post(f"/overleg/{consult.uuid}/afspraak/", {"note": "Dinsdag 10:00 bij UWV"})
    consult.refresh_from_db()
    assert consult.state == ConsultState.APPOINTMENT and consult.note == "Dinsdag 10:00 bij UWV"
    # A second conversion is refused with a message, nothing changes.
    response = client.post(f"/overleg/{consult.uuid}/afspraak/", {"note": "nog een"}, follow=True)
    assert "Dit overleg is al afgerond." in html(response)


def test_consult_not_visible_to_a_third_organisation(
    ui_as, counter_enschede, counter_maastricht, contact, uwv, on_duty
):
    consult = services.request_consult(
        user=counter_enschede, contact=contact, to_organisation=uwv, question="WW-vraag"
    )
    client = ui_as(counter_maastricht)
    assert client.get(f"/overleg/{consult.uuid}/").status_code == 404
    assert client.get(f"/overleg/{consult.uuid}/stand/").status_code == 404
    assert client.post(f"/overleg/{consult.uuid}/aannemen/").status_code == 404
    assert client.get(f"/contacten/{contact.uuid}/overleg/").status_code == 404


def test_not_on_duty_cannot_accept(ui_as, counter_enschede, uwv_colleague, contact, uwv, on_duty):
    consult = services.request_consult(
        user=counter_enschede, contact=contact, to_organisation=uwv, question="WW-vraag"
    )
    response = ui_as(uwv_colleague).post(f"/overleg/{consult.uuid}/aannemen/", follow=True)
    assert "U bent niet in dienst voor dit overleg." in html(response)
    consult.refresh_from_db()
    assert consult.state == ConsultState.OPEN
    assert ReferralEvent.objects.count() == 0


def test_lists_use_a_fixed_number_of_queries(
    ui_as, uwv_staff, counter_enschede, contact, uwv, django_assert_max_num_queries
):
    for _ in range(6):
        refer(
            counter_enschede, contact, uwv, consent_given=True, shared=["naam-en-contactgegevens"]
        )
    client = ui_as(uwv_staff)
    client.get("/")
    with django_assert_max_num_queries(16):
        assert len(client.get("/doorverwijzingen/?lijst=open").context["rows"]) == 6
    with django_assert_max_num_queries(10):
        client.get(f"/doorverwijzingen/{Referral.objects.first().uuid}/")


def test_an_empty_post_is_a_submit_with_errors(ui_as, counter_enschede, contact):
    response = ui_as(counter_enschede).post(f"/contacten/{contact.uuid}/doorverwijzen/", {})
    assert response.status_code == 200
    assert "Controleer wat u heeft ingevuld" in html(response)
    assert not Referral.objects.exists()


def test_management_finds_the_counsellor_figures_from_the_start_page(
    management_enschede, counter_enschede, ui_as
):
    page = ui_as(management_enschede).get("/").content.decode()
    assert "/doorverwijzingen/sociaal-raadslieden/" in page
    assert (
        ui_as(management_enschede).get("/doorverwijzingen/sociaal-raadslieden/").status_code == 200
    )
    counter_page = ui_as(counter_enschede).get("/").content.decode()
    assert "kop-cijfers" not in counter_page


def test_the_referral_form_shows_the_chosen_organisations_contact_persons(
    ui_as, counter_enschede, contact, uwv
):
    from ..factories import TeamFactory

    team = TeamFactory(organisation=uwv, name="WW op locatie")
    staff(
        uwv,
        Role.MEDEWERKER_UITVOERING,
        team=team,
        contact_person=True,
        username="aanspreekpunt.uwv",
        first_name="Lisa",
        last_name="Hermans",
        direct_phone="+31881234567",
    )
    client = ui_as(counter_enschede)
    form = html(client.get(f"/contacten/{contact.uuid}/doorverwijzen/"))
    assert 'id="aanspreekpunten"' in form
    panel = html(
        client.get(
            "/doorverwijzingen/aanspreekpunten/",
            {"to_organisation": str(uwv.uuid), "to_team": str(team.uuid)},
            HTTP_HX_REQUEST="true",
        )
    )
    assert "Lisa Hermans" in panel and "+31881234567" in panel
    empty = client.get("/doorverwijzingen/aanspreekpunten/", {"to_organisation": "kapot"})
    assert empty.status_code == 200 and "Lisa" not in html(empty)


# --- issue 8: the live consult's location --------------------------------------------------------


def _options(page: str, select_id: str) -> list[str]:
    """The option texts of one <select> in a page."""
    import re

    block = page.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<option[^>]*>([^<]*)<", block)]


def _selected(page: str, select_id: str) -> str | None:
    import re

    block = page.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option value="([^"]*)"[^>]*selected', block)
    return found.group(1) if found else None


def test_consult_form_lets_the_requester_choose_the_location(
    ui_as, counter_enschede, uwv_staff, enschede, uwv, enschede_location
):
    """A phone contact (no location): the form offers where the requester is, defaulting to
    Enschede's only location, and counts who is on duty there per organisation."""
    phone = ContactMomentFactory(
        organisation=enschede, staff=counter_enschede, location=None, channel="telefoon"
    )
    services.start_duty(user=uwv_staff, location=enschede_location)
    client = ui_as(counter_enschede)
    page = html(client.get(f"/contacten/{phone.uuid}/overleg/"))
    assert _selected(page, "id_location") == str(enschede_location.uuid)
    assert "UWV – 1 collega in dienst" in _options(page, "id_to_organisation")
    response = client.post(
        f"/contacten/{phone.uuid}/overleg/",
        {
            "location": str(enschede_location.uuid),
            "to_organisation": str(uwv.uuid),
            "question": "Kan iemand van UWV meekijken?",
        },
    )
    consult = LiveConsult.objects.get()
    assert response["Location"] == f"/overleg/{consult.uuid}/"
    assert consult.location == enschede_location


def test_consult_form_counts_follow_the_chosen_location(
    ui_as, counter_enschede, uwv_staff, uwv_colleague, contact, enschede, uwv, enschede_location
):
    office = LocationFactory(organisation=enschede, name="Stadskantoor Enschede")
    office.guest_organisations.add(uwv)
    services.start_duty(user=uwv_staff, location=office)
    services.start_duty(user=uwv_colleague, location=office)
    client = ui_as(counter_enschede)
    page = html(client.get(f"/contacten/{contact.uuid}/overleg/"))
    # The contact was at the town hall: that is the default, and nobody is on duty there.
    assert _selected(page, "id_location") == str(enschede_location.uuid)
    assert "UWV – niemand in dienst" in _options(page, "id_to_organisation")
    # The htmx partial for another location (nothing of the resident in it: no access log).
    partial = client.get(
        f"/contacten/{contact.uuid}/overleg/organisaties/",
        {"location": str(office.uuid), "to_organisation": str(uwv.uuid)},
        HTTP_HX_REQUEST="true",
    )
    assert partial.status_code == 200
    assert "UWV – 2 collega&#x27;s in dienst" in html(partial)
    assert _selected(html(partial), "id_to_organisation") == str(uwv.uuid)
    assert 'id="veld-organisatie"' in html(partial) and "<html" not in html(partial)
    # Asking at the town hall says what is really missing, and where UWV is on duty.
    response = client.post(
        f"/contacten/{contact.uuid}/overleg/",
        {
            "location": str(enschede_location.uuid),
            "to_organisation": str(uwv.uuid),
            "question": "WW",
        },
    )
    assert (
        "Er is nu niemand van UWV in dienst op Stadhuis Enschede. Wel in dienst: Stadskantoor "
        "Enschede (2 collega&#x27;s). Kies een andere locatie of maak een doorverwijzing."
    ) in html(response)
    assert "UWV – niemand in dienst" in _options(html(response), "id_to_organisation")
    assert not LiveConsult.objects.exists()
    # Choosing the office works (without JavaScript too: the posted location counts).
    response = client.post(
        f"/contacten/{contact.uuid}/overleg/",
        {"location": str(office.uuid), "to_organisation": str(uwv.uuid), "question": "WW"},
    )
    assert LiveConsult.objects.get().location == office
    # A location where Enschede does not work is refused.
    strange = LocationFactory(organisation=uwv, name="UWV Amsterdam")
    response = client.post(
        f"/contacten/{contact.uuid}/overleg/",
        {"location": str(strange.uuid), "to_organisation": str(uwv.uuid), "question": "WW"},
    )
    assert "Kies een locatie uit de lijst." in html(response)
    assert LiveConsult.objects.count() == 1
    # Another organisation's contact: no partial either.
    other = ContactMomentFactory(organisation=uwv, staff=uwv_staff)
    assert client.get(f"/contacten/{other.uuid}/overleg/organisaties/").status_code == 404


def test_consult_form_does_not_count_a_deactivated_or_moved_colleague(
    ui_as, counter_enschede, uwv_staff, uwv_colleague, contact, enschede_location
):
    """The form's counts and the service use one definition of "on duty"."""
    services.start_duty(user=uwv_staff, location=enschede_location)
    services.start_duty(user=uwv_colleague, location=enschede_location)
    uwv_staff.is_active = False
    uwv_staff.save(update_fields=["is_active"])
    uwv_colleague.memberships.all().delete()  # moved away
    page = html(ui_as(counter_enschede).get(f"/contacten/{contact.uuid}/overleg/"))
    assert "UWV – niemand in dienst" in _options(page, "id_to_organisation")


# --- issue 8: the requester's text follows the consult's state; the duty form ---------------------


def test_the_waiting_text_is_part_of_the_polled_status_and_goes_when_accepted(
    ui_as, counter_enschede, uwv_staff, contact, uwv, on_duty
):
    requester = ui_as(counter_enschede)
    response = requester.post(
        f"/contacten/{contact.uuid}/overleg/",
        {"to_organisation": str(uwv.uuid), "question": "Meekijken naar de WW?"},
        follow=True,
    )
    page = html(response)
    status = page.split('id="overleg-stand"', 1)[1]
    assert "Uw vraag staat klaar bij UWV. U ziet hier wie hem aanneemt." in status
    assert "wie hem aanneemt" not in page.split('id="overleg-stand"', 1)[0]
    consult = LiveConsult.objects.get()
    ui_as(uwv_staff).post(f"/overleg/{consult.uuid}/aannemen/")
    polled = html(requester.get(f"/overleg/{consult.uuid}/stand/", HTTP_HX_REQUEST="true"))
    assert "heeft het overleg aangenomen" in polled and "wie hem aanneemt" not in polled
    assert "wie hem aanneemt" not in html(requester.get(f"/overleg/{consult.uuid}/"))


def test_the_duty_page_shows_the_current_duty_and_preselects_it(
    ui_as, uwv_staff, enschede_location, uwv_location
):
    client = ui_as(uwv_staff)
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        services.start_duty(user=uwv_staff, location=enschede_location, reachable="telefoon")
        page = html(client.get("/overleg/"))
    assert (
        "U bent in dienst voor UWV op Stadhuis Enschede tot 23:59, bereikbaar via telefoon." in page
    )
    assert "Stoppen met dienst" in page
    assert _selected(page, "id_location") == str(enschede_location.uuid)
    assert _selected(page, "id_reachable") == "telefoon"


# --- issue 8: claiming twice; the sent list's order ------------------------------------------------


def test_claiming_a_referral_you_hold_again_adds_no_step(ui_as, uwv_staff, referral):
    client = ui_as(uwv_staff)
    url = f"/doorverwijzingen/{referral.uuid}/"
    first = client.post(url + "oppakken/", follow=True)
    updated = Referral.objects.get(pk=referral.pk).updated_at
    second = client.post(url + "oppakken/", follow=True)
    assert messages_of(first) == messages_of(second) == "U heeft de doorverwijzing opgepakt."
    assert list(referral.events.values_list("action", flat=True)) == ["verstuurd", "opgepakt"]
    assert Referral.objects.get(pk=referral.pk).updated_at == updated


def test_the_sent_list_is_newest_sent_first(ui_as, uwv_staff, counter_enschede, contact, uwv):
    made = []
    for day in (2, 3, 4):
        with time_machine.travel(dt.datetime(2026, 3, day, 9, 0, tzinfo=dt.UTC), tick=False):
            made.append(refer(counter_enschede, contact, uwv, reason=f"Verstuurd op dag {day}"))
    # Something happens later to the oldest: it must not jump to the top.
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        services.accept(user=uwv_staff, referral=made[0])
        response = ui_as(counter_enschede).get("/doorverwijzingen/?lijst=verstuurd")
    rows = [v.referral.reason for v in response.context["rows"]]
    assert rows == ["Verstuurd op dag 4", "Verstuurd op dag 3", "Verstuurd op dag 2"]
    page = html(response)
    assert page.index("dag 4") < page.index("dag 3") < page.index("dag 2")
    assert '<th class="utrecht-table__header-cell" scope="col">Verstuurd op</th>' in page


# --- issue 8: the referral form's organisation, teams and services ---------------------------------


def test_referral_form_prefills_the_delivering_organisation_and_filters_its_choices(
    ui_as, counter_enschede, contact, enschede, uwv, uwv_team, uwv_service
):
    svb = OrganisationFactory(code="svb", type="svb", name="SVB")
    TeamFactory(organisation=svb, name="Kinderbijslag")
    svb_service = ServiceFactory(organisation_type="svb", name="Kinderbijslag aanvragen")
    municipal = ServiceFactory(organisation_type="gemeente", name="Bijzondere bijstand")
    client = ui_as(counter_enschede)
    # The contact's service is UWV's: UWV is chosen, with only its teams and services.
    page = html(client.get(f"/contacten/{contact.uuid}/doorverwijzen/"))
    assert _selected(page, "id_to_organisation") == str(uwv.uuid)
    assert _selected(page, "id_service") == str(uwv_service.uuid)
    assert _options(page, "id_to_team") == [
        "Geen team: de organisatie verdeelt het zelf",
        "UWV: Werk en inkomen",
    ]
    assert _options(page, "id_service") == ["Geen dienst gekozen", "WW-uitkering aanvragen (UWV)"]
    # A municipal service: the user's own municipality.
    own = ContactMomentFactory(organisation=enschede, staff=counter_enschede, service=municipal)
    page = html(client.get(f"/contacten/{own.uuid}/doorverwijzen/"))
    assert _selected(page, "id_to_organisation") == str(enschede.uuid)
    assert _options(page, "id_service") == ["Geen dienst gekozen", "Bijzondere bijstand (Gemeente)"]
    # The htmx partial when SVB is chosen: SVB's teams and services only, no page around it.
    partial = html(
        client.get(
            f"/contacten/{contact.uuid}/doorverwijzen/keuzes/",
            {"to_organisation": str(svb.uuid)},
            HTTP_HX_REQUEST="true",
        )
    )
    assert "<html" not in partial
    assert _options(partial, "id_to_team") == [
        "Geen team: de organisatie verdeelt het zelf",
        "SVB: Kinderbijslag",
    ]
    assert _options(partial, "id_service") == [
        "Geen dienst gekozen",
        "Kinderbijslag aanvragen (SVB)",
    ]
    # No organisation (no JavaScript to ask again): all teams; the server checks the pair.
    partial = html(client.get(f"/contacten/{contact.uuid}/doorverwijzen/keuzes/?to_organisation="))
    assert len(_options(partial, "id_to_team")) == 4
    response = client.post(
        f"/contacten/{contact.uuid}/doorverwijzen/",
        {
            "to_organisation": str(uwv.uuid),
            "service": str(svb_service.uuid),
            "reason": "WW",
            "urgency": "normaal",
            "preferred_channel": "telefoon",
        },
    )
    assert "Deze dienst hoort bij een andere organisatie." in html(response)
    assert not Referral.objects.exists()
    # The directory panel is only drawn around contact persons, never empty.
    assert 'id="aanspreekpunten" class="panel"' not in page
    assert "panel" not in html(client.get("/doorverwijzingen/aanspreekpunten/"))
