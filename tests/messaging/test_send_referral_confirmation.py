"""A warm referral that shares the resident sends them a confirmation, in the same
transaction, with the referring employee as contact person."""

import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from eenloket.messaging.models import Message
from eenloket.referrals import services
from eenloket.referrals.models import Referral
from tests.factories import ContactMomentFactory, ResidentFactory, TeamFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def contact(enschede, counter_enschede, enschede_location):
    counter_enschede.first_name, counter_enschede.last_name = "Anouk", "Peters"
    counter_enschede.direct_phone = "+31534812222"
    counter_enschede.save()
    resident = ResidentFactory(given_names="Piet", surname="Jansen", municipality=enschede)
    return ContactMomentFactory(
        organisation=enschede,
        staff=counter_enschede,
        resident=resident,
        location=enschede_location,
        question="Ik ben mijn baan kwijt. Wat nu?",
    )


def refer(contact, uwv, user, **kwargs):
    TeamFactory(organisation=uwv, name="Werk")
    args = {
        "user": user,
        "contact": contact,
        "to_organisation": uwv,
        "reason": "Werkloos geworden, hulp bij WW nodig.",
        "preferred_channel": "post",
        "consent_given": True,
        "shared": ["naam-en-contactgegevens", "vraag"],
    }
    args.update(kwargs)
    with time_machine.travel(NOW, tick=False):
        return services.create_referral(**args)


def test_referral_sends_a_confirmation_letter(contact, uwv, counter_enschede):
    referral = refer(contact, uwv, counter_enschede)
    message = Message.objects.get(cause_type="referral", cause_id=str(referral.uuid))
    assert message.template_key == "doorverwijzing" and message.channel == "post"
    assert message.organisation == contact.organisation
    assert message.subject == "Uw vraag gaat naar UWV"
    reader = PdfReader(io.BytesIO(bytes(message.letter.pdf)))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Ik ben mijn baan kwijt" in text
    assert "Anouk Peters" in text and "053 481 2222" in text
    assert message.letter.sender == counter_enschede


def test_no_confirmation_when_the_resident_is_not_shared(contact, uwv, counter_enschede):
    refer(contact, uwv, counter_enschede, consent_given=False, shared=["vraag"])
    assert Referral.objects.count() == 1
    assert not Message.objects.exists()


def test_a_failed_referral_writes_no_confirmation(contact, uwv, counter_enschede):
    with pytest.raises(Exception):  # noqa: B017 - the referral's own validation
        refer(contact, uwv, counter_enschede, reason="")
    assert not Message.objects.exists()
