"""Callback requests (terugbelverzoek): made with the contact or afterwards, as a task in the
work list with the resident's confirmation, all in one transaction; completing it writes the
call back as a contact moment."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.contacts.kinds import CALLBACK_KIND
from eenloket.contacts.models import ContactMoment
from eenloket.contacts.services import register_contact, request_callback
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.roles import Role
from eenloket.messaging.models import Message
from eenloket.worklist import services as task_services
from eenloket.worklist.models import Task

from ..factories import ContactMomentFactory, ResidentFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db
MORNING = dt.datetime(2026, 12, 2, 10, 30, tzinfo=AMSTERDAM)  # Wednesday
FRIDAY_AFTERNOON = dt.datetime(2026, 12, 4, 15, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def frozen():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(counter_enschede):
    return counter_enschede.memberships.get().team


@pytest.fixture
def fatima(enschede):
    return ResidentFactory(
        given_names="Fatima", surname="Yilmaz", municipality=enschede, phone="+31612345678"
    )


def register(user, resident, **callback):
    values = {"team": None, "phone": "06 12345678", "note": ""}
    values.update(callback)
    return register_contact(
        user=user,
        channel="telefoon",
        question="Kan ik de aanslag in termijnen betalen?",
        outcome="terugbelverzoek",
        resident=resident,
        callback=values,
    )


def nothing_written():
    return not (ContactMoment.objects.exists() or Task.objects.exists() or Message.objects.exists())


def test_the_kind_is_registered_with_its_outcomes():
    assert CALLBACK_KIND.is_call
    assert [str(o.label) for o in CALLBACK_KIND.outcomes] == [
        "Geholpen",
        "Doorverwezen",
        "Niet bereikt na drie pogingen",
    ]


def test_a_contact_with_a_callback_request_is_one_whole(frozen, counter_enschede, team, fatima):
    contact = register(counter_enschede, fatima, team=team, note="Graag na 14 uur")
    task = Task.objects.get()
    assert task.kind == "terugbellen" and task.state == "open"
    assert (task.organisation, task.team, task.resident) == (contact.organisation, team, fatima)
    assert task.phone == "+31612345678"  # stored E.164
    assert task.title == "Kan ik de aanslag in termijnen betalen?"
    assert task.note == "Graag na 14 uur"
    assert (task.source_type, task.source_id) == ("contact-moment", str(contact.uuid))
    assert task.due_at == dt.datetime(2026, 12, 2, 17, 0, tzinfo=AMSTERDAM)  # before 12: today
    assert task.created_by == counter_enschede
    (message,) = Message.objects.all()
    assert (message.resident, message.template_key) == (fatima, "terugbelverzoek")
    assert (message.cause_type, message.cause_id) == ("task", str(task.uuid))


def test_friday_afternoon_is_called_back_on_monday(counter_enschede, team, fatima):
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False):
        register(counter_enschede, fatima, team=team)
    assert Task.objects.get().due_at == dt.datetime(2026, 12, 7, 17, 0, tzinfo=AMSTERDAM)


def test_an_anonymous_callback_has_no_confirmation(frozen, counter_enschede, team):
    register(counter_enschede, None, team=team, phone="053 481 1111")
    task = Task.objects.get()
    assert task.resident is None and task.phone == "+31534811111"
    assert not Message.objects.exists()


def test_the_outcome_terugbelverzoek_without_callback_data_is_refused(
    frozen, counter_enschede, fatima
):
    with pytest.raises(ValidationError) as exc:
        register_contact(
            user=counter_enschede,
            channel="telefoon",
            question="Belt u mij terug?",
            outcome="terugbelverzoek",
            resident=fatima,
        )
    assert exc.value.message_dict["outcome"] == [
        "Bij een terugbelverzoek hoort wie terugbelt en op welk nummer. Vul die gegevens in."
    ]
    assert nothing_written()


def test_callback_data_with_another_outcome_is_refused(frozen, counter_enschede, team, fatima):
    with pytest.raises(ValidationError) as exc:
        register_contact(
            user=counter_enschede,
            channel="telefoon",
            question="Vraag",
            outcome="beantwoord",
            resident=fatima,
            callback={"team": team, "phone": "0612345678"},
        )
    assert "outcome" in exc.value.message_dict
    assert nothing_written()


@pytest.mark.parametrize(
    ("callback", "field", "message"),
    [
        ({"phone": "12345"}, "callback_phone", "Dit telefoonnummer klopt niet."),
        ({"phone": "bel maar"}, "callback_phone", "Dit telefoonnummer klopt niet."),
        (
            {"phone": ""},
            "callback_phone",
            "Vul het nummer in waarop de inwoner gebeld wil worden.",
        ),
        ({"team": None}, "callback_team", "Kies het team dat terugbelt."),
        ({"note": "x" * 5001}, "callback_note", "Deze tekst is te lang: hoogstens 5000 tekens."),
    ],
)
def test_bad_callback_data_is_refused_in_dutch_and_nothing_is_written(
    frozen, counter_enschede, team, fatima, callback, field, message
):
    values = {"team": team, **callback}
    with pytest.raises(ValidationError) as exc:
        register(counter_enschede, fatima, **values)
    assert exc.value.message_dict[field] == [message]
    assert nothing_written()


def test_a_team_of_another_organisation_is_refused(frozen, counter_enschede, maastricht, fatima):
    other = TeamFactory(organisation=maastricht, name="KCC")
    with pytest.raises(ValidationError) as exc:
        register(counter_enschede, fatima, team=other)
    assert exc.value.message_dict["callback_team"] == ["Dit team hoort niet bij uw organisatie."]
    assert nothing_written()


def test_the_person_must_be_of_the_chosen_team(frozen, counter_enschede, enschede, team, fatima):
    elsewhere = staff(
        enschede,
        Role.KCC_MEDEWERKER,
        team=TeamFactory(organisation=enschede, name="Belastingen"),
        username="kcc.belastingen",
    )
    with pytest.raises(ValidationError) as exc:
        register(counter_enschede, fatima, team=team, assigned_to=elsewhere)
    assert exc.value.message_dict["callback_assigned_to"] == [
        "Deze collega hoort niet bij het gekozen team."
    ]
    assert nothing_written()
    colleague = staff(enschede, Role.KCC_MEDEWERKER, team=team, username="kcc.publiek")
    register(counter_enschede, fatima, team=team, assigned_to=colleague)
    assert Task.objects.get().assigned_to == colleague


def test_when_the_confirmation_fails_nothing_is_written(
    frozen, counter_enschede, team, fatima, monkeypatch
):
    from eenloket.contacts import services

    def fail(**kwargs):
        raise ValidationError("Geen kanaal.")

    monkeypatch.setattr(services, "send_to_resident", fail)
    with pytest.raises(ValidationError):
        register(counter_enschede, fatima, team=team)
    assert nothing_written()


# ---- afterwards, from the contact ---------------------------------------------------------------
def test_a_callback_request_for_an_existing_contact(
    frozen, counter_enschede, enschede, team, fatima
):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=fatima)
    task = request_callback(
        user=counter_enschede, contact=contact, team=team, phone="+31 6 12345678"
    )
    assert task.source_id == str(contact.uuid) and task.phone == "+31612345678"
    assert Message.objects.get().cause_id == str(task.uuid)


def test_another_organisation_cannot_ask_a_callback_for_our_contact(
    frozen, counter_enschede, counter_maastricht, enschede, team, fatima
):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=fatima)
    with pytest.raises(PermissionDenied):
        request_callback(user=counter_maastricht, contact=contact, team=team, phone="0612345678")
    assert not Task.objects.exists()


# ---- completing it ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("outcome", "contact_outcome"), [("geholpen", "beantwoord"), ("doorverwezen", "doorverwezen")]
)
def test_completing_writes_the_call_back_as_a_contact(
    frozen, counter_enschede, team, fatima, outcome, contact_outcome
):
    register(counter_enschede, fatima, team=team)
    task = Task.objects.get()
    frozen.shift(dt.timedelta(hours=2))
    task_services.claim(user=counter_enschede, task=task)
    task_services.complete(
        user=counter_enschede, task=task, outcome=outcome, note="Betalingsregeling uitgelegd."
    )
    call = ContactMoment.objects.order_by("-started_at").first()
    assert (call.channel, call.outcome, call.answer) == (
        "telefoon",
        contact_outcome,
        "Betalingsregeling uitgelegd.",
    )
    assert call.question == "Kan ik de aanslag in termijnen betalen?"
    assert call.resident == fatima and call.staff == counter_enschede


def test_not_reached_only_after_three_attempts(frozen, counter_enschede, team, fatima):
    register(counter_enschede, fatima, team=team)
    task = Task.objects.get()
    for result in ("niet-bereikt", "voicemail"):
        task_services.log_attempt(user=counter_enschede, task=task, result=result)
    with pytest.raises(ValidationError) as exc:
        task_services.complete(user=counter_enschede, task=task, outcome="niet-bereikt")
    assert "drie belpogingen" in exc.value.message_dict["outcome"][0]
    task.refresh_from_db()
    assert task.state == "open" and ContactMoment.objects.count() == 1
    task_services.log_attempt(user=counter_enschede, task=task, result="niet-bereikt")
    task_services.complete(user=counter_enschede, task=task, outcome="niet-bereikt")
    assert ContactMoment.objects.order_by("-id").first().outcome == "niet-bereikt"


def test_a_colleague_of_the_team_completes_it(frozen, counter_enschede, enschede, team, fatima):
    register(counter_enschede, fatima, team=team)
    colleague = staff(enschede, Role.KCC_MEDEWERKER, team=team, username="kcc.collega")
    task = Task.objects.get()
    task_services.claim(user=colleague, task=task)
    task_services.complete(user=colleague, task=task, outcome="geholpen")
    assert ContactMoment.objects.order_by("-id").first().staff == colleague
