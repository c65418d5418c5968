"""The screens of cases over the Django test client: every page for the right user and refused
(403, or 404 where its existence is not to be told) for the wrong one; what a partner sees of a
case (only the parts and life domains its consent opens); every step of the case manager's
panels with good input (written) and bad input (400, the Dutch error on the page, nothing
written); a partner posting an owner step (refused, nothing written); the doorbraak answer and
the offer on an arrears signal through their forms.

Only Dutch texts are asserted (the English translation may be incomplete).

Wednesday 15 April 2026, 10:00 in Enschede."""

import datetime as dt
import html
import io
import json

import pytest
import time_machine
from pypdf import PdfReader

from eenloket.cases import services
from eenloket.cases.models import (
    BudgetSpending,
    Case,
    CaseAction,
    CaseParty,
    CaseUpdate,
    Conference,
    Consent,
    DoorbraakBudget,
    DoorbraakRequest,
    Problem,
)
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import Notification
from eenloket.core.roles import Role
from eenloket.worklist.models import Task

from ..factories import ContactMomentFactory, staff

pytestmark = pytest.mark.django_db

D = dt.date
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)  # Wednesday

MONEY = "Schuld bij de energieleverancier van 2.400 euro"
HOUSING = "Huurachterstand van drie maanden, dreigende ontruiming"
FINES = "Openstaande verkeersboetes met verhogingen"
MONEY_ACTION = "Huurtoeslag 2025 opnieuw berekenen"
HOUSING_ACTION = "Gesprek met de verhuurder over een betalingsregeling"
CJIB_PURPOSE = "Betalingsregeling voor de verkeersboetes treffen"
CJIB_UPDATE = "De boetes staan stil tot het plan rond is"
CONTACT = "Vraag over kwijtschelding van de gemeentebelasting"
OWNER_PANELS = (
    "betrekken",
    "toestemming",
    "probleem",
    "actie",
    "doorbraak",
    "overleg",
    "uitgave",
    "sluiten",
)


def page(response) -> str:
    return html.unescape(response.content.decode())


def written() -> dict:
    """Everything a step of a case can write."""
    return {
        "parties": CaseParty.objects.count(),
        "consents": Consent.objects.count(),
        "revoked": Consent.objects.filter(revoked_at__isnull=False).count(),
        "problems": Problem.objects.count(),
        "solved": Problem.objects.filter(solved_at__isnull=False).count(),
        "actions": CaseAction.objects.count(),
        "finished": CaseAction.objects.exclude(status="open").count(),
        "updates": CaseUpdate.objects.count(),
        "doorbraak": DoorbraakRequest.objects.count(),
        "doorbraak_states": sorted(DoorbraakRequest.objects.values_list("state", flat=True)),
        "conferences": Conference.objects.count(),
        "spending": BudgetSpending.objects.count(),
        "closed": Case.objects.filter(status="gesloten").count(),
        "tasks": Task.objects.count(),
        "open_tasks": Task.objects.filter(state="open").count(),
        "notifications": Notification.objects.count(),
    }


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# ---- the case as the tests find it ------------------------------------------------------------------
@pytest.fixture
def partner_consent(grant, toeslagen, toeslagen_staff):
    """Dienst Toeslagen sees the problems and the plan, only of "Geld en schulden"."""
    return grant(
        toeslagen,
        parts=["problemen", "plan"],
        domains=["financien"],
        purpose="Terugvordering huurtoeslag afstemmen",
    )


@pytest.fixture
def cjib_consent(grant, cjib, cjib_staff):
    return grant(
        cjib,
        parts=["persoonsgegevens", "problemen", "plan", "tijdlijn"],
        domains=["justitie"],
        purpose=CJIB_PURPOSE,
    )


@pytest.fixture
def filled(case, case_manager, enschede, toeslagen, cjib, partner_consent, cjib_consent, resident):
    """Three problems and two actions in three life domains, a message of CJIB and a contact at
    the counter (for the timeline)."""
    problems = {
        "financien": services.add_problem(
            user=case_manager, case=case, domain="financien", description=MONEY
        ),
        "wonen": services.add_problem(
            user=case_manager, case=case, domain="wonen", description=HOUSING, urgent=True
        ),
        "justitie": services.add_problem(
            user=case_manager, case=case, domain="justitie", description=FINES
        ),
    }
    actions = {
        "financien": services.add_action(
            user=case_manager,
            case=case,
            domain="financien",
            description=MONEY_ACTION,
            owner=toeslagen,
            due_on=D(2026, 4, 29),
        ),
        "wonen": services.add_action(
            user=case_manager,
            case=case,
            domain="wonen",
            description=HOUSING_ACTION,
            owner=enschede,
            due_on=D(2026, 4, 22),
        ),
    }
    cjib_user = staff(cjib, Role.MEDEWERKER_UITVOERING, username="boetes.cjib")
    services.add_update(user=cjib_user, case=case, text=CJIB_UPDATE, domain="justitie")
    ContactMomentFactory(
        organisation=enschede, staff=case_manager, resident=resident, question=CONTACT
    )
    return {"problems": problems, "actions": actions}


@pytest.fixture
def doorbraak(case, case_manager, cjib, cjib_consent):
    return services.send_doorbraak(
        user=case_manager,
        case=case,
        to_organisation=cjib,
        kind="invordering-pauzeren",
        motivation="Anna kan de boetes niet betalen zolang de schuldhulp nog niet loopt.",
        answer_by=D(2026, 4, 22),
        pause_days=90,
        subject_reference="CJIB-2026-118",
    )


@pytest.fixture
def signal(housing_staff, resident, debt_team):
    made, _created = services.receive_signal(
        user=housing_staff,
        kind="huur",
        amount="1350.00",
        months=3,
        surname="de Boer",
        postcode="7511GB",
        house_number=12,
        reference="WT-2026-0415",
    )
    return made


@pytest.fixture
def conference(case, case_manager, toeslagen, partner_consent):
    return services.plan_conference(
        user=case_manager,
        case=case,
        starts_at=dt.datetime(2026, 4, 20, 14, 0, tzinfo=AMSTERDAM),
        ends_at=dt.datetime(2026, 4, 20, 15, 0, tzinfo=AMSTERDAM),
        place="Stadhuis Enschede, kamer 2.14",
        organisations=[toeslagen],
        agenda="Terugvordering en betalingsregeling",
    )


@pytest.fixture
def budget(enschede):
    return DoorbraakBudget.objects.create(municipality=enschede, year=2026, amount="5000.00")


@pytest.fixture
def housing_party(case, case_manager, housing):
    """Woonstede Twente involved, without a consent yet."""
    return services.add_party(user=case_manager, case=case, organisation=housing)


@pytest.fixture
def maastricht_staff(maastricht):
    return staff(maastricht, Role.CASEMANAGER, username="casemanager.maastricht")


# ---- the list --------------------------------------------------------------------------------------
def test_the_case_manager_lists_the_case_with_everything(ui_as, case_manager, case):
    response = ui_as(case_manager).get("/casussen/")
    assert response.status_code == 200
    text = page(response)
    assert case.title in text and case.reference in text
    assert "Alles (uw gemeente voert de regie)" in text
    assert "Mijn casussen" in text and "Wat staat in de weg?" in text


def test_a_partner_lists_only_a_case_shared_with_it(
    ui_as, case, partner_consent, toeslagen_staff, cjib_staff
):
    text = page(ui_as(toeslagen_staff).get("/casussen/"))
    assert case.title in text and "Wat de toestemming toestaat" in text
    assert "Mijn casussen" not in text and "Wat staat in de weg?" not in text
    response = ui_as(cjib_staff).get("/casussen/")  # no consent for CJIB
    assert response.status_code == 200
    assert case.title not in page(response) and case.reference not in page(response)


def test_a_closed_case_is_listed_for_its_owner_only(
    ui_as, case, case_manager, partner_consent, toeslagen_staff
):
    services.close_case(user=case_manager, case=case, reason="doel-bereikt", evaluation="Rust")
    assert case.title not in page(ui_as(case_manager).get("/casussen/"))
    assert case.title in page(ui_as(case_manager).get("/casussen/?status=gesloten"))
    assert case.title not in page(ui_as(toeslagen_staff).get("/casussen/?status=gesloten"))
    assert ui_as(toeslagen_staff).get(f"/casussen/{case.uuid}/").status_code == 404
    assert ui_as(case_manager).get(f"/casussen/{case.uuid}/").status_code == 200


@pytest.mark.parametrize("who", ["privacy_officer", "no_membership_user"])
def test_without_a_contact_role_the_list_is_refused(request, ui_as, who, case):
    assert ui_as(request.getfixturevalue(who)).get("/casussen/").status_code == 403


def test_signed_out_every_page_sends_to_the_login(
    client, case, doorbraak, signal, conference, resident
):
    for url in (
        "/casussen/",
        f"/casussen/nieuw/{resident.uuid}/",
        "/casussen/patronen/",
        f"/casussen/{case.uuid}/",
        f"/casussen/{case.uuid}/overleg/{conference.uuid}.ics",
        "/doorbraak/",
        f"/doorbraak/{doorbraak.uuid}/",
        "/signalen/",
        f"/signalen/{signal.uuid}/",
        "/inzage/",
        f"/inzage/casus/{case.uuid}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response.url, url
    before = written()
    response = client.post(f"/casussen/{case.uuid}/probleem/", {"probleem-domain": "wonen"})
    assert response.status_code == 302 and "/inloggen/" in response.url
    assert written() == before


# ---- opening a case ---------------------------------------------------------------------------------
def test_the_case_manager_opens_a_case_for_a_resident(ui_as, case_manager, resident):
    client = ui_as(case_manager)
    response = client.get(f"/casussen/nieuw/{resident.uuid}/")
    assert response.status_code == 200
    assert "Casus openen voor" in page(response)
    response = client.post(
        f"/casussen/nieuw/{resident.uuid}/",
        {"title": "Schulden en een dreigende ontruiming", "goal": "Blijven wonen"},
    )
    case = Case.objects.get(title="Schulden en een dreigende ontruiming")
    assert response.status_code == 302 and response.url == f"/casussen/{case.uuid}/"
    assert case.case_manager == case_manager and case.resident == resident
    text = page(client.get(response.url))
    assert f"Casus {case.reference} is geopend." in text


def test_opening_without_a_title_shows_the_dutch_error_and_writes_nothing(
    ui_as, case_manager, resident
):
    response = ui_as(case_manager).post(f"/casussen/nieuw/{resident.uuid}/", {"title": "  "})
    assert response.status_code in (200, 400)
    assert "Dit veld is vereist." in page(response)
    assert Case.objects.count() == 0


def test_opening_a_case_is_for_a_case_manager_of_a_municipality_that_sees_the_resident(
    ui_as, resident, counter_enschede, toeslagen_staff, maastricht_staff
):
    # The counter sees Anna but manages no cases; Toeslagen and Maastricht do not see her.
    assert ui_as(counter_enschede).get(f"/casussen/nieuw/{resident.uuid}/").status_code == 403
    assert ui_as(toeslagen_staff).get(f"/casussen/nieuw/{resident.uuid}/").status_code == 404
    response = ui_as(maastricht_staff).post(
        f"/casussen/nieuw/{resident.uuid}/", {"title": "Schulden"}
    )
    assert response.status_code == 404
    assert Case.objects.count() == 0


def test_an_unknown_resident_is_a_404(ui_as, case_manager):
    import uuid

    assert ui_as(case_manager).get(f"/casussen/nieuw/{uuid.uuid4()}/").status_code == 404


# ---- one case: the owner and a partner -------------------------------------------------------------
def test_the_owner_sees_the_whole_case_and_every_panel(ui_as, case_manager, case, filled):
    response = ui_as(case_manager).get(f"/casussen/{case.uuid}/")
    assert response.status_code == 200
    text = page(response)
    for shown in (MONEY, HOUSING, FINES, MONEY_ACTION, HOUSING_ACTION, CJIB_UPDATE, CONTACT):
        assert shown in text, shown
    assert "Terugvordering huurtoeslag afstemmen" in text and CJIB_PURPOSE in text
    assert "Tijdlijn" in text
    for slug in (*OWNER_PANELS, "bericht"):
        assert f'id="paneel-{slug}"' in text, slug
    assert "Wie heeft deze casus gebruikt?" in text
    assert "Huishouden De Boer / El Idrissi" in text


def test_a_partner_sees_only_the_financial_problems_and_plan(ui_as, toeslagen_staff, case, filled):
    response = ui_as(toeslagen_staff).get(f"/casussen/{case.uuid}/")
    assert response.status_code == 200
    text = page(response)
    assert "Gemeente Enschede deelt een deel van deze casus met uw organisatie." in text
    assert "alleen Geld en schulden" in text
    assert MONEY in text and MONEY_ACTION in text
    for hidden in (HOUSING, FINES, HOUSING_ACTION):
        assert hidden not in text, hidden
    # Not the timeline (no contacts of the municipality, no messages of others).
    assert "Tijdlijn" not in text and CONTACT not in text and CJIB_UPDATE not in text
    # Not the other parties or their consents.
    assert CJIB_PURPOSE not in text and "CJIB" not in text
    # No owner panels and no owner extras; a message of its own it may write.
    for slug in OWNER_PANELS:
        assert f'id="paneel-{slug}"' not in text, slug
    assert 'id="paneel-bericht"' in text
    assert "Wie heeft deze casus gebruikt?" not in text
    assert "Doorbraakbudget" not in text
    assert "Huishouden De Boer / El Idrissi" not in text
    # It may finish its own action, not the municipality's.
    assert "Afronden" in text
    assert text.count('name="actie-afronden-action"') == 1


def test_a_partner_without_personal_data_does_not_see_the_residents_name(
    ui_as, toeslagen_staff, case, filled, resident
):
    text = page(ui_as(toeslagen_staff).get(f"/casussen/{case.uuid}/"))
    assert resident.full_name not in text
    assert resident.surname not in text


def test_a_partners_message_stays_within_its_life_domains(ui_as, toeslagen_staff, case, filled):
    client = ui_as(toeslagen_staff)
    before = written()
    response = client.post(
        f"/casussen/{case.uuid}/bericht/",
        {"bericht-text": "Herberekening loopt", "bericht-domain": "wonen"},
    )
    assert response.status_code == 400
    assert "Controleer wat u heeft ingevuld." in page(response)
    assert written() == before
    response = client.post(
        f"/casussen/{case.uuid}/bericht/",
        {"bericht-text": "Herberekening loopt", "bericht-domain": "financien"},
    )
    assert response.status_code == 302
    update = CaseUpdate.objects.get(text="Herberekening loopt")
    assert update.organisation.name == "Dienst Toeslagen" and update.domain == "financien"


def test_a_partner_finishes_its_own_action(ui_as, toeslagen_staff, case, filled):
    action = filled["actions"]["financien"]
    response = ui_as(toeslagen_staff).post(
        f"/casussen/{case.uuid}/actie-afronden/",
        {
            "actie-afronden-action": str(action.uuid),
            "actie-afronden-done": "1",
            "actie-afronden-result": "Nieuwe beschikking verstuurd",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "klaar" and action.result == "Nieuwe beschikking verstuurd"


@pytest.mark.parametrize("who", ["cjib_staff", "housing_staff", "counter_maastricht"])
def test_without_a_consent_the_case_is_a_404(request, ui_as, who, case, cjib):
    """CJIB here has no consent (no cjib_consent fixture), the corporation and Maastricht none."""
    response = ui_as(request.getfixturevalue(who)).get(f"/casussen/{case.uuid}/")
    assert response.status_code == 404
    assert case.title not in page(response)


def test_an_unknown_or_revoked_case_is_a_404(
    ui_as, case_manager, toeslagen_staff, case, partner_consent
):
    import uuid

    assert ui_as(case_manager).get(f"/casussen/{uuid.uuid4()}/").status_code == 404
    services.revoke_consent(user=case_manager, consent=partner_consent, reason="Anna stopt")
    assert ui_as(toeslagen_staff).get(f"/casussen/{case.uuid}/").status_code == 404


# ---- the case manager's steps ---------------------------------------------------------------------
@pytest.fixture
def cm(ui_as, case_manager):
    return ui_as(case_manager)


def consent_data(organisation, **changes):
    data = {
        "toestemming-organisation": str(organisation.uuid),
        "toestemming-basis": "toestemming",
        "toestemming-parts": ["problemen"],
        "toestemming-domains": ["wonen"],
        "toestemming-purpose": "Huurachterstand oplossen met een betalingsregeling",
        "toestemming-valid_from": "2026-04-15",
        "toestemming-valid_until": "2026-10-15",
        "toestemming-given_on": "2026-04-15",
        "toestemming-given_how": "mondeling",
        "toestemming-given_by": "Anna de Boer",
        "toestemming-in_interest": "on",
        "toestemming-own_request": "on",
        "toestemming-no_disadvantage": "on",
        "toestemming-informed": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_bad(client, case, step, data, *errors):
    """Post bad input: 400, the panel open again, each Dutch error on the page, nothing written."""
    before = written()
    response = client.post(f"/casussen/{case.uuid}/{step}/", data)
    assert response.status_code == 400, response.status_code
    text = page(response)
    for error in errors:
        assert error in text, error
    assert written() == before
    return text


def post_good(client, case, step, data):
    response = client.post(f"/casussen/{case.uuid}/{step}/", data)
    assert response.status_code == 302, page(response)[-3000:]
    assert response.url == f"/casussen/{case.uuid}/"
    return page(client.get(response.url))


def test_step_betrekken(cm, case, housing, cjib):
    text = post_bad(
        cm, case, "betrekken", {"betrekken-party": ""}, "Controleer wat u heeft ingevuld."
    )
    assert 'id="paneel-betrekken" open' in text
    assert "Dit veld is vereist." in text
    text = post_good(
        cm,
        case,
        "betrekken",
        {"betrekken-party": f"org:{housing.uuid}", "betrekken-role_in_case": "Verhuurder"},
    )
    assert "Woonstede Twente is betrokken." in text
    party = CaseParty.objects.get(case=case, organisation=housing)
    assert party.role_in_case == "Verhuurder" and party.contact_person is None
    assert not Consent.objects.filter(organisation=housing).exists()
    # Involved once: offered no more, so a second time is not a valid choice.
    post_bad(cm, case, "betrekken", {"betrekken-party": f"org:{housing.uuid}"}, "geldige keuze")


def test_step_toestemming(cm, case, housing, housing_party):
    text = post_bad(
        cm,
        case,
        "toestemming",
        consent_data(housing, **{"toestemming-no_disadvantage": None}),
        "De inwoner moet nee kunnen zeggen zonder nadeel.",
    )
    assert 'id="paneel-toestemming" open' in text
    post_bad(
        cm,
        case,
        "toestemming",
        consent_data(
            housing,
            **{
                "toestemming-basis": "wettelijk",
                "toestemming-legal_ground": "wgs",
                "toestemming-legal_article": "artikel 3",
            },
        ),
        "Met een organisatie buiten de overheid deelt u alleen met toestemming van de inwoner.",
    )
    post_bad(
        cm,
        case,
        "toestemming",
        consent_data(housing, **{"toestemming-valid_until": "2026-04-01"}),
        "De einddatum ligt voor de begindatum.",
    )
    text = post_good(cm, case, "toestemming", consent_data(housing))
    assert "Vastgelegd: Woonstede Twente mag dit zien tot en met donderdag 15 oktober 2026." in text
    consent = Consent.objects.get(case=case, organisation=housing)
    assert consent.parts == ["problemen"] and consent.domains == ["wonen"]
    assert consent.is_active(D(2026, 4, 15))


def test_step_intrekken(cm, case, partner_consent):
    text = post_bad(
        cm,
        case,
        "intrekken",
        {"intrekken-consent": str(partner_consent.uuid), "intrekken-reason": "  "},
        "Schrijf op waarom het delen stopt.",
    )
    assert "Delen met Dienst Toeslagen stoppen" in text
    text = post_good(
        cm,
        case,
        "intrekken",
        {
            "intrekken-consent": str(partner_consent.uuid),
            "intrekken-reason": "Anna wil niet meer delen",
        },
    )
    assert "Het delen met Dienst Toeslagen is gestopt." in text
    partner_consent.refresh_from_db()
    assert partner_consent.revoked_at is not None
    assert partner_consent.revoked_reason == "Anna wil niet meer delen"
    # Revoked once: a second time is refused and changes nothing.
    post_bad(
        cm,
        case,
        "intrekken",
        {"intrekken-consent": str(partner_consent.uuid), "intrekken-reason": "Nog eens"},
        "Deze toestemming is al ingetrokken.",
    )


def test_a_revoke_without_a_reason_says_which_field_is_missing(cm, case, partner_consent):
    response = cm.post(
        f"/casussen/{case.uuid}/intrekken/",
        {"intrekken-consent": str(partner_consent.uuid), "intrekken-reason": ""},
    )
    assert response.status_code == 400
    text = page(response)
    assert "Schrijf op waarom het delen stopt." in text or "Dit veld is vereist." in text


def test_step_probleem(cm, case):
    text = post_bad(
        cm,
        case,
        "probleem",
        {"probleem-domain": "", "probleem-description": ""},
        "Controleer wat u heeft ingevuld.",
        "Dit veld is vereist.",
    )
    assert 'id="paneel-probleem" open' in text
    post_bad(
        cm,
        case,
        "probleem",
        {"probleem-domain": "ruimtevaart", "probleem-description": "Iets"},
        "geldige keuze",
    )
    text = post_good(
        cm,
        case,
        "probleem",
        {
            "probleem-domain": "werk-inkomen",
            "probleem-description": "Zoekt werk na ontslag",
            "probleem-urgent": "on",
        },
    )
    assert "Het probleem is toegevoegd." in text and "Zoekt werk na ontslag" in text
    problem = Problem.objects.get(case=case)
    assert problem.domain == "werk-inkomen" and problem.urgent


def test_step_opgelost(cm, case, filled, case_manager, resident):
    problem = filled["problems"]["wonen"]
    post_bad(cm, case, "opgelost", {"opgelost-problem": "twee"}, "Controleer wat u heeft ingevuld.")
    # A problem of another case is not this case's: 404, nothing written.
    other = services.open_case(user=case_manager, resident=resident, title="Tweede casus")
    elsewhere = services.add_problem(
        user=case_manager, case=other, domain="zorg", description="Elders"
    )
    before = written()
    response = cm.post(f"/casussen/{case.uuid}/opgelost/", {"opgelost-problem": elsewhere.pk})
    assert response.status_code == 404
    assert written() == before
    text = post_good(cm, case, "opgelost", {"opgelost-problem": problem.pk})
    assert "Het probleem staat op opgelost." in text
    problem.refresh_from_db()
    assert problem.solved_at is not None


def test_step_actie(cm, case, enschede, housing, housing_party):
    base = {
        "actie-domain": "financien",
        "actie-description": "Budgetcoaching aanvragen",
        "actie-owner": str(enschede.uuid),
        "actie-due_on": "2026-04-29",
    }
    text = post_bad(
        cm,
        case,
        "actie",
        {**base, "actie-owner": str(housing.uuid)},
        "Leg eerst toestemming of een wettelijke grondslag vast voor deze organisatie",
    )
    assert 'id="paneel-actie" open' in text
    post_bad(
        cm,
        case,
        "actie",
        {**base, "actie-due_on": "2026-04-14"},
        "Kies vandaag of een datum in de toekomst.",
    )
    post_bad(cm, case, "actie", {**base, "actie-description": ""}, "Dit veld is vereist.")
    text = post_good(cm, case, "actie", base)
    assert "De actie staat in de takenlijst van Gemeente Enschede." in text
    action = CaseAction.objects.get(case=case)
    assert action.owner == enschede and action.due_on == D(2026, 4, 29)
    assert action.task is not None and action.task.organisation == enschede


def test_step_actie_afronden(cm, case, filled):
    action = filled["actions"]["wonen"]
    post_bad(
        cm,
        case,
        "actie-afronden",
        {
            "actie-afronden-action": str(action.uuid),
            "actie-afronden-done": "0",
            "actie-afronden-result": "",
        },
        "Schrijf op waarom de actie vervalt.",
    )
    post_bad(
        cm,
        case,
        "actie-afronden",
        {"actie-afronden-action": "geen-uuid", "actie-afronden-done": "1"},
        "Controleer wat u heeft ingevuld.",
    )
    text = post_good(
        cm,
        case,
        "actie-afronden",
        {
            "actie-afronden-action": str(action.uuid),
            "actie-afronden-done": "0",
            "actie-afronden-result": "Verhuurder wacht op de schuldhulp",
        },
    )
    assert "De actie is afgerond." in text
    action.refresh_from_db()
    assert action.status == "vervallen"
    assert action.task.state != "open"


def test_step_bericht(cm, case):
    text = post_bad(
        cm, case, "bericht", {"bericht-text": " ", "bericht-domain": ""}, "Dit veld is vereist."
    )
    assert 'id="paneel-bericht" open' in text
    text = post_good(
        cm, case, "bericht", {"bericht-text": "Gebeld met Anna", "bericht-domain": "wonen"}
    )
    assert "Uw bericht staat in de casus." in text and "Gebeld met Anna" in text
    assert CaseUpdate.objects.get(case=case).organisation.name == "Gemeente Enschede"


def test_step_doorbraak(cm, case, cjib, cjib_consent, housing, housing_party):
    base = {
        "doorbraak-to_organisation": str(cjib.uuid),
        "doorbraak-kind": "invordering-pauzeren",
        "doorbraak-motivation": "Anna kan niet betalen zolang de schuldhulp nog niet loopt.",
        "doorbraak-subject_reference": "CJIB-2026-118",
        "doorbraak-amount": "",
        "doorbraak-pause_days": "90",
        "doorbraak-answer_by": "2026-04-22",
    }
    text = post_bad(
        cm,
        case,
        "doorbraak",
        {**base, "doorbraak-answer_by": "2026-04-15"},
        "Kies een datum na vandaag: de organisatie moet tijd hebben om te antwoorden.",
    )
    assert 'id="paneel-doorbraak" open' in text
    post_bad(
        cm,
        case,
        "doorbraak",
        {**base, "doorbraak-to_organisation": str(housing.uuid)},
        "Leg eerst toestemming of een wettelijke grondslag vast voor deze organisatie",
    )
    post_bad(
        cm,
        case,
        "doorbraak",
        {**base, "doorbraak-use_mandate": "on"},
        "Er is geen mandaat met deze organisatie voor deze soort.",
    )
    post_bad(cm, case, "doorbraak", {**base, "doorbraak-amount": "veel"}, "Geef een bedrag in euro")
    text = post_good(cm, case, "doorbraak", base)
    assert "Het doorbraakverzoek is verstuurd naar CJIB. Antwoord nodig op woensdag 22 april" in (
        text
    )
    request = DoorbraakRequest.objects.get(case=case)
    assert request.state == "gevraagd" and request.to_organisation == cjib
    assert request.task.organisation == cjib


def test_step_overleg(cm, case, toeslagen, cjib, partner_consent, cjib_consent):
    base = {
        "overleg-day": "2026-04-20",
        "overleg-starts": "14:00",
        "overleg-ends": "15:00",
        "overleg-place": "Stadhuis Enschede",
        "overleg-organisations": [str(toeslagen.uuid), str(cjib.uuid)],
        "overleg-with_resident": "on",
        "overleg-agenda": "Plan van aanpak",
    }
    text = post_bad(
        cm, case, "overleg", {**base, "overleg-ends": "13:00"}, "Het overleg eindigt na het begin."
    )
    assert 'id="paneel-overleg" open' in text
    post_bad(
        cm,
        case,
        "overleg",
        {**base, "overleg-day": "2026-04-14"},
        "Kies een moment in de toekomst.",
    )
    post_bad(cm, case, "overleg", {**base, "overleg-organisations": []}, "Dit veld is vereist.")
    text = post_good(cm, case, "overleg", base)
    assert "Het casusoverleg is gepland." in text and "In uw agenda zetten" in text
    conference = Conference.objects.get(case=case)
    assert set(conference.organisations.all()) == {toeslagen, cjib}


def test_step_uitgave(cm, case, budget):
    base = {
        "uitgave-amount": "250,00",
        "uitgave-paid_to": "Woonstede Twente",
        "uitgave-justification": "Zo stopt de ontruiming.",
        "uitgave-spent_on": "2026-04-15",
    }
    text = post_bad(
        cm, case, "uitgave", {**base, "uitgave-amount": "6000"}, "over in het budget van 2026."
    )
    assert 'id="paneel-uitgave" open' in text
    post_bad(
        cm,
        case,
        "uitgave",
        {**base, "uitgave-spent_on": "2026-04-16"},
        "Een uitgave ligt niet in de toekomst.",
    )
    post_bad(cm, case, "uitgave", {**base, "uitgave-paid_to": ""}, "Dit veld is vereist.")
    text = post_good(cm, case, "uitgave", base)
    assert "De uitgave is vastgelegd." in text
    spent = BudgetSpending.objects.get(case=case)
    assert str(spent.amount) == "250.00" and spent.paid_to == "Woonstede Twente"


def test_step_sluiten(cm, case, filled, doorbraak):
    base = {
        "sluiten-reason": "doel-bereikt",
        "sluiten-evaluation": "Betalingsregelingen lopen",
        "sluiten-obstacles": "",
    }
    text = post_bad(
        cm,
        case,
        "sluiten",
        base,
        "Er staan nog 2 acties open. Rond ze af of laat ze vervallen.",
        "Er staat nog een doorbraakverzoek open.",
    )
    assert 'id="paneel-sluiten" open' in text
    post_bad(cm, case, "sluiten", {**base, "sluiten-evaluation": ""}, "Dit veld is vereist.")
    for action in filled["actions"].values():
        services.finish_action(user=case.case_manager, action=action, result="Gedaan")
    services.withdraw_doorbraak(user=case.case_manager, request=doorbraak)
    text = post_good(cm, case, "sluiten", base)
    assert "De casus is gesloten." in text and "Gesloten op woensdag 15 april 2026" in text
    case.refresh_from_db()
    assert case.status == "gesloten" and case.evaluation == "Betalingsregelingen lopen"
    # A closed case has no panels; a step on it is a 404.
    for slug in (*OWNER_PANELS, "bericht"):
        assert f'id="paneel-{slug}"' not in text
    before = written()
    response = cm.post(
        f"/casussen/{case.uuid}/probleem/",
        {"probleem-domain": "wonen", "probleem-description": "Nog iets"},
    )
    assert response.status_code == 404
    assert written() == before


def test_an_unknown_step_is_a_404(cm, case):
    before = written()
    assert cm.post(f"/casussen/{case.uuid}/vliegen/", {}).status_code == 404
    assert cm.get(f"/casussen/{case.uuid}/probleem/").status_code == 405
    assert written() == before


# ---- a partner posting the owner's steps --------------------------------------------------------
OWNER_STEPS = {
    "betrekken": lambda w: {"betrekken-party": f"org:{w['housing'].uuid}"},
    "toestemming": lambda w: consent_data(w["cjib"], **{"toestemming-parts": ["plan"]}),
    "intrekken": lambda w: {
        "intrekken-consent": str(w["cjib_consent"].uuid),
        "intrekken-reason": "Toeslagen vindt het genoeg",
    },
    "probleem": lambda w: {"probleem-domain": "financien", "probleem-description": "Nieuw"},
    "opgelost": lambda w: {"opgelost-problem": w["filled"]["problems"]["financien"].pk},
    "actie": lambda w: {
        "actie-domain": "financien",
        "actie-description": "Iets",
        "actie-owner": str(w["toeslagen"].uuid),
        "actie-due_on": "2026-04-29",
    },
    "actie-afronden": lambda w: {
        "actie-afronden-action": str(w["filled"]["actions"]["wonen"].uuid),
        "actie-afronden-done": "1",
    },
    "doorbraak": lambda w: {
        "doorbraak-to_organisation": str(w["cjib"].uuid),
        "doorbraak-kind": "anders",
        "doorbraak-motivation": "Waarom niet",
        "doorbraak-answer_by": "2026-04-22",
    },
    "overleg": lambda w: {
        "overleg-day": "2026-04-20",
        "overleg-starts": "14:00",
        "overleg-ends": "15:00",
        "overleg-place": "Belastingkantoor",
        "overleg-organisations": [str(w["toeslagen"].uuid)],
    },
    "uitgave": lambda w: {
        "uitgave-amount": "100",
        "uitgave-paid_to": "Toeslagen",
        "uitgave-justification": "Terugvordering",
        "uitgave-spent_on": "2026-04-15",
    },
    "sluiten": lambda w: {"sluiten-reason": "doel-bereikt", "sluiten-evaluation": "Klaar"},
}


REFUSED_IN_THE_PAGE = {
    "intrekken": "Alleen de casemanager van deze casus mag dit.",
    "opgelost": "Alleen de casemanager van deze casus mag dit.",
    "actie-afronden": "Alleen de organisatie van deze actie of de casemanager mag dit.",
}


@pytest.mark.parametrize("step", list(OWNER_STEPS))
def test_a_partner_cannot_take_an_owner_step(
    ui_as, step, toeslagen_staff, case, filled, housing, cjib, cjib_consent, toeslagen, budget
):
    world = {
        "housing": housing,
        "cjib": cjib,
        "cjib_consent": cjib_consent,
        "toeslagen": toeslagen,
        "filled": filled,
    }
    before = written()
    response = ui_as(toeslagen_staff).post(
        f"/casussen/{case.uuid}/{step}/", OWNER_STEPS[step](world)
    )
    if step in REFUSED_IN_THE_PAGE:
        # The house pattern: a refused step shows the page again with why (400).
        assert response.status_code == 400
        assert REFUSED_IN_THE_PAGE[step] in page(response)
    else:
        # A panel the partner does not have: no such step for it.
        assert response.status_code == 404
    assert written() == before


@pytest.mark.parametrize("step", ["probleem", "bericht", "intrekken"])
def test_an_organisation_without_consent_cannot_post_at_all(
    ui_as, step, cjib_staff, case, partner_consent
):
    before = written()
    response = ui_as(cjib_staff).post(
        f"/casussen/{case.uuid}/{step}/",
        {
            "probleem-domain": "justitie",
            "probleem-description": "Boete",
            "bericht-text": "Hallo",
            "intrekken-consent": str(partner_consent.uuid),
            "intrekken-reason": "Weg ermee",
        },
    )
    assert response.status_code == 404
    assert written() == before


# ---- the conference in a calendar ---------------------------------------------------------------
def test_the_conference_as_a_calendar_file(
    ui_as, case_manager, toeslagen_staff, cjib_staff, case, conference, cjib_consent
):
    url = f"/casussen/{case.uuid}/overleg/{conference.uuid}.ics"
    for user in (case_manager, toeslagen_staff):
        response = ui_as(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert f'filename="casusoverleg-{case.reference}.ics"' in response["Content-Disposition"]
        body = response.content.decode()
        assert body.startswith("BEGIN:VCALENDAR")
        assert f"SUMMARY:Casusoverleg {case.reference}" in body
        assert "DTSTART" in body and "Stadhuis Enschede" in body
    # CJIB may see the case but is not in this conference.
    assert ui_as(cjib_staff).get(url).status_code == 404
    import uuid

    assert (
        ui_as(case_manager).get(f"/casussen/{case.uuid}/overleg/{uuid.uuid4()}.ics").status_code
        == 404
    )


def test_a_partner_without_consent_gets_no_calendar_file(ui_as, housing_staff, case, conference):
    url = f"/casussen/{case.uuid}/overleg/{conference.uuid}.ics"
    assert ui_as(housing_staff).get(url).status_code == 404


# ---- doorbraak -----------------------------------------------------------------------------------------
def test_the_doorbraak_inbox_of_the_organisation_asked(
    ui_as, doorbraak, cjib_staff, cjib_coordinator, toeslagen_staff, case_manager
):
    for user in (cjib_staff, cjib_coordinator):
        response = ui_as(user).get("/doorbraak/")
        assert response.status_code == 200
        text = page(response)
        assert "Invordering of beslag tijdelijk stoppen" in text
        assert f"/doorbraak/{doorbraak.uuid}/" in text and "woensdag 22 april 2026" in text
    for user in (toeslagen_staff, case_manager):
        response = ui_as(user).get("/doorbraak/")
        assert response.status_code == 200
        assert f"/doorbraak/{doorbraak.uuid}/" not in page(response)
        assert "Er staan geen doorbraakverzoeken open voor uw organisatie." in page(response)


@pytest.mark.parametrize("who", ["privacy_officer", "cjib_management", "no_membership_user"])
def test_the_doorbraak_inbox_needs_a_contact_role(request, ui_as, who, doorbraak):
    assert ui_as(request.getfixturevalue(who)).get("/doorbraak/").status_code == 403


def test_one_doorbraak_request_for_the_receiver_and_the_owner(
    ui_as, doorbraak, cjib_staff, case_manager, toeslagen_staff, partner_consent, housing_staff
):
    url = f"/doorbraak/{doorbraak.uuid}/"
    response = ui_as(cjib_staff).get(url)
    assert response.status_code == 200
    text = page(response)
    assert "Doorbraakverzoek: Invordering of beslag tijdelijk stoppen" in text
    assert "Antwoord versturen" in text and "CJIB-2026-118" in text
    response = ui_as(case_manager).get(url)
    assert response.status_code == 200
    text = page(response)
    assert "Antwoord versturen" not in text and "Verzoek intrekken" in text
    for user in (toeslagen_staff, housing_staff):
        assert ui_as(user).get(url).status_code == 404


def test_the_receiver_grants_a_doorbraak_request(ui_as, doorbraak, cjib_staff, case_manager):
    client = ui_as(cjib_staff)
    response = client.post(
        f"/doorbraak/{doorbraak.uuid}/",
        {
            "stap": "antwoord",
            "antwoord-action": "grant",
            "antwoord-answer": "Invordering staat stil tot 1 augustus",
        },
    )
    assert response.status_code == 302 and response.url == f"/doorbraak/{doorbraak.uuid}/"
    doorbraak.refresh_from_db()
    assert doorbraak.state == "toegekend" and doorbraak.answered_by == cjib_staff
    assert doorbraak.task.state != "open"
    assert Notification.objects.filter(user=case_manager).exists()
    text = page(client.get(response.url))
    assert "Uw antwoord is verstuurd." in text and "Invordering staat stil tot 1 augustus" in text
    assert "Antwoord versturen" not in text


def test_a_refusal_without_a_reason_is_a_400_and_changes_nothing(ui_as, doorbraak, cjib_staff):
    before = written()
    response = ui_as(cjib_staff).post(
        f"/doorbraak/{doorbraak.uuid}/", {"stap": "antwoord", "antwoord-action": "refuse"}
    )
    assert response.status_code == 400
    text = page(response)
    assert "Leg uit waarom het niet kan." in text
    assert "Kies de reden van weigeren." in text
    assert written() == before
    doorbraak.refresh_from_db()
    assert doorbraak.state == "gevraagd" and doorbraak.answered_at is None
    response = ui_as(cjib_staff).post(
        f"/doorbraak/{doorbraak.uuid}/",
        {
            "stap": "antwoord",
            "antwoord-action": "refuse",
            "antwoord-answer": "Een boete van de officier kunnen wij niet stilzetten",
            "antwoord-refusal_reason": "wet",
        },
    )
    assert response.status_code == 400
    assert "Noem de regel die in de weg staat." in page(response)
    assert written() == before


def test_an_answer_without_a_choice_is_a_400(ui_as, doorbraak, cjib_staff):
    before = written()
    response = ui_as(cjib_staff).post(f"/doorbraak/{doorbraak.uuid}/", {"stap": "antwoord"})
    assert response.status_code == 400
    assert "Kies uw antwoord." in page(response)
    assert written() == before


def test_the_owner_cannot_answer_but_withdraws(ui_as, doorbraak, case_manager):
    client = ui_as(case_manager)
    before = written()
    response = client.post(
        f"/doorbraak/{doorbraak.uuid}/", {"stap": "antwoord", "antwoord-action": "grant"}
    )
    assert response.status_code == 400  # refused, shown on the page (the house pattern)
    assert "Antwoord versturen" not in page(response)
    assert written() == before
    assert client.post(f"/doorbraak/{doorbraak.uuid}/", {"stap": "vliegen"}).status_code == 404
    response = client.post(f"/doorbraak/{doorbraak.uuid}/", {"stap": "intrekken"})
    assert response.status_code == 302
    doorbraak.refresh_from_db()
    assert doorbraak.state == "ingetrokken"


def test_the_case_shows_its_doorbraak_request_to_the_receiver_only(
    ui_as, doorbraak, cjib_staff, toeslagen_staff, partner_consent, case
):
    assert f"/doorbraak/{doorbraak.uuid}/" in page(ui_as(cjib_staff).get(f"/casussen/{case.uuid}/"))
    text = page(ui_as(toeslagen_staff).get(f"/casussen/{case.uuid}/"))
    assert f"/doorbraak/{doorbraak.uuid}/" not in text and "Doorbraak" not in text


# ---- patterns ----------------------------------------------------------------------------------------
def test_the_obstacle_report(ui_as, case_manager, team_lead, doorbraak, cjib_staff):
    services.answer_doorbraak(
        user=cjib_staff,
        request=doorbraak,
        action="refuse",
        answer="Kan niet",
        refusal_reason="wet",
        obstructing_rule="artikel 6:4 Awb",
    )
    for user in (case_manager, team_lead):
        response = ui_as(user).get("/casussen/patronen/")
        assert response.status_code == 200
        text = page(response)
        assert "CJIB" in text and "De wet laat het niet toe (1)" in text
        assert "artikel 6:4 Awb (1×)" in text
    response = ui_as(case_manager).get("/casussen/patronen/?since=2026-05-01&until=2026-04-01")
    assert response.status_code == 400
    assert "De einddatum ligt voor de begindatum." in page(response)


@pytest.mark.parametrize("who", ["toeslagen_staff", "counter_enschede", "privacy_officer"])
def test_the_obstacle_report_is_refused_to_others(request, ui_as, who, doorbraak):
    assert ui_as(request.getfixturevalue(who)).get("/casussen/patronen/").status_code == 403


# ---- signals ---------------------------------------------------------------------------------------
def test_the_signals_of_the_municipality(ui_as, signal, debt_worker, case_manager, resident):
    for user in (debt_worker, case_manager):
        response = ui_as(user).get("/signalen/")
        assert response.status_code == 200
        text = page(response)
        assert f"/signalen/{signal.uuid}/" in text
        assert "Huur: € 1.350,00" in text and resident.full_name in text
        assert "Woonstede Twente" in text
    response = ui_as(debt_worker).get(f"/signalen/{signal.uuid}/")
    assert response.status_code == 200
    text = page(response)
    assert "Achterstand huur: € 1.350,00" in text and "WT-2026-0415" in text
    assert "Hulp aangeboden" in text


@pytest.mark.parametrize(
    "who", ["toeslagen_staff", "housing_staff", "privacy_officer", "no_membership_user"]
)
def test_the_signals_list_is_for_the_municipality(request, ui_as, who, signal):
    assert ui_as(request.getfixturevalue(who)).get("/signalen/").status_code == 403


@pytest.mark.parametrize("who", ["toeslagen_staff", "housing_staff", "counter_maastricht"])
def test_a_signal_of_another_municipality_is_a_404(request, ui_as, who, signal):
    assert ui_as(request.getfixturevalue(who)).get(f"/signalen/{signal.uuid}/").status_code == 404


def test_recording_the_offer_on_a_signal(ui_as, signal, debt_worker):
    client = ui_as(debt_worker)
    before = written()
    response = client.post(f"/signalen/{signal.uuid}/", {"aanbod-how": "", "aanbod-outcome": ""})
    assert response.status_code == 400
    text = page(response)
    assert "Controleer wat u heeft ingevuld." in text and "Dit veld is vereist." in text
    assert written() == before
    signal.refresh_from_db()
    assert signal.outcome == ""
    response = client.post(
        f"/signalen/{signal.uuid}/",
        {
            "aanbod-how": "telefoon",
            "aanbod-outcome": "hulp-aangenomen",
            "aanbod-note": "Afspraak op het stadhuis",
        },
    )
    assert response.status_code == 302 and response.url == f"/signalen/{signal.uuid}/"
    signal.refresh_from_db()
    assert signal.outcome == "hulp-aangenomen" and signal.offered_how == "telefoon"
    assert signal.handled_by == debt_worker
    assert Task.objects.get(pk=signal.task_id).state != "open"
    text = page(client.get(response.url))
    assert "De uitkomst is vastgelegd." in text and "Inwoner neemt hulp aan" in text
    assert "Hulp aangeboden" not in text  # the form is gone
    # A second time: refused, nothing written.
    before = written()
    response = client.post(
        f"/signalen/{signal.uuid}/", {"aanbod-how": "telefoon", "aanbod-outcome": "niet-bereikt"}
    )
    assert response.status_code == 400
    assert "De uitkomst van dit signaal is al vastgelegd." in page(response)
    assert written() == before


def test_a_case_manager_may_open_a_case_from_a_signal(ui_as, signal, case_manager, resident):
    client = ui_as(case_manager)
    text = page(client.get(f"/signalen/{signal.uuid}/"))
    assert f"/casussen/nieuw/{resident.uuid}/?signaal={signal.uuid}" in text
    response = client.post(
        f"/casussen/nieuw/{resident.uuid}/",
        {"title": "Huurachterstand", "signaal": str(signal.uuid)},
    )
    assert response.status_code == 302
    assert Case.objects.get(title="Huurachterstand").signal == signal


# ---- inzage -------------------------------------------------------------------------------------------
@pytest.fixture
def read_by_partners(ui_as, case, filled, toeslagen_staff, cjib_staff, case_manager):
    for user in (case_manager, toeslagen_staff, cjib_staff):
        assert ui_as(user).get(f"/casussen/{case.uuid}/").status_code == 200


def test_the_privacy_officer_makes_the_inzage(ui_as, privacy_officer, resident, read_by_partners):
    client = ui_as(privacy_officer)
    response = client.get("/inzage/")
    assert response.status_code == 200
    response = client.get(f"/inzage/?bsn={resident.bsn}")
    assert response.status_code == 200
    text = page(response)
    assert resident.full_name in text
    for organisation in ("Gemeente Enschede", "Dienst Toeslagen", "CJIB"):
        assert organisation in text
    assert "Terugvordering huurtoeslag afstemmen" in text
    assert "Mila" not in text and "Kok" not in text  # no employee's names

    response = client.get(f"/inzage/?bsn={resident.bsn}&formaat=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="inzage-2026-04-15.pdf"' in response["Content-Disposition"]
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Dienst Toeslagen" in pdf_text and "CJIB" in pdf_text

    response = client.get(f"/inzage/?bsn={resident.bsn}&formaat=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(b"".join(response.streaming_content))
    assert "Dienst Toeslagen" in json.dumps(body, ensure_ascii=False)


def test_an_inzage_with_a_bad_bsn_is_a_400_in_dutch(ui_as, privacy_officer):
    response = ui_as(privacy_officer).get("/inzage/?bsn=123456789")
    assert response.status_code == 400
    assert "Controleer wat u heeft ingevuld" in page(response)
    response = ui_as(privacy_officer).get("/inzage/?bsn=")
    assert response.status_code == 400
    assert "Dit veld is vereist." in page(response)


@pytest.mark.parametrize(
    "who", ["case_manager", "toeslagen_staff", "counter_enschede", "no_membership_user"]
)
def test_only_a_privacy_officer_makes_the_inzage(request, ui_as, who, resident):
    client = ui_as(request.getfixturevalue(who))
    for query in ("", f"?bsn={resident.bsn}", f"?bsn={resident.bsn}&formaat=pdf"):
        assert client.get(f"/inzage/{query}").status_code == 403, query
    assert client.get(f"/inzage/?bsn={resident.bsn}&formaat=json").status_code == 403


def test_the_case_inzage_for_the_case_manager_and_the_privacy_officer(
    ui_as, case, case_manager, privacy_officer, read_by_partners
):
    for user in (case_manager, privacy_officer):
        response = ui_as(user).get(f"/inzage/casus/{case.uuid}/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert "Dienst Toeslagen" in pdf_text and case.reference in pdf_text
    response = ui_as(case_manager).get(f"/inzage/casus/{case.uuid}/?formaat=json")
    assert response.status_code == 200
    assert "Dienst Toeslagen" in b"".join(response.streaming_content).decode()


def test_the_case_inzage_is_refused_to_others(
    ui_as, case, partner_consent, toeslagen_staff, counter_enschede, maastricht
):
    for user in (toeslagen_staff, counter_enschede, staff(maastricht, Role.PRIVACYFUNCTIONARIS)):
        assert ui_as(user).get(f"/inzage/casus/{case.uuid}/").status_code == 403
    import uuid

    assert ui_as(counter_enschede).get(f"/inzage/casus/{uuid.uuid4()}/").status_code == 404
