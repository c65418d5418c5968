"""API v1 for warm referrals, live consults and on-duty status: contract, the happy path,
the permission matrix (sender, receiver, third organisation, no contact role, anonymous),
bad input (problem+json, nothing written) and refused transitions."""

import datetime as dt
import json

import pytest
import time_machine

from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.referrals.models import (
    ConsultState,
    LiveConsult,
    OnDuty,
    Referral,
    ReferralEvent,
    ReferralKind,
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

NOW = dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC)  # a Wednesday, no public holiday
UNKNOWN_UUID = "5b0c5e0e-8f7a-4d8e-9c1e-3f2a6b7c8d90"
REFERRALS = "/api/v1/referrals/"
CONSULTS = "/api/v1/live-consults/"
ON_DUTY = "/api/v1/on-duty/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def resident(db):
    return ResidentFactory(given_names="Fatima", surname="Jansen", phone="+31612345678")


@pytest.fixture
def contact(enschede, enschede_location, counter_enschede, resident):
    return ContactMomentFactory(
        organisation=enschede,
        location=enschede_location,
        staff=counter_enschede,
        resident=resident,
        question="Ik ben mijn baan kwijt en weet niet hoe ik een WW-uitkering aanvraag.",
    )


@pytest.fixture
def counter(api_as, counter_enschede):
    return api_as(counter_enschede)


@pytest.fixture
def receiver(api_as, uwv_staff):
    return api_as(uwv_staff)


@pytest.fixture
def third(api_as, counter_maastricht):
    return api_as(counter_maastricht)


@pytest.fixture
def svb(db):
    return OrganisationFactory(code="svb", type="svb", name="SVB")


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"]
    assert body["detail"]
    assert body["instance"].startswith("/api/v1/")
    return body


def invalid_names(body) -> set[str]:
    return {p["name"] for p in body["invalid_params"]}


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def refer(client, contact_moment, **extra):
    data = {
        "contact": str(contact_moment.uuid),
        "to_organisation": "uwv",
        "reason": "Inwoner wil een WW-uitkering aanvragen.",
        "discussed": "Uitgelegd dat UWV over de WW gaat.",
        "preferred_channel": "telefoon",
        **extra,
    }
    return post(client, REFERRALS, data)


@pytest.fixture
def referral(counter, contact):
    response = refer(counter, contact)
    assert response.status_code == 201, response.content
    return Referral.objects.get(uuid=response.json()["uuid"])


def counts():
    return (
        Referral.objects.count(),
        ReferralEvent.objects.count(),
        AccessLog.objects.count(),
        LiveConsult.objects.count(),
    )


# --- OpenAPI ----------------------------------------------------------------------------------
def test_the_schema_documents_referrals_consults_and_duty(api_client):
    response = api_client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    for path in (
        "/api/v1/referrals/",
        "/api/v1/referrals/{uuid}/",
        "/api/v1/referrals/{uuid}/claim/",
        "/api/v1/referrals/{uuid}/assign/",
        "/api/v1/referrals/{uuid}/accept/",
        "/api/v1/referrals/{uuid}/return/",
        "/api/v1/referrals/{uuid}/contacted/",
        "/api/v1/referrals/{uuid}/helped/",
        "/api/v1/referrals/{uuid}/close/",
        "/api/v1/referrals/{uuid}/rerefer/",
        "/api/v1/referrals/counsellor-counts/",
        "/api/v1/live-consults/",
        "/api/v1/live-consults/{uuid}/",
        "/api/v1/live-consults/{uuid}/accept/",
        "/api/v1/live-consults/{uuid}/cancel/",
        "/api/v1/live-consults/{uuid}/to-referral/",
        "/api/v1/live-consults/{uuid}/to-appointment/",
        "/api/v1/on-duty/",
    ):
        assert path in paths, path
    assert {"get", "post", "delete"} <= set(paths["/api/v1/on-duty/"])
    components = schema["components"]["schemas"]
    referral = components["Referral"]["properties"]
    for field in ("uuid", "state", "resident", "bsn", "question", "discussed", "events"):
        assert field in referral, field
    assert "ReferralCreateRequest" in components
    create = paths["/api/v1/referrals/"]["post"]
    assert "201" in create["responses"]
    assert "409" in paths["/api/v1/referrals/{uuid}/accept/"]["post"]["responses"]
    params = {p["name"] for p in paths["/api/v1/referrals/"]["get"]["parameters"]}
    assert {"worklist", "cursor"} <= params
    assert "year" in {
        p["name"] for p in paths["/api/v1/referrals/counsellor-counts/"]["get"]["parameters"]
    }


# --- the happy path -----------------------------------------------------------------------------
def test_enschede_refers_to_uwv_who_accepts_contacts_and_helps_and_the_referrer_sees_it(
    counter, receiver, contact, counter_enschede, uwv_staff, frozen
):
    response = refer(counter, contact, urgency="hoog")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "verstuurd"
    assert created["from_organisation"] == "gemeente-enschede"
    assert created["to_organisation"] == "uwv"
    assert created["contact"] == str(contact.uuid)
    assert created["from_staff"]["uuid"] == str(counter_enschede.uuid)
    assert created["urgency"] == "hoog"
    assert created["preferred_channel"] == "telefoon"
    assert created["kind"] == "warm"
    # Accept within 1 working day, contact within 2 (the default norm).
    assert created["accept_due_at"].startswith("2026-05-21")
    assert created["contact_due_at"].startswith("2026-05-22")
    assert created["overdue"] is False
    assert [e["action"] for e in created["events"]] == ["verstuurd"]
    uuid = created["uuid"]

    inbox = receiver.get(REFERRALS, {"worklist": "nieuw"}).json()["results"]
    assert [r["uuid"] for r in inbox] == [uuid]

    accepted = post(receiver, f"{REFERRALS}{uuid}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "geaccepteerd"
    assert accepted.json()["assigned_to"] == {
        "uuid": str(uwv_staff.uuid),
        "name": uwv_staff.get_full_name(),
    }
    mine = receiver.get(REFERRALS, {"worklist": "mijn"}).json()["results"]
    assert [r["uuid"] for r in mine] == [uuid]

    frozen.shift(dt.timedelta(hours=2))
    contacted = post(receiver, f"{REFERRALS}{uuid}/contacted/", {"note": "Gebeld met inwoner."})
    assert contacted.status_code == 200, contacted.content
    assert contacted.json()["state"] == "inwoner-gesproken"

    service = ServiceFactory(organisation_type="uwv", name="WW-uitkering")
    helped = post(
        receiver,
        f"{REFERRALS}{uuid}/helped/",
        {"feedback": "WW-aanvraag samen ingediend.", "service": str(service.uuid)},
    )
    assert helped.status_code == 200, helped.content
    body = helped.json()
    assert body["state"] == "geholpen"
    assert body["service"] == str(service.uuid)
    assert body["closed_at"]

    sent = counter.get(REFERRALS, {"worklist": "verstuurd"}).json()["results"]
    assert len(sent) == 1
    assert sent[0]["uuid"] == uuid
    assert sent[0]["state"] == "geholpen"
    assert sent[0]["feedback"] == "WW-aanvraag samen ingediend."
    history = counter.get(f"{REFERRALS}{uuid}/").json()["events"]
    assert [(e["action"], e["from_state"], e["to_state"]) for e in history] == [
        ("verstuurd", "", "verstuurd"),
        ("geaccepteerd", "verstuurd", "geaccepteerd"),
        ("inwoner-gesproken", "geaccepteerd", "inwoner-gesproken"),
        ("geholpen", "inwoner-gesproken", "geholpen"),
    ]
    assert history[0]["actor_name"] == counter_enschede.get_full_name()
    assert history[-1]["actor"]["uuid"] == str(uwv_staff.uuid)
    assert history[-1]["note"] == "WW-aanvraag samen ingediend."
    assert all(e["at"] for e in history)


def test_list_without_worklist_is_everything_visible_newest_first_with_a_cursor(
    counter, contact, frozen
):
    first = refer(counter, contact).json()["uuid"]
    frozen.shift(dt.timedelta(minutes=5))
    second = refer(counter, contact, reason="Tweede vraag").json()["uuid"]
    body = counter.get(REFERRALS, {"page_size": 1}).json()
    assert [r["uuid"] for r in body["results"]] == [second]
    assert body["next"]
    assert body["results"][0]["receiving_contacts"] is None  # only on one referral
    following = counter.get(body["next"]).json()
    assert [r["uuid"] for r in following["results"]] == [first]


def test_detail_shows_the_receiving_contact_persons(counter, referral, uwv):
    staff(
        uwv,
        Role.MEDEWERKER_UITVOERING,
        contact_person=True,
        first_name="Joost",
        last_name="Bakker",
        direct_phone="+31534222222",
        job_title="Adviseur WW",
    )
    people = counter.get(f"{REFERRALS}{referral.uuid}/").json()["receiving_contacts"]
    assert people == [
        {
            "name": "Joost Bakker",
            "job_title": "Adviseur WW",
            "direct_phone": "+31534222222",
            "team": "",
        }
    ]


# --- what the receiving side sees ----------------------------------------------------------------
def test_the_receiver_sees_nothing_the_resident_did_not_agree_to_share(
    counter, receiver, referral, resident
):
    sender_view = counter.get(f"{REFERRALS}{referral.uuid}/").json()
    assert sender_view["resident"]["name"] == "Fatima Jansen"
    assert sender_view["resident"]["uuid"] == str(resident.uuid)
    assert sender_view["bsn"] == resident.bsn
    assert sender_view["question"].startswith("Ik ben mijn baan kwijt")
    assert sender_view["discussed"] == "Uitgelegd dat UWV over de WW gaat."

    logs_before = AccessLog.objects.count()
    for data in (
        receiver.get(f"{REFERRALS}{referral.uuid}/").json(),
        receiver.get(REFERRALS).json()["results"][0],
        receiver.get(REFERRALS, {"worklist": "open"}).json()["results"][0],
    ):
        assert data["resident"] is None
        assert data["bsn"] is None
        assert data["question"] is None
        assert data["discussed"] is None
        assert data["contact"] is None
        assert data["reason"] == "Inwoner wil een WW-uitkering aanvragen."
        assert resident.bsn not in json.dumps(data)
        assert "Jansen" not in json.dumps(data)
    assert AccessLog.objects.count() == logs_before  # nothing personal was read


def test_the_receiver_sees_what_is_shared_and_the_read_is_logged(
    counter, receiver, contact, resident, uwv_staff
):
    uuid = refer(
        counter,
        contact,
        consent_given=True,
        shared=["naam-en-contactgegevens", "vraag"],
    ).json()["uuid"]
    mine = AccessLog.objects.filter(actor_id=str(uwv_staff.uuid), channel="api")
    assert mine.count() == 0
    data = receiver.get(f"{REFERRALS}{uuid}/").json()
    assert data["resident"]["name"] == "Fatima Jansen"
    assert data["resident"]["phone"] == "+31612345678"
    assert data["resident"]["uuid"] is None  # the id would open the BSN, which is not shared
    assert data["bsn"] is None
    assert data["question"].startswith("Ik ben mijn baan kwijt")
    assert data["discussed"] is None
    assert data["shared"] == ["naam-en-contactgegevens", "vraag"]
    assert data["consent_given"] is True
    read = mine.get()
    assert (read.object_type, read.object_id, read.actor_organisation) == ("referral", uuid, "uwv")
    assert read.processing_activity_id == "doorverwijzing-inzien"
    receiver.get(REFERRALS, {"worklist": "nieuw"})
    assert mine.filter(object_type="referral-list").count() == 1


# --- permission matrix ----------------------------------------------------------------------------
def test_a_third_organisation_sees_nothing(third, referral):
    assert third.get(REFERRALS).json()["results"] == []
    for name in ("nieuw", "te-laat", "mijn", "open", "verstuurd"):
        assert third.get(REFERRALS, {"worklist": name}).json()["results"] == []
    problem(third.get(f"{REFERRALS}{referral.uuid}/"), 404)
    for step, data in (
        ("claim", {}),
        ("accept", {}),
        ("return", {"reason": "Niet voor ons"}),
        ("contacted", {}),
        ("helped", {}),
        ("close", {"reason": "Weg"}),
        ("rerefer", {"to_organisation": "uwv", "reason": "x"}),
    ):
        problem(post(third, f"{REFERRALS}{referral.uuid}/{step}/", data), 404)
    referral.refresh_from_db()
    assert referral.state == "verstuurd"


def test_unknown_or_malformed_ids_are_404(counter):
    problem(counter.get(f"{REFERRALS}{UNKNOWN_UUID}/"), 404)
    problem(counter.get(f"{REFERRALS}niet-een-uuid/"), 404)
    problem(counter.get(f"{CONSULTS}{UNKNOWN_UUID}/"), 404)


def test_the_sender_may_not_do_the_receivers_steps(counter, referral):
    for step, data in (
        ("claim", {}),
        ("accept", {}),
        ("return", {"reason": "Niet voor ons"}),
        ("contacted", {}),
        ("helped", {}),
    ):
        problem(post(counter, f"{REFERRALS}{referral.uuid}/{step}/", data), 403)
    referral.refresh_from_db()
    assert referral.state == "verstuurd"
    assert referral.events.count() == 1


def test_the_receiver_may_not_re_refer(counter, receiver, referral, svb):
    post(receiver, f"{REFERRALS}{referral.uuid}/return/", {"reason": "Hoort bij de SVB."})
    body = problem(
        post(
            receiver,
            f"{REFERRALS}{referral.uuid}/rerefer/",
            {"to_organisation": "svb", "reason": "x"},
        ),
        403,
    )
    assert "doorverwees" in body["detail"]


@pytest.mark.parametrize("who", ["management_enschede", "intermediair_enschede", "privacy_officer"])
def test_a_user_without_a_contact_role_is_refused(request, api_as, who, referral, contact):
    client = api_as(request.getfixturevalue(who))
    before = counts()
    problem(client.get(REFERRALS), 403)
    problem(client.get(f"{REFERRALS}{referral.uuid}/"), 403)
    problem(refer(client, contact), 403)
    problem(post(client, f"{REFERRALS}{referral.uuid}/accept/"), 403)
    problem(client.get(CONSULTS), 403)
    problem(client.get(ON_DUTY), 403)
    assert counts() == before


def test_anonymous_gets_401(api_client, referral):
    for response in (
        api_client.get(REFERRALS),
        api_client.get(f"{REFERRALS}{referral.uuid}/"),
        api_client.post(REFERRALS, {}, format="json"),
        api_client.post(f"{REFERRALS}{referral.uuid}/accept/"),
        api_client.get(f"{REFERRALS}counsellor-counts/"),
        api_client.get(CONSULTS),
        api_client.get(ON_DUTY),
    ):
        problem(response, 401)


# --- bad input: 400 problem+json, nothing written -------------------------------------------------
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": None}, "reason"),
        ({"reason": "x" * 5001}, "reason"),
        ({"reason": "nul\x00teken"}, "reason"),
        ({"to_organisation": "bestaat-niet"}, "to_organisation"),
        ({"contact": UNKNOWN_UUID}, "contact"),
        ({"contact": "geen-uuid"}, "contact"),
        ({"preferred_channel": "duif"}, "preferred_channel"),
        ({"urgency": "morgen"}, "urgency"),
        ({"kind": "koud"}, "kind"),
        ({"shared": ["alles"]}, "shared"),
        ({"shared": "bsn"}, "shared"),
        ({"to_team": UNKNOWN_UUID}, "to_team"),
        ({"service": UNKNOWN_UUID}, "service"),
        # business rules from the service, with the same field names
        ({"shared": ["bsn"], "consent_given": False}, "shared"),
        ({"to_organisation": "gemeente-enschede"}, "to_team"),
        ({"kind": "sociaal-raadslieden", "consent_given": True}, "to_organisation"),
    ],
)
def test_bad_referral_input_is_a_400_problem_and_nothing_is_written(
    counter, contact, change, field
):
    before = counts()
    body = problem(refer(counter, contact, **change), 400)
    assert any(n.split(".")[0] == field for n in invalid_names(body)), body
    assert all(p["reason"] for p in body["invalid_params"])
    assert counts() == before


def test_a_team_of_another_organisation_is_refused(counter, contact, maastricht):
    team = TeamFactory(organisation=maastricht)
    before = counts()
    body = problem(refer(counter, contact, to_team=str(team.uuid)), 400)
    assert invalid_names(body) == {"to_team"}
    assert counts() == before


def test_a_contact_of_another_organisation_cannot_be_referred(third, contact):
    before = counts()
    body = problem(refer(third, contact), 400)
    assert invalid_names(body) == {"contact"}
    assert counts() == before


def test_a_body_that_is_not_json_is_a_problem(counter):
    response = counter.post(REFERRALS, "{niet json", content_type="application/json")
    problem(response, 400)


def test_bad_query_parameters_are_400(counter, management_enschede, api_as):
    assert "worklist" in invalid_names(problem(counter.get(REFERRALS, {"worklist": "alles"}), 400))
    problem(counter.get(REFERRALS, {"cursor": "kapot"}), 400)
    manager = api_as(management_enschede)
    body = problem(manager.get(f"{REFERRALS}counsellor-counts/", {"year": "vorig"}), 400)
    assert invalid_names(body) == {"year"}


# --- transitions ------------------------------------------------------------------------------------
def test_illegal_transitions_are_refused_with_a_conflict(receiver, referral):
    before = counts()
    for step, data in (("contacted", {}), ("helped", {"feedback": "Klaar"})):
        body = problem(post(receiver, f"{REFERRALS}{referral.uuid}/{step}/", data), 409)
        assert body["code"] == "invalid_transition"
        assert "verstuurd" in body["detail"].lower()
    assert counts() == before
    assert post(receiver, f"{REFERRALS}{referral.uuid}/accept/").status_code == 200
    body = problem(post(receiver, f"{REFERRALS}{referral.uuid}/accept/"), 409)
    assert body["code"] == "invalid_transition"
    assert "Accepteren" in body["detail"]
    referral.refresh_from_db()
    assert referral.state == "geaccepteerd"
    assert referral.events.count() == 2


def test_return_and_close_need_a_reason(counter, receiver, referral):
    before = counts()
    for client, step in ((receiver, "return"), (receiver, "close"), (counter, "close")):
        for data in ({}, {"reason": "   "}, {"reason": "x" * 5001}):
            body = problem(post(client, f"{REFERRALS}{referral.uuid}/{step}/", data), 400)
            assert invalid_names(body) == {"reason"}
    assert counts() == before


def test_returned_referral_is_re_referred_and_linked_both_ways(
    counter, receiver, referral, svb, api_as
):
    returned = post(receiver, f"{REFERRALS}{referral.uuid}/return/", {"reason": "Dit is AOW: SVB."})
    assert returned.status_code == 200, returned.content
    assert returned.json()["state"] == "teruggestuurd"
    assert returned.json()["return_reason"] == "Dit is AOW: SVB."
    sent = counter.get(REFERRALS, {"worklist": "verstuurd"}).json()["results"]
    assert sent[0]["state"] == "teruggestuurd"

    before = counts()
    response = post(
        counter,
        f"{REFERRALS}{referral.uuid}/rerefer/",
        {"to_organisation": "svb", "reason": "AOW-vraag", "urgency": "spoed"},
    )
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["to_organisation"] == "svb"
    assert new["previous"] == str(referral.uuid)
    assert new["urgency"] == "spoed"
    assert new["preferred_channel"] == "telefoon"  # kept from the returned referral
    assert new["discussed"] == "Uitgelegd dat UWV over de WW gaat."
    assert counts()[0] == before[0] + 1
    old = counter.get(f"{REFERRALS}{referral.uuid}/").json()
    assert old["state"] == "opnieuw-doorverwezen"
    assert old["next"] == new["uuid"]
    # UWV does not learn the id of the SVB referral; SVB not that of the UWV one.
    assert receiver.get(f"{REFERRALS}{referral.uuid}/").json()["next"] is None
    svb_staff = api_as(staff(svb, Role.MEDEWERKER_UITVOERING))
    assert svb_staff.get(f"{REFERRALS}{new['uuid']}/").json()["previous"] is None
    problem(svb_staff.get(f"{REFERRALS}{referral.uuid}/"), 404)
    # Once re-referred, it cannot be re-referred again.
    again = post(
        counter, f"{REFERRALS}{referral.uuid}/rerefer/", {"to_organisation": "svb", "reason": "x"}
    )
    assert problem(again, 409)["code"] == "invalid_transition"


def test_rerefer_with_bad_input_writes_nothing(counter, receiver, referral):
    post(receiver, f"{REFERRALS}{referral.uuid}/return/", {"reason": "Niet voor ons."})
    before = counts()
    body = problem(
        post(
            counter,
            f"{REFERRALS}{referral.uuid}/rerefer/",
            {"to_organisation": "svb-bestaat-niet", "reason": ""},
        ),
        400,
    )
    assert invalid_names(body) == {"to_organisation", "reason"}
    body = problem(
        post(
            counter,
            f"{REFERRALS}{referral.uuid}/rerefer/",
            {"to_organisation": "uwv", "reason": "x", "shared": ["bsn"], "consent_given": False},
        ),
        400,
    )
    assert invalid_names(body) == {"shared"}
    assert counts() == before
    referral.refresh_from_db()
    assert referral.state == "teruggestuurd"


def test_the_sender_withdraws_before_acceptance(counter, receiver, referral):
    closed = post(counter, f"{REFERRALS}{referral.uuid}/close/", {"reason": "Inwoner belt zelf."})
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "afgesloten"
    assert closed.json()["closure_reason"] == "Inwoner belt zelf."
    assert problem(post(receiver, f"{REFERRALS}{referral.uuid}/accept/"), 409)


def test_claim_and_hand_over_within_the_receiving_team(
    api_as, counter, contact, uwv, counter_maastricht
):
    team = TeamFactory(organisation=uwv, name="WW")
    anna = staff(uwv, Role.MEDEWERKER_UITVOERING, team=team, first_name="Anna")
    bram = staff(uwv, Role.MEDEWERKER_UITVOERING, team=team, first_name="Bram")
    outsider = staff(uwv, Role.MEDEWERKER_UITVOERING, first_name="Cor")  # not in the team
    uuid = refer(counter, contact, to_team=str(team.uuid)).json()["uuid"]
    as_anna, as_bram = api_as(anna), api_as(bram)

    claimed = post(as_anna, f"{REFERRALS}{uuid}/claim/")
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["assigned_to"]["uuid"] == str(anna.uuid)
    assert claimed.json()["to_team"] == str(team.uuid)
    assert as_bram.get(REFERRALS, {"worklist": "nieuw"}).json()["results"] == []
    body = problem(post(as_bram, f"{REFERRALS}{uuid}/claim/"), 409)
    assert body["code"] == "already_claimed"
    assert anna.get_full_name() in body["detail"]

    before = counts()
    for data, field in (
        ({}, "to_user"),
        ({"to_user": UNKNOWN_UUID}, "to_user"),
        ({"to_user": str(outsider.uuid)}, "to_user"),
        ({"to_user": str(counter_maastricht.uuid)}, "to_user"),
    ):
        assert invalid_names(problem(post(as_anna, f"{REFERRALS}{uuid}/assign/", data), 400)) == {
            field
        }
    assert counts() == before

    handed = post(as_anna, f"{REFERRALS}{uuid}/assign/", {"to_user": str(bram.uuid)})
    assert handed.status_code == 200, handed.content
    assert handed.json()["assigned_to"]["uuid"] == str(bram.uuid)
    assert handed.json()["events"][-1]["action"] == "overgedragen"
    assert [r["uuid"] for r in as_bram.get(REFERRALS, {"worklist": "mijn"}).json()["results"]] == [
        uuid
    ]


def test_overdue_referrals_are_flagged_and_listed(counter, receiver, referral, frozen):
    frozen.shift(dt.timedelta(days=2))  # Friday: the accept norm (Thursday) has passed
    data = receiver.get(f"{REFERRALS}{referral.uuid}/").json()
    assert data["overdue"] is True
    late = receiver.get(REFERRALS, {"worklist": "te-laat"}).json()["results"]
    assert [r["uuid"] for r in late] == [str(referral.uuid)]


# --- social counsellor -------------------------------------------------------------------------------
@pytest.fixture
def counsellors(db):
    organisation = OrganisationFactory(
        code="sociaal-raadslieden", type="sociaal-raadslieden", name="Sociaal Raadslieden"
    )
    LocationFactory(organisation=organisation, name="Raadslieden Enschede", city="Enschede")
    staff(
        organisation,
        Role.MEDEWERKER_UITVOERING,
        contact_person=True,
        first_name="Mirjam",
        last_name="Hulst",
    )
    return organisation


def test_counsellor_referral_hands_over_details_and_is_counted(
    counter, contact, counsellors, management_enschede, api_as, frozen
):
    response = refer(
        counter,
        contact,
        to_organisation="sociaal-raadslieden",
        kind="sociaal-raadslieden",
        consent_given=True,
        reason="Brief van de Belastingdienst die de inwoner niet begrijpt.",
    )
    assert response.status_code == 201, response.content
    details = response.json()["counsellor"]
    assert details["location"] == "Raadslieden Enschede"
    assert details["counsellor"] == "Mirjam Hulst"
    assert Referral.objects.get().kind == ReferralKind.COUNSELLOR

    manager = api_as(management_enschede)
    rows = manager.get(f"{REFERRALS}counsellor-counts/", {"year": 2026}).json()
    assert rows == [
        {
            "year": 2026,
            "municipality": "gemeente-enschede",
            "municipality_name": "Gemeente Enschede",
            "count": 1,
            "mentioned": 0,
        }
    ]
    assert manager.get(f"{REFERRALS}counsellor-counts/", {"year": 2025}).json() == []
    problem(counter.get(f"{REFERRALS}counsellor-counts/"), 403)


def test_a_warm_referral_has_no_counsellor_details(referral, counter):
    assert counter.get(f"{REFERRALS}{referral.uuid}/").json()["counsellor"] is None


# --- on duty -------------------------------------------------------------------------------------------
def test_on_duty_start_show_and_end(receiver, enschede_location, uwv_staff):
    assert receiver.get(ON_DUTY).json() is None
    started = post(
        receiver, ON_DUTY, {"location": str(enschede_location.uuid), "reachable": "ter-plaatse"}
    )
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["location"] == str(enschede_location.uuid)
    assert body["organisation"] == "uwv"
    assert body["reachable"] == "ter-plaatse"
    assert body["until"].startswith("2026-05-20T23:59")
    assert receiver.get(ON_DUTY).json()["location"] == str(enschede_location.uuid)
    ended = receiver.delete(ON_DUTY)
    assert ended.status_code == 204
    assert receiver.get(ON_DUTY).json() is None


def test_on_duty_bad_input(receiver, counter_maastricht, maastricht):
    elsewhere = LocationFactory(organisation=maastricht, city="Maastricht")
    for data, field in (
        ({}, "location"),
        ({"location": UNKNOWN_UUID}, "location"),
        ({"location": str(elsewhere.uuid)}, "location"),  # UWV does not work there
        ({"location": str(elsewhere.uuid), "reachable": "duif"}, "reachable"),
    ):
        assert field in invalid_names(problem(post(receiver, ON_DUTY, data), 400))
    assert OnDuty.objects.count() == 0


def test_on_duty_until_in_the_past_is_refused(receiver, enschede_location):
    body = problem(
        post(
            receiver,
            ON_DUTY,
            {"location": str(enschede_location.uuid), "until": "2026-05-20T09:00:00Z"},
        ),
        400,
    )
    assert invalid_names(body) == {"until"}
    assert OnDuty.objects.count() == 0


# --- live consults -------------------------------------------------------------------------------------
def go_on_duty(client, location, reachable="ter-plaatse"):
    response = post(client, ON_DUTY, {"location": str(location.uuid), "reachable": reachable})
    assert response.status_code == 201, response.content


def ask(client, contact_moment, **extra):
    data = {
        "contact": str(contact_moment.uuid),
        "to_organisation": "uwv",
        "question": "Kan iemand van UWV meekijken naar een WW-aanvraag?",
        **extra,
    }
    return post(client, CONSULTS, data)


def test_nobody_on_duty_is_a_clear_400_and_nothing_is_written(counter, contact):
    before = counts()
    body = problem(ask(counter, contact), 400)
    assert invalid_names(body) == {"to_organisation"}
    assert "niemand van UWV in dienst" in body["invalid_params"][0]["reason"]
    assert counts() == before


def test_bad_consult_input(counter, receiver, contact, enschede_location):
    go_on_duty(receiver, enschede_location)
    before = counts()
    for change, field in (
        ({"question": ""}, "question"),
        ({"to_organisation": "onbekend"}, "to_organisation"),
        ({"to_organisation": "gemeente-enschede"}, "to_organisation"),
        ({"contact": UNKNOWN_UUID}, "contact"),
    ):
        assert field in invalid_names(problem(ask(counter, contact, **change), 400))
    assert counts() == before


def test_two_colleagues_accept_one_consult_and_the_second_hears_who_has_it(
    api_as, counter, contact, uwv, enschede_location, counter_enschede
):
    anna = staff(uwv, Role.MEDEWERKER_UITVOERING, first_name="Anna", last_name="Smit")
    bram = staff(uwv, Role.MEDEWERKER_UITVOERING, first_name="Bram", last_name="Kok")
    as_anna, as_bram = api_as(anna), api_as(bram)
    go_on_duty(as_anna, enschede_location)
    go_on_duty(as_bram, enschede_location, reachable="telefoon")

    created = ask(counter, contact)
    assert created.status_code == 201, created.content
    consult = created.json()
    assert consult["state"] == "open"
    assert consult["expired"] is False
    assert consult["requester"]["uuid"] == str(counter_enschede.uuid)
    assert consult["from_organisation"] == "gemeente-enschede"
    assert consult["location"] == str(enschede_location.uuid)
    assert consult["contact"] == str(contact.uuid)
    uuid = consult["uuid"]

    for client in (as_anna, as_bram):
        waiting = client.get(CONSULTS).json()
        assert [c["uuid"] for c in waiting] == [uuid]
        assert waiting[0]["contact"] is None  # the receiving side does not get the contact id
    assert counter.get(CONSULTS).json() == []  # not on duty: nothing waits for me

    won = post(as_anna, f"{CONSULTS}{uuid}/accept/")
    assert won.status_code == 200, won.content
    assert won.json()["state"] == "aangenomen"
    assert won.json()["accepted_by"]["name"] == "Anna Smit"

    lost = problem(post(as_bram, f"{CONSULTS}{uuid}/accept/"), 409)
    assert lost["code"] == "already_taken"
    assert lost["detail"] == "Anna Smit heeft dit overleg al aangenomen."
    assert LiveConsult.objects.get().accepted_by == anna
    assert as_bram.get(CONSULTS).json() == []
    assert counter.get(f"{CONSULTS}{uuid}/").json()["accepted_by"]["name"] == "Anna Smit"


def test_a_colleague_not_on_duty_cannot_accept(
    api_as, counter, receiver, contact, uwv, enschede_location
):
    go_on_duty(receiver, enschede_location)
    uuid = ask(counter, contact).json()["uuid"]
    off_duty = api_as(staff(uwv, Role.MEDEWERKER_UITVOERING))
    problem(post(off_duty, f"{CONSULTS}{uuid}/accept/"), 403)
    assert LiveConsult.objects.get().state == ConsultState.OPEN


def test_consults_are_hidden_from_a_third_organisation(
    third, counter, receiver, contact, enschede_location
):
    go_on_duty(receiver, enschede_location)
    uuid = ask(counter, contact).json()["uuid"]
    problem(third.get(f"{CONSULTS}{uuid}/"), 404)
    problem(post(third, f"{CONSULTS}{uuid}/accept/"), 404)
    problem(post(third, f"{CONSULTS}{uuid}/cancel/"), 404)
    assert third.get(CONSULTS).json() == []


def test_an_expired_consult_becomes_a_referral(
    counter, receiver, contact, enschede_location, frozen
):
    go_on_duty(receiver, enschede_location)
    uuid = ask(counter, contact).json()["uuid"]
    frozen.shift(dt.timedelta(minutes=6))
    detail = counter.get(f"{CONSULTS}{uuid}/").json()
    assert detail["expired"] is True
    assert problem(post(receiver, f"{CONSULTS}{uuid}/accept/"), 409)["code"] == "not_open"
    # Only the requester converts it.
    problem(
        post(
            receiver,
            f"{CONSULTS}{uuid}/to-referral/",
            {"preferred_channel": "telefoon", "reason": "Ik neem het over."},
        ),
        403,
    )
    before = counts()
    body = problem(post(counter, f"{CONSULTS}{uuid}/to-referral/", {}), 400)
    assert invalid_names(body) == {"preferred_channel", "reason"}
    assert counts() == before

    response = post(
        counter,
        f"{CONSULTS}{uuid}/to-referral/",
        {"preferred_channel": "telefoon", "reason": "Niemand kon komen; graag terugbellen."},
    )
    assert response.status_code == 201, response.content
    referral = response.json()
    assert referral["to_organisation"] == "uwv"
    assert referral["reason"] == "Niemand kon komen; graag terugbellen."
    consult = counter.get(f"{CONSULTS}{uuid}/").json()
    assert consult["state"] == "doorverwijzing"
    assert consult["referral"] == referral["uuid"]
    again = post(
        counter,
        f"{CONSULTS}{uuid}/to-referral/",
        {"preferred_channel": "telefoon", "reason": "Nog eens."},
    )
    assert problem(again, 409)["code"] == "not_open"
    assert Referral.objects.count() == 1


def test_a_consult_is_cancelled_or_made_an_appointment(
    counter, receiver, contact, enschede_location
):
    go_on_duty(receiver, enschede_location)
    first = ask(counter, contact).json()["uuid"]
    problem(post(receiver, f"{CONSULTS}{first}/cancel/"), 403)
    cancelled = post(counter, f"{CONSULTS}{first}/cancel/")
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["state"] == "ingetrokken"
    assert problem(post(counter, f"{CONSULTS}{first}/cancel/"), 409)["code"] == "not_open"

    body = problem(post(counter, f"{CONSULTS}{first}/to-appointment/", {"note": ""}), 400)
    assert invalid_names(body) == {"note"}
    made = post(counter, f"{CONSULTS}{first}/to-appointment/", {"note": "Afspraak dinsdag 10 uur."})
    assert made.status_code == 200, made.content
    assert made.json()["state"] == "afspraak"
    assert made.json()["note"] == "Afspraak dinsdag 10 uur."


def test_a_page_of_referrals_costs_a_fixed_number_of_queries(
    counter, contact, django_assert_max_num_queries
):
    for n in range(12):
        refer(counter, contact, reason=f"Vraag {n}", consent_given=True, shared=["bsn"])
    with django_assert_max_num_queries(10):
        body = counter.get(REFERRALS).json()
    assert len(body["results"]) == 12
    with django_assert_max_num_queries(10):
        body = counter.get(REFERRALS, {"worklist": "verstuurd"}).json()
    assert len(body["results"]) == 12


# ---- findings of the review ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field", "data"),
    [
        (REFERRALS, "to_organisation", {"to_organisation": "uwv\u0000"}),
        (CONSULTS, "to_organisation", {"to_organisation": "u\u0000", "question": "WW?"}),
    ],
)
def test_a_nul_character_in_a_code_is_a_400_not_a_500(counter, contact, url, field, data):
    before = counts()
    body = {"contact": str(contact.uuid), "reason": "x", "preferred_channel": "telefoon", **data}
    assert field in invalid_names(problem(post(counter, url, body), 400))
    assert counts() == before


def test_a_shared_bsn_shown_in_a_list_is_logged(counter, receiver, contact):
    assert refer(counter, contact, consent_given=True, shared=["bsn"]).status_code == 201
    before = AccessLog.objects.count()
    rows = receiver.get(REFERRALS, {"worklist": "nieuw"}).json()["results"]
    assert rows[0]["bsn"] == contact.resident.bsn and rows[0]["resident"] is None
    assert AccessLog.objects.count() == before + 1


def test_an_htmx_request_after_the_session_expired_redirects_the_whole_page(client):
    response = client.get("/overleg/open/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/inloggen/")
    assert client.get("/overleg/open/").status_code == 302  # a normal request: the usual redirect


def test_claiming_a_referral_you_already_hold_is_idempotent(receiver, referral):
    """Issue 8: the same answer, and no new step in the history each time."""
    first = post(receiver, f"{REFERRALS}{referral.uuid}/claim/")
    second = post(receiver, f"{REFERRALS}{referral.uuid}/claim/")
    assert first.status_code == second.status_code == 200, second.content
    assert first.json() == second.json()
    assert [e["action"] for e in second.json()["events"]] == ["verstuurd", "opgepakt"]
    assert ReferralEvent.objects.filter(referral=referral, action="opgepakt").count() == 1
