"""Services of the contact point: routing to the right team and a task in its work list, the
norms per urgency on the working-day calendar (time frozen), the escalation sweep (idempotent,
acute the same working day), answering with the state table, bad input with nothing written,
documents only from professional partners, and the vetted accounts (invitation, second factor,
deactivation)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import Notification
from eenloket.core.roles import Role
from eenloket.intermediaries import services
from eenloket.intermediaries.models import (
    Attachment,
    ConcernReport,
    ContactPointSettings,
    Intermediary,
    Invitation,
    TrustLevel,
)
from eenloket.intermediaries.totp import current_code
from eenloket.messaging.models import Message
from eenloket.worklist import services as worklist_services
from eenloket.worklist.models import Task
from eenloket.worklist.selectors import worklist_queryset

from ..factories import TeamFactory, staff
from .conftest import DEBT_CONCERN, HOME_CONCERN

pytestmark = pytest.mark.django_db

# Tuesday 14 April 2026, 10:00 in Enschede; Koningsdag is Monday 27 April 2026.
TUESDAY = dt.datetime(2026, 4, 14, 10, 0, tzinfo=AMSTERDAM)


def local(report_moment):
    return report_moment.astimezone(AMSTERDAM)


def pdf(name="brief.pdf", size=None):
    content = b"%PDF-1.4\n" + b"x" * (size or 100)
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# ---- routing ------------------------------------------------------------------------------------
def test_a_debt_concern_goes_to_the_debt_team_and_is_a_task_in_its_work_list(
    report_of, volunteer, debt_team, debt_worker, wmo_worker, enschede
):
    report = report_of(volunteer, concern=DEBT_CONCERN)
    assert (report.organisation, report.team) == (enschede, debt_team)
    assert report.service_name == "Schuldhulpverlening"
    task = Task.objects.get(source_type="concern_report", source_id=str(report.uuid))
    assert task.kind == "zorgmelding" and task.team == debt_team and task.due_at == report.due_at
    assert task in worklist_queryset(debt_worker, "team")
    assert task not in worklist_queryset(wmo_worker, "team")
    # The work list's title names neither the resident nor the concern.
    assert "Wessels" not in task.title and "schulden" not in task.title


def test_a_concern_about_help_at_home_goes_to_the_wmo_team(report_of, professional, wmo_team):
    report = report_of(professional, concern=HOME_CONCERN)
    assert report.team == wmo_team


def test_a_concern_the_engine_cannot_place_goes_to_the_intake_team(
    report_of, volunteer, enschede, wmo_team
):
    ContactPointSettings.objects.create(municipality=enschede, intake_team=wmo_team)
    report = report_of(volunteer, concern="Zzzq vvvw")
    assert (report.organisation, report.team) == (enschede, wmo_team)


def test_an_acute_report_is_told_to_the_team_at_once(report_of, volunteer, debt_worker, wmo_worker):
    report_of(volunteer, urgency="acuut")
    assert Notification.objects.filter(user=debt_worker, text__contains="Acute").count() == 1
    assert not Notification.objects.filter(user=wmo_worker).exists()


# ---- norms ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "moment, urgency, expected",
    [
        (TUESDAY, "acuut", dt.datetime(2026, 4, 14, 17, 0)),  # the same working day
        (TUESDAY, "spoed", dt.datetime(2026, 4, 16, 17, 0)),  # 2 working days
        (TUESDAY, "normaal", dt.datetime(2026, 4, 21, 17, 0)),  # 5 working days
        # Friday 24 April: the weekend and Koningsdag (Monday 27) do not count.
        (
            dt.datetime(2026, 4, 24, 11, 0, tzinfo=AMSTERDAM),
            "spoed",
            dt.datetime(2026, 4, 29, 17, 0),
        ),
        # After 17:00 the same working day has passed: the next one.
        (
            dt.datetime(2026, 4, 14, 19, 30, tzinfo=AMSTERDAM),
            "acuut",
            dt.datetime(2026, 4, 15, 17, 0),
        ),
        # Saturday: the first working day after it.
        (
            dt.datetime(2026, 4, 18, 10, 0, tzinfo=AMSTERDAM),
            "acuut",
            dt.datetime(2026, 4, 20, 17, 0),
        ),
    ],
)
def test_the_answer_is_due_by_the_norm_of_its_urgency(
    report_of, volunteer, moment, urgency, expected
):
    with time_machine.travel(moment, tick=False):
        report = report_of(volunteer, urgency=urgency)
    assert local(report.due_at).replace(tzinfo=None) == expected


def test_a_municipality_sets_its_own_norms(report_of, volunteer, beheerder, enschede, wmo_team):
    services.save_norms(
        user=beheerder,
        municipality=enschede,
        acute_working_days=0,
        urgent_working_days=1,
        normal_working_days=10,
        intake_team=wmo_team,
    )
    with time_machine.travel(TUESDAY, tick=False):
        urgent = report_of(volunteer, urgency="spoed")
        normal = report_of(volunteer, urgency="normaal")
    assert local(urgent.due_at).replace(tzinfo=None) == dt.datetime(2026, 4, 15, 17, 0)
    # 10 working days from Tuesday 14 April, skipping Koningsdag: Wednesday 29 April.
    assert local(normal.due_at).replace(tzinfo=None) == dt.datetime(2026, 4, 29, 17, 0)


def test_norms_refuse_nonsense_and_only_the_beheerder_sets_them(beheerder, debt_lead, enschede):
    with pytest.raises(ValidationError) as error:
        services.save_norms(
            user=beheerder,
            municipality=enschede,
            acute_working_days=3,
            urgent_working_days="twee",
            normal_working_days=-1,
        )
    assert set(error.value.message_dict) == {"urgent_working_days", "normal_working_days"}
    with pytest.raises(PermissionDenied):
        services.save_norms(
            user=debt_lead,
            municipality=enschede,
            acute_working_days=0,
            urgent_working_days=2,
            normal_working_days=5,
        )
    assert not ContactPointSettings.objects.exists()


# ---- the sweep ------------------------------------------------------------------------------------
def _lead_notes(lead):
    return Notification.objects.filter(user=lead).count()


def test_an_unanswered_acute_report_goes_to_the_team_lead_the_same_working_day_once(
    report_of, volunteer, debt_lead
):
    with time_machine.travel(TUESDAY, tick=False):
        report = report_of(volunteer, urgency="acuut")
    before = _lead_notes(debt_lead)
    assert services.escalate_overdue(TUESDAY + dt.timedelta(hours=2)) == 0
    moment = TUESDAY + dt.timedelta(hours=2, minutes=1)
    assert services.escalate_overdue(moment) == 1
    report.refresh_from_db()
    assert report.escalated_at == moment and local(moment).date() == dt.date(2026, 4, 14)
    note = Notification.objects.filter(user=debt_lead).latest("id")
    assert "nog niet beantwoord" in note.text and str(report.uuid) in note.link
    # Idempotent: again, later, and the work list's own sweep: nobody is told twice.
    assert services.escalate_overdue(moment + dt.timedelta(hours=8)) == 0
    assert worklist_services.escalate_overdue(moment + dt.timedelta(days=2)) == 0
    assert _lead_notes(debt_lead) == before + 1


def test_a_normal_report_escalates_only_after_its_norm_and_not_once_answered(
    report_of, volunteer, debt_lead, debt_worker
):
    with time_machine.travel(TUESDAY, tick=False):
        late = report_of(volunteer, urgency="normaal")
        answered = report_of(volunteer, urgency="normaal")
    services.answer_report(
        user=debt_worker, report=answered, state="in-behandeling", answer="We bellen haar."
    )
    assert services.escalate_overdue(late.due_at) == 0  # due at 17:00, not yet past it
    assert services.escalate_overdue(late.due_at + dt.timedelta(minutes=1)) == 1
    answered.refresh_from_db()
    assert answered.escalated_at is None
    assert ConcernReport.objects.filter(escalated_at__isnull=False).get() == late


def test_the_sweep_is_registered_like_the_others(report_of, volunteer, debt_lead):
    from eenloket.core.sweeps import beat_schedule, run_all

    assert beat_schedule()["intermediaries.escalate_overdue"]["schedule"] == 300
    with time_machine.travel(TUESDAY, tick=False):
        report_of(volunteer, urgency="acuut")
    assert run_all(TUESDAY + dt.timedelta(hours=3))["intermediaries.escalate_overdue"] == 1


# ---- answering --------------------------------------------------------------------------------------
def test_the_team_answers_and_a_final_status_completes_the_task(report_of, volunteer, debt_worker):
    with time_machine.travel(TUESDAY, tick=False):
        report = report_of(volunteer, urgency="spoed")
    with time_machine.travel(TUESDAY + dt.timedelta(hours=3), tick=False):
        services.answer_report(
            user=debt_worker,
            report=report,
            state="in-behandeling",
            answer="We bellen haar vandaag.",
        )
    report.refresh_from_db()
    task = Task.objects.get(pk=report.task_id)
    assert report.state == "in-behandeling" and report.handler == debt_worker
    assert report.first_answered_at == TUESDAY + dt.timedelta(hours=3)
    assert report.answered_within_norm is True
    assert task.state == "open" and task.assigned_to == debt_worker
    services.answer_report(
        user=debt_worker, report=report, state="afgerond", answer="Stroom is weer aan."
    )
    task.refresh_from_db()
    report.refresh_from_db()
    assert (report.state, report.answer) == ("afgerond", "Stroom is weer aan.")
    assert report.first_answered_at == TUESDAY + dt.timedelta(hours=3)  # the first answer counts
    assert (task.state, task.outcome) == ("afgerond", "afgerond")
    # A closed report takes no further status.
    with pytest.raises(ValidationError) as error:
        services.answer_report(user=debt_worker, report=report, state="doorgezet", answer="x")
    assert error.value.code == "invalid_transition"
    # The intermediary was told by e-mail that there is news, without the answer itself.
    mails = Message.objects.filter(cause_type="icp-antwoord", to=volunteer.user.email)
    assert mails.count() == 2 and "Stroom" not in mails.first().body
    # The day of the report in the long form, not 14-04-2026.
    assert "Er is nieuws over uw melding van dinsdag 14 april 2026." in mails.first().body
    assert mails.first().language == "nl"


def test_completing_the_task_in_the_work_list_answers_the_report(report_of, volunteer, debt_worker):
    report = report_of(volunteer)
    task = Task.objects.get(pk=report.task_id)
    with pytest.raises(ValidationError):  # the note is the short answer: required
        worklist_services.complete(user=debt_worker, task=task, outcome="doorgezet", note="")
    report.refresh_from_db()
    assert report.state == "ontvangen"
    worklist_services.complete(
        user=debt_worker, task=task, outcome="doorgezet", note="Naar het UWV doorgezet."
    )
    report.refresh_from_db()
    assert (report.state, report.answer, report.handler) == (
        "doorgezet",
        "Naar het UWV doorgezet.",
        debt_worker,
    )


def test_only_the_routed_team_or_its_lead_answers(report_of, volunteer, wmo_worker, debt_lead):
    report = report_of(volunteer)
    with pytest.raises(PermissionDenied):
        services.answer_report(user=wmo_worker, report=report, state="afgerond", answer="Klaar.")
    with pytest.raises(PermissionDenied):
        services.answer_report(user=volunteer.user, report=report, state="afgerond", answer="Ik")
    services.answer_report(user=debt_lead, report=report, state="afgerond", answer="Opgepakt.")


def test_an_answer_needs_a_status_and_a_short_text(report_of, volunteer, debt_worker):
    report = report_of(volunteer)
    for state, answer, field in [
        ("", "Tekst", "state"),
        ("afgerond", "  ", "answer"),
        ("afgerond", "x" * 1001, "answer"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.answer_report(user=debt_worker, report=report, state=state, answer=answer)
        assert field in error.value.message_dict
    report.refresh_from_db()
    assert (report.state, report.answer, report.first_answered_at) == ("ontvangen", "", None)


# ---- bad input --------------------------------------------------------------------------------------
def test_bad_input_gives_every_error_in_dutch_and_writes_nothing(volunteer, services_):
    with pytest.raises(ValidationError) as error:
        services.create_report(
            user=volunteer.user,
            concern="  ",
            urgency="heel erg",
            resident_name="",
            consent="misschien",
            resident_phone="x" * 41,
        )
    errors = error.value.message_dict
    assert errors["concern"] == ["Schrijf op wat er aan de hand is."]
    assert errors["urgency"] == ["Kies hoe dringend het is."]
    assert "naam" in errors["resident_name"][0]
    assert errors["consent"] == ["Kies of de inwoner het goed vindt dat u dit meldt."]
    assert "te lang" in errors["resident_phone"][0]
    assert not ConcernReport.objects.exists() and not Task.objects.exists()


def test_without_consent_the_reason_is_required(report_of, volunteer):
    with pytest.raises(ValidationError) as error:
        report_of(volunteer, consent="niet-gevraagd", no_consent_reason="")
    assert error.value.message_dict == {
        "no_consent_reason": ["Schrijf op waarom u het de inwoner niet kon vragen."]
    }
    report = report_of(volunteer, consent="niet-gevraagd", no_consent_reason="Ze is erg in de war.")
    assert report.no_consent_reason == "Ze is erg in de war."


def test_a_null_character_is_refused(report_of, volunteer):
    with pytest.raises(ValidationError) as error:
        report_of(volunteer, concern="schulden\x00")
    assert "concern" in error.value.message_dict
    assert not ConcernReport.objects.exists()


def test_staff_cannot_report_as_an_intermediary(report_of, debt_worker):
    class Fake:
        user = debt_worker

    with pytest.raises(PermissionDenied):
        report_of(Fake)


# ---- documents --------------------------------------------------------------------------------------
def test_a_volunteer_cannot_attach_documents(report_of, volunteer, semi):
    for person in (volunteer, semi):
        with pytest.raises(ValidationError) as error:
            report_of(person, attachments=[pdf()])
        assert "professionele partner" in error.value.message_dict["attachments"][0]
    assert not ConcernReport.objects.exists() and not Attachment.objects.exists()


def test_a_professional_attaches_a_pdf_and_an_image(report_of, professional):
    png = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, content_type="image/png")
    report = report_of(professional, attachments=[pdf(), png])
    assert sorted(report.attachments.values_list("name", "content_type")) == [
        ("brief.pdf", "application/pdf"),
        ("foto.png", "image/png"),
    ]


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf"),
            "geen PDF",
        ),
        (
            SimpleUploadedFile("brief.exe", b"%PDF-1.4 x", content_type="application/pdf"),
            "geen PDF",
        ),
        (pdf(size=services.MAX_ATTACHMENT_BYTES), "te groot"),
    ],
)
def test_documents_are_checked_by_content_and_size(report_of, professional, upload, message):
    with pytest.raises(ValidationError) as error:
        report_of(professional, attachments=[upload])
    assert message in error.value.message_dict["attachments"][0]
    assert not ConcernReport.objects.exists() and not Task.objects.exists()


def test_at_most_five_documents(report_of, professional):
    with pytest.raises(ValidationError):
        report_of(professional, attachments=[pdf(f"{n}.pdf") for n in range(6)])
    assert not ConcernReport.objects.exists()


# ---- linking to the register ------------------------------------------------------------------------
def test_a_handler_links_the_report_to_a_resident_in_the_register(
    report_of, volunteer, debt_worker
):
    from eenloket.core.models import AccessLog

    from ..factories import ResidentFactory

    resident = ResidentFactory(given_names="Truus", surname="Wessels")
    report = report_of(volunteer)
    services.link_resident(user=debt_worker, report=report, resident_uuid=resident.uuid)
    report.refresh_from_db()
    assert report.resident == resident and report.linked_by == debt_worker
    assert AccessLog.objects.filter(actor_id=str(debt_worker.uuid)).exists()


def test_a_colleague_of_another_team_cannot_link(report_of, volunteer, wmo_worker):
    from ..factories import ResidentFactory

    report = report_of(volunteer)
    with pytest.raises(PermissionDenied):
        services.link_resident(user=wmo_worker, report=report, resident_uuid=ResidentFactory().uuid)


# ---- accounts -----------------------------------------------------------------------------------------
def _invite(beheerder, enschede, partner, **changes):
    values = {
        "user": beheerder,
        "municipality": enschede,
        "organisation": partner,
        "first_name": "Sevda",
        "last_name": "Yıldız",
        "email": "Sevda@Buurtkracht.example",
        "trust_level": TrustLevel.VOLUNTEER,
    }
    values.update(changes)
    return services.invite(**values)


def test_the_beheerder_invites_by_email_with_a_one_time_link(beheerder, enschede, partner):
    with time_machine.travel(TUESDAY, tick=False):
        intermediary, token = _invite(beheerder, enschede, partner)
    user = intermediary.user
    assert user.username == "sevda@buurtkracht.example" and not user.has_usable_password()
    assert not user.memberships.exists()  # no staff membership: no staff page
    mail = Message.objects.get(cause_type="icp-uitnodiging")
    assert mail.channel == "email" and mail.to == "sevda@buurtkracht.example"
    assert f"/icp/uitnodiging/{token}/" in mail.body
    # Seven days, in the long form: "dinsdag 21 april 2026 om 10:00", not "21-04-2026 10:00".
    assert "is geldig tot dinsdag 21 april 2026 om 10:00." in mail.body
    invitation = Invitation.objects.get()
    assert invitation.token_hash != token and token not in invitation.token_hash


def test_the_email_is_dutch_whatever_the_language_of_the_beheerders_screen(
    beheerder, enschede, partner
):
    with time_machine.travel(TUESDAY, tick=False), translation.override("en"):
        _invite(beheerder, enschede, partner)
    mail = Message.objects.get(cause_type="icp-uitnodiging")
    assert mail.language == "nl" and "Beste Sevda" in mail.body
    assert "geldig tot dinsdag 21 april 2026 om 10:00." in mail.body


def test_a_new_invitation_replaces_the_app_once_accepted(beheerder, enschede, partner):
    """Someone who accepted before is invited again (a lost phone): accepting the new link
    with a new app leaves only that app; the old key's codes are refused."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def accept(token, device):
        return services.accept_invitation(
            token=token,
            password="Lang-genoeg-2026!",
            password_again="Lang-genoeg-2026!",
            code=current_code(device),
        )

    with time_machine.travel(TUESDAY, tick=False):
        intermediary, token = _invite(beheerder, enschede, partner)
        old = services.enrolment_device(intermediary)
        accept(token, old)
    with time_machine.travel(TUESDAY + dt.timedelta(minutes=1), tick=False):
        new_token = services.reinvite(user=beheerder, intermediary=intermediary)
        assert services.confirmed_device(intermediary.user) == old  # until the new one is set
        new = services.enrolment_device(intermediary)
        assert new.pk != old.pk and new.key != old.key and not new.confirmed
        user, confirmed = accept(new_token, new)
    assert confirmed == new
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [
        (new.pk, True)
    ]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    with time_machine.travel(TUESDAY + dt.timedelta(minutes=2), tick=False):
        device = services.confirmed_device(user)
        assert services.code_problem(device, current_code(old)) == services.code_error()
    with time_machine.travel(TUESDAY + dt.timedelta(minutes=3), tick=False):
        assert services.code_problem(device, current_code(new)) is None


def test_accepting_needs_the_right_code_and_writes_nothing_otherwise(
    beheerder, enschede, partner, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code
    intermediary, token = _invite(beheerder, enschede, partner)
    device = services.enrolment_device(intermediary)
    with pytest.raises(ValidationError) as error:
        services.accept_invitation(
            token=token,
            password="Lang-genoeg-2026!",
            password_again="Lang-genoeg-2026!",
            code="000000",
        )
    assert error.value.message_dict["code"] == [services.code_error()]
    intermediary.user.refresh_from_db()
    device.refresh_from_db()
    assert not intermediary.user.has_usable_password() and not device.confirmed
    with pytest.raises(ValidationError) as error:
        services.accept_invitation(
            token=token, password="Kort-2026", password_again="Kort-2026", code="123456"
        )
    assert error.value.message_dict == {"password": ["Kies een wachtwoord van minstens 12 tekens."]}
    with pytest.raises(ValidationError) as error:
        services.accept_invitation(
            token=token,
            password="Lang-genoeg-2026!",
            password_again="Lang-genoeg-2027!",
            code=current_code(device),
        )
    assert "password_again" in error.value.message_dict
    user, confirmed = services.accept_invitation(
        token=token,
        password="Lang-genoeg-2026!",
        password_again="Lang-genoeg-2026!",
        code=current_code(device),
    )
    assert user.check_password("Lang-genoeg-2026!") and confirmed.confirmed
    with pytest.raises(ValidationError) as error:
        services.open_invitation(token)
    assert error.value.code == "used"


def test_an_invitation_expires_and_a_new_one_replaces_it(beheerder, enschede, partner):
    with time_machine.travel(TUESDAY, tick=False):
        intermediary, token = _invite(beheerder, enschede, partner)
    with time_machine.travel(TUESDAY + dt.timedelta(days=8), tick=False):
        with pytest.raises(ValidationError) as error:
            services.open_invitation(token)
        assert error.value.code == "expired"
        new_token = services.reinvite(user=beheerder, intermediary=intermediary)
        assert services.open_invitation(new_token).intermediary == intermediary
    with pytest.raises(ValidationError):
        services.open_invitation(token)


def test_inviting_is_for_the_beheerder_of_the_municipality_with_clear_errors(
    beheerder, debt_lead, enschede, maastricht, partner
):
    with pytest.raises(PermissionDenied):
        _invite(debt_lead, enschede, partner)
    with pytest.raises(PermissionDenied):
        _invite(beheerder, maastricht, partner)
    staff(enschede, Role.BALIEMEDEWERKER, username="bestaat@buurtkracht.example")
    with pytest.raises(ValidationError) as error:
        _invite(
            beheerder,
            enschede,
            enschede,  # not a partner organisation
            email="bestaat@buurtkracht.example",
            trust_level="baas",
            first_name="",
        )
    assert set(error.value.message_dict) == {"email", "organisation", "trust_level", "first_name"}
    assert not Intermediary.objects.exists() and not Message.objects.exists()


def test_a_deactivated_intermediary_can_no_longer_sign_in_or_report(
    beheerder, volunteer, report_of, client
):
    services.deactivate(user=beheerder, intermediary=volunteer)
    volunteer.refresh_from_db()
    volunteer.user.refresh_from_db()
    assert not volunteer.is_active and not volunteer.user.is_active
    response = client.post(
        "/inloggen/", {"username": volunteer.user.username, "password": "Loket-test-2026!"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    with pytest.raises(PermissionDenied):
        services.create_report(
            user=volunteer.user,
            concern=DEBT_CONCERN,
            urgency="acuut",
            resident_name="x",
            consent="ja",
        )


def test_a_team_whose_work_does_not_fit_is_not_chosen(report_of, volunteer, enschede):
    other = TeamFactory(organisation=enschede, name="Publiekszaken", description="paspoort")
    report = report_of(volunteer)
    assert report.team != other
