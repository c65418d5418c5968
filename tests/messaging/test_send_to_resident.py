"""send_to_resident: channel choice with stated fallbacks, representation, language, letters."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from pypdf import PdfReader

from eenloket.core.models import AccessLog
from eenloket.messaging.models import Letter, LetterTemplate, Message
from eenloket.messaging.services import send_to_resident
from eenloket.residents.models import Representative

from .letters_support import exempt

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
CALLBACK = {
    "onderwerp": "bijzondere bijstand",
    "terugbellen_voor": dt.datetime(2026, 12, 7, 16, 0, tzinfo=dt.UTC),
    "terugbelnummer": "+31612345678",
}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def send(organisation, person, sender, **kwargs):
    kwargs.setdefault("template_key", "terugbelverzoek")
    kwargs.setdefault("context", CALLBACK)
    return send_to_resident(organisation=organisation, resident=person, sender=sender, **kwargs)


def pdf_text(letter) -> str:
    reader = PdfReader(io.BytesIO(bytes(letter.pdf)))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


# preference, (email, phone, address) present, expected channel, fallback stated
CHANNEL_TABLE = [
    ("email", (True, True, True), "email", False),
    ("email", (False, True, True), "post", True),
    ("email", (False, True, False), "sms", True),
    ("sms", (True, True, True), "sms", False),
    ("sms", (True, False, True), "post", True),
    ("sms", (True, False, False), "email", True),
    ("post", (True, True, True), "post", False),
    ("post", (True, True, False), "email", True),
    ("post", (False, True, False), "sms", True),
    ("portaal", (True, True, True), "email", True),  # no portal yet: stated
    ("portaal", (False, False, True), "post", True),
    ("telefoon", (True, True, True), "sms", False),
    ("telefoon", (True, False, True), "post", True),
    ("balie", (False, True, False), "sms", False),
    ("balie", (True, False, False), "email", True),
]


@pytest.mark.parametrize(("preference", "present", "expected", "fallback"), CHANNEL_TABLE)
def test_channel_follows_preference_with_stated_fallback(
    enschede, consultant, resident, preference, present, expected, fallback
):
    has_email, has_phone, has_address = present
    resident.preferred_channel = preference
    resident.email = "fatima@example.org" if has_email else ""
    resident.phone = "+31612345678" if has_phone else ""
    if not has_address:
        resident.street = resident.postcode = resident.city = ""
        resident.house_number = None
    resident.save()
    [message] = send(enschede, resident, consultant)
    assert message.channel == expected
    assert bool(message.fallback_reason) is fallback
    assert (message.letter is not None) is (expected == "post")
    if expected == "email":
        assert message.to == "fatima@example.org"
    if expected == "sms":
        assert message.to == "+31612345678"


def test_landline_is_no_sms_number(enschede, consultant, resident):
    resident.preferred_channel = "sms"
    resident.phone = "+31534811111"
    resident.save()
    [message] = send(enschede, resident, consultant)
    assert message.channel == "post"
    assert "mobiel" in message.fallback_reason


def test_no_channel_at_all_writes_nothing(enschede, consultant, resident):
    resident.email = resident.phone = resident.street = resident.postcode = resident.city = ""
    resident.save()
    assert send(enschede, resident, consultant) == []
    assert not Message.objects.exists()


def test_forced_channel_without_data_is_refused(enschede, consultant, resident):
    resident.email = ""
    resident.save()
    with pytest.raises(ValidationError) as info:
        send(enschede, resident, consultant, channel="email")
    assert "geen e-mailadres" in str(info.value)
    assert not Message.objects.exists()


def test_email_body_has_the_text_and_the_contact_block(enschede, consultant, resident):
    resident.preferred_channel = "email"
    resident.save()
    [message] = send(enschede, resident, consultant)
    assert message.subject == "Wij bellen u terug"
    assert "Beste Fatima de Vries" in message.body
    assert "bijzondere bijstand" in message.body
    assert "maandag 7 december 2026 om 17:00" in message.body  # Amsterdam time, Dutch
    assert "06 12345678" in message.body
    assert "Bel Sanne Bakker, consulent inkomen, op 053 481 1234." in message.body
    assert "# " not in message.body
    assert message.language == "nl" and message.template_key == "terugbelverzoek"


def test_sms_uses_the_short_text(enschede, consultant, resident):
    resident.preferred_channel = "sms"
    resident.save()
    [message] = send(enschede, resident, consultant)
    assert message.body.startswith("Gemeente Enschede: wij bellen u terug")
    assert "Bel Sanne Bakker" in message.body


def test_post_letter_names_employee_and_is_archived(enschede, consultant, resident, town_hall):
    [message] = send(enschede, resident, consultant, cause_type="task", cause_id="42")
    letter = message.letter
    assert message.channel == "post" and message.to == ""
    text = pdf_text(letter)
    assert "Sanne Bakker" in text and "053 481 1234" in text
    assert "Oude Markt 12" in text and "Langestraat 24" in text
    assert letter.sender == consultant and letter.contact_name == "Sanne Bakker"
    assert letter.contact_phone == "+31534811234" and not letter.exemption_applied
    assert letter.template_version.template.key == "terugbelverzoek"
    assert letter.template_version.number == 1
    assert letter.cause_type == "task" and letter.created_at == NOW
    log = AccessLog.objects.get(processing_activity_id="brief-versturen")
    assert log.object_id == str(letter.uuid)


def test_exemption_letter_has_team_number_not_employee(enschede, consultant, resident):
    exempt(consultant, enschede)
    [message] = send(enschede, resident, consultant)
    text = pdf_text(message.letter)
    assert "Sanne" not in text and "Bakker" not in text
    assert "Team Inkomen" in text and "053 481 7700" in text
    assert message.letter.exemption_applied and message.letter.contact_name == "Team Inkomen"


def test_no_direct_number_refused_and_nothing_written(enschede, consultant, resident):
    exempt(consultant, enschede)
    consultant.memberships.first().team.__class__.objects.update(phone="")
    enschede.phone = "14053"
    enschede.save()
    with pytest.raises(ValidationError) as info, transaction.atomic():
        send(enschede, resident, consultant)
    assert "direct telefoonnummer" in str(info.value)
    assert not Message.objects.exists() and not Letter.objects.exists()
    assert not AccessLog.objects.filter(processing_activity_id="brief-versturen").exists()


def _bewindvoerder(person, scope, **kwargs):
    values = {
        "kind": "bewindvoerder",
        "name": "Mr. P. Smit",
        "organisation_name": "Smit Bewindvoering",
        "street": "Boulevard 1945",
        "house_number": "10",
        "postcode": "7511AE",
        "city": "Enschede",
        "scope": scope,
        "valid_from": dt.date(2026, 1, 1),
    }
    values.update(kwargs)
    return Representative.objects.create(resident=person, **values)


def test_representative_only_gets_the_letter(enschede, consultant, resident):
    representative = _bewindvoerder(resident, "alleen-vertegenwoordiger")
    [message] = send(enschede, resident, consultant)
    assert message.representative == representative and message.channel == "post"
    text = pdf_text(message.letter)
    assert "Mr. P. Smit" in text and "Smit Bewindvoering" in text and "Boulevard 1945 10" in text
    assert "Deze brief gaat over Fatima de Vries" in text
    assert "beschermingsbewindvoerder" in text
    assert "Oude Markt" not in text
    assert message.letter.resident == resident


def test_both_get_it_when_the_scope_says_so(enschede, consultant, resident):
    resident.preferred_channel = "email"
    resident.save()
    _bewindvoerder(resident, "beide", email="smit@bewind.example")
    messages = send(enschede, resident, consultant)
    assert sorted((m.channel, m.to) for m in messages) == [
        ("email", "fatima@example.org"),
        ("email", "smit@bewind.example"),
    ]
    to_rep = next(m for m in messages if m.representative)
    assert to_rep.body.startswith("Deze brief gaat over Fatima de Vries")


def test_representation_outside_its_period_is_ignored(enschede, consultant, resident):
    _bewindvoerder(resident, "alleen-vertegenwoordiger", valid_until=dt.date(2026, 11, 30))
    _bewindvoerder(resident, "alleen-vertegenwoordiger", valid_from=dt.date(2027, 1, 1))
    [message] = send(enschede, resident, consultant)
    assert message.representative is None and message.recipient_name == "Fatima de Vries"


def test_english_resident_gets_english_text(enschede, consultant, resident):
    resident.language = "en"
    resident.preferred_channel = "email"
    resident.save()
    [message] = send(enschede, resident, consultant)
    assert message.language == "en"
    assert message.subject == "We will call you back"
    assert "Monday 7 December 2026" in message.body


def test_english_falls_back_to_dutch_without_english_template(enschede, consultant, resident):
    LetterTemplate.objects.filter(key="terugbelverzoek", language="en").delete()
    resident.language = "en"
    resident.save()
    [message] = send(enschede, resident, consultant)
    assert message.language == "nl" and message.subject == "Wij bellen u terug"


def test_unknown_template_is_a_clear_error(enschede, consultant, resident):
    with pytest.raises(ValidationError) as info:
        send(enschede, resident, consultant, template_key="bestaat-niet")
    assert "Er is geen sjabloon" in str(info.value)


def test_system_sender_uses_the_team(enschede, income_team, resident):
    [message] = send_to_resident(
        organisation=enschede,
        resident=resident,
        team=income_team,
        template_key="bent-u-geholpen",
        context={
            "onderwerp": "bijstand",
            "contact_datum": NOW - dt.timedelta(days=2),
            "antwoord_link": "https://eenloket.example/geholpen/abc",
            "antwoord_voor": NOW + dt.timedelta(days=5),
        },
    )
    text = pdf_text(message.letter)
    assert "https://eenloket.example/geholpen/abc" in text
    assert "053 481 7700" in text and "Team Inkomen" in text
