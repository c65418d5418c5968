"""Fixtures for legal terms: Gemeente Enschede with a team Bezwaar en klachten (a handler with a
direct number and a team lead), a resident who wants letters by post, and a helper that
registers a request of a shared type."""

import datetime as dt

import pytest

from eenloket.core.roles import Role
from eenloket.deadlines import services
from eenloket.deadlines.models import RequestType

from ..factories import ResidentFactory, TeamFactory, staff


@pytest.fixture
def team(enschede):
    return TeamFactory(organisation=enschede, name="Bezwaar en klachten", phone="+31534819999")


@pytest.fixture
def handler(enschede, team):
    return staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=team,
        first_name="Sanne",
        last_name="Bakker",
        direct_phone="+31534811234",
    )


@pytest.fixture
def lead(enschede, team):
    return staff(enschede, Role.TEAMLEIDER, team=team, first_name="Kees", last_name="Mulder")


@pytest.fixture
def resident(enschede):
    return ResidentFactory(
        municipality=enschede, given_names="Anna", surname="de Boer", preferred_channel="post"
    )


@pytest.fixture
def register(enschede, team, handler, resident):
    def make(code="aanvraag", received_on=dt.date(2026, 3, 24), user=None, now=None, **extra):
        return services.register(
            user=user or handler,
            organisation=enschede,
            request_type=RequestType.objects.get(organisation=None, code=code),
            subject=extra.pop("subject", "Bijzondere bijstand voor een wasmachine"),
            team=extra.pop("team", team),
            handler=extra.pop("handler_user", handler),
            received_on=received_on,
            resident=extra.pop("resident", resident),
            now=now,
            **extra,
        )

    return make
