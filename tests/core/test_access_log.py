"""Every read of a resident's personal data leaves an append-only access-log row with the
fields of the VNG Logboek Dataverwerkingen standard; the privacy officer can query it."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from eenloket.contacts.models import ContactMoment
from eenloket.core.audit import Activity, log_access, pseudonymise
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.residents.selectors import get_resident
from eenloket.residents.services import create_household

from ..factories import ContactMomentFactory, ResidentFactory, new_bsn, staff

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC)
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
HEX32 = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def resident():
    return ResidentFactory(given_names="Wilma", surname="Nijenhuis")


@pytest.fixture
def contact(counter_enschede, enschede, resident):
    return ContactMomentFactory(
        organisation=enschede,
        staff=counter_enschede,
        resident=resident,
        outcome="terugbelverzoek",
        started_at=NOW - dt.timedelta(hours=2),
    )


def rows(**filters):
    return list(AccessLog.objects.filter(**filters).order_by("id"))


def assert_row(
    row,
    *,
    user,
    resident,
    activity,
    action,
    channel,
    organisation="gemeente-enschede",
    object_type=None,
):
    """The Logboek Dataverwerkingen fields, all filled and none with the BSN in the clear."""
    assert HEX32.match(row.trace_id), row.trace_id
    assert len(row.span_id) == 16
    assert row.processing_activity_id == activity
    assert row.name == activity
    assert row.purpose  # every activity has a stated purpose
    assert row.data_subject_id_type == "BSN"
    assert row.data_subject_id == pseudonymise(resident.bsn)
    assert row.actor_id == str(user.uuid)
    assert row.actor_name == user.get_full_name()
    assert row.actor_organisation == organisation
    assert row.action == action
    assert row.channel == channel
    assert row.start_time == NOW
    assert row.status_code == "OK"
    if object_type is not None:
        assert row.object_type == object_type
    for field in AccessLog._meta.concrete_fields:
        assert resident.bsn not in str(getattr(row, field.attname)), field.name


def test_pseudonym_is_a_stable_keyed_hash_not_the_bsn():
    bsn = "111222333"
    assert pseudonymise(bsn) == pseudonymise(bsn)
    assert pseudonymise(bsn) != pseudonymise("123456782")
    assert bsn not in pseudonymise(bsn)
    assert len(pseudonymise(bsn)) == 64


def test_pseudonym_depends_on_the_key(settings):
    before = pseudonymise("111222333")
    settings.PSEUDONYM_KEY = "een-andere-sleutel"
    assert pseudonymise("111222333") != before


# --- UI read paths -----------------------------------------------------------------------------


def test_ui_search_by_name(ui_as, counter_enschede, resident):
    response = ui_as(counter_enschede).get(
        "/inwoners/", {"surname": "nijenhuis", "birth_date": "1980-05-17"}
    )
    assert response.status_code == 200
    assert "Wilma Nijenhuis" in response.content.decode()
    (row,) = rows()
    assert_row(
        row,
        user=counter_enschede,
        resident=resident,
        activity="inwoner-zoeken",
        action="search",
        channel="ui",
    )


def test_ui_search_by_bsn_redirects_and_logs(ui_as, counter_enschede, resident):
    response = ui_as(counter_enschede).get("/inwoners/", {"bsn": resident.bsn})
    assert response.status_code == 302
    assert response["Location"] == f"/inwoners/{resident.uuid}/"
    (row,) = rows()
    assert_row(
        row,
        user=counter_enschede,
        resident=resident,
        activity="inwoner-zoeken",
        action="search",
        channel="ui",
    )


def test_ui_search_that_finds_nobody_logs_nothing(ui_as, counter_enschede, resident):
    response = ui_as(counter_enschede).get("/inwoners/", {"bsn": new_bsn()})
    assert response.status_code == 200
    assert rows() == []


def test_ui_overview(ui_as, counter_enschede, resident, contact):
    response = ui_as(counter_enschede).get(f"/inwoners/{resident.uuid}/")
    assert response.status_code == 200
    read, history = rows()
    assert_row(
        read,
        user=counter_enschede,
        resident=resident,
        activity="inwoner-inzien",
        action="read",
        channel="ui",
        object_type="resident",
    )
    assert_row(
        history,
        user=counter_enschede,
        resident=resident,
        activity="contactmoment-inzien",
        action="read",
        channel="ui",
        object_type="contact-history",
    )
    assert read.trace_id == history.trace_id == response["X-Trace-Id"]


def test_ui_overview_logs_household_members_shown(ui_as, counter_enschede, resident):
    partner = ResidentFactory(given_names="Henk", surname="Nijenhuis")
    create_household(user=counter_enschede, name="Nijenhuis", members=[resident, partner])
    response = ui_as(counter_enschede).get(f"/inwoners/{resident.uuid}/")
    assert "Henk Nijenhuis" in response.content.decode()
    (member_row,) = rows(object_type="household-member")
    assert_row(
        member_row,
        user=counter_enschede,
        resident=partner,
        activity="inwoner-inzien",
        action="read",
        channel="ui",
    )


def test_ui_next_contacts_page(ui_as, counter_enschede, resident, contact):
    from eenloket.core.pagination import encode_cursor

    cursor = encode_cursor(contact.started_at, contact.pk)
    response = ui_as(counter_enschede).get(f"/inwoners/{resident.uuid}/contacten/?na={cursor}")
    assert response.status_code == 200
    assert {r.object_type for r in rows()} == {"resident", "contact-history"}
    for row in rows():
        assert row.data_subject_id == pseudonymise(resident.bsn)


def test_ui_contact_detail(ui_as, counter_enschede, resident, contact):
    response = ui_as(counter_enschede).get(f"/contacten/{contact.uuid}/")
    assert response.status_code == 200
    (row,) = rows()
    assert_row(
        row,
        user=counter_enschede,
        resident=resident,
        activity="contactmoment-inzien",
        action="read",
        channel="ui",
        object_type="contact-moment",
    )
    assert row.object_id == str(contact.uuid)


def test_ui_anonymous_contact_detail_logs_nothing(ui_as, counter_enschede, enschede):
    anonymous = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=None)
    response = ui_as(counter_enschede).get(f"/contacten/{anonymous.uuid}/")
    assert response.status_code == 200
    assert rows() == []


def test_ui_register_form_and_post(ui_as, counter_enschede, enschede, resident, enschede_location):
    client = ui_as(counter_enschede)
    form = client.get(f"/contacten/nieuw/?inwoner={resident.uuid}")
    assert form.status_code == 200
    (read,) = rows()
    assert_row(
        read,
        user=counter_enschede,
        resident=resident,
        activity="inwoner-inzien",
        action="read",
        channel="ui",
    )

    response = client.post(
        "/contacten/nieuw/",
        {
            "inwoner": str(resident.uuid),
            "organisation": enschede.pk,  # the hidden field the form renders
            "channel": "balie",
            "location": enschede_location.pk,
            "question": "Waar vind ik mijn aanslag?",
            "outcome": "beantwoord",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    contact = ContactMoment.objects.get()
    (created,) = rows(processing_activity_id="contactmoment-registreren")
    assert_row(
        created,
        user=counter_enschede,
        resident=resident,
        activity="contactmoment-registreren",
        action="create",
        channel="ui",
        object_type="contact-moment",
    )
    assert created.object_id == str(contact.uuid)


def test_ui_create_resident(ui_as, counter_enschede):
    bsn = new_bsn()
    response = ui_as(counter_enschede).post(
        "/inwoners/nieuw/",
        {
            "bsn": bsn,
            "given_names": "Kofi",
            "surname": "Mensah",
            "postcode": "7511 gb",
            "house_number": "3",
            "preferred_channel": "post",
        },
    )
    assert response.status_code == 302, response.content.decode()
    (row,) = rows()
    assert row.action == "create"
    assert row.data_subject_id == pseudonymise(bsn)


def test_start_page_work_list(ui_as, counter_enschede, resident, contact):
    from eenloket.contacts.services import request_callback

    team = counter_enschede.memberships.get().team
    request_callback(user=counter_enschede, contact=contact, team=team, phone="0612345678")
    response = ui_as(counter_enschede).get("/")
    assert response.status_code == 200
    assert "Wilma Nijenhuis" in response.content.decode()
    # Two lists show this resident: own recent contacts, and the team's tasks (the callback).
    (recent,) = rows(object_type="work-list")
    (tasks,) = rows(object_type="task-list")
    for row, activity in ((recent, "contactmoment-inzien"), (tasks, "taak-behandelen")):
        assert_row(
            row,
            user=counter_enschede,
            resident=resident,
            activity=activity,
            action="read",
            channel="ui",
        )


def test_start_page_without_residents_logs_nothing(ui_as, counter_enschede):
    assert ui_as(counter_enschede).get("/").status_code == 200
    assert rows() == []


# --- API read paths ----------------------------------------------------------------------------


def test_api_residents_search(api_as, counter_enschede, resident):
    response = api_as(counter_enschede).post(
        "/api/v1/residents/search/", {"bsn": resident.bsn}, format="json"
    )
    assert response.status_code == 200
    (row,) = rows()
    assert_row(
        row,
        user=counter_enschede,
        resident=resident,
        activity="inwoner-zoeken",
        action="search",
        channel="api",
    )


def test_api_residents_retrieve(api_as, counter_enschede, resident):
    response = api_as(counter_enschede).get(f"/api/v1/residents/{resident.uuid}/")
    assert response.status_code == 200
    (row,) = rows()
    assert_row(
        row,
        user=counter_enschede,
        resident=resident,
        activity="inwoner-inzien",
        action="read",
        channel="api",
    )


def test_api_residents_create(api_as, counter_enschede):
    bsn = new_bsn()
    response = api_as(counter_enschede).post(
        "/api/v1/residents/",
        {"bsn": bsn, "given_names": "Kofi", "surname": "Mensah"},
        format="json",
    )
    assert response.status_code == 201, response.content
    (row,) = rows()
    assert (row.action, row.channel) == ("create", "api")
    assert row.data_subject_id == pseudonymise(bsn)
    assert row.actor_id == str(counter_enschede.uuid)


def test_api_contact_moments_list(api_as, counter_enschede, enschede, resident, contact):
    other = ResidentFactory()
    ContactMomentFactory(organisation=enschede, resident=other)
    ContactMomentFactory(organisation=enschede, resident=resident)
    ContactMomentFactory(organisation=enschede, resident=None)
    response = api_as(counter_enschede).get("/api/v1/contact-moments/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 4
    logged = rows()
    # One row per distinct resident on the page; the anonymous contact has none.
    assert sorted(r.data_subject_id for r in logged) == sorted(
        [pseudonymise(resident.bsn), pseudonymise(other.bsn)]
    )
    for row in logged:
        assert row.processing_activity_id == "contactmoment-inzien"
        assert (row.action, row.channel, row.object_type) == ("read", "api", "contact-list")


def test_api_contact_moments_retrieve(api_as, counter_enschede, resident, contact):
    response = api_as(counter_enschede).get(f"/api/v1/contact-moments/{contact.uuid}/")
    assert response.status_code == 200
    (row,) = rows()
    assert_row(
        row,
        user=counter_enschede,
        resident=resident,
        activity="contactmoment-inzien",
        action="read",
        channel="api",
        object_type="contact-moment",
    )
    assert row.object_id == str(contact.uuid)


def test_api_contact_moments_create(api_as, counter_enschede, resident):
    response = api_as(counter_enschede).post(
        "/api/v1/contact-moments/",
        {
            "resident": str(resident.uuid),
            "channel": "telefoon",
            "question": "Wanneer wordt mijn toeslag betaald?",
            "outcome": "doorverwezen",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    (row,) = rows()
    assert_row(
        row,
        user=counter_enschede,
        resident=resident,
        activity="contactmoment-registreren",
        action="create",
        channel="api",
        object_type="contact-moment",
    )
    assert row.object_id == response.json()["uuid"]


def test_refused_reads_are_not_logged_as_reads(api_as, uwv_staff, resident, contact):
    response = api_as(uwv_staff).get(f"/api/v1/contact-moments/{contact.uuid}/")
    assert response.status_code == 404
    assert rows() == []


# --- trace ids ---------------------------------------------------------------------------------


def test_traceparent_trace_id_is_recorded(api_as, counter_enschede, resident):
    response = api_as(counter_enschede).get(
        f"/api/v1/residents/{resident.uuid}/", HTTP_TRACEPARENT=TRACEPARENT
    )
    assert response["X-Trace-Id"] == TRACE_ID
    (row,) = rows()
    assert row.trace_id == TRACE_ID


def test_traceparent_in_the_ui_too(ui_as, counter_enschede, resident, contact):
    ui_as(counter_enschede).get(f"/inwoners/{resident.uuid}/", HTTP_TRACEPARENT=TRACEPARENT)
    assert {r.trace_id for r in rows()} == {TRACE_ID}


def test_without_traceparent_each_request_gets_its_own_trace_id(api_as, counter_enschede, resident):
    client = api_as(counter_enschede)
    first = client.get(f"/api/v1/residents/{resident.uuid}/")
    second = client.get(f"/api/v1/residents/{resident.uuid}/")
    a, b = rows()
    assert HEX32.match(a.trace_id) and HEX32.match(b.trace_id)
    assert a.trace_id != b.trace_id
    assert (first["X-Trace-Id"], second["X-Trace-Id"]) == (a.trace_id, b.trace_id)


@pytest.mark.parametrize(
    "traceparent",
    [f"00-{'z' * 32}-00f067aa0ba902b7-01", f"00-{'0' * 32}-00f067aa0ba902b7-01"],
)
def test_malformed_traceparent_is_replaced(api_as, counter_enschede, resident, traceparent):
    api_as(counter_enschede).get(
        f"/api/v1/residents/{resident.uuid}/", HTTP_TRACEPARENT=traceparent
    )
    (row,) = rows()
    assert HEX32.match(row.trace_id) and row.trace_id != "0" * 32


def test_trace_id_outside_a_request_is_fresh(counter_enschede, resident):
    get_resident(counter_enschede, resident.uuid)
    get_resident(counter_enschede, resident.uuid)
    a, b = rows()
    assert HEX32.match(a.trace_id) and a.trace_id != b.trace_id


# --- append-only -------------------------------------------------------------------------------


@pytest.fixture
def logged_row(counter_enschede, resident):
    get_resident(counter_enschede, resident.uuid)
    return AccessLog.objects.get()


def test_saving_an_existing_row_is_refused(logged_row):
    logged_row.actor_name = "Iemand anders"
    with pytest.raises(PermissionError):
        logged_row.save()
    assert AccessLog.objects.get().actor_name != "Iemand anders"


def test_deleting_a_row_is_refused(logged_row):
    with pytest.raises(PermissionError):
        logged_row.delete()
    assert AccessLog.objects.count() == 1


def test_queryset_update_and_delete_are_refused(logged_row):
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=logged_row.pk).update(actor_name="Iemand anders")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    logged_row.action = "update"
    with pytest.raises(PermissionError), transaction.atomic():
        AccessLog.objects.bulk_update([logged_row], ["action"])
    row = AccessLog.objects.get()
    assert (row.actor_name, row.action) != ("Iemand anders", "update")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_accesslog SET actor_name = 'Iemand anders'",
        "DELETE FROM core_accesslog",
    ],
)
def test_database_refuses_raw_update_and_delete(logged_row, sql):
    assert connection.vendor == "postgresql", "the suite runs on PostgreSQL"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    row = AccessLog.objects.get()
    assert row.actor_name == logged_row.actor_name


def test_appending_still_works(logged_row, counter_enschede, resident):
    get_resident(counter_enschede, resident.uuid)
    assert AccessLog.objects.count() == 2


# --- the privacy officer's page ----------------------------------------------------------------


def test_privacy_officer_sees_only_their_own_organisations_processing(
    ui_as, api_as, privacy_officer, counter_enschede, uwv_staff, uwv, resident, contact
):
    someone_else = ResidentFactory(given_names="Piet")
    ContactMomentFactory(organisation=uwv, staff=uwv_staff, resident=resident)  # UWV's basis
    api_as(counter_enschede).get(f"/api/v1/residents/{resident.uuid}/")
    api_as(counter_enschede).get(f"/api/v1/residents/{someone_else.uuid}/")
    assert api_as(uwv_staff).get(f"/api/v1/residents/{resident.uuid}/").status_code == 200
    assert AccessLog.objects.filter(actor_organisation="uwv").count() == 1

    response = ui_as(privacy_officer).get("/privacy/logboek/", {"bsn": resident.bsn})

    assert response.status_code == 200
    entries = response.context["page"].entries
    # Enschede's privacy officer supervises Enschede: UWV's processing is UWV's to supervise
    # (the resident's own overview across organisations is the inzage export).
    assert len(entries) == 1
    assert {e.actor_organisation for e in entries} == {"gemeente-enschede"}
    assert all(e.data_subject_id == pseudonymise(resident.bsn) for e in entries)
    html = response.content.decode()
    assert "1 regel" in html
    assert counter_enschede.get_full_name() in html
    assert uwv_staff.get_full_name() not in html
    # Names, not codes or trace ids.
    assert "Gemeente Enschede" in html
    assert "gemeente-enschede" not in html
    assert entries[0].trace_id not in html
    # Looking into the log is itself a processing, and is logged.
    (lookup,) = rows(processing_activity_id="logboek-inzien")
    assert lookup.actor_id == str(privacy_officer.uuid)
    assert lookup.data_subject_id == pseudonymise(resident.bsn)
    assert lookup.object_type == "access-log"

    uwv_officer = staff(uwv, Role.PRIVACYFUNCTIONARIS)
    uwv_page = ui_as(uwv_officer).get("/privacy/logboek/", {"bsn": resident.bsn})
    assert [e.actor_name for e in uwv_page.context["page"].entries] == [uwv_staff.get_full_name()]


def test_privacy_officer_pages_through_a_long_log(
    ui_as, privacy_officer, counter_enschede, resident
):
    for _ in range(53):
        get_resident(counter_enschede, resident.uuid)
    client = ui_as(privacy_officer)
    first = client.get("/privacy/logboek/", {"bsn": resident.bsn})
    page = first.context["page"]
    assert page.total == 53
    assert len(page.entries) == 50
    assert page.next_cursor in first.content.decode()
    second = client.get("/privacy/logboek/", {"bsn": resident.bsn, "na": page.next_cursor})
    rest = second.context["page"]
    assert len(rest.entries) == 3 and rest.next_cursor is None
    seen = [e.pk for e in page.entries + rest.entries]
    assert len(set(seen)) == 53
    # Newest first, across the page boundary.
    times = [e.start_time for e in page.entries + rest.entries]
    assert times == sorted(times, reverse=True)
    # The look into the log is logged once, not per page.
    assert len(rows(processing_activity_id="logboek-inzien")) == 1


def test_privacy_officer_page_refuses_a_broken_page_pointer(ui_as, privacy_officer, resident):
    response = ui_as(privacy_officer).get(
        "/privacy/logboek/", {"bsn": resident.bsn, "na": "niet-goed"}
    )
    assert response.status_code == 200
    assert "Deze pagina-aanwijzer klopt niet." in response.content.decode()


def test_privacy_officer_may_type_the_bsn_with_spaces(ui_as, api_as, privacy_officer):
    resident = ResidentFactory(bsn="111222333")
    ResidentFactory()
    reader = staff(privacy_officer.memberships.get().organisation)
    get_resident(reader, resident.uuid)
    response = ui_as(privacy_officer).get("/privacy/logboek/", {"bsn": "111 222 333"})
    assert len(response.context["page"].entries) == 1


def test_privacy_officer_page_shows_error_for_invalid_bsn(ui_as, privacy_officer):
    response = ui_as(privacy_officer).get("/privacy/logboek/", {"bsn": "123456789"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit is geen geldig BSN" in html
    assert 'aria-invalid="true"' in html
    assert response.context["page"] is None
    assert rows() == []


def test_privacy_officer_page_without_bsn_shows_the_form(ui_as, privacy_officer):
    response = ui_as(privacy_officer).get("/privacy/logboek/")
    assert response.status_code == 200
    assert 'name="bsn"' in response.content.decode()
    assert rows() == []


@pytest.mark.parametrize(
    "change",
    [
        {"activity": "inwoner-bekijken"},  # not a declared activity: it would have no purpose
        {"action": "lezen"},
        {"channel": "fax"},
    ],
)
def test_an_undeclared_activity_action_or_channel_is_refused_and_nothing_written(
    counter_enschede, resident, change
):
    row = {
        "activity": Activity.RESIDENT_VIEW,
        "action": AccessLog.Action.READ,
        "channel": AccessLog.Channel.UI,
        **change,
    }
    with pytest.raises(ValueError):
        log_access(
            user=counter_enschede,
            organisation_code="gemeente-enschede",
            residents=[resident],
            **row,
        )
    assert AccessLog.objects.count() == 0


def test_every_declared_activity_is_written_with_its_purpose(counter_enschede, resident):
    for activity in Activity:
        (row,) = log_access(
            user=counter_enschede,
            organisation_code="gemeente-enschede",
            residents=[resident],
            activity=activity,
            action=AccessLog.Action.READ,
            channel=AccessLog.Channel.UI,
        )
        stored = AccessLog.objects.get(pk=row.pk)
        assert stored.processing_activity_id == activity.value
        assert stored.purpose == activity.label and stored.purpose
