"""Representation: recording a representative (who may, validation, nothing half-written), the
resident overview section, and letters going to the representative."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from eenloket.core.models import AccessLog
from eenloket.residents import services
from eenloket.residents.models import Representative
from tests.factories import ContactMomentFactory, ResidentFactory

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "bewindvoerder",
    "name": "Mr. P. Smit",
    "organisation_name": "Smit Bewindvoering",
    "street": "Boulevard 1945",
    "house_number": "10",
    "postcode": "7511 ae",
    "city": "Enschede",
    "scope": "alleen-vertegenwoordiger",
    "subject": "geldzaken",
    "valid_from": dt.date(2026, 1, 1),
}


@pytest.fixture
def person(enschede):
    return ResidentFactory(given_names="Piet", surname="Schuld", municipality=enschede)


def test_woongemeente_records_a_representative(counter_enschede, person):
    rep = services.record_representative(user=counter_enschede, resident=person, **VALID)
    assert rep.postcode == "7511AE" and rep.recorded_by == counter_enschede
    assert rep.holds_on(dt.date(2026, 6, 1))
    log = AccessLog.objects.get(processing_activity_id="vertegenwoordiger-vastleggen")
    assert log.object_id == str(rep.uuid) and log.action == "create"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": ""}, "kind"),
        ({"kind": "oom"}, "kind"),
        ({"name": "  "}, "name"),
        ({"scope": "iedereen"}, "scope"),
        ({"valid_from": None}, "valid_from"),
        ({"valid_until": dt.date(2025, 12, 31)}, "valid_until"),
        ({"postcode": "123"}, "postcode"),
        ({"email": "geen-adres"}, "email"),
        ({"street": "", "email": ""}, "street"),
        ({"name": "a\x00b"}, "name"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(counter_enschede, person, change, field):
    with pytest.raises(ValidationError) as info:
        services.record_representative(
            user=counter_enschede, resident=person, **{**VALID, **change}
        )
    assert field in info.value.message_dict
    assert not Representative.objects.exists()
    assert not AccessLog.objects.filter(
        processing_activity_id="vertegenwoordiger-vastleggen"
    ).exists()


def test_organisation_without_own_contact_may_not_record(counter_maastricht, uwv_staff, person):
    for user in (counter_maastricht, uwv_staff):
        with pytest.raises(PermissionDenied):
            services.record_representative(user=user, resident=person, **VALID)


def test_organisation_with_its_own_contact_may_record(uwv, uwv_staff, person):
    ContactMomentFactory(organisation=uwv, staff=uwv_staff, resident=person)
    rep = services.record_representative(user=uwv_staff, resident=person, **VALID)
    assert rep.pk


def test_end_a_representation(counter_enschede, person):
    rep = services.record_representative(user=counter_enschede, resident=person, **VALID)
    with pytest.raises(ValidationError):
        services.end_representative(
            user=counter_enschede, representative=rep, valid_until=dt.date(2025, 1, 1)
        )
    services.end_representative(
        user=counter_enschede, representative=rep, valid_until=dt.date(2026, 3, 1)
    )
    rep.refresh_from_db()
    assert rep.valid_until == dt.date(2026, 3, 1) and not rep.holds_on(dt.date(2026, 3, 2))


# ---- screens ----------------------------------------------------------------------------------
def test_overview_shows_representative_and_letters(ui_as, enschede, counter_enschede, person):
    from eenloket.messaging.services import send_to_resident

    services.record_representative(user=counter_enschede, resident=person, **VALID)
    send_to_resident(
        organisation=enschede,
        resident=person,
        sender=counter_enschede,
        template_key="terugbelverzoek",
        context={
            "onderwerp": "schulden",
            "terugbellen_voor": dt.datetime(2026, 12, 7, 16, tzinfo=dt.UTC),
            "terugbelnummer": "+31612345678",
        },
    )
    response = ui_as(counter_enschede).get(reverse("resident-overview", args=[person.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vertegenwoordiger" in html and "Mr. P. Smit" in html
    assert "Beschermingsbewindvoerder" in html and "Alleen naar de vertegenwoordiger" in html
    assert "Brieven en berichten" in html and "Wij bellen u terug" in html
    assert "Brief per post" in html and "PDF bekijken" in html
    assert reverse("representative-add", args=[person.uuid]) in html


def test_add_form_validates_and_records(ui_as, counter_enschede, person):
    client = ui_as(counter_enschede)
    url = reverse("representative-add", args=[person.uuid])
    assert client.get(url).status_code == 200
    bad = client.post(url, {**VALID, "valid_from": "2026-02-01", "valid_until": "2026-01-01"})
    assert (
        bad.status_code == 200 and "De einddatum ligt voor de begindatum." in bad.content.decode()
    )
    assert not Representative.objects.exists()
    ok = client.post(url, {**VALID, "valid_from": "2026-01-01", "valid_until": ""})
    assert ok.status_code == 302
    assert Representative.objects.get().name == "Mr. P. Smit"


def test_add_form_refused_without_basis(ui_as, counter_maastricht, person):
    response = ui_as(counter_maastricht).get(reverse("representative-add", args=[person.uuid]))
    assert response.status_code == 404


def test_end_form(ui_as, counter_enschede, person):
    rep = services.record_representative(user=counter_enschede, resident=person, **VALID)
    url = reverse("representative-end", args=[person.uuid, rep.uuid])
    response = ui_as(counter_enschede).post(url, {"valid_until": "2026-04-30"})
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.valid_until == dt.date(2026, 4, 30)


def test_letter_pdf_screen_is_scoped_and_logged(
    ui_as, enschede, counter_enschede, counter_maastricht, person
):
    from eenloket.messaging.services import send_to_resident

    [message] = send_to_resident(
        organisation=enschede,
        resident=person,
        sender=counter_enschede,
        template_key="terugbelverzoek",
        context={"onderwerp": "x", "terugbellen_voor": None, "terugbelnummer": ""},
    )
    url = reverse("messaging:letter-pdf", args=[message.letter.uuid])
    assert ui_as(counter_maastricht).get(url).status_code == 404
    response = ui_as(counter_enschede).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        AccessLog.objects.filter(
            processing_activity_id="brief-inzien", object_id=str(message.letter.uuid)
        ).count()
        == 1
    )
