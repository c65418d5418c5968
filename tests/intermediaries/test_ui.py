"""The screens over the Django test client: the intermediary's form (errors in Dutch, nothing
written; documents for professionals only), the team's list and answer, linking to the register,
the beheerder's page (invite, deactivate, norms), accepting an invitation, and the overview per
partner organisation and urgency with the answers within the norm."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import AccessLog
from eenloket.intermediaries import services
from eenloket.intermediaries.models import ConcernReport, Intermediary
from eenloket.intermediaries.totp import current_code
from eenloket.messaging.models import Message
from eenloket.worklist.models import Task

from ..factories import ResidentFactory
from .conftest import DEBT_CONCERN

pytestmark = pytest.mark.django_db

FORM = {
    "concern": DEBT_CONCERN,
    "urgency": "acuut",
    "resident_name": "mevrouw Wessels",
    "resident_address": "Kuipersdijk 112",
    "resident_phone": "06 1234 5670",
    "consent": "ja",
}


def text(response):
    return response.content.decode()


# ---- the intermediary's form ---------------------------------------------------------------------
def test_an_intermediary_reports_a_concern(icp_client, volunteer, services_, debt_team):
    client = icp_client(volunteer)
    page = client.get("/icp/melden/")
    assert page.status_code == 200 and "Wat is er aan de hand?" in text(page)
    response = client.post("/icp/melden/", FORM, follow=True)
    report = ConcernReport.objects.get()
    assert response.redirect_chain[-1][0] == f"/icp/meldingen/{report.uuid}/"
    assert "Uw melding is verstuurd" in text(response) and "Ontvangen" in text(response)
    home = text(client.get("/icp/"))
    assert "mevrouw Wessels" in home and "Acuut" in home


def test_the_form_shows_every_error_and_writes_nothing(icp_client, volunteer, services_):
    client = icp_client(volunteer)
    response = client.post("/icp/melden/", {"consent": "niet-gevraagd"})
    assert response.status_code == 400
    page = text(response)
    for message in (
        "Schrijf op wat er aan de hand is.",
        "Kies hoe dringend het is.",
        "Schrijf op wie de inwoner is",
        "Schrijf op waarom u het de inwoner niet kon vragen.",
    ):
        assert message in page
    assert 'aria-invalid="true"' in page
    assert not ConcernReport.objects.exists() and not Task.objects.exists()


def test_a_volunteer_cannot_slip_in_a_document(icp_client, volunteer, services_):
    upload = SimpleUploadedFile("brief.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = icp_client(volunteer).post("/icp/melden/", {**FORM, "attachments": upload})
    assert response.status_code == 400
    assert "Alleen een professionele partner kan documenten meesturen" in text(response)
    assert not ConcernReport.objects.exists()


def test_a_professional_sends_a_document_the_team_can_open(
    icp_client, professional, services_, ui_as, debt_worker, wmo_worker
):
    upload = SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief", content_type="application/pdf")
    response = icp_client(professional).post("/icp/melden/", {**FORM, "attachments": upload})
    assert response.status_code == 302
    report = ConcernReport.objects.get()
    attachment = report.attachments.get()
    url = f"/zorgmeldingen/{report.uuid}/documenten/{attachment.uuid}/"
    assert url in text(ui_as(debt_worker).get(f"/zorgmeldingen/{report.uuid}/"))
    download = ui_as(debt_worker).get(url)
    assert download.status_code == 200 and download.content == b"%PDF-1.4 brief"
    assert download["Content-Type"] == "application/pdf"
    assert ui_as(wmo_worker).get(url).status_code == 404
    assert icp_client(professional).get(url).status_code == 403


# ---- the team ------------------------------------------------------------------------------------
def test_the_team_answers_from_its_list(ui_as, debt_worker, volunteer, report_of, icp_client):
    report = report_of(volunteer, urgency="acuut")
    client = ui_as(debt_worker)
    listing = text(client.get("/zorgmeldingen/"))
    assert f"/zorgmeldingen/{report.uuid}/" in listing and "mevrouw Wessels" in listing
    # The list shows the resident's name: that read is logged, for this report.
    assert list(AccessLog.objects.values_list("object_id", "actor_id")) == [
        (str(report.uuid), str(debt_worker.uuid))
    ]
    detail = client.get(f"/zorgmeldingen/{report.uuid}/")
    assert "Antwoord geven" in text(detail) and "Kuipersdijk 112" in text(detail)
    # The number as the intermediary typed it, shown the Dutch way and callable.
    assert 'href="tel:+31612345670">06 12345670</a>' in text(detail)
    assert AccessLog.objects.filter(
        actor_id=str(debt_worker.uuid), processing_activity_id="zorgmelding-intermediair"
    ).exists()
    bad = client.post(
        f"/zorgmeldingen/{report.uuid}/antwoord/",
        {"antwoord-state": "afgerond", "antwoord-answer": ""},
    )
    assert bad.status_code == 400
    assert "Schrijf een kort antwoord voor de intermediair." in text(bad)
    good = client.post(
        f"/zorgmeldingen/{report.uuid}/antwoord/",
        {"antwoord-state": "afgerond", "antwoord-answer": "De stroom is weer aan."},
        follow=True,
    )
    assert "Uw antwoord is opgeslagen" in text(good)
    mine = text(icp_client(volunteer).get(f"/icp/meldingen/{report.uuid}/"))
    assert "De stroom is weer aan." in mine and "Opgepakt en afgerond" in mine
    # The task is done: it left the team's work list.
    assert Task.objects.get(pk=report.task_id).state == "afgerond"
    assert "mevrouw Wessels" in text(client.get("/zorgmeldingen/?status=afgehandeld"))


def test_the_task_in_the_work_list_links_to_the_report(ui_as, debt_worker, volunteer, report_of):
    report = report_of(volunteer)
    page = text(ui_as(debt_worker).get(f"/taken/{report.task.uuid}/"))
    assert f"/zorgmeldingen/{report.uuid}/" in page


def test_another_team_gets_404_and_partners_nothing(ui_as, wmo_worker, volunteer, report_of):
    report = report_of(volunteer)
    assert ui_as(wmo_worker).get(f"/zorgmeldingen/{report.uuid}/").status_code == 404
    assert "mevrouw Wessels" not in text(ui_as(wmo_worker).get("/zorgmeldingen/"))


def test_a_handler_links_the_report_to_the_register(ui_as, debt_worker, volunteer, report_of):
    report = report_of(volunteer)
    resident = ResidentFactory(given_names="Truus", surname="Wessels")
    client = ui_as(debt_worker)
    bad = client.post(f"/zorgmeldingen/{report.uuid}/koppelen/", {"koppelen-resident": "abc"})
    assert bad.status_code == 400 and "UUID" in text(bad)
    unknown = client.post(
        f"/zorgmeldingen/{report.uuid}/koppelen/",
        {"koppelen-resident": "00000000-0000-0000-0000-000000000000"},
    )
    assert unknown.status_code == 400 and "bestaat niet" in text(unknown)
    client.post(f"/zorgmeldingen/{report.uuid}/koppelen/", {"koppelen-resident": resident.uuid})
    report.refresh_from_db()
    assert report.resident == resident
    assert "Truus Wessels" in text(client.get(f"/zorgmeldingen/{report.uuid}/"))


# ---- beheer -----------------------------------------------------------------------------------------
def test_the_beheerder_invites_and_the_person_accepts_with_the_app(ui_as, beheerder, partner):
    client = ui_as(beheerder)
    page = client.get("/zorgmeldingen/intermediairen/")
    assert page.status_code == 200 and "Iemand uitnodigen" in text(page)
    bad = client.post("/zorgmeldingen/intermediairen/uitnodigen/", {"uitnodigen-email": "x"})
    assert bad.status_code == 400 and "Dit e-mailadres klopt niet." in text(bad)
    response = client.post(
        "/zorgmeldingen/intermediairen/uitnodigen/",
        {
            "uitnodigen-first_name": "Sevda",
            "uitnodigen-last_name": "Yıldız",
            "uitnodigen-email": "sevda@buurtkracht.example",
            "uitnodigen-organisation": str(partner.uuid),
            "uitnodigen-trust_level": "vrijwilliger",
        },
        follow=True,
    )
    assert "krijgt een e-mail met een link" in text(response)
    assert "Uitgenodigd, link geldig tot" in text(response)
    link = re.search(r"/icp/uitnodiging/[^/\s]+/", Message.objects.get().body).group(0)

    person = Client()
    page = person.get(link)
    assert page.status_code == 200 and "GEZ" not in text(page)  # a fresh key, not the demo's
    device = services.enrolment_device(Intermediary.objects.get())
    wrong = person.post(
        link, {"password": "Lang-genoeg-2026!", "password_again": "Lang-genoeg-2026!", "code": "1"}
    )
    assert wrong.status_code == 400 and "Deze code klopt niet." in text(wrong)
    right = person.post(
        link,
        {
            "password": "Lang-genoeg-2026!",
            "password_again": "Lang-genoeg-2026!",
            "code": current_code(device),
        },
    )
    assert (right.status_code, right["Location"]) == (302, "/icp/")
    assert person.get("/icp/").status_code == 200  # signed in and verified
    assert person.get(link).status_code == 410  # the link worked once


def _accept(client, link, password, device):
    return client.post(
        link, {"password": password, "password_again": password, "code": current_code(device)}
    )


def _sign_in(password, code):
    client = Client()
    client.post("/inloggen/", {"username": "sevda@buurtkracht.example", "password": password})
    return client.post("/icp/verificatie/", {"code": code})


def test_after_a_new_invitation_only_the_new_app_works(ui_as, beheerder, partner):
    """A lost phone: the beheerder invites someone who accepted before again. The old app works
    until the new link is used; then only the new app does (one device left)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    monday = dt.datetime(2026, 4, 13, 9, 0, tzinfo=AMSTERDAM)
    client = ui_as(beheerder)
    with time_machine.travel(monday, tick=False):
        client.post(
            "/zorgmeldingen/intermediairen/uitnodigen/",
            {
                "uitnodigen-first_name": "Sevda",
                "uitnodigen-last_name": "Yıldız",
                "uitnodigen-email": "sevda@buurtkracht.example",
                "uitnodigen-organisation": str(partner.uuid),
                "uitnodigen-trust_level": "vrijwilliger",
            },
        )
        intermediary = Intermediary.objects.get()
        link = re.search(r"/icp/uitnodiging/[^/\s]+/", Message.objects.get().body).group(0)
        Client().get(link)
        app_a = services.enrolment_device(intermediary)
        response = _accept(Client(), link, "Eerste-wachtwoord-2026!", app_a)
        assert response.status_code == 302
    old_key = app_a.key

    with time_machine.travel(monday + dt.timedelta(minutes=1), tick=False):
        response = client.post(
            f"/zorgmeldingen/intermediairen/{intermediary.uuid}/opnieuw-uitnodigen/", follow=True
        )
        assert "Daarna werkt alleen de nieuwe app." in text(response)
        # Until the new link is used the old app still works.
        assert _sign_in("Eerste-wachtwoord-2026!", current_code(app_a)).status_code == 302
    mail = Message.objects.filter(cause_type="icp-uitnodiging").order_by("-id").first()
    new_link = re.search(r"/icp/uitnodiging/[^/\s]+/", mail.body).group(0)
    assert new_link != link

    with time_machine.travel(monday + dt.timedelta(minutes=2), tick=False):
        person = Client()
        assert person.get(new_link).status_code == 200
        app_b = services.enrolment_device(intermediary)
        assert app_b.key != old_key  # the new link shows a new key
        response = _accept(person, new_link, "Tweede-wachtwoord-2026!", app_b)
        assert (response.status_code, response["Location"]) == (302, "/icp/")

    devices = TOTPDevice.objects.filter(user=intermediary.user)
    assert [(d.pk, d.confirmed) for d in devices] == [(app_b.pk, True)]
    with time_machine.travel(monday + dt.timedelta(minutes=3), tick=False):
        new_code = _sign_in("Tweede-wachtwoord-2026!", current_code(app_b))
        assert (new_code.status_code, new_code["Location"]) == (302, "/icp/")
    with time_machine.travel(monday + dt.timedelta(minutes=4), tick=False):
        old_code = current_code(TOTPDevice(key=old_key))
        assert old_code != current_code(app_b)
        refused = _sign_in("Tweede-wachtwoord-2026!", old_code)
        assert refused.status_code == 400 and "Deze code klopt niet." in text(refused)


def test_the_beheerder_deactivates_an_intermediary(ui_as, beheerder, volunteer, icp_client):
    signed_in = icp_client(volunteer)
    assert signed_in.get("/icp/").status_code == 200
    ui_as(beheerder).post(f"/zorgmeldingen/intermediairen/{volunteer.uuid}/uitschakelen/")
    response = signed_in.get("/icp/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_beheer_is_for_the_beheerder_only(ui_as, debt_worker, debt_lead, icp_client, volunteer):
    for user in (debt_worker, debt_lead):
        assert ui_as(user).get("/zorgmeldingen/intermediairen/").status_code == 403
    assert icp_client(volunteer).get("/zorgmeldingen/intermediairen/").status_code == 403


def test_norms_on_the_beheer_page(ui_as, beheerder, enschede, wmo_team):
    client = ui_as(beheerder)
    bad = client.post(
        "/zorgmeldingen/intermediairen/termijnen/",
        {
            "normen-acute_working_days": "0",
            "normen-urgent_working_days": "9",
            "normen-normal_working_days": "5",
        },
    )
    assert bad.status_code == 400 and "Acuut mag niet langer duren dan spoed" in text(bad)
    client.post(
        "/zorgmeldingen/intermediairen/termijnen/",
        {
            "normen-acute_working_days": "0",
            "normen-urgent_working_days": "1",
            "normen-normal_working_days": "3",
            "normen-intake_team": str(wmo_team.uuid),
        },
    )
    norms = services.norms_for(enschede)
    assert (norms.urgent_working_days, norms.normal_working_days, norms.intake_team) == (
        1,
        3,
        wmo_team,
    )


# ---- the overview -----------------------------------------------------------------------------------
def test_the_overview_counts_per_partner_and_urgency_within_the_norm(
    ui_as, beheerder, debt_lead, debt_worker, volunteer, report_of, counter_enschede
):
    tuesday = dt.datetime(2026, 4, 14, 10, 0, tzinfo=AMSTERDAM)
    with time_machine.travel(tuesday, tick=False):
        fast = report_of(volunteer, urgency="acuut")
        late = report_of(volunteer, urgency="acuut")
        report_of(volunteer, urgency="normaal")
    services.answer_report(
        user=debt_worker, report=fast, state="afgerond", answer="Gedaan.", now=tuesday
    )
    services.answer_report(
        user=debt_worker,
        report=late,
        state="afgerond",
        answer="Gedaan.",
        now=tuesday + dt.timedelta(days=1),
    )
    for user in (beheerder, debt_lead):
        with time_machine.travel(tuesday + dt.timedelta(days=30), tick=False):
            page = text(ui_as(user).get("/zorgmeldingen/overzicht/?van=2026-04-01&tot=2026-04-30"))
        rows = re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", page, re.S)
        cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in rows]
        assert ["Buurtkracht Enschede", "Acuut: vandaag nog", "2", "2", "1 (50%)", "0"] in cells
        assert ["Buurtkracht Enschede", "Normaal", "1", "0", "0 (0%)", "1"] in cells
    assert ui_as(counter_enschede).get("/zorgmeldingen/overzicht/").status_code == 403


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("tot=9999-12-31", "Kies een datum tussen 1 januari 2000 en 31 december 2100."),
        ("van=0001-01-01", "Kies een datum tussen 1 januari 2000 en 31 december 2100."),
        ("van=1999-12-31&tot=2101-01-01", "Kies een datum tussen 1 januari 2000"),
        ("van=2026-04-30&tot=2026-04-01", "Deze datum ligt voor de eerste datum."),
        ("van=gisteren", "Deze datum klopt niet."),
    ],
)
def test_the_overview_refuses_a_period_it_cannot_show(ui_as, beheerder, query, error):
    with time_machine.travel(dt.datetime(2026, 5, 14, 10, 0, tzinfo=AMSTERDAM), tick=False):
        response = ui_as(beheerder).get(f"/zorgmeldingen/overzicht/?{query}")
    assert response.status_code == 400
    page = text(response)
    assert "Controleer wat u heeft ingevuld" in page and error in page
    assert "Deze periode kunnen we niet tonen." in page
    # The default period instead: from the first of the month three months back until today.
    assert "Meldingen van zondag 1 februari 2026 tot en met donderdag 14 mei 2026." in page


def test_the_overview_with_one_date_or_none(ui_as, beheerder):
    with time_machine.travel(dt.datetime(2026, 5, 14, 10, 0, tzinfo=AMSTERDAM), tick=False):
        client = ui_as(beheerder)
        plain = client.get("/zorgmeldingen/overzicht/")
        until = client.get("/zorgmeldingen/overzicht/?tot=2026-01-15")
        since = client.get("/zorgmeldingen/overzicht/?van=2026-03-01&tot=")
    assert plain.status_code == until.status_code == since.status_code == 200
    assert 'value="2026-02-01"' in text(plain) and 'value="2026-05-14"' in text(plain)
    assert "tot en met donderdag 15 januari 2026." in text(until)
    assert "Meldingen van zondag 1 maart 2026 tot en met donderdag 14 mei 2026." in text(since)
