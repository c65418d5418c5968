"""Letter templates: the safe variable set, versions, overrides, readability, the editor."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from eenloket.core.roles import Role
from eenloket.messaging import letters, services
from eenloket.messaging.models import LetterTemplate, LetterTemplateVersion, NamingExemption
from eenloket.messaging.services import send_to_resident
from tests.factories import staff

pytestmark = pytest.mark.django_db
CALLBACK = {
    "onderwerp": "bijstand",
    "terugbellen_voor": dt.datetime(2026, 12, 7, 16, 0, tzinfo=dt.UTC),
    "terugbelnummer": "+31612345678",
}


def shared(key="terugbelverzoek", language="nl"):
    return LetterTemplate.objects.get(organisation=None, key=key, language=language)


def test_seeded_shared_templates_in_dutch_and_english():
    keys = set(LetterTemplate.objects.filter(organisation=None).values_list("key", "language"))
    for key in ("terugbelverzoek", "doorverwijzing", "bent-u-geholpen"):
        assert {(key, "nl"), (key, "en")} <= keys
        for language in ("nl", "en"):
            template = shared(key, language)
            assert letters.template_errors(template.body, key=key) == []
            assert template.versions.filter(number=1).exists()
    assert "{{ antwoord_link }}" in shared("bent-u-geholpen").body
    assert "{{ telefoon }}" in shared("bent-u-geholpen").body


def test_seeded_dutch_templates_read_at_b1():
    for key in ("terugbelverzoek", "doorverwijzing", "bent-u-geholpen"):
        result = letters.readability(shared(key).body)
        assert result["level"] == "b1", (key, result)
        assert result["long"] == [], (key, result["long"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Beste {{ naam_onbekend }}", "Onbekende variabele: naam_onbekend"),
        ("Beste {{ inwoner_naam|upper }}", "zonder filters"),
        ("{% if x %}ja{% endif %}", "Gebruik geen {% %}"),
        ("{{ antwoord_link }}", "Onbekende variabele: antwoord_link"),  # not for this kind
        ("Beste {{ inwoner_naam", "losse {{"),
    ],
)
def test_unsafe_template_text_is_refused_on_save(enschede, letter_admin, text, message):
    own = services.override_template(user=letter_admin, shared=shared(), organisation=enschede)
    with pytest.raises(ValidationError) as info:
        services.save_template(user=letter_admin, template=own, subject="Wij bellen", body=text)
    assert message in str(info.value)
    own.refresh_from_db()
    assert own.version == 1 and own.versions.count() == 1


def test_every_save_is_a_version_and_letters_keep_theirs(
    enschede, letter_admin, consultant, resident
):
    own = services.override_template(user=letter_admin, shared=shared(), organisation=enschede)
    [first] = send_to_resident(
        organisation=enschede,
        resident=resident,
        sender=consultant,
        template_key="terugbelverzoek",
        context=CALLBACK,
    )
    services.save_template(
        user=letter_admin, template=own, subject="Wij bellen u snel", body=own.body
    )
    [second] = send_to_resident(
        organisation=enschede,
        resident=resident,
        sender=consultant,
        template_key="terugbelverzoek",
        context=CALLBACK,
    )
    versions = list(own.versions.order_by("number").values_list("number", "subject", "created_by"))
    assert versions == [
        (1, "Wij bellen u terug", letter_admin.pk),
        (2, "Wij bellen u snel", letter_admin.pk),
    ]
    assert first.letter.template_version.number == 1 and first.subject == "Wij bellen u terug"
    assert second.letter.template_version.number == 2 and second.subject == "Wij bellen u snel"


def test_override_beats_shared_only_for_that_municipality(enschede, maastricht, letter_admin):
    own = services.override_template(user=letter_admin, shared=shared(), organisation=enschede)
    services.save_template(user=letter_admin, template=own, subject="Enschede belt", body=own.body)
    assert services.find_template(organisation=enschede, key="terugbelverzoek").subject == (
        "Enschede belt"
    )
    assert services.find_template(organisation=maastricht, key="terugbelverzoek") == shared()
    # English residents of Enschede: the shared English one (no English override)
    assert services.find_template(organisation=enschede, key="terugbelverzoek", language="en") == (
        shared(language="en")
    )
    # overriding twice gives the same own copy
    again = services.override_template(user=letter_admin, shared=shared(), organisation=enschede)
    assert again == own


def test_only_the_functional_admin_of_the_organisation_edits(
    enschede, maastricht, consultant, letter_admin
):
    admin_maastricht = staff(maastricht, Role.FUNCTIONEEL_BEHEERDER, username="beheer.mst")
    with pytest.raises(PermissionDenied):
        services.override_template(user=consultant, shared=shared(), organisation=enschede)
    own = services.override_template(user=letter_admin, shared=shared(), organisation=enschede)
    with pytest.raises(PermissionDenied):
        services.save_template(user=admin_maastricht, template=own, subject="x", body="y")
    with pytest.raises(PermissionDenied):
        services.save_template(user=letter_admin, template=shared(), subject="x", body="y")
    assert LetterTemplateVersion.objects.filter(template=own).count() == 1


def test_readability_labels_and_long_sentences():
    easy = letters.readability("U belde ons. Wij bellen u terug. Dat doen wij morgen.")
    assert easy["label"] == "Makkelijk te lezen (B1)" and easy["long"] == []
    hard = letters.readability(
        "Onder verwijzing naar de desbetreffende wetsbepalingen informeren wij u hierbij "
        "dat de aanvraag tot verstrekking van bijzondere bijstand ingevolge de "
        "Participatiewet administratief ontvankelijk is verklaard door de gemeente."
    )
    assert hard["level"] in ("hard", "medium") and hard["label"] in ("Moeilijk", "Wat moeilijk")
    assert len(hard["long"]) == 1


# ---- the editor (screens) ----------------------------------------------------------------------
def test_template_list_only_for_functional_admins(ui_as, letter_admin, consultant):
    assert ui_as(consultant).get(reverse("messaging:letter-templates")).status_code == 403
    response = ui_as(letter_admin).get(reverse("messaging:letter-templates"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Landelijk" in html and "Aanpassen voor Gemeente Enschede" in html
    assert "Bevestiging terugbelverzoek" in html


def test_override_edit_and_preview(ui_as, enschede, letter_admin):
    client = ui_as(letter_admin)
    response = client.post(reverse("messaging:letter-template-override", args=[shared().uuid]))
    own = LetterTemplate.objects.get(organisation=enschede, key="terugbelverzoek", language="nl")
    assert response.status_code == 302 and str(own.uuid) in response["Location"]
    preview = client.post(
        reverse("messaging:letter-template-preview", args=[own.uuid]),
        {
            "subject": "Wij bellen {{ inwoner_naam }}",
            "body": "{{ aanhef }},\n\nWij bellen u.",
            "short_text": "",
        },
        HTTP_HX_REQUEST="true",
    )
    html = preview.content.decode()
    assert "Wij bellen Fatima de Vries" in html and "Beste Fatima de Vries" in html
    assert "Makkelijk te lezen (B1)" in html
    bad = client.post(
        reverse("messaging:letter-template", args=[own.uuid]),
        {"subject": "Hallo", "body": "Beste {{ bsn }}", "short_text": ""},
    )
    assert bad.status_code == 200 and "Onbekende variabele: bsn" in bad.content.decode()
    own.refresh_from_db()
    assert own.version == 1
    good = client.post(
        reverse("messaging:letter-template", args=[own.uuid]),
        {"subject": "Hallo", "body": "{{ aanhef }},\n\nWij bellen u.", "short_text": ""},
    )
    assert good.status_code == 302
    own.refresh_from_db()
    assert own.version == 2 and own.subject == "Hallo"


def test_shared_template_cannot_be_posted(ui_as, letter_admin):
    response = ui_as(letter_admin).post(
        reverse("messaging:letter-template", args=[shared().uuid]),
        {"subject": "x", "body": "y"},
    )
    assert response.status_code == 403
    assert shared().subject == "Wij bellen u terug"


def test_other_municipalitys_template_is_not_found(ui_as, enschede, maastricht, letter_admin):
    own = services.override_template(user=letter_admin, shared=shared(), organisation=enschede)
    admin_maastricht = staff(maastricht, Role.FUNCTIONEEL_BEHEERDER, username="beheer.mst")
    response = ui_as(admin_maastricht).get(reverse("messaging:letter-template", args=[own.uuid]))
    assert response.status_code == 404


def test_exemption_needs_a_reason_and_can_be_ended(ui_as, enschede, letter_admin, consultant):
    client = ui_as(letter_admin)
    url = reverse("messaging:letter-exemptions")
    response = client.post(url, {"employee": consultant.pk, "reason": "  "})
    assert response.status_code == 200 and not NamingExemption.objects.exists()
    assert "Vul" in response.content.decode() or "verplicht" in response.content.decode()
    response = client.post(url, {"employee": consultant.pk, "reason": "Veiligheid medewerker"})
    assert response.status_code == 302
    exemption = NamingExemption.objects.get()
    assert exemption.recorded_by == letter_admin and services.active_exemption(consultant, enschede)
    response = client.post(reverse("messaging:letter-exemption-end", args=[exemption.pk]))
    assert response.status_code == 302
    assert services.active_exemption(consultant, enschede) is None
