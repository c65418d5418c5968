"""The complaint from registration to the answer letter: informal resolution (Awb 9:5), the
acknowledgement (9:6), the copy to the employee (9:9), hearing or waiving it (9:10), the
judgement and the one answer letter with the ombudsman and the year to go there (9:12, Wet
Nationale ombudsman art. 12 lid 2); bad input gets a Dutch error and writes nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.complaints import selectors, services
from eenloket.complaints.models import Complaint, ComplaintPart, PartState
from eenloket.core.audit import Activity
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.errors import NotFound
from eenloket.core.models import AccessLog, Notification
from eenloket.deadlines.models import TrackedRequest
from eenloket.messaging.models import Message

from ..factories import ContactMomentFactory
from .helpers import formal_part, register

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _messages(exc):
    return " ".join(exc.value.messages)


def test_informal_resolution_closes_with_what_was_done(coordinator, enschede, employee, resident):
    complaint = register(coordinator, enschede, resident=resident, employee=employee)
    part = complaint.parts.get()
    services.resolve_informally(
        user=coordinator,
        part=part,
        note="Gebeld met mevrouw Yilmaz, excuses gemaakt; nieuwe afspraak voor haar paspoort.",
        lesson_category="bejegening",
        lesson_improvement="Teamoverleg over uitleg aan de balie.",
    )
    part.refresh_from_db()
    assert part.state == PartState.RESOLVED
    assert "excuses" in part.informal_note
    assert part.tracked_request is None  # no formal term, no letter
    assert not Message.objects.filter(template_key__startswith="klacht").exists()


def test_formal_acknowledgement_copy_and_term(coordinator, enschede, employee, resident):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    ack = Message.objects.get(template_key="klacht-ontvangst")
    assert ack.resident == resident
    assert part.complaint.reference in ack.subject
    assert "maandag 13 april 2026" in ack.body  # six weeks, in Dutch long form
    assert part.copy_sent_at is not None
    note = Notification.objects.get(user=employee)
    assert f"/klachten/kopie/{part.uuid}/" in note.link
    # The employee sees the copy, not the complaint file with the handler's notes.
    copy = selectors.get_copy(employee, part.uuid)
    assert copy.complaint.description.startswith("De medewerker aan de balie")
    with pytest.raises(NotFound):
        selectors.get_complaint(employee, part.complaint.uuid)


def test_full_flow_to_the_answer_letter(coordinator, handler, enschede, employee, resident, frozen):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    services.assign_handler(user=coordinator, part=part, handler=handler)
    services.add_note(user=handler, part=part, text="Mevrouw was erg boos; camerabeelden gevraagd.")
    frozen.move_to(NOW + dt.timedelta(weeks=1))
    with pytest.raises(ValidationError) as not_heard:
        services.decide(user=handler, part=part, finding="gegrond", findings="Klopt.")
    assert "Hoor eerst" in _messages(not_heard)
    services.record_hearing(
        user=handler,
        part=part,
        hearing_at=NOW + dt.timedelta(weeks=2),
        place="Stadhuis Enschede, kamer 2.14",
    )
    assert Notification.objects.filter(user=employee, message_id__contains="gehoord").exists()
    # The resident is invited in writing, with the time and place (Awb 9:10).
    invitation = Message.objects.get(template_key="klacht-horen")
    assert invitation.resident == resident
    assert "Stadhuis Enschede, kamer 2.14" in invitation.body
    assert "maandag 16 maart 2026" in invitation.body and "10:00" in invitation.body
    frozen.move_to(NOW + dt.timedelta(weeks=3))
    services.decide(
        user=handler,
        part=part,
        finding="deels-gegrond",
        findings="De medewerker legde de regels goed uit, maar niet vriendelijk.",
        conclusions="De medewerker heeft excuses aangeboden. Het team oefent met uitleg.",
        lesson_category="bejegening",
        lesson_cause="Drukte aan de balie",
        lesson_improvement="Een extra medewerker op maandagochtend",
    )
    with pytest.raises(PermissionDenied):
        services.send_answer(user=handler, complaint=part.complaint)  # the coordinator sends it
    services.send_answer(user=coordinator, complaint=part.complaint)

    letter = Message.objects.get(template_key="klacht-uitkomst")
    assert letter.resident == resident
    assert "deels gegrond" in letter.body
    assert "niet vriendelijk" in letter.body and "excuses aangeboden" in letter.body
    assert "de Nationale ombudsman" in letter.body
    assert "dinsdag 23 maart 2027" in letter.body  # a year after the letter (23 March 2026)
    assert "Mevrouw was erg boos" not in letter.body  # notes stay inside
    part.refresh_from_db()
    assert part.state == PartState.CLOSED
    tracked = TrackedRequest.objects.get(pk=part.tracked_request_id)
    assert tracked.state == "besloten" and tracked.decided_in_time is True


def test_waived_hearing_is_recorded(coordinator, handler, enschede, employee, resident):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    services.assign_handler(user=coordinator, part=part, handler=handler)
    with pytest.raises(ValidationError):
        services.waive_hearing(user=handler, part=part, reason="geen-zin")
    services.waive_hearing(user=handler, part=part, reason="klager-wil-niet")
    services.decide(user=handler, part=part, finding="ongegrond", findings="Niets gevonden.")
    part.refresh_from_db()
    assert part.hearing_waived == "klager-wil-niet" and part.state == PartState.DECIDED


def test_bad_registration_writes_nothing(coordinator, enschede):
    with pytest.raises(ValidationError) as bad:
        services.register_complaint(
            user=coordinator,
            channel="fax",
            description="   ",
            parts=[],
            received_on=dt.date(2026, 3, 9),
        )
    errors = bad.value.message_dict
    assert errors["description"] == ["Schrijf op waar de klacht over gaat."]
    assert errors["channel"] == ["Kies hoe de klacht binnenkwam."]
    assert errors["received_on"] == ["Een klacht kan niet in de toekomst binnenkomen."]
    assert "organisatie" in errors["parts"][0]
    assert errors["name"] == ["Kies de inwoner of schrijf de naam op."]
    assert not Complaint.objects.exists() and not ComplaintPart.objects.exists()


def test_bad_decision_writes_nothing(coordinator, handler, enschede, employee, resident):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    services.assign_handler(user=coordinator, part=part, handler=handler)
    services.waive_hearing(user=handler, part=part, reason="kennelijk-ongegrond")
    with pytest.raises(ValidationError) as bad:
        services.decide(user=handler, part=part, finding="misschien", findings="")
    assert bad.value.message_dict["finding"] == ["Kies: gegrond, deels gegrond of ongegrond."]
    assert "onderzocht" in bad.value.message_dict["findings"][0]
    part.refresh_from_db()
    assert part.state == PartState.HANDLING and part.finding == ""


def test_from_a_contact_moment(counter_enschede, enschede, resident, coordinator):
    contact = ContactMomentFactory(
        organisation=enschede, staff=counter_enschede, resident=resident, channel="telefoon"
    )
    complaint = services.register_from_contact(
        user=counter_enschede, contact=contact, description="Ik werd drie keer doorverbonden."
    )
    assert complaint.contact == contact and complaint.resident == resident
    assert complaint.channel == "telefoon"
    # The coordinator hears of it.
    assert Notification.objects.filter(user=coordinator).count() == 1


def test_public_form_gives_a_receipt_and_refuses_bad_input(enschede, coordinator):
    with pytest.raises(ValidationError) as bad:
        services.submit_public(
            organisation=enschede, name="", email="geen-adres", phone="", description=""
        )
    errors = bad.value.message_dict
    assert errors["name"] == ["Vul uw naam in."]
    assert errors["email"] == ["Dit is geen geldig e-mailadres."]
    assert errors["description"] == ["Schrijf op waar uw klacht over gaat."]
    assert not Complaint.objects.exists()
    complaint = services.submit_public(
        organisation=enschede,
        name="Johan Kuipers",
        email="johan@example.org",
        phone="",
        description="Mijn melding over de stoep is nooit beantwoord.",
    )
    assert complaint.reference.startswith("KL-2026-")
    assert complaint.channel == "website" and complaint.resident is None
    # Made formal, the acknowledgement goes by e-mail to the address on the form.
    services.make_formal(user=coordinator, part=complaint.parts.get())
    ack = Message.objects.get(template_key="klacht-ontvangst")
    assert (ack.channel, ack.to) == ("email", "johan@example.org")
    # Postponed (Awb 9:11 lid 2): the written notice reaches him the same way, though he is not
    # in the register.
    services.postpone(
        user=coordinator, part=complaint.parts.get(), reason="Wij wachten op een getuige.", weeks=2
    )
    notice = Message.objects.get(template_key="verlenging")
    assert (notice.channel, notice.to) == ("email", "johan@example.org")
    assert "Wij wachten op een getuige." in notice.body


def test_reads_are_logged(coordinator, enschede, employee, resident):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    before = AccessLog.objects.filter(processing_activity_id=Activity.COMPLAINT).count()
    selectors.get_complaint(coordinator, part.complaint.uuid)
    selectors.get_copy(employee, part.uuid)
    rows = AccessLog.objects.filter(processing_activity_id=Activity.COMPLAINT).order_by("id")
    assert rows.count() == before + 2
    read, copy = rows[before:]
    assert (read.action, read.object_id, read.actor_organisation) == (
        "read",
        str(part.complaint.uuid),
        enschede.code,
    )
    assert copy.object_type == "complaint-copy"


def test_hearing_planned_as_an_appointment(
    coordinator, handler, enschede, employee, resident, enschede_location
):
    from eenloket.appointments.models import Appointment

    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    services.assign_handler(user=coordinator, part=part, handler=handler)
    with pytest.raises(ValidationError) as past:
        services.record_hearing(
            user=handler,
            part=part,
            hearing_at=NOW - dt.timedelta(hours=1),
            location=enschede_location,
        )
    assert "voorbij" in past.value.message_dict["hearing_at"][0]
    assert not Appointment.objects.exists()
    when = NOW + dt.timedelta(days=7)  # Monday 9 March, 10:00
    services.record_hearing(user=handler, part=part, hearing_at=when, location=enschede_location)
    part.refresh_from_db()
    meeting = part.hearing_appointment
    assert meeting.kind == "intern" and meeting.starts_at == when
    assert meeting.resident == resident
    assert {p.employee for p in meeting.parts.all()} == {handler, employee}
    assert part.hearing_place.startswith("Stadhuis Enschede")
    assert Notification.objects.filter(user=employee, message_id__contains="overleg").exists()
    invitation = Message.objects.get(template_key="klacht-horen", resident=resident)
    assert "maandag 9 maart 2026" in invitation.body and part.hearing_place in invitation.body


def test_no_complaint_procedure_for_a_partner(coordinator, enschede):
    from ..factories import OrganisationFactory

    corporation = OrganisationFactory(
        code="twentewonen", type="woningcorporatie", name="Woonstichting Twentewonen"
    )
    with pytest.raises(ValidationError) as refused:
        services.register_complaint(
            user=coordinator,
            channel="balie",
            description="De verhuurder repareert de lekkage niet.",
            parts=[{"organisation": corporation}],
            name="Johan Kuipers",
        )
    assert "geen overheidsorganisatie" in refused.value.message_dict["organisation"][0]
    assert not Complaint.objects.exists()


def test_hearing_far_away_or_a_reason_of_invisible_characters_is_refused(
    coordinator, handler, colleague, enschede, employee, resident
):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    services.assign_handler(user=coordinator, part=part, handler=handler)
    with pytest.raises(ValidationError) as far:
        services.record_hearing(
            user=handler,
            part=part,
            hearing_at=dt.datetime(9999, 12, 31, 23, 0, tzinfo=AMSTERDAM),
            place="Stadhuis",
        )
    assert "binnen een jaar" in far.value.message_dict["hearing_at"][0]
    assert not Message.objects.filter(template_key="klacht-horen").exists()
    # Someone from the team concerned only with a reason one can read.
    with pytest.raises(ValidationError) as invisible:
        services.assign_handler(
            user=coordinator, part=part, handler=colleague, override_reason="\u200b \ufeff"
        )
    assert "override_reason" in invisible.value.message_dict
    part.refresh_from_db()
    assert part.handler == handler
