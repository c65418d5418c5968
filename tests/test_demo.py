"""`make demo` loads this data: every feature must be visible in it within a minute."""

import io

import pytest
from django.core.management import CommandError, call_command

from eenloket.catalogue import selectors as catalogue_selectors
from eenloket.catalogue.models import RoutingOutcome, Service
from eenloket.contacts.models import ContactMoment
from eenloket.core.models import Notification
from eenloket.organisations.models import Organisation, User
from eenloket.referrals import selectors as referral_selectors
from eenloket.referrals.models import Escalation, OnDuty, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def test_demo_prints_logins_and_holds_every_feature(demo):
    assert "enschede.balie" in demo and "demo-loket-2026" in demo
    assert "raadslieden.medewerker" in demo
    assert Service.objects.filter(is_active=True).count() >= 300
    assert ContactMoment.objects.filter(service__isnull=False).exists()
    assert RoutingOutcome.objects.exists()
    enschede = Organisation.objects.get(code="gemeente-enschede")
    learned = catalogue_selectors.suggest("ik zit krap bij kas", tenant=enschede)
    assert learned[0].learned_local > 0

    states = set(Referral.objects.values_list("state", flat=True))
    assert {"verstuurd", "teruggestuurd", "geholpen"} <= states
    assert Escalation.objects.exists()
    svb_lead = User.objects.get(username="svb.teamleider")
    assert Notification.objects.filter(user=svb_lead, text__startswith="Te laat").exists()
    uwv = User.objects.get(username="uwv.medewerker")
    assert any(
        v.referral.resident.surname == "Yilmaz" for v in referral_selectors.worklist(uwv, "nieuw")
    )
    balie = User.objects.get(username="enschede.balie")
    sent = referral_selectors.worklist(balie, "verstuurd")
    assert any(v.referral.feedback for v in sent) and any(v.referral.return_reason for v in sent)
    counts = referral_selectors.counsellor_counts()
    assert {c["municipality"] for c in counts} >= {"gemeente-enschede", "gemeente-maastricht"}
    assert OnDuty.objects.filter(staff=uwv).exists()


def test_demo_refuses_a_database_that_already_has_it(demo):
    with pytest.raises(CommandError, match="al demogegevens"):
        call_command("load_demo_data", stdout=io.StringIO())
