"""The permission matrix: who sees which contact moments, through selectors, API and UI.

Actors: a counter employee of Enschede, a KCC employee of Maastricht, a UWV employee, a privacy
officer and a management member (both of Enschede, without contact rights), and a user with no
membership at all. Objects: a contact moment of Enschede and one of UWV, about the same resident.
"""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from eenloket.contacts import selectors
from eenloket.contacts.models import ContactMoment
from eenloket.core.models import AccessLog
from eenloket.residents.models import RegisterAuthorisation, RegisterLookup

from ..factories import ContactMomentFactory, ResidentFactory

pytestmark = pytest.mark.django_db

ACTORS = [
    "counter_enschede",
    "counter_maastricht",
    "uwv_staff",
    "privacy_officer",
    "management_enschede",
    "no_membership_user",
]
# Which organisation's contacts each actor may see; None = no contact rights at all.
VISIBLE = {
    "counter_enschede": {"enschede"},
    "counter_maastricht": set(),
    "uwv_staff": {"uwv"},
    "privacy_officer": None,
    "management_enschede": None,
    "no_membership_user": None,
}
OWNERS = ["enschede", "uwv"]
MATRIX = [(actor, owner) for actor in ACTORS for owner in OWNERS]
CONTACT_ACTORS = [a for a in ACTORS if VISIBLE[a] is not None]
OTHER_ACTORS = [a for a in ACTORS if VISIBLE[a] is None]


@pytest.fixture
def world(enschede, uwv, maastricht, counter_enschede, counter_maastricht, uwv_staff):
    resident = ResidentFactory()  # lives in Enschede
    # Maastricht looked the resident up by BSN today (a resident of Enschede at its counter):
    # its basis to see the resident (tests/residents/test_register_access.py covers how it gets there).
    now = timezone.now()
    RegisterLookup.objects.create(
        organisation=maastricht,
        resident=resident,
        staff=counter_maastricht,
        authorisation=RegisterAuthorisation.objects.get(
            organisation_type="gemeente", search_key="bsn"
        ),
        at=now,
        valid_until=now + dt.timedelta(hours=8),
    )
    return {
        "resident": resident,
        "enschede": ContactMomentFactory(
            organisation=enschede,
            staff=counter_enschede,
            resident=resident,
            question="Vraag bij de gemeente over bijzondere bijstand",
        ),
        "uwv": ContactMomentFactory(
            organisation=uwv,
            staff=uwv_staff,
            resident=resident,
            question="Vraag bij UWV over de WW-uitkering",
        ),
    }


@pytest.fixture
def actor(request):
    return request.getfixturevalue(request.param)


def visible(actor_name, owner) -> bool:
    return owner in (VISIBLE[actor_name] or set())


# --- selectors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("actor_name", "owner"), MATRIX)
def test_selector_visible_contacts(request, world, actor_name, owner):
    user = request.getfixturevalue(actor_name)
    contact = world[owner]
    if VISIBLE[actor_name] is None:
        with pytest.raises(PermissionDenied):
            selectors.visible_contacts(user)
        return
    assert selectors.visible_contacts(user).filter(pk=contact.pk).exists() is visible(
        actor_name, owner
    )


@pytest.mark.parametrize(("actor_name", "owner"), MATRIX)
def test_selector_get_contact(request, world, actor_name, owner):
    from eenloket.core.errors import NotFound

    user = request.getfixturevalue(actor_name)
    contact = world[owner]
    if VISIBLE[actor_name] is None:
        with pytest.raises(PermissionDenied):
            selectors.get_contact(user, contact.uuid)
    elif visible(actor_name, owner):
        assert selectors.get_contact(user, contact.uuid) == contact
    else:
        with pytest.raises(NotFound):
            selectors.get_contact(user, contact.uuid)


@pytest.mark.parametrize("actor_name", ACTORS)
def test_selector_resident_contacts(request, world, actor_name):
    user = request.getfixturevalue(actor_name)
    if VISIBLE[actor_name] is None:
        with pytest.raises(PermissionDenied):
            selectors.resident_contacts(user, world["resident"])
        return
    rows, _ = selectors.resident_contacts(user, world["resident"])
    assert {c.pk for c in rows} == {world[o].pk for o in VISIBLE[actor_name]}


# --- API ---------------------------------------------------------------------------------------


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(("actor_name", "owner"), MATRIX)
def test_api_list(request, api_as, world, actor_name, owner):
    client = api_as(request.getfixturevalue(actor_name))
    contact = world[owner]
    response = client.get("/api/v1/contact-moments/")
    if VISIBLE[actor_name] is None:
        assert_problem(response, 403)
        return
    assert response.status_code == 200
    uuids = {c["uuid"] for c in response.json()["results"]}
    assert (str(contact.uuid) in uuids) is visible(actor_name, owner)


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("actor_name", CONTACT_ACTORS)
def test_api_list_filters_cannot_widen_the_scope(request, api_as, world, actor_name, owner):
    client = api_as(request.getfixturevalue(actor_name))
    org_code = world[owner].organisation.code
    response = client.get(
        f"/api/v1/contact-moments/?organisation={org_code}&resident={world['resident'].uuid}"
    )
    assert response.status_code == 200
    uuids = [c["uuid"] for c in response.json()["results"]]
    assert uuids == ([str(world[owner].uuid)] if visible(actor_name, owner) else [])


@pytest.mark.parametrize(("actor_name", "owner"), MATRIX)
def test_api_detail(request, api_as, world, actor_name, owner):
    client = api_as(request.getfixturevalue(actor_name))
    contact = world[owner]
    response = client.get(f"/api/v1/contact-moments/{contact.uuid}/")
    if VISIBLE[actor_name] is None:
        assert_problem(response, 403)
    elif visible(actor_name, owner):
        assert response.status_code == 200
        assert response.json()["question"] == contact.question
    else:
        body = assert_problem(response, 404)
        # Indistinguishable from an id that does not exist: existence is not leaked.
        missing = assert_problem(client.get(f"/api/v1/contact-moments/{uuid.uuid4()}/"), 404)
        body.pop("instance"), missing.pop("instance")
        assert body == missing
        assert contact.question not in response.content.decode()


@pytest.mark.parametrize("actor_name", CONTACT_ACTORS)
@pytest.mark.parametrize("org_code", ["gemeente-enschede", "uwv", "gemeente-maastricht"])
def test_api_create_for_another_organisation_is_refused(
    request, api_as, world, actor_name, org_code
):
    user = request.getfixturevalue(actor_name)
    own_codes = {m.organisation.code for m in user.memberships.all()}
    contacts_before, logs_before = ContactMoment.objects.count(), AccessLog.objects.count()
    response = api_as(user).post(
        "/api/v1/contact-moments/",
        {
            "organisation": org_code,
            "resident": str(world["resident"].uuid),
            "channel": "telefoon",
            "question": "Kan ik langskomen?",
            "outcome": "beantwoord",
        },
        format="json",
    )
    if org_code in own_codes:
        assert response.status_code == 201, response.content
        assert response.json()["organisation"] == org_code
        assert ContactMoment.objects.count() == contacts_before + 1
        return
    body = assert_problem(response, 400)
    assert [p["name"] for p in body["invalid_params"]] == ["organisation"]
    assert body["invalid_params"][0]["reason"] == "U werkt niet voor deze organisatie."
    assert ContactMoment.objects.count() == contacts_before
    assert AccessLog.objects.count() == logs_before


@pytest.mark.parametrize("actor_name", OTHER_ACTORS)
def test_api_create_without_contact_rights_is_forbidden(request, api_as, world, actor_name):
    response = api_as(request.getfixturevalue(actor_name)).post(
        "/api/v1/contact-moments/",
        {"channel": "balie", "question": "Vraag", "outcome": "beantwoord"},
        format="json",
    )
    assert_problem(response, 403)
    assert ContactMoment.objects.count() == 2


@pytest.mark.parametrize("actor_name", ACTORS)
def test_api_residents(request, api_as, world, actor_name):
    client = api_as(request.getfixturevalue(actor_name))
    resident = world["resident"]
    detail = client.get(f"/api/v1/residents/{resident.uuid}/")
    search = client.post("/api/v1/residents/search/", {"bsn": resident.bsn}, format="json")
    if VISIBLE[actor_name] is None:
        assert_problem(detail, 403)
        assert_problem(search, 403)
        assert AccessLog.objects.count() == 0
    else:
        assert detail.status_code == 200
        assert detail.json()["bsn"] == resident.bsn
        assert [r["uuid"] for r in search.json()["results"]] == [str(resident.uuid)]


@pytest.mark.parametrize("actor_name", ACTORS)
def test_everyone_with_a_membership_may_read_the_staff_directory(
    request, api_as, world, actor_name
):
    response = api_as(request.getfixturevalue(actor_name)).get("/api/v1/staff-directory/")
    if actor_name == "no_membership_user":
        assert_problem(response, 403)
    else:
        assert response.status_code == 200


# --- UI ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor_name", ACTORS)
def test_ui_resident_overview_shows_only_own_organisations_contacts(
    request, ui_as, world, actor_name
):
    response = ui_as(request.getfixturevalue(actor_name)).get(
        f"/inwoners/{world['resident'].uuid}/"
    )
    if VISIBLE[actor_name] is None:
        assert response.status_code == 403
        assert world["resident"].surname not in response.content.decode()
        return
    assert response.status_code == 200
    html = response.content.decode()
    for owner in OWNERS:
        assert (world[owner].question in html) is visible(actor_name, owner), owner


@pytest.mark.parametrize(("actor_name", "owner"), MATRIX)
def test_ui_contact_detail(request, ui_as, world, actor_name, owner):
    contact = world[owner]
    response = ui_as(request.getfixturevalue(actor_name)).get(f"/contacten/{contact.uuid}/")
    if VISIBLE[actor_name] is None:
        expected = 403
    elif visible(actor_name, owner):
        expected = 200
    else:
        expected = 404
    assert response.status_code == expected
    assert (contact.question in response.content.decode()) is (expected == 200)


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("path", ["/inwoners/", "/contacten/nieuw/", "/inwoners/nieuw/"])
def test_ui_contact_pages_need_a_contact_role(request, ui_as, world, actor_name, path):
    response = ui_as(request.getfixturevalue(actor_name)).get(path)
    assert response.status_code == (403 if VISIBLE[actor_name] is None else 200)


@pytest.mark.parametrize("actor_name", ACTORS)
def test_ui_register_for_another_organisation_is_refused(
    request, ui_as, world, actor_name, uwv, maastricht
):
    """A crafted POST with an organisation the user does not belong to writes nothing."""
    user = request.getfixturevalue(actor_name)
    foreign = maastricht if actor_name == "uwv_staff" else uwv
    assert foreign.pk not in {m.organisation_id for m in user.memberships.all()}
    response = ui_as(user).post(
        f"/contacten/nieuw/?inwoner={world['resident'].uuid}",
        {
            "organisation": foreign.pk,
            "channel": "balie",
            "question": "Vraag",
            "outcome": "beantwoord",
        },
    )
    assert response.status_code == (403 if VISIBLE[actor_name] is None else 200)
    if response.status_code == 200:
        assert "Controleer wat u heeft ingevuld" in response.content.decode()
    assert ContactMoment.objects.count() == 2


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("query", ["", "?bsn=111222333"])
def test_access_log_page_is_for_the_privacy_officer_only(request, ui_as, world, actor_name, query):
    response = ui_as(request.getfixturevalue(actor_name)).get(f"/privacy/logboek/{query}")
    if actor_name == "privacy_officer":
        assert response.status_code == 200
        assert "Logboek inzage persoonsgegevens" in response.content.decode()
    else:
        assert response.status_code == 403
        assert "Geen toegang" in response.content.decode()


def test_anonymous_browser_is_sent_to_login(client, world):
    for path in [
        "/",
        "/inwoners/",
        f"/inwoners/{world['resident'].uuid}/",
        f"/contacten/{world['enschede'].uuid}/",
        "/privacy/logboek/",
        "/medewerkersgids/",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/inloggen/"), path
    assert AccessLog.objects.count() == 0


# --- one permission vocabulary (core/permissions.py) --------------------------------------------
# The oracle: what each role may do, written from DESIGN.md ("Who uses it"), not from the code.
# (may work with contacts, may read reports, may manage the catalogue, privacy officer)
ROLE_RIGHTS = {
    "baliemedewerker": (True, False, False, False),
    "kcc-medewerker": (True, False, False, False),
    "medewerker-uitvoering": (True, False, False, False),
    "casemanager": (True, False, False, False),
    "teamleider": (True, True, False, False),
    "klachtcoordinator": (True, False, False, False),
    "klachtbehandelaar": (True, False, False, False),
    "doorbraakcoordinator": (True, False, False, False),
    "intermediair": (False, False, False, False),
    "functioneel-beheerder": (False, True, True, False),
    "privacyfunctionaris": (False, False, False, True),
    "management": (False, True, False, False),
}


def test_the_oracle_names_every_role():
    from eenloket.core.roles import Role

    assert set(ROLE_RIGHTS) == set(Role.values)


@pytest.mark.parametrize("role", list(ROLE_RIGHTS))
def test_each_predicate_answers_for_each_role(enschede, maastricht, role):
    from eenloket.core import permissions as p
    from eenloket.organisations.selectors import get_scope

    from ..factories import TeamFactory, staff

    team = TeamFactory(organisation=enschede, name="Publiekszaken")
    scope = get_scope(staff(enschede, role, team=team, username=f"u.{role}"))
    contacts, reports, catalogue, privacy = ROLE_RIGHTS[role]
    assert p.is_staff_member(scope)
    assert p.can_work_with_contacts(scope) is contacts
    assert p.can_work_with_contacts_of(scope, enschede) is contacts
    assert p.can_work_with_contacts_of(scope, maastricht) is False  # a role counts only there
    assert p.can_read_reports(scope) is reports
    assert p.can_manage_catalogue(scope) is catalogue
    assert p.can_manage_catalogue(scope, enschede) is catalogue
    assert p.can_manage_catalogue(scope, maastricht) is False
    assert p.is_functional_admin(scope, enschede) is catalogue
    assert p.is_functional_admin(scope, maastricht) is False
    assert p.is_privacy_officer(scope) is privacy
    # Cases are the case manager's alone (background 003: one named case manager).
    assert p.can_manage_cases(scope) is (role == "casemanager")
    # Receiving a referral: for the organisation (any contact role there), for its own team,
    # and for another team only as a team lead.
    other_team = TeamFactory(organisation=enschede, name="Wmo-loket")
    assert p.can_receive_referrals(scope, enschede) is contacts
    assert p.can_receive_referrals(scope, enschede.pk, team.pk) is contacts
    assert p.can_receive_referrals(scope, enschede, other_team) is (role == "teamleider")
    assert p.can_receive_referrals(scope, maastricht) is False
    # The same answers reach the templates through the scope.
    assert scope.can_work_with_contacts is contacts
    assert scope.can_read_access_log is privacy
    assert scope.can_read_reports is reports


def test_a_user_without_membership_or_deactivated_may_do_nothing(enschede, no_membership_user):
    from eenloket.core import permissions as p
    from eenloket.core.roles import Role
    from eenloket.organisations.models import User
    from eenloket.organisations.selectors import get_scope

    from ..factories import staff

    lead = staff(enschede, Role.TEAMLEIDER, username="oud.teamleider")
    User.objects.filter(pk=lead.pk).update(is_active=False)
    for user in (no_membership_user, User.objects.get(pk=lead.pk)):
        scope = get_scope(user)
        answers = {
            "is_staff_member": p.is_staff_member(scope),
            "can_work_with_contacts": p.can_work_with_contacts(scope),
            "can_work_with_contacts_of": p.can_work_with_contacts_of(scope, enschede),
            "can_receive_referrals": p.can_receive_referrals(scope, enschede),
            "can_read_reports": p.can_read_reports(scope),
            "can_manage_catalogue": p.can_manage_catalogue(scope),
            "is_functional_admin": p.is_functional_admin(scope),
            "is_privacy_officer": p.is_privacy_officer(scope),
            "can_manage_cases": p.can_manage_cases(scope),
        }
        assert set(answers) == {test.__name__ for test in p.PREDICATES}
        assert not any(answers.values()), (user, answers)


def test_every_predicate_has_its_own_dutch_refusal():
    from eenloket.core import permissions as p

    texts = [p.refusal(test) for test in p.PREDICATES]
    assert all(texts) and len(set(texts)) == len(texts)
    assert not any("klant" in t.lower() for t in texts)


def test_require_refuses_with_the_predicates_message(management_enschede):
    from eenloket.core import permissions as p
    from eenloket.organisations.selectors import get_scope

    scope = get_scope(management_enschede)
    p.require(p.can_read_reports, scope)  # holds: nothing happens
    with pytest.raises(PermissionDenied) as info:
        p.require(p.can_work_with_contacts, scope)
    assert str(info.value) == p.refusal(p.can_work_with_contacts)


def test_services_selectors_and_the_api_give_the_one_refusal(api_as, management_enschede, world):
    from eenloket.core import permissions as p
    from eenloket.referrals import selectors as referral_selectors
    from eenloket.residents import selectors as resident_selectors

    text = p.refusal(p.can_work_with_contacts)
    with pytest.raises(PermissionDenied) as info:
        selectors.visible_contacts(management_enschede)
    assert str(info.value) == text
    with pytest.raises(PermissionDenied) as info:
        resident_selectors.search_residents(management_enschede, bsn=world["resident"].bsn)
    assert str(info.value) == text
    assert not referral_selectors.visible_referrals(management_enschede).exists()
    client = api_as(management_enschede)
    for url in ("/api/v1/contact-moments/", "/api/v1/referrals/", "/api/v1/live-consults/"):
        body = assert_problem(client.get(url), 403)
        assert body["detail"] == text, url


def test_the_api_permission_classes_live_in_organisations():
    from django.conf import settings

    from eenloket.core import permissions as core_permissions
    from eenloket.organisations import permissions

    assert permissions.IsStaffMember.__module__ == "eenloket.organisations.permissions"
    assert issubclass(permissions.CanWorkWithContacts, permissions.IsStaffMember)
    assert issubclass(permissions.CanReadReports, permissions.IsStaffMember)
    # core imports no domain app: the class is not there, and the API's default names it here.
    assert not hasattr(core_permissions, "IsStaffMember")
    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == [
        "eenloket.organisations.permissions.IsStaffMember"
    ]


def test_a_member_without_contact_rights_reads_reports_but_not_referrals(
    api_as, management_enschede, counter_enschede
):
    from eenloket.core import permissions as p

    assert (
        api_as(management_enschede).get("/api/v1/referrals/counsellor-counts/").status_code == 200
    )
    body = assert_problem(api_as(counter_enschede).get("/api/v1/referrals/counsellor-counts/"), 403)
    assert body["detail"] == p.refusal(p.can_read_reports)
