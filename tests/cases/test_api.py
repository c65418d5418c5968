"""/api/v1/cases/, /consents/, /doorbraak-requests/, /case-actions/, /signals/ and /inzage/ over
HTTP (APIClient with a real token, PostgreSQL): the consent enforced on every read (no consent,
revoked or expired: 404 as if the case did not exist; parts and life domains: only what is
shared, the rest null), a legal ground, the doorbraak flow with its steps and 409s, bad input as
a 400 problem in Dutch with nothing written, early signals (idempotent per reference, partners
only), the inzage JSON listing the reads made, and the schema without warnings."""

import datetime as dt
import json

import pytest
import time_machine
from drf_spectacular.drainage import GENERATOR_STATS

from eenloket.cases.models import (
    ArrearsSignal,
    Case,
    CaseAction,
    Consent,
    DoorbraakRequest,
    DoorbraakState,
    Mandate,
    Problem,
)
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role

from ..conftest import problem
from ..factories import OrganisationFactory, ResidentFactory, staff

pytestmark = pytest.mark.django_db

# Wednesday 15 April 2026, 10:00 in Enschede.
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)
TODAY = NOW.date()
CASES = "/api/v1/cases/"
CONSENTS = "/api/v1/consents/"
DOORBRAAK = "/api/v1/doorbraak-requests/"
SIGNALS = "/api/v1/signals/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def manager(enschede):
    return staff(
        enschede, Role.CASEMANAGER, username="api.casemanager", first_name="Mila", last_name="Kok"
    )


@pytest.fixture
def corporation(db):
    return OrganisationFactory(
        code="woonbedrijf-enschede", type="woningcorporatie", name="Woonbedrijf Enschede"
    )


@pytest.fixture
def corporation_staff(corporation):
    return staff(corporation, Role.MEDEWERKER_UITVOERING, username="api.woonbedrijf")


@pytest.fixture
def anna(enschede):
    return ResidentFactory(
        municipality=enschede,
        given_names="Anna",
        surname="de Boer",
        postcode="7511GB",
        house_number=12,
    )


@pytest.fixture
def cm(api_as, manager):
    return api_as(manager)


@pytest.fixture
def case(cm, anna):
    response = cm.post(
        CASES,
        {"resident": str(anna.uuid), "title": "Huurachterstand en boetes", "goal": "Rust"},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def names(body) -> set[str]:
    return {p["name"] for p in body["invalid_params"]}


def consent_body(case, organisation="uwv", **extra):
    return {
        "case": case["uuid"],
        "organisation": organisation,
        "parts": ["persoonsgegevens", "problemen", "plan", "tijdlijn"],
        "purpose": "Schulden regelen met de inwoner",
        "basis": "toestemming",
        "given_on": TODAY.isoformat(),
        "given_how": "mondeling",
        "given_by": "De inwoner zelf",
        "in_interest": True,
        "own_request": True,
        "no_disadvantage": True,
        "informed": True,
        "valid_until": (TODAY + dt.timedelta(days=90)).isoformat(),
        **extra,
    }


def give_consent(cm, case, **extra):
    response = cm.post(CONSENTS, consent_body(case, **extra), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def add_problems(cm, case):
    for domain, text in (
        ("financien", "Huurachterstand van drie maanden"),
        ("justitie", "Openstaande boetes bij het CJIB"),
        ("wonen", "Dreigende ontruiming"),
    ):
        response = cm.post(
            f"{CASES}{case['uuid']}/problems/",
            {"domain": domain, "description": text},
            format="json",
        )
        assert response.status_code == 201, response.content


def written():
    return (
        Case.objects.count(),
        Consent.objects.count(),
        Problem.objects.count(),
        CaseAction.objects.count(),
        DoorbraakRequest.objects.count(),
        ArrearsSignal.objects.count(),
    )


# ---- the case ---------------------------------------------------------------------------------------
def test_the_case_manager_opens_a_case_and_sees_all_of_it(cm, case, anna):
    assert case["status"] == "open" and case["owner"] is True
    assert case["reference"].startswith("C2026-")
    assert case["resident"]["uuid"] == str(anna.uuid)
    assert case["resident"]["name"] == "Anna de Boer"
    assert case["problems"] == [] and case["actions"] == []
    assert case["domains"] is None
    assert "bsn" not in case["resident"]
    listed = cm.get(CASES)
    assert listed.status_code == 200
    assert [c["uuid"] for c in listed.json()] == [case["uuid"]]


def test_opening_a_case_with_bad_input_is_a_400_and_writes_nothing(cm, anna):
    before = written()
    body = problem(cm.post(CASES, {"resident": str(anna.uuid), "title": ""}, format="json"), 400)
    assert names(body) == {"title"}
    body = problem(cm.post(CASES, {"resident": "geen-uuid", "title": "Hulp"}, format="json"), 400)
    assert names(body) == {"resident"}
    assert written() == before


def test_opening_a_case_for_an_unknown_resident_is_a_404(cm):
    body = {"resident": "00000000-0000-4000-8000-000000000000", "title": "Hulp"}
    problem(cm.post(CASES, body, format="json"), 404)
    assert not Case.objects.exists()


def test_only_a_case_manager_opens_a_case(api_as, counter_enschede, anna):
    body = {"resident": str(anna.uuid), "title": "Hulp"}
    problem(api_as(counter_enschede).post(CASES, body, format="json"), 403)
    assert not Case.objects.exists()


# ---- consent enforced on every read -------------------------------------------------------------------
def test_without_consent_another_organisation_gets_404(api_as, uwv_staff, case):
    uwv = api_as(uwv_staff)
    body = problem(uwv.get(f"{CASES}{case['uuid']}/"), 404)
    assert "mag hem niet zien" in body["detail"]
    problem(uwv.get(f"{CASES}00000000-0000-4000-8000-000000000000/"), 404)
    problem(uwv.get(f"{CASES}geen-uuid/"), 404)
    problem(uwv.get(f"{CASES}{case['uuid']}/timeline/"), 404)
    problem(uwv.post(f"{CASES}{case['uuid']}/updates/", {"text": "Hoi"}, format="json"), 404)
    assert uwv.get(CASES).json() == []


def test_consent_for_financial_problems_shows_only_those(api_as, cm, uwv_staff, case):
    add_problems(cm, case)
    add_action(cm, case, "gemeente-enschede", "financien", "Betalingsregeling met de verhuurder")
    give_consent(cm, case, parts=["problemen"], domains=["financien"])
    uwv = api_as(uwv_staff)

    response = uwv.get(f"{CASES}{case['uuid']}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["owner"] is False
    assert body["parts"] == ["problemen"] and body["domains"] == ["financien"]
    assert [p["description"] for p in body["problems"]] == ["Huurachterstand van drie maanden"]
    assert body["actions"] is None and body["resident"] is None
    assert body["spending"] == []
    assert "Openstaande boetes" not in response.content.decode()
    assert "Betalingsregeling" not in response.content.decode()
    assert "de Boer" not in response.content.decode()
    problem(uwv.get(f"{CASES}{case['uuid']}/timeline/"), 403)
    listed = uwv.get(CASES).json()
    assert [(c["uuid"], c["parts"], c["open_actions"]) for c in listed] == [
        (case["uuid"], ["problemen"], None)
    ]
    # the read is logged with the consent's purpose
    row = AccessLog.objects.filter(actor_organisation="uwv", object_type="case").get()
    assert row.purpose == "Schulden regelen met de inwoner"
    assert row.channel == "api"


def test_a_revoked_consent_shows_nothing(api_as, cm, uwv_staff, case):
    consent = give_consent(cm, case)
    uwv = api_as(uwv_staff)
    assert uwv.get(f"{CASES}{case['uuid']}/").status_code == 200
    revoke = f"{CONSENTS}{consent['uuid']}/revoke/"

    # the partner cannot revoke it (only the case manager); no reason: 400, nothing changes
    problem(uwv.post(revoke, {"reason": "Wij stoppen"}, format="json"), 403)
    assert names(problem(cm.post(revoke, {}, format="json"), 400)) == {"reason"}
    assert Consent.objects.get().revoked_at is None

    response = cm.post(revoke, {"reason": "De inwoner wil het niet meer"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False and response.json()["revoked_at"]
    problem(uwv.get(f"{CASES}{case['uuid']}/"), 404)
    again = problem(cm.post(revoke, {"reason": "Nog eens"}, format="json"), 409)
    assert again["code"] == "already_revoked"


def test_an_expired_consent_shows_nothing(api_as, cm, uwv_staff, case, frozen):
    give_consent(cm, case, valid_until=(TODAY + dt.timedelta(days=10)).isoformat())
    uwv = api_as(uwv_staff)
    frozen.move_to(NOW + dt.timedelta(days=10))
    assert uwv.get(f"{CASES}{case['uuid']}/").status_code == 200
    frozen.move_to(NOW + dt.timedelta(days=11))
    problem(uwv.get(f"{CASES}{case['uuid']}/"), 404)
    assert uwv.get(CASES).json() == []


def test_a_legal_ground_opens_the_case(api_as, cm, uwv_staff, case):
    add_problems(cm, case)
    body = {
        "case": case["uuid"],
        "organisation": "uwv",
        "parts": ["persoonsgegevens", "problemen"],
        "purpose": "Re-integratie en inkomen",
        "basis": "wettelijk",
        "legal_ground": "suwi",
        "legal_article": "artikel 54",
        "valid_until": (TODAY + dt.timedelta(days=180)).isoformat(),
    }
    response = cm.post(CONSENTS, body, format="json")
    assert response.status_code == 201, response.content
    consent = response.json()
    assert consent["basis_text"].endswith("artikel 54") and consent["active"] is True
    assert consent["given_on"] is None and consent["in_interest"] is False

    seen = api_as(uwv_staff).get(f"{CASES}{case['uuid']}/").json()
    assert seen["resident"]["name"] == "Anna de Boer"
    assert len(seen["problems"]) == 3 and seen["domains"] is None
    assert seen["actions"] is None


def test_a_partner_outside_government_only_with_consent(cm, case, corporation):
    before = written()
    body = {
        "case": case["uuid"],
        "organisation": corporation.code,
        "parts": ["problemen"],
        "purpose": "Huurachterstand oplossen",
        "basis": "wettelijk",
        "legal_ground": "wgs",
        "legal_article": "artikel 3",
        "valid_until": (TODAY + dt.timedelta(days=30)).isoformat(),
    }
    assert "basis" in names(problem(cm.post(CONSENTS, body, format="json"), 400))
    assert written() == before


def test_consent_without_the_conditions_is_a_400_in_dutch_and_writes_nothing(cm, case, uwv):
    before = written()
    body = consent_body(case, in_interest=False, informed=False, given_by="")
    body.pop("valid_until")
    response = problem(cm.post(CONSENTS, body, format="json"), 400)
    reasons = {p["name"]: p["reason"] for p in response["invalid_params"]}
    assert set(reasons) == {"in_interest", "informed", "given_by", "valid_until"}
    assert reasons["informed"] == "Leg de inwoner eerst uit wat u deelt, waarom en met wie."
    assert all("klant" not in r.lower() for r in reasons.values())
    bad = consent_body(case, parts=["alles"], organisation="bestaat-niet")
    assert names(problem(cm.post(CONSENTS, bad, format="json"), 400)) == {
        "parts.0",
        "organisation",
    }
    assert written() == before


def test_a_partner_who_sees_the_case_cannot_change_its_plan(api_as, cm, uwv_staff, case):
    give_consent(cm, case)
    uwv = api_as(uwv_staff)
    body = {"domain": "financien", "description": "Ook dit"}
    problem(uwv.post(f"{CASES}{case['uuid']}/problems/", body, format="json"), 403)
    assert not Problem.objects.exists()
    # but it writes an update within what is shared
    response = uwv.post(
        f"{CASES}{case['uuid']}/updates/",
        {"text": "Uitkering loopt weer", "domain": "werk-inkomen"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation"]["code"] == "uwv"


def add_action(cm, case, owner, domain, description):
    response = cm.post(
        f"{CASES}{case['uuid']}/actions/",
        {
            "domain": domain,
            "description": description,
            "owner": owner,
            "due_on": (TODAY + dt.timedelta(days=5)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_case_manager_adds_an_action_to_the_plan(cm, case, uwv_staff):
    involve_uwv(cm, case, uwv_staff)
    made = cm.post(
        f"{CASES}{case['uuid']}/actions/",
        {
            "domain": "werk-inkomen",
            "description": "Uitkering herstellen",
            "owner": "uwv",
            "due_on": (TODAY + dt.timedelta(days=5)).isoformat(),
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["owner"]["code"] == "uwv" and made.json()["status"] == "open"
    task = CaseAction.objects.get().task
    assert task.organisation.code == "uwv" and task.assigned_to == uwv_staff


def test_adding_an_action_with_bad_input_is_a_400_and_writes_nothing(cm, case, uwv):
    before = written()
    body = {"domain": "", "description": "", "owner": "uwv", "due_on": "2026-04-01"}
    response = problem(cm.post(f"{CASES}{case['uuid']}/actions/", body, format="json"), 400)
    assert names(response) == {"domain", "description", "owner", "due_on"}
    assert written() == before


def test_actions_are_finished_by_their_organisation(
    api_as, cm, uwv_staff, case, counter_maastricht, uwv
):
    give_consent(cm, case)
    party = cm.post(
        f"{CASES}{case['uuid']}/parties/",
        {"organisation": "gemeente-maastricht", "role_in_case": "Vorige gemeente"},
        format="json",
    )
    assert party.status_code == 201, party.content
    action = add_action(cm, case, "uwv", "werk-inkomen", "Uitkering herstellen")
    made = cm.get(f"{CASES}{case['uuid']}/").json()["actions"]
    assert [a["uuid"] for a in made] == [action["uuid"]]
    finish = f"/api/v1/case-actions/{action['uuid']}/finish/"
    problem(api_as(counter_maastricht).post(finish, {}, format="json"), 404)
    problem(api_as(uwv_staff).post("/api/v1/case-actions/geen-uuid/finish/", {}), 404)

    # closing with an open action is refused; nothing changes
    close = {"reason": "doel-bereikt", "evaluation": "Betalingsregeling loopt"}
    assert "__all__" in names(problem(cm.post(f"{CASES}{case['uuid']}/close/", close), 400))

    done = api_as(uwv_staff).post(finish, {"result": "Hersteld per 1 mei"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "klaar" and done.json()["owner"]["code"] == "uwv"
    assert problem(api_as(uwv_staff).post(finish, {}), 409)["code"] == "action_finished"

    closed = cm.post(f"{CASES}{case['uuid']}/close/", close, format="json")
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "gesloten"
    problem(api_as(uwv_staff).get(f"{CASES}{case['uuid']}/"), 404)
    body = problem(cm.post(f"{CASES}{case['uuid']}/problems/", {"domain": "wonen"}), 409)
    assert body["code"] == "case_closed"


def test_the_timeline_for_the_case_manager(cm, case):
    response = cm.get(f"{CASES}{case['uuid']}/timeline/")
    assert response.status_code == 200, response.content
    assert isinstance(response.json(), list)


# ---- doorbraak -------------------------------------------------------------------------------------
def involve_uwv(cm, case, uwv_staff):
    party = cm.post(
        f"{CASES}{case['uuid']}/parties/",
        {"organisation": "uwv", "contact_person": str(uwv_staff.uuid)},
        format="json",
    )
    assert party.status_code == 201, party.content
    give_consent(cm, case)


def ask(cm, case, **extra):
    body = {
        "case": case["uuid"],
        "to_organisation": "uwv",
        "kind": "invordering-pauzeren",
        "motivation": "De inwoner kan de terugvordering nu niet betalen.",
        "amount": "1250.00",
        "answer_by": (TODAY + dt.timedelta(days=7)).isoformat(),
        **extra,
    }
    return cm.post(DOORBRAAK, body, format="json")


def test_the_doorbraak_flow(api_as, cm, case, uwv_staff):
    involve_uwv(cm, case, uwv_staff)
    sent = ask(cm, case)
    assert sent.status_code == 201, sent.content
    request = sent.json()
    assert request["state"] == "gevraagd" and request["amount"] == "1250.00"
    assert request["available_actions"] == ["withdraw"]

    uwv = api_as(uwv_staff)
    inbox = uwv.get(DOORBRAAK)
    assert inbox.status_code == 200
    (row,) = inbox.json()
    assert row["uuid"] == request["uuid"]
    assert row["available_actions"] == ["grant", "partly", "refuse"]

    granted = uwv.post(f"{DOORBRAAK}{request['uuid']}/grant/", {"answer": "Akkoord"})
    assert granted.status_code == 200, granted.content
    assert granted.json()["state"] == "toegekend"
    assert granted.json()["available_actions"] == []

    seen = cm.get(f"{DOORBRAAK}{request['uuid']}/").json()
    assert (seen["state"], seen["answer"]) == ("toegekend", "Akkoord")
    detail = cm.get(f"{CASES}{case['uuid']}/").json()
    assert [d["state"] for d in detail["doorbraak_requests"]] == ["toegekend"]

    late = problem(uwv.post(f"{DOORBRAAK}{request['uuid']}/refuse/", {}), 409)
    assert late["code"] == "invalid_transition"
    assert uwv.get(DOORBRAAK).json() == []
    assert len(uwv.get(DOORBRAAK, {"open_only": "false"}).json()) == 1


def test_a_refusal_without_a_reason_is_a_400_and_changes_nothing(api_as, cm, case, uwv_staff):
    involve_uwv(cm, case, uwv_staff)
    request = ask(cm, case).json()
    uwv = api_as(uwv_staff)
    body = problem(uwv.post(f"{DOORBRAAK}{request['uuid']}/refuse/", {}, format="json"), 400)
    assert names(body) == {"answer", "refusal_reason"}
    body = problem(
        uwv.post(
            f"{DOORBRAAK}{request['uuid']}/refuse/",
            {"answer": "Kan niet", "refusal_reason": "wet"},
            format="json",
        ),
        400,
    )
    assert names(body) == {"obstructing_rule"}
    saved = DoorbraakRequest.objects.get()
    assert (saved.state, saved.answered_at, saved.answer) == (DoorbraakState.SENT, None, "")

    # the case manager cannot answer for the organisation; the receiver cannot withdraw
    problem(cm.post(f"{DOORBRAAK}{request['uuid']}/grant/", {}), 403)
    problem(uwv.post(f"{DOORBRAAK}{request['uuid']}/withdraw/"), 403)
    refused = uwv.post(
        f"{DOORBRAAK}{request['uuid']}/refuse/",
        {"answer": "Kan niet", "refusal_reason": "wet", "obstructing_rule": "Art. 36 Pw"},
        format="json",
    )
    assert refused.status_code == 200, refused.content
    assert refused.json()["state"] == "geweigerd"


def test_a_doorbraak_needs_a_consent_first_and_bad_input_writes_nothing(cm, case, uwv):
    cm.post(f"{CASES}{case['uuid']}/parties/", {"organisation": "uwv"}, format="json")
    before = written()
    body = problem(ask(cm, case), 400)
    assert names(body) == {"to_organisation"}
    body = problem(ask(cm, case, kind="", amount="veel", answer_by=TODAY.isoformat()), 400)
    assert {"kind", "amount", "answer_by"} <= names(body)
    assert written() == before


def test_a_pause_under_mandate_and_its_overturn(api_as, cm, case, uwv_staff, enschede, uwv):
    involve_uwv(cm, case, uwv_staff)
    Mandate.objects.create(
        municipality=enschede,
        organisation=uwv,
        kinds=["invordering-pauzeren"],
        max_days=60,
        valid_from=TODAY - dt.timedelta(days=30),
        agreement="Convenant schulden 2026",
    )
    too_long = problem(ask(cm, case, mandate=True, pause_days=90), 400)
    assert names(too_long) == {"pause_days"}
    paused = ask(cm, case, mandate=True, pause_days=30)
    assert paused.status_code == 201, paused.content
    body = paused.json()
    assert body["state"] == "gepauzeerd"
    assert body["mandate"]["agreement"] == "Convenant schulden 2026"
    assert body["paused_until"] == (TODAY + dt.timedelta(days=30)).isoformat()

    uwv_client = api_as(uwv_staff)
    actions = uwv_client.get(f"{DOORBRAAK}{body['uuid']}/").json()["available_actions"]
    assert actions == ["confirm", "overturn"]
    assert names(problem(uwv_client.post(f"{DOORBRAAK}{body['uuid']}/overturn/", {}), 400)) == {
        "answer"
    }
    done = uwv_client.post(
        f"{DOORBRAAK}{body['uuid']}/overturn/", {"answer": "Beslag loopt al"}, format="json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "teruggedraaid"


def test_an_unknown_doorbraak_request_is_a_404(cm):
    problem(cm.get(f"{DOORBRAAK}00000000-0000-4000-8000-000000000000/"), 404)
    problem(cm.post(f"{DOORBRAAK}geen-uuid/grant/", {}), 404)


# ---- early signals --------------------------------------------------------------------------------------
def signal(**extra):
    return {
        "reference": "HUUR-2026-0042",
        "kind": "huur",
        "amount": "1450.00",
        "months": 3,
        "surname": "de Boer",
        "postcode": "7511 gb",
        "house_number": 12,
        **extra,
    }


def test_a_signal_twice_is_one_signal(api_as, corporation_staff, anna):
    client = api_as(corporation_staff)
    first = client.post(SIGNALS, signal(), format="json")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["postcode"] == "7511GB" and body["amount"] == "1450.00"
    assert body["municipality"]["code"] == "gemeente-enschede"
    assert "resident" not in body  # the partner does not learn whom the register matched

    again = client.post(SIGNALS, signal(amount="99.00"), format="json")
    assert again.status_code == 200, again.content
    assert again.json()["uuid"] == body["uuid"] and again.json()["amount"] == "1450.00"
    assert ArrearsSignal.objects.count() == 1
    assert ArrearsSignal.objects.get().resident == anna


def test_a_signal_with_a_bad_postcode_is_a_400_and_writes_nothing(api_as, corporation_staff):
    client = api_as(corporation_staff)
    body = problem(client.post(SIGNALS, signal(postcode="75 11"), format="json"), 400)
    assert names(body) == {"postcode"}
    assert body["invalid_params"][0]["reason"] == "Geef een postcode zoals 7511 AB."
    body = problem(client.post(SIGNALS, signal(amount="-5", months=0), format="json"), 400)
    assert names(body) == {"amount", "months"}
    assert not ArrearsSignal.objects.exists()


def test_only_partners_report_signals(api_as, uwv_staff, counter_enschede, anna):
    problem(api_as(uwv_staff).post(SIGNALS, signal(), format="json"), 403)
    problem(api_as(counter_enschede).post(SIGNALS, signal(), format="json"), 403)
    assert not ArrearsSignal.objects.exists()


def test_the_municipality_lists_signals_and_records_the_offer(
    api_as, corporation_staff, counter_enschede, anna
):
    made = api_as(corporation_staff).post(SIGNALS, signal(), format="json").json()
    problem(api_as(corporation_staff).get(SIGNALS), 403)
    problem(api_as(corporation_staff).post(f"{SIGNALS}{made['uuid']}/offer/", {}), 404)

    team = api_as(counter_enschede)
    listed = team.get(SIGNALS)
    assert listed.status_code == 200, listed.content
    (row,) = listed.json()
    assert row["resident"] == str(anna.uuid) and row["reporter"]["code"] == "woonbedrijf-enschede"
    assert AccessLog.objects.filter(object_type="arrears-signal", channel="api").exists()

    offer = f"{SIGNALS}{made['uuid']}/offer/"
    assert names(problem(team.post(offer, {"how": "telefoon"}), 400)) == {"outcome"}
    done = team.post(offer, {"how": "telefoon", "outcome": "hulp-aangenomen"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["outcome"] == "hulp-aangenomen"
    again = problem(team.post(offer, {"how": "brief", "outcome": "niet-bereikt"}), 409)
    assert again["code"] == "signal_done"
    assert team.get(SIGNALS).json() == []


# ---- inzage -------------------------------------------------------------------------------------------
def test_the_inzage_lists_the_reads_made(api_as, cm, case, uwv_staff, privacy_officer, anna):
    give_consent(cm, case)
    assert api_as(uwv_staff).get(f"{CASES}{case['uuid']}/").status_code == 200
    assert cm.get(f"{CASES}{case['uuid']}/").status_code == 200

    response = api_as(privacy_officer).get("/api/v1/inzage/", {"bsn": anna.bsn})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    export = json.loads(b"".join(response.streaming_content))
    rows = export["regels"]
    case_rows = [r for r in rows if r["gegevens"].startswith("Uw casus")]
    assert {r["organisatie"] for r in case_rows} == {"Gemeente Enschede", "UWV"}
    uwv_row = next(r for r in case_rows if r["organisatie"] == "UWV")
    assert uwv_row["doel"] == "Schulden regelen met de inwoner"
    assert uwv_row["kanaal"] == "api" and uwv_row["handeling"] == "bekeken"
    assert rows[-1]["gegevens"] == "Dit overzicht"  # the export itself is logged
    text = json.dumps(export, ensure_ascii=False)
    assert "Mila" not in text and "Kok" not in text  # no employees' names
    assert "klant" not in text.lower()


def test_the_inzage_is_for_the_privacy_officer_with_a_valid_bsn(api_as, cm, privacy_officer, anna):
    problem(cm.get("/api/v1/inzage/", {"bsn": anna.bsn}), 403)
    body = problem(api_as(privacy_officer).get("/api/v1/inzage/", {"bsn": "123456789"}), 400)
    assert names(body) == {"bsn"}
    assert names(problem(api_as(privacy_officer).get("/api/v1/inzage/"), 400)) == {"bsn"}


def test_the_case_inzage_for_the_case_manager(api_as, cm, case, uwv_staff):
    assert cm.get(f"{CASES}{case['uuid']}/").status_code == 200
    response = cm.get(f"{CASES}{case['uuid']}/inzage/")
    assert response.status_code == 200
    export = json.loads(b"".join(response.streaming_content))
    assert export["casus"] == case["reference"]
    assert any(r["gegevens"].startswith("Uw casus") for r in export["regels"])
    problem(api_as(uwv_staff).get(f"{CASES}{case['uuid']}/inzage/"), 403)
    problem(cm.get(f"{CASES}00000000-0000-4000-8000-000000000000/inzage/"), 404)


# ---- OpenAPI ----------------------------------------------------------------------------------------
def test_the_schema_documents_the_endpoints_without_warnings(api_as, manager):
    GENERATOR_STATS.reset()
    response = api_as(manager).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, dict(
        GENERATOR_STATS._warn_cache
    )
    paths = json.loads(response.content)["paths"]
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{uuid}/",
        "/api/v1/cases/{uuid}/close/",
        "/api/v1/cases/{uuid}/parties/",
        "/api/v1/cases/{uuid}/problems/",
        "/api/v1/cases/{uuid}/actions/",
        "/api/v1/cases/{uuid}/updates/",
        "/api/v1/cases/{uuid}/timeline/",
        "/api/v1/cases/{uuid}/inzage/",
        "/api/v1/case-actions/{uuid}/finish/",
        "/api/v1/consents/",
        "/api/v1/consents/{uuid}/revoke/",
        "/api/v1/doorbraak-requests/",
        "/api/v1/doorbraak-requests/{uuid}/",
        "/api/v1/doorbraak-requests/{uuid}/grant/",
        "/api/v1/doorbraak-requests/{uuid}/partly/",
        "/api/v1/doorbraak-requests/{uuid}/refuse/",
        "/api/v1/doorbraak-requests/{uuid}/confirm/",
        "/api/v1/doorbraak-requests/{uuid}/overturn/",
        "/api/v1/doorbraak-requests/{uuid}/withdraw/",
        "/api/v1/signals/",
        "/api/v1/signals/{uuid}/offer/",
        "/api/v1/inzage/",
    ):
        assert path in paths, path
    grant = paths["/api/v1/doorbraak-requests/{uuid}/grant/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409"} <= set(grant)
    assert {"200", "201", "400", "403"} <= set(paths["/api/v1/signals/"]["post"]["responses"])
