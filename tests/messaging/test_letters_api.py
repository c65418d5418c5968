"""API: /api/v1/letter-templates/ and /api/v1/letters/ (permissions across organisations,
problem+json, the PDF, the access log)."""

import io

import pytest
from pypdf import PdfReader

from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.messaging import seed
from eenloket.messaging.models import Letter, LetterTemplate, Message
from tests.conftest import problem
from tests.factories import staff

pytestmark = pytest.mark.django_db
CALLBACK = {
    "onderwerp": "bijzondere bijstand",
    "terugbellen_voor": "2026-12-07T16:00:00+01:00",
    "terugbelnummer": "+31612345678",
}


def make_letter(api_as, user, resident, **extra):
    body = {
        "template_key": "terugbelverzoek",
        "resident": str(resident.uuid),
        "context": CALLBACK,
        **extra,
    }
    return api_as(user).post("/api/v1/letters/", body, format="json")


def test_staff_with_a_basis_makes_a_letter(api_as, consultant, resident, town_hall):
    response = make_letter(api_as, consultant, resident)
    assert response.status_code == 201, response.content
    data = response.json()
    letter = Letter.objects.get(uuid=data["uuid"])
    assert data["state"] == "wachtrij" and data["channel"] == "post"
    assert data["contact_name"] == "Sanne Bakker" and data["contact_phone"] == "+31534811234"
    assert data["template_key"] == "terugbelverzoek" and data["template_version"] == 1
    assert data["pdf"].endswith(f"/api/v1/letters/{letter.uuid}/pdf")
    assert letter.message.channel == "post"
    assert AccessLog.objects.filter(
        processing_activity_id="brief-versturen", object_id=str(letter.uuid), channel="api"
    ).exists()


def test_email_letter_is_archived_with_a_pdf_too(api_as, consultant, resident):
    response = make_letter(api_as, consultant, resident, channel="email")
    assert response.status_code == 201
    letter = Letter.objects.get(uuid=response.json()["uuid"])
    assert letter.message.channel == "email" and letter.message.to == "fatima@example.org"
    assert bytes(letter.pdf).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"template_key": "bestaat-niet"}, "template_key"),
        ({"context": {"onderwerp": "x"}}, "context"),
        ({"context": {**CALLBACK, "terugbellen_voor": "morgen"}}, "context"),
        ({"context": {**CALLBACK, "bsn": "123"}}, "context"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_bad_input_is_a_problem_and_nothing_is_written(api_as, consultant, resident, extra, field):
    body = problem(make_letter(api_as, consultant, resident, **extra), 400)
    assert any(p["name"].startswith(field) for p in body["invalid_params"]), body
    assert not Letter.objects.exists() and not Message.objects.exists()


def test_no_basis_for_the_resident_is_404(api_as, counter_maastricht, resident):
    problem(make_letter(api_as, counter_maastricht, resident), 404)
    assert not Letter.objects.exists()


def test_maastricht_cannot_read_an_enschede_letter(
    api_as, consultant, counter_maastricht, resident
):
    uuid = make_letter(api_as, consultant, resident).json()["uuid"]
    maastricht = api_as(counter_maastricht)
    problem(maastricht.get(f"/api/v1/letters/{uuid}/"), 404)
    response = maastricht.get(f"/api/v1/letters/{uuid}/pdf", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert not AccessLog.objects.filter(processing_activity_id="brief-inzien").exists()


def test_sender_reads_the_pdf_and_the_read_is_logged(api_as, consultant, resident):
    uuid = make_letter(api_as, consultant, resident).json()["uuid"]
    response = api_as(consultant).get(f"/api/v1/letters/{uuid}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Sanne Bakker" in text
    log = AccessLog.objects.get(processing_activity_id="brief-inzien")
    assert log.object_id == uuid and log.channel == "api"
    detail = api_as(consultant).get(f"/api/v1/letters/{uuid}/")
    assert detail.status_code == 200 and detail.json()["subject"] == "Wij bellen u terug"


def test_staff_of_the_woongemeente_with_a_basis_may_read(api_as, enschede, consultant, resident):
    colleague_elsewhere = staff(enschede, Role.KCC_MEDEWERKER, username="kcc.enschede.2")
    uuid = make_letter(api_as, consultant, resident).json()["uuid"]
    assert api_as(colleague_elsewhere).get(f"/api/v1/letters/{uuid}/pdf").status_code == 200


def test_unknown_or_malformed_uuid_is_404(api_as, consultant):
    problem(api_as(consultant).get("/api/v1/letters/00000000-0000-0000-0000-000000000000/"), 404)
    assert api_as(consultant).get("/api/v1/letters/niet-een-uuid/pdf").status_code == 404


# ---- templates ------------------------------------------------------------------------------------
def test_staff_list_shared_and_own_templates(api_as, enschede, maastricht, consultant):
    LetterTemplate.objects.create(
        organisation=maastricht,
        key="terugbelverzoek",
        language="nl",
        name="M",
        subject="M",
        body="M",
    )
    response = api_as(consultant).get("/api/v1/letter-templates/?page_size=100")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {r["organisation"] for r in rows} == {None}
    # Every shared template (messaging's own and those other apps seed, such as the complaint
    # letters), none of Maastricht's.
    shared = LetterTemplate.objects.filter(organisation=None)
    assert all(r["shared"] for r in rows) and len(rows) == shared.count()
    assert {(t["key"], t["language"]) for t in seed.TEMPLATES} <= {
        (r["key"], r["language"]) for r in rows
    }
    assert "inwoner_naam" in rows[0]["variables"]


def test_functional_admin_creates_and_updates_own_template(api_as, enschede, letter_admin):
    client = api_as(letter_admin)
    response = client.post(
        "/api/v1/letter-templates/",
        {"key": "terugbelverzoek", "subject": "Wij bellen", "body": "{{ aanhef }},\n\nWij bellen."},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["organisation"] == "gemeente-enschede" and data["version"] == 1
    response = client.patch(
        f"/api/v1/letter-templates/{data['uuid']}/", {"subject": "Wij bellen snel"}, format="json"
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    body = problem(
        client.patch(
            f"/api/v1/letter-templates/{data['uuid']}/", {"body": "{{ geheim }}"}, format="json"
        ),
        400,
    )
    assert "Onbekende variabele: geheim" in str(body["invalid_params"])


def test_template_writes_are_refused_for_others(
    api_as, enschede, maastricht, consultant, letter_admin
):
    shared = LetterTemplate.objects.get(organisation=None, key="terugbelverzoek", language="nl")
    problem(
        api_as(consultant).post(
            "/api/v1/letter-templates/",
            {"key": "terugbelverzoek", "subject": "x", "body": "y"},
            format="json",
        ),
        403,
    )
    problem(
        api_as(letter_admin).patch(
            f"/api/v1/letter-templates/{shared.uuid}/", {"subject": "x"}, format="json"
        ),
        403,
    )
    own = (
        api_as(letter_admin)
        .post(
            "/api/v1/letter-templates/",
            {"key": "doorverwijzing", "subject": "x", "body": "y"},
            format="json",
        )
        .json()
    )
    admin_maastricht = staff(maastricht, Role.FUNCTIONEEL_BEHEERDER, username="beheer.mst")
    problem(
        api_as(admin_maastricht).patch(
            f"/api/v1/letter-templates/{own['uuid']}/", {"subject": "x"}, format="json"
        ),
        404,
    )
    problem(
        api_as(admin_maastricht).post(
            "/api/v1/letter-templates/",
            {
                "organisation": "gemeente-enschede",
                "key": "terugbelverzoek",
                "subject": "x",
                "body": "y",
            },
            format="json",
        ),
        403,
    )
