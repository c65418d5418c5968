"""`make demo` loads this data: every feature must be visible in it within a minute."""

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from eenloket.catalogue import selectors as catalogue_selectors
from eenloket.catalogue.models import RoutingOutcome, Service
from eenloket.contacts import selectors as contact_selectors
from eenloket.contacts.models import Channel, ContactMoment
from eenloket.core import notifications
from eenloket.core.calendar import AMSTERDAM, is_working_day
from eenloket.core.models import AccessLog, Notification
from eenloket.organisations.models import OpeningHours, Organisation, User
from eenloket.referrals import selectors as referral_selectors
from eenloket.referrals.models import Escalation, OnDuty, Referral
from eenloket.residents import selectors as resident_selectors
from eenloket.residents.models import Resident
from eenloket.residents.overview import open_items

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (about 12 s) inside a transaction that is rolled back
    afterwards; each test runs in a savepoint inside it, so what one test changes the next does
    not see."""
    from django.db import transaction
    from django.test import override_settings

    out = io.StringIO()
    # The command points message links at the port it is served on (a setting): put back after.
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings():
            call_command("load_demo_data", port=8131, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


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


def test_demo_prints_the_port_it_is_served_on(demo):
    assert "http://127.0.0.1:8131/" in demo  # loaded with port=8131 (make demo passes PORT)
    assert ":8000" not in demo


def test_demo_staff_have_distinct_plausible_names(demo):
    users = list(User.objects.all())
    names = Counter(u.get_full_name() for u in users)
    assert [name for name, n in names.items() if n > 1] == []  # Enschede ≠ Maastricht ≠ agencies
    org_words = {
        word
        for name, code in Organisation.objects.values_list("name", "code")
        for word in [*name.split(), *code.split("-"), code.upper()]
        if len(word) > 2
    }
    for u in users:
        assert re.fullmatch(r"[A-Z][a-z]+(-[A-Z][a-z]+)?", u.first_name), u.username
        assert not any(u.last_name.endswith(f"-{word}") for word in org_words), u.last_name
        assert not re.search(r"\b[A-Z]{2,}\b", u.get_full_name()), u.get_full_name()  # no "UWV"


def test_demo_walkthrough_resident_is_unique_and_uwv_has_its_own_contacts(demo):
    fatima = Resident.objects.get(given_names="Fatima", surname="Yilmaz")  # exactly one
    assert fatima.bsn == "999990007"
    assert Resident.objects.filter(household=fatima.household).count() > 1

    uwv = User.objects.get(username="uwv.medewerker")
    contacts, _cursor = contact_selectors.resident_contacts(uwv, fatima)
    assert contacts and {c.organisation.code for c in contacts} == {"uwv"}
    kinds = {b.kind for b in resident_selectors.get_resident(uwv, fatima.uuid).access.bases}
    assert "eigen-contact" in kinds

    balie = User.objects.get(username="enschede.balie")
    assert {"Doorverwijzing", "Terugbelverzoek"} <= {i.kind for i in open_items(balie, fatima)}


def _local(moment):
    return moment.astimezone(AMSTERDAM)


def test_demo_times_are_plausible(demo):
    now = timezone.now()
    hours = {}
    for row in OpeningHours.objects.all():
        hours.setdefault((row.location_id, row.weekday), []).append((row.opens, row.closes))
    office = (dt.time(8, 30), dt.time(17, 0))
    for c in ContactMoment.objects.all():
        start, end = _local(c.started_at), _local(c.ended_at)
        assert c.ended_at <= now and start.date() == end.date(), c.pk
        if c.channel == Channel.DIGITAL:
            assert start.time() >= dt.time(7, 0), (c.channel, start)
            continue
        assert is_working_day(start.date()), (c.channel, start)
        desk = c.channel == Channel.DESK
        windows = hours[(c.location_id, start.weekday())] if desk else [office]
        assert any(o <= start.time() and end.time() <= e for o, e in windows), (c.channel, start)

    created = [n.created_at for n in Notification.objects.all()]
    assert len(set(created)) > len(created) // 2  # not all at load time
    for moment in created:
        local = _local(moment)
        assert moment <= now and is_working_day(local.date()), local
        assert dt.time(8, 30) <= local.time() <= dt.time(17, 0), local
    # The access log (append-only) holds the steps at the time they happened, not at load time.
    logged = [row.start_time for row in AccessLog.objects.all()]
    # (a step may write two rows at one moment: a referral and the letter that confirms it)
    assert len(set(logged)) > len(logged) // 3
    for moment in logged:
        local = _local(moment)
        assert moment <= now and is_working_day(local.date()), local
        # Office hours, or the desk's Thursday evening (a referral right after such a contact);
        # a step right after the last contact of the day may fall a few minutes after 17:00.
        evening = local.weekday() == 3 and dt.time(18, 0) <= local.time() <= dt.time(20, 30)
        assert dt.time(8, 30) <= local.time() <= dt.time(17, 15) or evening, local
    week_ago = now - dt.timedelta(days=7)
    assert not Notification.objects.filter(created_at__lt=week_ago, read_at__isnull=True).exists()

    # The start page groups the last week's notifications of one kind.
    balie = User.objects.get(username="enschede.balie")
    assert any(group.count > 1 for group in notifications.unread_groups(balie))


def test_demo_counts_the_sociaal_raadsman_mentioned(demo):
    assert ContactMoment.objects.filter(counsellor_mentioned=True).exists()
    rows = referral_selectors.counsellor_counts(timezone.localdate().year)
    assert sum(r["mentioned"] for r in rows) > 0
