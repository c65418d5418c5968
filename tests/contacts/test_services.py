"""Rules for contact moments: services.register_contact and the resident's contact history."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from eenloket.contacts import selectors, services
from eenloket.contacts.models import ContactMoment
from eenloket.core.audit import pseudonymise
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role

from ..factories import ContactMomentFactory, LocationFactory, ResidentFactory, staff

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def register(user, **overrides):
    data = {
        "channel": "balie",
        "question": "Hoe vraag ik bijzondere bijstand aan?",
        "outcome": "beantwoord",
    }
    data.update(overrides)
    return services.register_contact(user=user, **data)


def assert_nothing_written():
    assert ContactMoment.objects.count() == 0
    assert AccessLog.objects.count() == 0


# --- register_contact: the happy paths ---------------------------------------------------------


def test_register_contact_for_resident(frozen, counter_enschede, enschede, enschede_location):
    resident = ResidentFactory()
    contact = register(
        counter_enschede,
        resident=resident,
        location=enschede_location,
        answer="  Formulier meegegeven.  ",
        question="  Hoe vraag ik bijzondere bijstand aan?  ",
        extra_help_needed=True,
    )

    stored = ContactMoment.objects.get(pk=contact.pk)
    assert stored.organisation == enschede  # defaults to the user's own organisation
    assert stored.staff == counter_enschede
    assert stored.resident == resident
    assert stored.location == enschede_location
    assert stored.question == "Hoe vraag ik bijzondere bijstand aan?"
    assert stored.answer == "Formulier meegegeven."
    assert stored.extra_help_needed is True
    assert stored.started_at == NOW
    assert stored.ended_at == NOW
    log = AccessLog.objects.get()
    assert log.processing_activity_id == "contactmoment-registreren"
    assert log.action == "create"
    assert log.object_id == str(contact.uuid)
    assert log.data_subject_id == pseudonymise(resident.bsn)


def test_anonymous_contact_is_allowed_and_not_logged_as_personal_data(frozen, counter_enschede):
    # A callback request for someone who stays anonymous: the number to call is all there is.
    team = counter_enschede.memberships.get().team
    contact = register(
        counter_enschede,
        channel="telefoon",
        outcome="terugbelverzoek",
        callback={"team": team, "phone": "0612345678"},
    )
    stored = ContactMoment.objects.get(pk=contact.pk)
    assert stored.is_anonymous
    assert stored.resident is None
    assert AccessLog.objects.count() == 0


def test_guest_organisation_may_register_at_host_location(
    frozen, uwv_staff, uwv, enschede_location
):
    contact = register(uwv_staff, location=enschede_location)
    stored = ContactMoment.objects.get(pk=contact.pk)
    assert stored.organisation == uwv
    assert stored.location == enschede_location


def test_started_in_the_past_with_end_is_kept(frozen, counter_enschede):
    started = NOW - dt.timedelta(hours=2)
    ended = NOW - dt.timedelta(hours=1, minutes=45)
    contact = register(counter_enschede, started_at=started, ended_at=ended)
    stored = ContactMoment.objects.get(pk=contact.pk)
    assert (stored.started_at, stored.ended_at) == (started, ended)


def test_small_clock_skew_is_tolerated(frozen, counter_enschede):
    contact = register(counter_enschede, started_at=NOW + dt.timedelta(minutes=4))
    assert ContactMoment.objects.filter(pk=contact.pk).exists()


def test_member_of_two_organisations_chooses_one(frozen, counter_enschede, uwv):
    from eenloket.organisations.models import Membership

    Membership.objects.create(
        user=counter_enschede, organisation=uwv, role=Role.MEDEWERKER_UITVOERING
    )
    contact = register(counter_enschede, organisation=uwv)
    assert ContactMoment.objects.get(pk=contact.pk).organisation == uwv


# --- register_contact: refusals, nothing half-written ------------------------------------------


@pytest.mark.parametrize("question", ["", "   ", "\n\t", None])
def test_empty_question_is_refused(frozen, counter_enschede, question):
    with pytest.raises(ValidationError) as excinfo:
        register(counter_enschede, resident=ResidentFactory(), question=question)
    assert excinfo.value.message_dict["question"] == ["Schrijf de vraag van de inwoner op."]
    assert_nothing_written()


def test_too_long_question_and_answer_are_refused(frozen, counter_enschede):
    with pytest.raises(ValidationError) as excinfo:
        register(counter_enschede, question="x" * 5001, answer="y" * 5001)
    assert set(excinfo.value.message_dict) == {"question", "answer"}
    assert_nothing_written()


def test_null_character_in_text_is_refused_by_the_service(frozen, counter_enschede):
    with pytest.raises(ValidationError) as excinfo:
        register(counter_enschede, question="Vraag\x00", answer="ant\x00woord")
    assert excinfo.value.message_dict == {
        "question": ["Deze tekst bevat een teken dat niet is toegestaan."],
        "answer": ["Deze tekst bevat een teken dat niet is toegestaan."],
    }
    assert_nothing_written()


@pytest.mark.parametrize("channel", ["", "fax", "BALIE", None])
def test_bad_channel_is_refused(frozen, counter_enschede, channel):
    with pytest.raises(ValidationError) as excinfo:
        register(counter_enschede, resident=ResidentFactory(), channel=channel)
    assert "channel" in excinfo.value.message_dict
    assert_nothing_written()


@pytest.mark.parametrize("outcome", ["", "opgelost", None])
def test_bad_outcome_is_refused(frozen, counter_enschede, outcome):
    with pytest.raises(ValidationError) as excinfo:
        register(counter_enschede, resident=ResidentFactory(), outcome=outcome)
    assert excinfo.value.message_dict["outcome"] == ["Kies een uitkomst uit de lijst."]
    assert_nothing_written()


def test_location_of_another_organisation_is_refused(frozen, counter_enschede, maastricht):
    elsewhere = LocationFactory(organisation=maastricht, name="Stadhuis Maastricht")
    with pytest.raises(ValidationError) as excinfo:
        register(counter_enschede, resident=ResidentFactory(), location=elsewhere)
    assert excinfo.value.message_dict["location"] == ["Uw organisatie werkt niet op deze locatie."]
    assert_nothing_written()


def test_host_may_not_register_at_guest_organisations_own_location(
    frozen, counter_enschede, uwv_location
):
    """Guesting works one way: UWV at the town hall, not Enschede at the UWV office."""
    with pytest.raises(ValidationError) as excinfo:
        register(counter_enschede, location=uwv_location)
    assert "location" in excinfo.value.message_dict
    assert_nothing_written()


def test_start_in_the_future_is_refused(frozen, counter_enschede):
    with pytest.raises(ValidationError) as excinfo:
        register(
            counter_enschede,
            resident=ResidentFactory(),
            started_at=NOW + dt.timedelta(minutes=6),
        )
    assert excinfo.value.message_dict["started_at"] == [
        "Het begin van het contact kan niet in de toekomst liggen."
    ]
    assert_nothing_written()


def test_end_before_start_is_refused(frozen, counter_enschede):
    with pytest.raises(ValidationError) as excinfo:
        register(
            counter_enschede,
            resident=ResidentFactory(),
            started_at=NOW - dt.timedelta(minutes=10),
            ended_at=NOW - dt.timedelta(minutes=20),
        )
    assert excinfo.value.message_dict["ended_at"] == ["Het einde ligt voor het begin."]
    assert_nothing_written()


def test_organisation_the_user_is_not_a_member_of_is_refused(frozen, counter_enschede, uwv):
    with pytest.raises(ValidationError) as excinfo:
        register(counter_enschede, resident=ResidentFactory(), organisation=uwv)
    assert excinfo.value.message_dict["organisation"] == ["U werkt niet voor deze organisatie."]
    assert_nothing_written()


def test_a_management_role_elsewhere_does_not_record_contacts_there(
    frozen, counter_enschede, maastricht
):
    """Counter staff in Enschede who also sit on Maastricht's management may not record a
    contact for Maastricht: they could not even see it afterwards."""
    from eenloket.organisations.models import Membership

    Membership.objects.create(user=counter_enschede, organisation=maastricht, role=Role.MANAGEMENT)
    with pytest.raises(ValidationError) as excinfo:
        register(counter_enschede, organisation=maastricht, resident=ResidentFactory())
    assert excinfo.value.message_dict["organisation"] == [
        "U kunt dit alleen doen voor uw eigen organisatie."
    ]
    assert_nothing_written()
    # Without a choice the contact is Enschede's, where the contact role is.
    assert register(counter_enschede, resident=ResidentFactory()).organisation.code == (
        "gemeente-enschede"
    )


def test_user_without_membership_is_refused(frozen, no_membership_user):
    with pytest.raises(PermissionDenied):
        register(no_membership_user, resident=ResidentFactory())
    assert_nothing_written()


@pytest.mark.parametrize(
    "role",
    [Role.MANAGEMENT, Role.INTERMEDIAIR, Role.PRIVACYFUNCTIONARIS, Role.FUNCTIONEEL_BEHEERDER],
)
def test_role_without_contact_rights_is_refused(frozen, enschede, role):
    user = staff(enschede, role)
    with pytest.raises(PermissionDenied):
        register(user, resident=ResidentFactory())
    assert_nothing_written()


def test_several_errors_are_reported_together(frozen, counter_enschede, maastricht):
    elsewhere = LocationFactory(organisation=maastricht)
    with pytest.raises(ValidationError) as excinfo:
        register(
            counter_enschede,
            question="",
            channel="fax",
            outcome="?",
            location=elsewhere,
            started_at=NOW + dt.timedelta(days=1),
        )
    assert set(excinfo.value.message_dict) == {
        "question",
        "channel",
        "outcome",
        "location",
        "started_at",
    }
    assert_nothing_written()


# --- the resident's contact history: newest first, keyset cursor -------------------------------


@pytest.fixture
def history(counter_enschede, enschede, uwv):
    """30 contacts of Enschede for one resident (some with the same start time), plus noise:
    contacts of UWV and of another resident that must never show up."""
    resident = ResidentFactory()
    base = NOW - dt.timedelta(days=30)
    contacts = []
    for i in range(30):
        # Every third pair shares a start time: the cursor must break ties on id.
        started = base + dt.timedelta(hours=(i // 2) * 3)
        contacts.append(
            ContactMomentFactory(
                organisation=enschede,
                staff=counter_enschede,
                resident=resident,
                started_at=started,
                question=f"Vraag {i}",
            )
        )
    ContactMomentFactory(organisation=uwv, resident=resident, question="UWV-vraag")
    ContactMomentFactory(organisation=enschede, question="Andere inwoner")
    expected = sorted(contacts, key=lambda c: (c.started_at, c.pk), reverse=True)
    return resident, expected


def test_contacts_are_newest_first(frozen, counter_enschede, history):
    resident, expected = history
    rows, next_cursor = selectors.resident_contacts(counter_enschede, resident)
    assert [c.pk for c in rows] == [c.pk for c in expected[:25]]
    assert next_cursor is not None


@pytest.mark.parametrize("limit", [7, 10, 25, 29])
def test_paging_with_the_cursor_finds_every_contact_once(frozen, counter_enschede, history, limit):
    resident, expected = history
    seen, cursor, pages = [], "", 0
    while True:
        rows, cursor = selectors.resident_contacts(
            counter_enschede, resident, cursor=cursor or "", limit=limit
        )
        pages += 1
        assert len(rows) <= limit
        seen.extend(rows)
        if cursor is None:
            break
        assert pages < 10, "the cursor does not make progress"
    assert [c.pk for c in seen] == [c.pk for c in expected]
    assert len({c.pk for c in seen}) == 30
    assert pages == -(-30 // limit)


def test_last_full_page_has_no_next_cursor(frozen, counter_enschede, history):
    resident, _ = history
    rows, cursor = selectors.resident_contacts(counter_enschede, resident, limit=30)
    assert len(rows) == 30
    assert cursor is None


def test_history_is_limited_to_the_own_organisation(frozen, uwv_staff, history):
    resident, _ = history
    rows, cursor = selectors.resident_contacts(uwv_staff, resident)
    assert [c.question for c in rows] == ["UWV-vraag"]
    assert cursor is None


def test_reading_history_is_logged_once_per_page(frozen, counter_enschede, history):
    resident, _ = history
    rows, cursor = selectors.resident_contacts(counter_enschede, resident, limit=10)
    selectors.resident_contacts(counter_enschede, resident, cursor=cursor, limit=10)
    logs = AccessLog.objects.filter(object_type="contact-history")
    assert logs.count() == 2
    assert {log.data_subject_id for log in logs} == {pseudonymise(resident.bsn)}


@pytest.mark.parametrize(
    "cursor",
    [
        "rommel",
        "!!!",
        "W10",  # base64 of "[]"
        "WyJnaXN0ZXJlbiIsIDFd",  # ["gisteren", 1]
        "WyIyMDI2LTAzLTEwVDA5OjMwOjAwKzAwOjAwIiwgImFiYyJd",  # [datetime, "abc"]
        "eyJhIjogMX0",  # {"a": 1}
        "MTIz",  # 123
        "bnVsbA",  # null
    ],
)
def test_bad_cursor_gives_a_clear_error(frozen, counter_enschede, history, cursor):
    resident, _ = history
    with pytest.raises(ValidationError) as excinfo:
        selectors.resident_contacts(counter_enschede, resident, cursor=cursor)
    assert excinfo.value.code == "bad_cursor"
    assert excinfo.value.messages == ["Deze pagina-aanwijzer klopt niet."]


def test_bad_cursor_in_the_ui_is_a_404_not_a_500(frozen, ui_as, counter_enschede, history):
    resident, _ = history
    response = ui_as(counter_enschede).get(f"/inwoners/{resident.uuid}/contacten/?na=rommel")
    assert response.status_code == 404


def test_ui_next_page_of_contacts(frozen, ui_as, counter_enschede, history):
    resident, expected = history
    client = ui_as(counter_enschede)
    overview = client.get(f"/inwoners/{resident.uuid}/")
    assert overview.status_code == 200
    next_cursor = overview.context["next_cursor"]
    assert next_cursor
    page = client.get(f"/inwoners/{resident.uuid}/contacten/?na={next_cursor}")
    assert page.status_code == 200
    assert [c.pk for c in page.context["contacts"]] == [c.pk for c in expected[25:]]
    htmx = client.get(
        f"/inwoners/{resident.uuid}/contacten/?na={next_cursor}", HTTP_HX_REQUEST="true"
    )
    assert htmx.status_code == 200
    assert b"<html" not in htmx.content  # a fragment of rows for htmx
    assert expected[29].question.encode() in htmx.content


def test_time_is_stored_in_utc(frozen, counter_enschede):
    contact = register(counter_enschede)
    stored = ContactMoment.objects.get(pk=contact.pk)
    assert stored.started_at.utcoffset() == dt.timedelta(0)
    assert timezone.localtime(stored.started_at).hour == 10  # Europe/Amsterdam in March (CET)
