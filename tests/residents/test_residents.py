"""Rules for residents: registering (services.create_resident) and searching (selectors)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.core.audit import pseudonymise
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.residents import selectors, services
from eenloket.residents.models import Resident

from ..factories import INVALID_BSN, ResidentFactory, new_bsn, staff

pytestmark = pytest.mark.django_db


def create(user, **overrides):
    data = {
        "given_names": "Fatima",
        "surname": "Yilmaz",
        "birth_date": dt.date(1975, 3, 2),
        "street": "Oude Markt",
        "house_number": 12,
        "postcode": "7511GB",
        "city": "Enschede",
    }
    data.update(overrides)
    return services.create_resident(user=user, **data)


def error_dict(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def assert_nothing_written(residents_before=0, log_before=0):
    assert Resident.objects.count() == residents_before
    assert AccessLog.objects.count() == log_before


# --- create_resident ---------------------------------------------------------------------------


def test_null_character_in_a_name_is_refused_by_the_service(counter_enschede):
    with pytest.raises(ValidationError) as excinfo:
        create(counter_enschede, surname="Yil\x00maz")
    assert error_dict(excinfo) == {
        "surname": ["Deze tekst bevat een teken dat niet is toegestaan."]
    }
    assert_nothing_written()


def test_create_resident_with_valid_data_stores_and_logs(counter_enschede):
    bsn = new_bsn()
    resident = create(counter_enschede, bsn=bsn)

    stored = Resident.objects.get(pk=resident.pk)
    assert stored.bsn == bsn
    assert stored.full_name == "Fatima Yilmaz"
    log = AccessLog.objects.get()
    assert (log.action, log.channel) == ("create", "ui")
    assert log.data_subject_id == pseudonymise(bsn)
    assert log.actor_organisation == "gemeente-enschede"


def test_bsn_is_normalised_before_storing(counter_enschede):
    resident = create(counter_enschede, bsn=" 111.222.333 ")
    assert Resident.objects.get(pk=resident.pk).bsn == "111222333"


@pytest.mark.parametrize("bsn", [INVALID_BSN, "111222334", "12345", "abcdefghi", "000000000"])
def test_invalid_bsn_is_refused_in_dutch_and_nothing_written(counter_enschede, bsn):
    with pytest.raises(ValidationError) as excinfo:
        create(counter_enschede, bsn=bsn)

    messages = error_dict(excinfo)["bsn"]
    assert messages == [
        "Dit is geen geldig BSN. Een BSN heeft 9 cijfers en moet de elfproef halen."
    ]
    assert_nothing_written()


def test_duplicate_bsn_is_refused_and_nothing_written(counter_enschede):
    existing = ResidentFactory()
    with pytest.raises(ValidationError) as excinfo:
        create(counter_enschede, bsn=existing.bsn, surname="Anders")

    assert error_dict(excinfo)["bsn"] == [
        "Er is al een inwoner met dit BSN. Zoek de inwoner op BSN."
    ]
    assert_nothing_written(residents_before=1)


def test_duplicate_bsn_written_differently_is_still_a_duplicate(counter_enschede):
    existing = ResidentFactory(bsn="111222333")
    with pytest.raises(ValidationError):
        create(counter_enschede, bsn="111 222 333")
    assert Resident.objects.filter(bsn="111222333").get() == existing


def test_resident_without_bsn_is_allowed_and_several_may_exist(counter_enschede):
    first = create(counter_enschede, bsn="")
    second = create(counter_enschede, bsn=None, surname="Peters")
    assert first.bsn is None and second.bsn is None
    assert Resident.objects.count() == 2
    # The log then uses the resident's uuid (pseudonymised), not an empty BSN.
    log = AccessLog.objects.filter(data_subject_id=pseudonymise(str(first.uuid))).get()
    assert log.data_subject_id_type == "inwoner-uuid"


@pytest.mark.parametrize(
    ("given", "stored"),
    [("7511 gb", "7511GB"), ("7511GB", "7511GB"), (" 6211  dw ", "6211DW"), ("", "")],
)
def test_postcode_is_normalised(counter_enschede, given, stored):
    resident = create(counter_enschede, postcode=given)
    assert Resident.objects.get(pk=resident.pk).postcode == stored


@pytest.mark.parametrize("postcode", ["0511GB", "7511G", "75111GB", "GB7511", "7511-GB", "75 11"])
def test_bad_postcode_is_refused(counter_enschede, postcode):
    with pytest.raises(ValidationError) as excinfo:
        create(counter_enschede, postcode=postcode)
    assert error_dict(excinfo)["postcode"] == [
        "Een postcode is 4 cijfers en 2 letters, zoals 7511 JM."
    ]
    assert_nothing_written()


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("06 12345678", "+31612345678"),
        ("06-1234 5678", "+31612345678"),
        ("053 481 1111", "+31534811111"),
        ("+31 (0)53 481 1111", "+31534811111"),
        ("0031612345678", "+31612345678"),
        ("+49 30 901820", "+4930901820"),
        ("", ""),
    ],
)
def test_phone_is_normalised_to_e164(counter_enschede, given, stored):
    resident = create(counter_enschede, phone=given)
    assert Resident.objects.get(pk=resident.pk).phone == stored


@pytest.mark.parametrize("phone", ["12345", "06 1234", "bel me maar", "+31 6 1234 5678 999"])
def test_invalid_phone_is_refused(counter_enschede, phone):
    with pytest.raises(ValidationError) as excinfo:
        create(counter_enschede, phone=phone)
    assert error_dict(excinfo)["phone"] == ["Dit telefoonnummer klopt niet."]
    assert_nothing_written()


@pytest.mark.parametrize("field", ["given_names", "surname"])
@pytest.mark.parametrize("value", ["", "   ", None])
def test_names_are_required(counter_enschede, field, value):
    with pytest.raises(ValidationError) as excinfo:
        create(counter_enschede, **{field: value})
    assert error_dict(excinfo)[field] == ["Vul dit veld in."]
    assert_nothing_written()


def test_all_errors_are_reported_at_once(counter_enschede):
    with pytest.raises(ValidationError) as excinfo:
        create(
            counter_enschede,
            bsn=INVALID_BSN,
            surname="",
            postcode="XXXX",
            phone="123",
            email="geen-adres",
            preferred_channel="duif",
        )
    assert set(error_dict(excinfo)) == {
        "bsn",
        "surname",
        "postcode",
        "phone",
        "email",
        "preferred_channel",
    }
    assert_nothing_written()


def test_preferred_channel_post_is_possible(counter_enschede):
    resident = create(counter_enschede, preferred_channel="post")
    assert Resident.objects.get(pk=resident.pk).get_preferred_channel_display() == (
        "Per post (brief)"
    )


def test_too_long_name_is_refused_not_crashing(counter_enschede):
    with pytest.raises(ValidationError) as excinfo:
        create(counter_enschede, surname="x" * 201)
    assert "surname" in error_dict(excinfo)
    assert_nothing_written()


@pytest.mark.parametrize(
    "role",
    [Role.MANAGEMENT, Role.INTERMEDIAIR, Role.PRIVACYFUNCTIONARIS, Role.FUNCTIONEEL_BEHEERDER],
)
def test_role_without_contact_rights_may_not_create(enschede, role):
    user = staff(enschede, role)
    with pytest.raises(PermissionDenied):
        create(user, bsn=new_bsn())
    assert_nothing_written()


def test_user_without_membership_may_not_create(no_membership_user):
    with pytest.raises(PermissionDenied):
        create(no_membership_user)
    assert_nothing_written()


# --- search ------------------------------------------------------------------------------------


@pytest.fixture
def residents():
    return {
        "fatima": ResidentFactory(
            bsn="111222333",
            given_names="Fatima",
            surname="El Idrissi",
            birth_date=dt.date(1980, 5, 17),
            postcode="7511GB",
            house_number=12,
        ),
        "jan": ResidentFactory(
            given_names="Jan",
            surname="El Idrissi",
            birth_date=dt.date(1950, 1, 1),
            postcode="7511GB",
            house_number=12,
        ),
        "other": ResidentFactory(
            given_names="Anna",
            surname="de Vries",
            birth_date=dt.date(1980, 5, 17),
            postcode="7511GB",
            house_number=14,
        ),
    }


def test_search_by_bsn(counter_enschede, residents):
    assert selectors.search_residents(counter_enschede, bsn="111222333") == [residents["fatima"]]


def test_search_by_bsn_with_spaces(counter_enschede, residents):
    assert selectors.search_residents(counter_enschede, bsn="111 222 333") == [residents["fatima"]]


def test_search_by_unknown_but_valid_bsn_finds_nobody(counter_enschede, residents):
    assert selectors.search_residents(counter_enschede, bsn=new_bsn()) == []
    assert AccessLog.objects.count() == 0  # nobody's data was processed


def test_search_by_invalid_bsn_is_refused(counter_enschede, residents):
    with pytest.raises(ValidationError) as excinfo:
        selectors.search_residents(counter_enschede, bsn=INVALID_BSN)
    assert excinfo.value.code == "invalid_bsn"
    assert "elfproef" in excinfo.value.messages[0]


@pytest.mark.parametrize("surname", ["El Idrissi", "el idrissi", "EL IDRISSI", "  El Idrissi "])
def test_search_by_surname_and_birth_date_is_case_insensitive(counter_enschede, residents, surname):
    found = selectors.search_residents(
        counter_enschede, surname=surname, birth_date=dt.date(1980, 5, 17)
    )
    assert found == [residents["fatima"]]


def test_search_by_surname_needs_the_exact_birth_date(counter_enschede, residents):
    found = selectors.search_residents(
        counter_enschede, surname="El Idrissi", birth_date=dt.date(1980, 5, 18)
    )
    assert found == []


@pytest.mark.parametrize("postcode", ["7511GB", "7511 gb", "7511gb"])
def test_search_by_postcode_and_house_number(counter_enschede, residents, postcode):
    found = selectors.search_residents(counter_enschede, postcode=postcode, house_number=12)
    assert set(found) == {residents["fatima"], residents["jan"]}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"surname": "El Idrissi"},
        {"birth_date": dt.date(1980, 5, 17)},
        {"postcode": "7511GB"},
        {"house_number": 12},
    ],
)
def test_search_without_a_complete_key_is_refused(counter_enschede, residents, params):
    with pytest.raises(ValidationError) as excinfo:
        selectors.search_residents(counter_enschede, **params)
    assert excinfo.value.code == "search_key_missing"
    assert "Zoek op BSN" in excinfo.value.messages[0]
    assert AccessLog.objects.count() == 0


def test_search_logs_one_row_per_resident_found(counter_enschede, residents):
    selectors.search_residents(counter_enschede, postcode="7511GB", house_number=12)
    logs = AccessLog.objects.filter(processing_activity_id="inwoner-zoeken")
    assert sorted(log.data_subject_id for log in logs) == sorted(
        pseudonymise(r.bsn) for r in (residents["fatima"], residents["jan"])
    )


@pytest.mark.parametrize(
    "role",
    [Role.MANAGEMENT, Role.INTERMEDIAIR, Role.PRIVACYFUNCTIONARIS, Role.FUNCTIONEEL_BEHEERDER],
)
def test_role_without_contact_rights_may_not_search(enschede, residents, role):
    user = staff(enschede, role)
    with pytest.raises(PermissionDenied):
        selectors.search_residents(user, bsn="111222333")
    with pytest.raises(PermissionDenied):
        selectors.get_resident(user, residents["fatima"].uuid)
    assert AccessLog.objects.count() == 0


def test_household_members_are_listed_and_logged(counter_enschede):
    household_members = [ResidentFactory(), ResidentFactory(), ResidentFactory()]
    household = services.create_household(
        user=counter_enschede, name="Familie Jansen", members=household_members
    )
    outsider = ResidentFactory()
    first, *others = household_members
    first.refresh_from_db()

    members = selectors.household_members(counter_enschede, first)

    assert set(members) == set(others)
    assert outsider not in members
    assert Resident.objects.filter(household=household).count() == 3
    logged = set(
        AccessLog.objects.filter(object_type="household-member").values_list(
            "data_subject_id", flat=True
        )
    )
    assert logged == {pseudonymise(r.bsn) for r in others}


def test_household_needs_a_name(counter_enschede):
    with pytest.raises(ValidationError):
        services.create_household(user=counter_enschede, name="  ", members=[])
