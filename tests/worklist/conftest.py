"""Fixtures for the work list: two teams of Gemeente Enschede, a lead, Maastricht and UWV staff,
and a test kind of task (a call) that records what its on_complete saw."""

import datetime as dt

import pytest
from django.utils.translation import gettext_lazy

from eenloket.core.roles import Role
from eenloket.worklist.kinds import Outcome, TaskKind, register_kind

from ..factories import ResidentFactory, TeamFactory, staff

COMPLETED: list[dict] = []


def _on_complete(*, task, user, outcome, note):
    COMPLETED.append({"task": task.pk, "user": user.pk, "outcome": outcome, "note": note})


TEST_KIND = register_kind(
    TaskKind(
        code="test-bellen",
        label=gettext_lazy("Testbelletje"),
        outcomes=(
            Outcome("gedaan", gettext_lazy("Gedaan")),
            Outcome("niet-gelukt", gettext_lazy("Niet gelukt")),
        ),
        is_call=True,
        on_complete=_on_complete,
    )
)
TEST_NOTE_KIND = register_kind(
    TaskKind(
        code="test-notitie",
        label=gettext_lazy("Testnotitie"),
        outcomes=(Outcome("gedaan", gettext_lazy("Gedaan")),),
        cutoff=dt.time(12, 0),
        days_before_cutoff=1,
        days_after_cutoff=2,
    )
)


@pytest.fixture(autouse=True)
def _clear_completed():
    COMPLETED.clear()


@pytest.fixture
def team_a(enschede):
    return TeamFactory(organisation=enschede, name="Werk en inkomen")


@pytest.fixture
def team_b(enschede):
    return TeamFactory(organisation=enschede, name="Zorg")


@pytest.fixture
def member_a(team_a):
    return staff(team_a.organisation, Role.KCC_MEDEWERKER, team=team_a, username="kcc.a")


@pytest.fixture
def colleague_a(team_a):
    return staff(team_a.organisation, Role.BALIEMEDEWERKER, team=team_a, username="balie.a")


@pytest.fixture
def member_b(team_b):
    return staff(team_b.organisation, Role.KCC_MEDEWERKER, team=team_b, username="kcc.b")


@pytest.fixture
def lead_a(team_a):
    return staff(team_a.organisation, Role.TEAMLEIDER, team=team_a, username="lead.a")


@pytest.fixture
def lead_b(team_b):
    return staff(team_b.organisation, Role.TEAMLEIDER, team=team_b, username="lead.b")


@pytest.fixture
def resident(enschede):
    return ResidentFactory(municipality=enschede)


@pytest.fixture
def make_task(enschede, team_a, resident):
    from eenloket.worklist.services import create_task

    def make(**kwargs):
        values = {
            "kind": TEST_KIND.code,
            "organisation": enschede,
            "team": team_a,
            "title": "Terugbellen over bijzondere bijstand",
            "resident": resident,
            "phone": "0612345678",
        }
        values.update(kwargs)
        return create_task(**values)

    return make
