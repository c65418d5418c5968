"""The days equated with a public holiday by royal decree (Atw art. 3 lid 3): every staff member
sees the year's holidays; only an application manager with the right keeps the equated days,
and from then on every term counts them (the calculator, the API, new requests)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from eenloket.core.models import EquatedDay
from eenloket.core.roles import Role

from ..factories import staff

FRIDAY_AFTER_ASCENSION_2027 = dt.date(2027, 5, 7)


@pytest.fixture
def keeper(enschede):
    user = staff(enschede, Role.FUNCTIONEEL_BEHEERDER, first_name="Els", last_name="Brinkhuis")
    user.user_permissions.add(
        Permission.objects.get(codename="add_equatedday"),
        Permission.objects.get(codename="delete_equatedday"),
    )
    return user


def test_every_staff_member_sees_the_holidays_of_a_year(ui_as, handler):
    page = ui_as(handler).get("/termijnen/feestdagen/?jaar=2027").content.decode()
    assert "Feestdagen 2027" in page
    for text in (
        "vrijdag 26 maart 2027: Goede vrijdag",
        "maandag 29 maart 2027: Tweede paasdag",
        "dinsdag 27 april 2027: Koningsdag",
        "woensdag 5 mei 2027: Bevrijdingsdag",
        "donderdag 6 mei 2027: Hemelvaartsdag",
    ):
        assert text in page
    assert "Gelijkgestelde dag toevoegen" not in page  # no right to keep them


def test_without_the_right_nothing_is_added(ui_as, handler, enschede):
    beheer = staff(enschede, Role.FUNCTIONEEL_BEHEERDER)
    for user in (handler, beheer):
        response = ui_as(user).post(
            "/termijnen/feestdagen/", {"day": "2027-05-07", "reason": "Vrijdag na Hemelvaart"}
        )
        assert response.status_code == 403
    assert not EquatedDay.objects.exists()


def test_an_equated_day_moves_every_term_that_ends_on_it(ui_as, keeper, api_as, handler):
    query = "/api/v1/deadlines/due-date?start=2027-03-26&term=P6W"
    assert api_as(handler).get(query).json()["due_date"] == "2027-05-07"

    response = ui_as(keeper).post(
        "/termijnen/feestdagen/",
        {"day": "2027-05-07", "reason": "Vrijdag na Hemelvaartsdag", "decree": "Stb. 2026, 123"},
    )
    assert response.status_code == 302
    assert EquatedDay.objects.get().day == FRIDAY_AFTER_ASCENSION_2027

    answer = api_as(handler).get(query).json()
    assert answer["due_date"] == "2027-05-10"
    assert "gelijkgesteld" in answer["explanation"]
    page = ui_as(handler).get("/termijnen/feestdagen/?jaar=2027").content.decode()
    assert "vrijdag 7 mei 2027: Vrijdag na Hemelvaartsdag (Stb. 2026, 123)" in page

    equated = EquatedDay.objects.get()
    assert (
        ui_as(keeper).post("/termijnen/feestdagen/", {"verwijder": equated.pk}).status_code == 302
    )
    assert not EquatedDay.objects.exists()
    assert api_as(handler).get(query).json()["due_date"] == "2027-05-07"


@pytest.mark.parametrize(
    ("day", "error"),
    [
        ("2027-05-08", "Dit is een zaterdag of zondag: die tellen al niet mee."),
        ("2027-05-06", "Dit is al een algemeen erkende feestdag."),
        ("", "Dit veld is vereist."),
    ],
)
def test_a_day_that_cannot_be_equated_gets_a_clear_error(ui_as, keeper, day, error):
    response = ui_as(keeper).post("/termijnen/feestdagen/", {"day": day, "reason": "Brugdag"})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not EquatedDay.objects.exists()


def test_a_day_is_equated_once(ui_as, keeper):
    client = ui_as(keeper)
    data = {"day": "2027-05-07", "reason": "Vrijdag na Hemelvaartsdag"}
    assert client.post("/termijnen/feestdagen/", data).status_code == 302
    response = client.post("/termijnen/feestdagen/", data)
    assert response.status_code == 400
    assert "Deze dag staat al in de lijst." in response.content.decode()
    assert EquatedDay.objects.count() == 1
