"""Letters as accessible PDF with a named contact person (decision III)."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from eenloket.messaging import letters, services

from .letters_support import exempt

pytestmark = pytest.mark.django_db


def pdf_for(organisation, sender=None, team=None, body="Beste inwoner,\n\nDit is een test."):
    contact = services.contact_for(organisation=organisation, sender=sender, team=team)
    pdf = letters.render_pdf(
        language="nl",
        organisation=organisation,
        letterhead_lines=services.letterhead_lines(organisation),
        address_lines=["Fatima de Vries", "Oude Markt 12", "7511 GB  Enschede"],
        date=dt.date(2026, 12, 4),
        subject="Wij bellen u terug",
        body=body,
        contact=contact,
    )
    return pdf, contact


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_names_the_employee_and_direct_number(enschede, consultant, town_hall):
    pdf, contact = pdf_for(enschede, sender=consultant)
    text = text_of(pdf)
    assert "Bel Sanne Bakker, consulent inkomen, op 053 481 1234" in text
    assert "Gemeente Enschede" in text and "Langestraat 24" in text
    assert "Wij bellen u terug" in text
    assert contact.exemption_applied is False


def test_exemption_gives_the_team_number_not_the_name(enschede, consultant, income_team):
    exempt(consultant, enschede)
    pdf, contact = pdf_for(enschede, sender=consultant)
    text = text_of(pdf)
    assert "Sanne" not in text and "Bakker" not in text
    assert "Bel Team Inkomen, op 053 481 7700" in text
    assert "053 481 1234" not in text
    assert contact.exemption_applied is True


def test_exemption_without_team_number_uses_the_organisations_number(enschede, consultant):
    exempt(consultant, enschede)
    consultant.memberships.first().team.__class__.objects.update(phone="")
    enschede.phone = "053 481 1111"
    enschede.save()
    contact = services.contact_for(organisation=enschede, sender=consultant)
    assert contact.phone == "053 481 1111"


def test_never_only_14_plus_area_code(enschede, consultant):
    exempt(consultant, enschede)
    consultant.memberships.first().team.__class__.objects.update(phone="")
    enschede.phone = "14 053"
    enschede.save()
    with pytest.raises(ValidationError) as info:
        services.contact_for(organisation=enschede, sender=consultant)
    assert "direct telefoonnummer" in str(info.value)


def test_pdf_is_pdf_ua(enschede, consultant):
    pdf, _contact = pdf_for(
        enschede, sender=consultant, body="# Wat gebeurt er nu?\n\n- Wij bellen."
    )
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="|>)1', xmp)
    assert reader.metadata.title == "Wij bellen u terug"
