"""Who may see a resident: purpose-bound register access (issue 8).

An organisation sees a resident's identifying data on a recorded basis only: its own contact, a
referral that shares it, the resident's municipality (woongemeente), a recorded lookup with a key
its organisation type is authorised for, or a resident it recorded itself. The resident's
municipality searches by BSN, name + birth date and address; agencies by BSN only; partners (the
sociaal raadslieden) never. Results never show more than the basis allows; every screen can say
why; only the woongemeente changes a household."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.contacts.services import register_contact
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.errors import NotFound
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.referrals import services as referral_services
from eenloket.referrals.models import SharedItem
from eenloket.residents import selectors, services
from eenloket.residents.models import RegisterAuthorisation, RegisterLookup, Resident

from ..factories import ContactMomentFactory, OrganisationFactory, ResidentFactory, new_bsn, staff

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 17, 10, 0, tzinfo=AMSTERDAM)
SEARCH = "/api/v1/residents/search/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def raadslieden(db):
    return OrganisationFactory(
        code="sociaal-raadslieden", type="sociaal-raadslieden", name="Sociaal raadslieden"
    )


@pytest.fixture
def counsellor(raadslieden):
    return staff(raadslieden, Role.MEDEWERKER_UITVOERING, username="raadslieden.medewerker")


@pytest.fixture
def fatima(enschede):
    return ResidentFactory(
        given_names="Fatima",
        surname="Yilmaz",
        birth_date=dt.date(1979, 3, 14),
        postcode="7511GB",
        house_number=12,
        municipality=enschede,
    )


@pytest.fixture
def maastricht_resident(maastricht):
    return ResidentFactory(
        given_names="Joep",
        surname="Custers",
        postcode="6211LE",
        house_number=3,
        city="Maastricht",
        municipality=maastricht,
    )


# --- the authorisations are data with a legal ground --------------------------------------------


def test_the_migration_seeds_who_may_search_with_which_key():
    rows = {
        (a.organisation_type, a.search_key): a.scope for a in RegisterAuthorisation.objects.all()
    }
    assert rows[("gemeente", "bsn")] == "alle"
    assert rows[("gemeente", "naam-geboortedatum")] == "eigen-inwoners"
    assert rows[("gemeente", "adres")] == "eigen-inwoners"
    for agency in ("uwv", "svb", "cak", "duo", "belastingdienst", "toeslagen", "cjib"):
        assert rows[(agency, "bsn")] == "alle"
        assert (agency, "adres") not in rows and (agency, "naam-geboortedatum") not in rows
    assert not [key for key in rows if key[0] in ("sociaal-raadslieden", "juridisch-loket")]
    assert all(a.legal_ground for a in RegisterAuthorisation.objects.all())


# --- searching -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        {"bsn": None},
        {"surname": "Yilmaz", "birth_date": dt.date(1979, 3, 14)},
        {"postcode": "7511 GB", "house_number": 12},
    ],
)
def test_the_municipality_finds_its_own_resident_by_every_key(counter_enschede, fatima, key):
    if "bsn" in key:
        key = {"bsn": fatima.bsn}
    assert selectors.search_residents(counter_enschede, **key) == [fatima]


def test_another_municipality_finds_a_resident_by_bsn_only(counter_maastricht, fatima):
    assert selectors.search_residents(counter_maastricht, bsn=fatima.bsn) == [fatima]
    assert selectors.search_residents(counter_maastricht, postcode="7511GB", house_number=12) == []
    assert (
        selectors.search_residents(
            counter_maastricht, surname="Yilmaz", birth_date=dt.date(1979, 3, 14)
        )
        == []
    )


def test_an_agency_finds_by_bsn_and_is_refused_other_keys(uwv_staff, fatima):
    assert selectors.search_residents(uwv_staff, bsn=fatima.bsn) == [fatima]
    with pytest.raises(PermissionDenied) as excinfo:
        selectors.search_residents(uwv_staff, postcode="7511GB", house_number=12)
    assert str(excinfo.value) == (
        "Uw organisatie mag niet zoeken op postcode en huisnummer. U mag zoeken op: BSN."
    )
    with pytest.raises(PermissionDenied):
        selectors.search_residents(uwv_staff, surname="Yilmaz", birth_date=dt.date(1979, 3, 14))


@pytest.mark.parametrize(
    "key",
    [{"bsn": "bsn"}, {"surname": "Yilmaz", "birth_date": dt.date(1979, 3, 14)}],
)
def test_a_partner_never_searches_the_register(counsellor, fatima, key):
    if "bsn" in key:
        key = {"bsn": fatima.bsn}
    with pytest.raises(PermissionDenied) as excinfo:
        selectors.search_residents(counsellor, **key)
    assert "Uw organisatie zoekt niet in het inwonersregister" in str(excinfo.value)
    assert AccessLog.objects.count() == 0
    assert RegisterLookup.objects.count() == 0


def test_a_refused_search_writes_nothing(uwv_staff, fatima):
    with pytest.raises(PermissionDenied):
        selectors.search_residents(uwv_staff, postcode="7511GB", house_number=12)
    assert AccessLog.objects.count() == 0
    assert RegisterLookup.objects.count() == 0


def test_the_api_refuses_a_search_the_organisation_is_not_authorised_for(api_as, uwv_staff, fatima):
    response = api_as(uwv_staff).post(
        SEARCH, {"postcode": "7511GB", "house_number": 12}, format="json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "postcode en huisnummer" in response.json()["detail"]
    partner = api_as(
        staff(OrganisationFactory(code="sociaal-raadslieden", type="sociaal-raadslieden"))
    )
    assert partner.post(SEARCH, {"bsn": fatima.bsn}, format="json").status_code == 403


# --- the leak from the issue: a receiver that did not get the BSN --------------------------------


def test_a_referral_without_the_bsn_does_not_give_the_bsn_by_an_address_search(
    api_as, enschede, uwv, counter_enschede, uwv_staff, fatima
):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=fatima)
    referral_services.create_referral(
        user=counter_enschede,
        contact=contact,
        to_organisation=uwv,
        reason="WW aanvragen",
        preferred_channel="telefoon",
        consent_given=True,
        shared=[SharedItem.IDENTITY, SharedItem.QUESTION],
    )
    client = api_as(uwv_staff)
    referral = client.get("/api/v1/referrals/").json()["results"][0]
    assert referral["bsn"] is None
    address = referral["resident"]["address"]
    assert "7511" in address
    # Searching the shared address: refused (UWV searches by BSN only).
    search = client.post(SEARCH, {"postcode": "7511GB", "house_number": 12}, format="json")
    assert search.status_code == 403
    assert fatima.bsn not in search.content.decode()
    # Reading the register entry: the referral is the basis, and it did not share the BSN.
    detail = client.get(f"/api/v1/residents/{fatima.uuid}/").json()
    assert detail["bsn"] is None
    assert detail["surname"] == "Yilmaz"
    assert detail["needs_cognitive"] is None and detail["household"] is None
    assert [b["kind"] for b in detail["access"]] == ["doorverwijzing"]
    assert detail["access"][0]["until"] is None  # as long as the referral is open
    assert fatima.bsn not in str(detail)


def test_the_bsn_shows_only_when_the_referral_shared_it(
    api_as, enschede, uwv, counter_enschede, uwv_staff, fatima
):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=fatima)
    referral_services.create_referral(
        user=counter_enschede,
        contact=contact,
        to_organisation=uwv,
        reason="WW aanvragen",
        preferred_channel="telefoon",
        consent_given=True,
        shared=[SharedItem.IDENTITY, SharedItem.BSN],
    )
    assert api_as(uwv_staff).get(f"/api/v1/residents/{fatima.uuid}/").json()["bsn"] == fatima.bsn


def test_a_referral_basis_ends_some_time_after_the_referral(
    frozen, api_as, enschede, uwv, counter_enschede, uwv_staff, fatima
):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=fatima)
    referral = referral_services.create_referral(
        user=counter_enschede,
        contact=contact,
        to_organisation=uwv,
        reason="WW aanvragen",
        preferred_channel="telefoon",
        consent_given=True,
        shared=[SharedItem.IDENTITY],
    )
    referral_services.close(user=uwv_staff, referral=referral, reason="Inwoner wil geen hulp meer")
    client = api_as(uwv_staff)
    detail = client.get(f"/api/v1/residents/{fatima.uuid}/").json()
    assert detail["access"][0]["until"].startswith("2026-12-17")  # 30 days after closing
    frozen.shift(dt.timedelta(days=31))
    assert client.get(f"/api/v1/residents/{fatima.uuid}/").status_code == 404


# --- no basis: not even whether the resident exists ----------------------------------------------


def test_without_a_basis_a_resident_is_indistinguishable_from_one_that_does_not_exist(
    api_as, uwv_staff, fatima
):
    import uuid

    client = api_as(uwv_staff)
    known = client.get(f"/api/v1/residents/{fatima.uuid}/")
    unknown = client.get(f"/api/v1/residents/{uuid.uuid4()}/")
    assert known.status_code == unknown.status_code == 404
    assert known.json()["detail"] == unknown.json()["detail"]
    assert AccessLog.objects.count() == 0


def test_the_overview_page_is_404_without_a_basis(ui_as, counter_maastricht, fatima):
    response = ui_as(counter_maastricht).get(f"/inwoners/{fatima.uuid}/")
    assert response.status_code == 404
    assert "Yilmaz" not in response.content.decode()


# --- a lookup is a recorded basis, for the rest of the day ---------------------------------------


def test_an_agency_lookup_by_bsn_is_a_basis_until_the_end_of_the_day(
    frozen, uwv, uwv_staff, fatima
):
    selectors.search_residents(uwv_staff, bsn=fatima.bsn)
    (lookup,) = RegisterLookup.objects.all()
    assert lookup.organisation == uwv and lookup.staff == uwv_staff
    assert lookup.authorisation.search_key == "bsn"
    visible = selectors.get_resident(uwv_staff, fatima.uuid)
    assert visible.bsn == fatima.bsn
    assert visible.household is None  # the household is the woongemeente's
    (basis,) = visible.access.bases
    assert basis.kind == "opzoeking"
    assert basis.until.astimezone(AMSTERDAM) == dt.datetime(
        2026, 11, 17, 23, 59, 59, tzinfo=AMSTERDAM
    )
    assert "Wet algemene bepalingen burgerservicenummer" in basis.legal_ground
    frozen.shift(dt.timedelta(days=1))
    with pytest.raises(NotFound):
        selectors.get_resident(uwv_staff, fatima.uuid)


def test_an_own_contact_keeps_the_basis_after_the_lookup_expires(frozen, uwv, uwv_staff, fatima):
    selectors.search_residents(uwv_staff, bsn=fatima.bsn)
    register_contact(
        user=uwv_staff,
        organisation=uwv,
        channel="balie",
        question="WW aanvragen",
        outcome="beantwoord",
        resident=fatima,
    )
    frozen.shift(dt.timedelta(days=3))
    visible = selectors.get_resident(uwv_staff, fatima.uuid)
    assert [b.kind for b in visible.access.bases] == ["eigen-contact"]
    assert visible.bsn == fatima.bsn


def test_registering_a_contact_needs_a_basis(uwv, uwv_staff, fatima):
    with pytest.raises(ValidationError) as excinfo:
        register_contact(
            user=uwv_staff,
            organisation=uwv,
            channel="balie",
            question="WW aanvragen",
            outcome="beantwoord",
            resident=fatima,
        )
    assert excinfo.value.message_dict["resident"] == [
        "U mag de gegevens van deze inwoner niet zien. Zoek de inwoner eerst op."
    ]


def test_the_api_refuses_a_contact_for_a_resident_without_a_basis(api_as, uwv_staff, fatima):
    from eenloket.contacts.models import ContactMoment

    response = api_as(uwv_staff).post(
        "/api/v1/contact-moments/",
        {
            "resident": str(fatima.uuid),
            "channel": "balie",
            "question": "WW",
            "outcome": "beantwoord",
        },
        format="json",
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_params"]] == ["resident"]
    assert ContactMoment.objects.count() == 0


# --- partners: no BSN, their own records ---------------------------------------------------------


def test_a_partner_records_a_person_without_bsn_and_sees_only_that(counsellor, counter_enschede):
    with pytest.raises(ValidationError) as excinfo:
        services.create_resident(user=counsellor, bsn=new_bsn(), given_names="Ans", surname="Bos")
    assert excinfo.value.message_dict["bsn"] == [
        "Uw organisatie legt geen BSN vast. Laat het BSN leeg."
    ]
    assert Resident.objects.count() == 0
    person = services.create_resident(
        user=counsellor, given_names="Ans", surname="Bos", birth_date=dt.date(1960, 1, 2)
    )
    assert selectors.get_resident(counsellor, person.uuid).surname == "Bos"
    # Not a register entry of Enschede: its name search does not find the partner's record.
    assert (
        selectors.search_residents(counter_enschede, surname="Bos", birth_date=dt.date(1960, 1, 2))
        == []
    )


def test_a_partner_never_sees_a_bsn_even_when_a_referral_shares_it(
    enschede, counter_enschede, counsellor, raadslieden, fatima
):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=fatima)
    referral_services.create_referral(
        user=counter_enschede,
        contact=contact,
        to_organisation=raadslieden,
        reason="Hulp bij brieven",
        preferred_channel="telefoon",
        consent_given=True,
        shared=[SharedItem.IDENTITY, SharedItem.BSN],
    )
    visible = selectors.get_resident(counsellor, fatima.uuid)
    assert visible.surname == "Yilmaz"
    assert visible.bsn is None


def test_the_create_form_for_a_partner_has_no_bsn_field(ui_as, counsellor):
    html = ui_as(counsellor).get("/inwoners/nieuw/").content.decode()
    assert 'name="bsn"' not in html
    assert 'name="given_names"' in html


def test_the_search_page_tells_a_partner_it_does_not_search(ui_as, counsellor):
    html = ui_as(counsellor).get("/inwoners/").content.decode()
    assert "Uw organisatie zoekt niet in het inwonersregister" in html
    assert 'name="bsn"' not in html


def test_the_search_page_offers_an_agency_only_the_bsn(ui_as, uwv_staff):
    html = ui_as(uwv_staff).get("/inwoners/").content.decode()
    assert 'name="bsn"' in html
    assert 'name="postcode"' not in html and 'name="surname"' not in html


def test_an_agency_searching_an_address_in_the_ui_gets_a_clear_message(ui_as, uwv_staff, fatima):
    response = ui_as(uwv_staff).get("/inwoners/", {"postcode": "7511GB", "house_number": "12"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Yilmaz" not in html
    assert "Vul het BSN in." in html


# --- households: only the woongemeente ---------------------------------------------------------


def test_only_the_woongemeente_puts_a_resident_in_a_household(
    enschede, counter_enschede, uwv_staff, counter_maastricht, fatima
):
    household = services.create_household(
        user=counter_enschede, name="Familie Yilmaz", members=[fatima]
    )
    for outsider in (uwv_staff, counter_maastricht):
        with pytest.raises(ValidationError) as excinfo:
            services.create_resident(
                user=outsider, given_names="Ali", surname="Yilmaz", household=household
            )
        assert "Alleen de woongemeente" in excinfo.value.message_dict["household"][0]
    with pytest.raises(PermissionDenied):
        services.create_household(user=uwv_staff, name="Nep", members=[fatima])
    child = services.create_resident(
        user=counter_enschede,
        given_names="Ali",
        surname="Yilmaz",
        municipality=enschede,
        household=household,
    )
    assert child.household == household and child.registered_by == enschede


def test_the_api_refuses_another_family_s_household(api_as, uwv_staff, counter_enschede, fatima):
    household = services.create_household(
        user=counter_enschede, name="Familie Yilmaz", members=[fatima]
    )
    response = api_as(uwv_staff).post(
        "/api/v1/residents/",
        {"given_names": "Ali", "surname": "Yilmaz", "household": str(household.uuid)},
        format="json",
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_params"]] == ["household"]
    assert not Resident.objects.filter(given_names="Ali").exists()


def test_a_municipality_records_only_itself_as_woongemeente(counter_enschede, maastricht):
    with pytest.raises(ValidationError) as excinfo:
        services.create_resident(
            user=counter_enschede, given_names="Ali", surname="Yilmaz", municipality=maastricht
        )
    assert "municipality" in excinfo.value.message_dict


def test_household_members_show_for_the_woongemeente_only(
    ui_as, enschede, uwv, counter_enschede, uwv_staff, fatima
):
    partner = ResidentFactory(given_names="Mehmet", surname="Yilmaz", municipality=enschede)
    services.create_household(user=counter_enschede, name="Yilmaz", members=[fatima, partner])
    ContactMomentFactory(organisation=uwv, staff=uwv_staff, resident=fatima)
    assert (
        "Mehmet Yilmaz" in ui_as(counter_enschede).get(f"/inwoners/{fatima.uuid}/").content.decode()
    )
    html = ui_as(uwv_staff).get(f"/inwoners/{fatima.uuid}/").content.decode()
    assert "Mehmet" not in html
    assert "Huishouden" not in html


# --- every screen says why -----------------------------------------------------------------------


def test_the_overview_says_why_this_organisation_may_see_the_resident(
    ui_as, uwv, uwv_staff, fatima
):
    ContactMomentFactory(organisation=uwv, staff=uwv_staff, resident=fatima)
    html = ui_as(uwv_staff).get(f"/inwoners/{fatima.uuid}/").content.decode()
    assert "Waarom ziet u deze gegevens?" in html
    assert "Uw organisatie had contact met de inwoner" in html
    assert "Geldig tot" in html


def test_the_overview_of_the_woongemeente_names_its_legal_ground(ui_as, counter_enschede, fatima):
    html = ui_as(counter_enschede).get(f"/inwoners/{fatima.uuid}/").content.decode()
    assert "De inwoner woont in uw gemeente" in html
    assert "Wet basisregistratie personen" in html
