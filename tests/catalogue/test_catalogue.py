"""The catalogue: the import from the UPL and our texts, municipal services and overrides, the
routing API and CLI, the catalogue pages and the contact form's suggestions."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from eenloket.catalogue import data
from eenloket.catalogue.models import RoutingOutcome, Service, ServiceOverride
from eenloket.catalogue.services import CatalogueDataError, import_catalogue
from eenloket.contacts.models import ContactMoment
from eenloket.core.roles import Role
from eenloket.organisations.models import SIGNALLING_TYPES, OrganisationType

from ..factories import ServiceFactory, staff

pytestmark = pytest.mark.django_db


# ---- import --------------------------------------------------------------------------------


def test_the_catalogue_covers_every_organisation_with_at_least_five_services(catalogue):
    assert Service.objects.filter(is_active=True).count() >= 300
    for code in OrganisationType.values:
        if code in SIGNALLING_TYPES:
            # Housing corporations, energy and water companies, health insurers are no
            # government body, but the first stop for a repair, a bill or a claim (issue 15):
            # a few services each (data/partners.yaml), so the counter can refer warmly.
            assert 3 <= catalogue.per_organisation[code] <= 5, code
        else:
            assert catalogue.per_organisation[code] >= 5, code
    upl = Service.objects.exclude(upl_uri="")
    assert upl.count() == catalogue.upl_imported > 200
    passport = Service.objects.get(upl_name="paspoort")
    assert passport.organisation_type == "gemeente"
    assert passport.upl_uri.startswith("http://standaarden.overheid.nl/owms/terms/")
    assert passport.description and passport.keywords
    # Every resident product of the UPL is accounted for: imported, or not ours (with reason).
    assert not catalogue.upl_without_text
    assert all(reason for _, reason in catalogue.upl_not_ours)
    assert len(data.upl_products()) == catalogue.upl_imported + len(catalogue.upl_not_ours)


def test_import_again_changes_nothing_and_keeps_ids(catalogue):
    before = dict(Service.objects.values_list("code", "uuid"))
    report = import_catalogue()
    assert (report.created, report.updated, report.deactivated) == (0, 0, 0)
    assert dict(Service.objects.values_list("code", "uuid")) == before


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
- organisation: svb
  name: AOW aanvragen
  description: Het basispensioen.
  how_to_apply: Online met DigiD.
  channels: [online]
  keywords: [aow, pensioen, ouderdom]
"""


def test_a_broken_catalogue_file_writes_nothing_and_names_the_problems(tmp_path):
    broken = _write(
        tmp_path,
        "broken.yaml",
        GOOD
        + """
- organisation: nasa
  name: Ruimtevaart
  description: ""
  how_to_apply: x
  channels: [duif]
  keywords: [raket]
- upl: bestaat niet in de upl
  organisation: gemeente
  name: X
  description: Y
  how_to_apply: Z
  channels: [balie]
  keywords: [a, b, c]
""",
    )
    with pytest.raises(CatalogueDataError) as caught:
        import_catalogue(files=[broken])
    problems = "\n".join(caught.value.problems)
    assert "unknown organisation code 'nasa'" in problems
    assert "description is missing" in problems
    assert "channels" in problems
    assert "no resident product with this name in the UPL" in problems
    assert Service.objects.count() == 0


def test_a_service_removed_from_the_files_is_deactivated_not_deleted(tmp_path):
    first = _write(tmp_path, "a.yaml", GOOD)
    import_catalogue(files=[first])
    service = Service.objects.get()
    empty = _write(tmp_path, "b.yaml", "[]")
    report = import_catalogue(files=[empty])
    service.refresh_from_db()
    assert report.deactivated == 1 and service.is_active is False
    import_catalogue(files=[first])
    service.refresh_from_db()
    assert service.is_active is True


def test_load_catalogue_command_reports_per_organisation():
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    text = out.getvalue()
    assert "from the UPL" in text and "uwv" in text and "sociaal-raadslieden" in text


def test_load_catalogue_with_a_missing_upl_file_fails_clearly():
    with pytest.raises(CommandError, match="UPL file not found"):
        call_command("load_catalogue", upl="/nope/UPL.csv", stdout=io.StringIO())


# ---- municipal services and overrides -------------------------------------------------------


def test_only_a_functional_admin_of_the_municipality_changes_its_catalogue(
    enschede, maastricht, counter_enschede, catalogue_manager_enschede, ui_as
):
    service = ServiceFactory(name="Paspoort", description="Landelijk.")
    counter = ui_as(counter_enschede)
    assert counter.get(reverse("catalogue-service-create")).status_code == 403
    assert (
        counter.get(reverse("catalogue-service-override", args=[service.uuid])).status_code == 403
    )

    admin = ui_as(catalogue_manager_enschede)
    response = admin.post(
        reverse("catalogue-service-create"),
        {
            "name": "Meedoenpas",
            "description": "Korting op sport.",
            "keywords": "sport, zwemles",
            "channels": ["balie", "online"],
        },
    )
    local = Service.objects.get(name="Meedoenpas")
    assert response.status_code == 302
    assert local.tenant == enschede and local.keywords == ["sport", "zwemles"]

    response = admin.post(
        reverse("catalogue-service-override", args=[service.uuid]),
        {"description": "In Enschede zonder afspraak.", "is_offered": "on"},
    )
    assert response.status_code == 302
    override = ServiceOverride.objects.get()
    assert override.tenant == enschede and override.description == "In Enschede zonder afspraak."
    page = admin.get(reverse("catalogue-service", args=[service.uuid])).content.decode()
    assert "In Enschede zonder afspraak." in page

    maastricht_staff = staff(maastricht, Role.BALIEMEDEWERKER)
    other = ui_as(maastricht_staff)
    assert (
        "Landelijk."
        in other.get(reverse("catalogue-service", args=[service.uuid])).content.decode()
    )
    assert other.get(reverse("catalogue-service", args=[local.uuid])).status_code == 404


def test_a_local_service_with_bad_input_is_refused_and_nothing_is_saved(
    enschede, catalogue_manager_enschede, ui_as
):
    admin = ui_as(catalogue_manager_enschede)
    response = admin.post(
        reverse("catalogue-service-create"),
        {"name": "", "description": "x" * 1001, "keywords": "a", "channels": []},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kies minstens één kanaal." in page
    assert 'aria-invalid="true"' in page
    assert not Service.objects.filter(tenant=enschede).exists()


# ---- API ---------------------------------------------------------------------------------


@pytest.fixture
def aow(db):
    return ServiceFactory(
        organisation_type="svb",
        name="AOW aanvragen",
        description="Het basispensioen.",
        keywords=["aow", "pensioen"],
        upl_uri="http://standaarden.overheid.nl/owms/terms/AOW",
        legal_basis="Algemene Ouderdomswet",
    )


def test_suggest_api_returns_the_documented_shape(aow, counter_enschede, api_as):
    response = api_as(counter_enschede).get("/api/v1/routing/suggest", {"q": "aow", "limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["results"]
    result = body["results"][0]
    assert set(result) >= {"service", "organisation", "score", "reason"}
    assert result["organisation"] == "svb"
    assert isinstance(result["score"], float) and result["score"] > 0
    assert "aow" in result["reason"]
    assert result["service"]["id"] == str(aow.uuid)
    assert result["service"]["name"] == "AOW aanvragen"
    assert result["service"]["upl_uri"].endswith("/AOW")
    assert result["matched_terms"][0] == "aow"
    assert result["learned_from_outcomes"] == {"municipality": 0, "national": 0}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "aow\x00"}, "q"),
        ({"q": "x" * 2001}, "q"),
        ({"q": "aow", "limit": "veel"}, "limit"),
        ({"q": "aow", "limit": "0"}, "limit"),
        ({"q": "aow", "limit": "1000"}, "limit"),
        ({"q": "aow", "municipality": "gemeente-atlantis"}, "municipality"),
    ],
)
def test_suggest_api_refuses_bad_input_with_problem_json(
    aow, counter_enschede, api_as, params, field
):
    response = api_as(counter_enschede).get("/api/v1/routing/suggest", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    assert [p["name"] for p in problem["invalid_params"]] == [field]


def test_suggest_api_without_meaningful_words_is_an_empty_list(aow, counter_enschede, api_as):
    response = api_as(counter_enschede).get("/api/v1/routing/suggest", {"q": "?!? 123 …"})
    assert response.status_code == 200 and response.json() == {"results": []}


def test_suggest_api_needs_a_signed_in_staff_member(aow, api_client, no_membership_user, api_as):
    assert api_client.get("/api/v1/routing/suggest", {"q": "aow"}).status_code == 401
    assert (
        api_as(no_membership_user).get("/api/v1/routing/suggest", {"q": "aow"}).status_code == 403
    )


def test_services_api_lists_the_catalogue_with_the_municipalitys_own(
    aow, enschede, maastricht, counter_enschede, counter_maastricht, api_as
):
    local = ServiceFactory(tenant=enschede, name="Meedoenpas")
    mine = api_as(counter_enschede).get("/api/v1/services/", {"page_size": 100}).json()
    names = {s["name"] for s in mine["results"]}
    assert {"AOW aanvragen", "Meedoenpas"} <= names
    theirs = api_as(counter_maastricht).get("/api/v1/services/", {"page_size": 100}).json()
    assert "Meedoenpas" not in {s["name"] for s in theirs["results"]}
    assert api_as(counter_maastricht).get(f"/api/v1/services/{local.uuid}/").status_code == 404
    svb_only = api_as(counter_enschede).get("/api/v1/services/", {"organisation": "svb"}).json()
    assert [s["name"] for s in svb_only["results"]] == ["AOW aanvragen"]
    detail = api_as(counter_enschede).get(f"/api/v1/services/{aow.uuid}/").json()
    assert detail["legal_basis"] == "Algemene Ouderdomswet" and detail["organisation"] == "svb"


def test_the_openapi_schema_documents_routing(counter_enschede, api_as):
    schema = api_as(counter_enschede).get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/routing/suggest" in schema["paths"]
    assert "/api/v1/services/" in schema["paths"]


def test_contacts_api_links_a_service(aow, enschede, counter_enschede, api_as):
    client = api_as(counter_enschede)
    response = client.post(
        "/api/v1/contact-moments/",
        {
            "channel": "telefoon",
            "question": "Wanneer krijg ik AOW?",
            "outcome": "beantwoord",
            "service": str(aow.uuid),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["service"] == str(aow.uuid)
    assert RoutingOutcome.objects.get().service == aow


def test_contacts_api_refuses_another_municipalitys_service_and_writes_nothing(
    enschede, maastricht, counter_maastricht, api_as
):
    local = ServiceFactory(tenant=enschede, name="Meedoenpas")
    response = api_as(counter_maastricht).post(
        "/api/v1/contact-moments/",
        {
            "channel": "telefoon",
            "question": "Meedoen?",
            "outcome": "beantwoord",
            "service": str(local.uuid),
        },
        format="json",
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_params"]] == ["service"]
    assert ContactMoment.objects.count() == 0 and RoutingOutcome.objects.count() == 0


# ---- CLI ---------------------------------------------------------------------------------


def test_route_command_prints_the_ranking(aow):
    out = io.StringIO()
    call_command("route", "aow aanvragen", stdout=out)
    assert out.getvalue().startswith("1. svb")
    assert "AOW aanvragen" in out.getvalue() and "Past bij" in out.getvalue()


def test_route_command_refuses_an_empty_question(aow):
    with pytest.raises(CommandError, match="Vul een vraag in"):
        call_command("route", "  ", stdout=io.StringIO())


def test_evaluate_routing_prints_top1_and_top3_per_split(aow, tmp_path):
    questions = _write(
        tmp_path,
        "q.yaml",
        """
- {q: "aow aanvragen", organisations: [svb], kind: short, split: dev}
- {q: "paspoort kwijt", organisations: [gemeente], kind: short, split: heldout}
""",
    )
    out = io.StringIO()
    call_command("evaluate_routing", str(questions), "--failures", "heldout", stdout=out)
    text = out.getvalue()
    assert "dev      n=1    top-1 100.0 %   top-3 100.0 %" in text
    assert "heldout  n=1    top-1   0.0 %   top-3   0.0 %" in text
    assert "paspoort kwijt" in text


def test_evaluate_routing_with_a_missing_file_fails_clearly():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("evaluate_routing", str(Path("/nope.yaml")), stdout=io.StringIO())


# ---- UI ----------------------------------------------------------------------------------


def test_the_contact_form_offers_suggestions_and_saves_the_pick(
    aow, enschede, counter_enschede, ui_as
):
    client = ui_as(counter_enschede)
    form = client.get(reverse("contact-register")).content.decode()
    assert 'hx-get="/catalogus/suggesties/"' in form and 'id="routing-suggestions"' in form
    partial = client.get(
        reverse("routing-suggestions"), {"question": "wanneer krijg ik aow"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'value="{aow.uuid}"' in partial and 'data-shortcut="1"' in partial
    assert "AOW aanvragen" in partial and "SVB" in partial
    response = client.post(
        reverse("contact-register"),
        {
            "organisation": enschede.pk,
            "channel": "telefoon",
            "question": "Wanneer krijg ik AOW?",
            "outcome": "beantwoord",
            "service": str(aow.uuid),
        },
    )
    assert response.status_code == 302
    contact = ContactMoment.objects.get()
    assert contact.service == aow
    detail = client.get(reverse("contact-detail", args=[contact.uuid])).content.decode()
    assert "AOW aanvragen" in detail


def test_the_pick_is_kept_when_the_form_has_an_error(aow, enschede, counter_enschede, ui_as):
    response = ui_as(counter_enschede).post(
        reverse("contact-register"),
        {
            "organisation": enschede.pk,
            "channel": "telefoon",
            "question": "aow",
            "outcome": "?",
            "service": str(aow.uuid),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{aow.uuid}" data-shortcut="1" checked' in page
    assert ContactMoment.objects.count() == 0


def test_an_unknown_service_on_the_form_is_an_error_and_nothing_is_saved(
    enschede, counter_enschede, ui_as
):
    response = ui_as(counter_enschede).post(
        reverse("contact-register"),
        {
            "organisation": enschede.pk,
            "channel": "telefoon",
            "question": "aow",
            "outcome": "beantwoord",
            "service": "2d1f6f0e-0000-4000-8000-000000000000",
        },
    )
    assert response.status_code == 200
    assert "Deze dienst kunt u hier niet kiezen." in response.content.decode()
    assert ContactMoment.objects.count() == 0


def test_the_catalogue_page_browses_per_organisation_and_searches(aow, counter_enschede, ui_as):
    client = ui_as(counter_enschede)
    overview = client.get(reverse("catalogue")).content.decode()
    assert "SVB" in overview and "?organisatie=svb" in overview
    listing = client.get(reverse("catalogue"), {"organisatie": "svb"}).content.decode()
    assert "AOW aanvragen" in listing
    found = client.get(reverse("catalogue"), {"q": "pensioen"}).content.decode()
    assert "AOW aanvragen" in found and "Past bij: pensioen" in found
    empty = client.get(reverse("catalogue"), {"q": "x" * 2001}).content.decode()
    assert "Deze tekst is te lang: hoogstens" in empty
    detail = client.get(reverse("catalogue-service", args=[aow.uuid])).content.decode()
    assert "Algemene Ouderdomswet" in detail


def test_the_catalogue_is_for_staff_members_only(aow, no_membership_user, ui_as, client):
    assert client.get(reverse("catalogue")).status_code == 302  # to the login page
    assert ui_as(no_membership_user).get(reverse("catalogue")).status_code == 403


def test_contacts_api_refuses_nul_characters_in_codes_and_ids(enschede, counter_enschede, api_as):
    client = api_as(counter_enschede)
    for field, value in (("organisation", "gemeente-enschede\u0000"), ("service", "abc\u0000")):
        response = client.post(
            "/api/v1/contact-moments/",
            {"channel": "telefoon", "question": "Vraag", "outcome": "beantwoord", field: value},
            format="json",
        )
        assert response.status_code == 400, response.content
        assert [p["name"] for p in response.json()["invalid_params"]] == [field]
    assert ContactMoment.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/services/?municipality=%00", 400),
        ("/api/v1/routing/suggest?q=aow&municipality=%00", 400),
        ("/api/v1/services/geen-uuid/", 404),
    ],
)
def test_malformed_parameters_are_clear_errors_not_500(aow, counter_enschede, api_as, url, status):
    response = api_as(counter_enschede).get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
