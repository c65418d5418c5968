"""Fixtures for "bent u geholpen?": Gemeente Enschede with a counter team at the town hall, UWV
receiving referrals, residents with each channel preference, and helpers that make contacts,
referrals and asked checks."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from eenloket.core.roles import Role
from eenloket.helped import services, tokens
from eenloket.helped.models import AskChannel, CheckState, HelpedCheck
from eenloket.referrals.models import Referral, ReferralEvent

from ..factories import ContactMomentFactory, ResidentFactory, ServiceFactory, TeamFactory, staff

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def local(*args) -> dt.datetime:
    """An aware datetime in Amsterdam time."""
    return dt.datetime(*args, tzinfo=AMS)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """The answer page counts posts per address in the cache: each test starts at zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def team(enschede):
    return TeamFactory(organisation=enschede, name="Publiekszaken", phone="+31534811200")


@pytest.fixture
def counter(enschede, team):
    return staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=team,
        username="balie",
        first_name="Sanne",
        last_name="Bakker",
        direct_phone="+31534811234",
    )


@pytest.fixture
def lead(enschede, team):
    return staff(enschede, Role.TEAMLEIDER, team=team, username="teamleider")


@pytest.fixture
def service(db):
    return ServiceFactory(name="Bijzondere bijstand")


@pytest.fixture
def resident(db):
    """Prefers e-mail and has an address."""
    return ResidentFactory(
        given_names="Fatima",
        surname="Yilmaz",
        email="fatima@example.org",
        preferred_channel="email",
    )


@pytest.fixture
def make_contact(enschede, enschede_location, counter, resident, service):
    def make(at, **kwargs):
        kwargs.setdefault("organisation", enschede)
        kwargs.setdefault("location", enschede_location)
        kwargs.setdefault("staff", counter)
        kwargs.setdefault("resident", resident)
        kwargs.setdefault("service", service)
        kwargs.setdefault("question", "Mijn geheime vraag over schulden")
        return ContactMomentFactory(started_at=at, **kwargs)

    return make


@pytest.fixture
def make_referral(enschede, uwv, counter):
    """A referral from Enschede to a UWV team that ended in `state` at `at`."""

    def make(contact, at, *, state="geholpen", from_state="inwoner-gesproken", team=None):
        referral = Referral.objects.create(
            contact=contact,
            resident=contact.resident,
            from_organisation=enschede,
            from_staff=counter,
            to_organisation=uwv,
            to_team=team,
            reason="WW aanvragen",
            preferred_channel="telefoon",
            state=state,
            accept_due_at=at,
            contact_due_at=at,
            closed_at=at,
            closure_reason="" if state != "afgesloten" else "Inwoner wil geen hulp meer",
        )
        action = ReferralEvent.Action.HELPED if state == "geholpen" else ReferralEvent.Action.CLOSED
        ReferralEvent.objects.create(
            referral=referral, action=action, from_state=from_state, to_state=state, at=at
        )
        return referral

    return make


@pytest.fixture
def sent_check(make_contact):
    """A check asked by e-mail now, answer due in 5 working days; returns (check, token)."""

    def make(*, at=None, resident=None, **contact_kwargs):
        now = at or timezone.now()
        contact = make_contact(
            now - dt.timedelta(days=3),
            **({"resident": resident} if resident else {}),
            **contact_kwargs,
        )
        check = HelpedCheck.objects.create(
            organisation=contact.organisation,
            team_id=services._contact_team(contact),
            location=contact.location,
            staff=contact.staff,
            resident=contact.resident,
            source_type=services.SOURCE_CONTACT,
            source_id=str(contact.uuid),
            contact=contact,
            service=contact.service,
            source_channel=contact.channel,
            source_at=contact.started_at,
            channel=AskChannel.EMAIL,
            state=CheckState.SENT,
            scheduled_for=now,
            sent_at=now,
            answer_due_at=now + dt.timedelta(days=7),
            nonce=tokens.new_nonce(),
            created_at=now,
        )
        return check, tokens.make_token(check)

    return make
