"""Fixtures for complaints: Gemeente Enschede with a Burgerzaken team (an employee the complaint
is about, a colleague and the team lead of that team), the complaints team (a coordinator and an
independent handler), a colleague of another team; UWV with a coordinator and a handler;
Gemeente Maastricht's coordinator (never involved); Fatima Yilmaz in the register.

No time is frozen here: each module freezes its own moment."""

import pytest

from eenloket.core.roles import Role

from ..factories import ResidentFactory, TeamFactory, staff


@pytest.fixture(autouse=True)
def _complaint_letters(request):
    """The complaint letter templates (complaints migration 0002), put back after a flush."""
    names = request.fixturenames
    if not ({"db", "transactional_db", "live_server"} & set(names)) and not (
        request.node.get_closest_marker("django_db")
    ):
        return
    request.getfixturevalue("_register_authorisations")
    from eenloket.complaints.letters import ensure_templates
    from eenloket.messaging.models import LetterTemplate, LetterTemplateVersion

    ensure_templates(LetterTemplate, LetterTemplateVersion)


@pytest.fixture
def burgerzaken(enschede):
    return TeamFactory(organisation=enschede, name="Burgerzaken", phone="+31534811000")


@pytest.fixture
def complaints_team(enschede):
    return TeamFactory(organisation=enschede, name="Kwaliteit en klachten", phone="+31534815000")


@pytest.fixture
def other_team(enschede):
    return TeamFactory(organisation=enschede, name="Werk en inkomen", phone="+31534816000")


@pytest.fixture
def employee(enschede, burgerzaken):
    """The employee the complaint is about (Burgerzaken, at the counter)."""
    return staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=burgerzaken,
        username="daan.wolters",
        first_name="Daan",
        last_name="Wolters",
    )


@pytest.fixture
def colleague(enschede, burgerzaken):
    return staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=burgerzaken,
        username="lotte.wessels",
        first_name="Lotte",
        last_name="Wessels",
    )


@pytest.fixture
def team_lead(enschede, burgerzaken):
    return staff(
        enschede,
        Role.TEAMLEIDER,
        team=burgerzaken,
        username="henk.nijhuis",
        first_name="Henk",
        last_name="Nijhuis",
    )


@pytest.fixture
def coordinator(enschede, complaints_team):
    return staff(
        enschede,
        Role.KLACHTCOORDINATOR,
        team=complaints_team,
        username="mirjam.haverkate",
        first_name="Mirjam",
        last_name="Haverkate",
        direct_phone="+31534815010",
    )


@pytest.fixture
def handler(enschede, complaints_team):
    return staff(
        enschede,
        Role.KLACHTBEHANDELAAR,
        team=complaints_team,
        username="youssef.ouali",
        first_name="Youssef",
        last_name="Ouali",
        direct_phone="+31534815020",
    )


@pytest.fixture
def other_team_member(enschede, other_team):
    return staff(
        enschede,
        Role.CASEMANAGER,
        team=other_team,
        username="ingrid.kamphuis",
        first_name="Ingrid",
        last_name="Kamphuis",
    )


@pytest.fixture
def uwv_team(uwv):
    return TeamFactory(organisation=uwv, name="WW-uitkeringen", phone="+31887700100")


@pytest.fixture
def uwv_coordinator(uwv):
    return staff(
        uwv,
        Role.KLACHTCOORDINATOR,
        username="uwv.klachtcoordinator",
        first_name="Hans",
        last_name="Brink",
        direct_phone="+31887700300",
    )


@pytest.fixture
def uwv_handler(uwv, uwv_team):
    return staff(
        uwv,
        Role.KLACHTBEHANDELAAR,
        username="uwv.klachtbehandelaar",
        first_name="Frank",
        last_name="Koster",
        direct_phone="+31887700310",
    )


@pytest.fixture
def maastricht_coordinator(maastricht):
    return staff(
        maastricht,
        Role.KLACHTCOORDINATOR,
        username="klachten.maastricht",
        first_name="Ellen",
        last_name="Dassen",
    )


@pytest.fixture
def resident(enschede):
    return ResidentFactory(
        given_names="Fatima",
        surname="Yilmaz",
        street="Oude Markt",
        house_number=12,
        postcode="7511GB",
        city="Enschede",
        email="fatima@example.org",
    )
