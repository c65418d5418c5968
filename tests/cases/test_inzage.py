"""The resident's inzage (AVG art. 15, Logboek Dataverwerkingen): after reads by the case
manager, by Dienst Toeslagen on the resident's consent and by a counter employee, the privacy
officer's overview lists every one of them with the organisation's name, the role and the
purpose, and no employee's name; the JSON streams every row; the export is itself logged; only
a privacy officer makes it; the PDF letter names the organisations.

Wednesday 15 April 2026 in Enschede."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.cases import inzage, selectors
from eenloket.core.audit import Activity, pseudonymise
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.errors import NotFound
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.residents import selectors as resident_selectors

from ..factories import new_bsn, staff

pytestmark = pytest.mark.django_db

D = dt.date
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)  # Wednesday
PURPOSE = "Terugvordering huurtoeslag afstemmen met het schuldhulptraject"
CASE = "Uw casus (plan en afspraken bij meerdere problemen)"
PERSONAL = "Uw naam, adres en andere persoonsgegevens"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def at(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM)


@pytest.fixture
def reads(
    case, grant, toeslagen, case_manager, toeslagen_staff, counter_enschede, resident, frozen
):
    """The case manager reads the case at 10:00, Toeslagen at 11:00 and again the next day at
    9:00, the counter employee reads Anna at 12:00."""
    grant(toeslagen, purpose=PURPOSE)
    selectors.get_case(case_manager, case.uuid)
    frozen.move_to(at(D(2026, 4, 15), 11))
    selectors.get_case(toeslagen_staff, case.uuid)
    frozen.move_to(at(D(2026, 4, 15), 12))
    resident_selectors.get_resident(counter_enschede, resident.uuid)
    frozen.move_to(at(D(2026, 4, 16), 9))
    selectors.get_case(toeslagen_staff, case.uuid, channel="api")
    frozen.move_to(at(D(2026, 4, 16), 10))


STAFF_NAMES = ("Mila", "Kok", "Bram", "Visser", "Sanne", "de Vries", "balie.enschede")


def subject_rows(resident):
    """Every row about Anna in the access log: the reads below and, where the services log
    them, the changes made while setting up (opening the case, recording the consent)."""
    return AccessLog.objects.filter(data_subject_id=pseudonymise(resident.bsn))


READS = [  # (time, organisation, role, data, purpose, channel)
    (
        "2026-04-15T10:00:00+02:00",
        "Gemeente Enschede",
        "Casemanager",
        CASE,
        Activity.CASE_WORK.label,
        "ui",
    ),
    (
        "2026-04-15T11:00:00+02:00",
        "Dienst Toeslagen",
        "Medewerker uitvoeringsorganisatie",
        CASE,
        PURPOSE,
        "ui",
    ),
    (
        "2026-04-15T12:00:00+02:00",
        "Gemeente Enschede",
        "Baliemedewerker",
        PERSONAL,
        Activity.RESIDENT_VIEW.label,
        "ui",
    ),
    (
        "2026-04-16T09:00:00+02:00",
        "Dienst Toeslagen",
        "Medewerker uitvoeringsorganisatie",
        CASE,
        PURPOSE,
        "api",
    ),
]


def test_the_overview_groups_every_read_per_day_organisation_role_and_purpose(
    reads, privacy_officer, resident
):
    overview = inzage.for_resident(privacy_officer, resident.bsn)
    assert overview.resident == resident
    assert overview.organisation.name == "Gemeente Enschede"
    groups, total = inzage.groups(overview)
    assert total == subject_rows(resident).count() >= 4
    assert sum(g.times for g in groups) == total
    seen = {(g.day, g.organisation, g.role, g.what, g.purpose): g.times for g in groups}
    toeslagen = ("Dienst Toeslagen", "Medewerker uitvoeringsorganisatie", CASE, PURPOSE)
    assert seen[(D(2026, 4, 16), *toeslagen)] == 1
    assert seen[(D(2026, 4, 15), *toeslagen)] == 1
    counter = ("Gemeente Enschede", "Baliemedewerker", PERSONAL, Activity.RESIDENT_VIEW.label)
    assert seen[(D(2026, 4, 15), *counter)] == 1
    assert (
        seen[(D(2026, 4, 15), "Gemeente Enschede", "Casemanager", CASE, Activity.CASE_WORK.label)]
        >= 1
    )
    # Newest day first.
    assert [g.day for g in groups] == sorted((g.day for g in groups), reverse=True)
    # Nobody else used Anna's data.
    assert {g.organisation for g in groups} == {"Gemeente Enschede", "Dienst Toeslagen"}


def test_the_json_has_every_row_oldest_first_and_no_employee_names(
    reads, privacy_officer, resident
):
    overview = inzage.for_resident(privacy_officer, resident.bsn)
    chunks = list(inzage.stream_json(overview))
    assert len(chunks) > 2  # written in chunks, not as one string
    text = "".join(chunks)
    document = json.loads(text)
    assert document["gemaakt_door_organisatie"] == "Gemeente Enschede"
    assert document["casus"] is None
    rows = document["regels"]
    assert len(rows) == subject_rows(resident).count()
    assert [r["tijdstip"] for r in rows] == sorted(r["tijdstip"] for r in rows)
    read = [
        (r["tijdstip"], r["organisatie"], r["rol"], r["gegevens"], r["doel"], r["kanaal"])
        for r in rows
        if r["handeling"] == "bekeken"
    ]
    assert read == READS
    for name in STAFF_NAMES:
        assert name not in text
    assert resident.bsn not in text
    assert all(set(r) >= {"organisatie", "rol", "doel", "gegevens"} for r in rows)


def test_the_export_is_itself_logged_and_shows_up_in_the_next_one(reads, privacy_officer, resident):
    overview = inzage.for_resident(privacy_officer, resident.bsn)
    _groups, before = inzage.groups(overview)
    inzage.log_export(privacy_officer, overview, fmt="json")
    row = AccessLog.objects.get(object_type="inzage")
    assert (row.actor_organisation, row.actor_role, row.processing_activity_id) == (
        "gemeente-enschede",
        Role.PRIVACYFUNCTIONARIS,
        Activity.INZAGE,
    )
    assert row.data_subject_id == pseudonymise(resident.bsn)
    groups, total = inzage.groups(inzage.for_resident(privacy_officer, resident.bsn))
    assert total == before + 1
    assert ("Gemeente Enschede", "Privacyfunctionaris", "Dit overzicht") in {
        (g.organisation, g.role, g.what) for g in groups
    }


def test_another_residents_rows_are_left_out(
    reads, privacy_officer, housemate, counter_enschede, resident
):
    _groups, before = inzage.groups(inzage.for_resident(privacy_officer, resident.bsn))
    resident_selectors.get_resident(counter_enschede, housemate.uuid)
    _groups, total = inzage.groups(inzage.for_resident(privacy_officer, resident.bsn))
    assert total == before
    groups, total = inzage.groups(inzage.for_resident(privacy_officer, housemate.bsn))
    assert total == 1
    assert [(g.organisation, g.role, g.what) for g in groups] == [
        ("Gemeente Enschede", "Baliemedewerker", PERSONAL)
    ]


@pytest.mark.parametrize(
    "who",
    ["case_manager", "team_lead", "counter_enschede", "toeslagen_staff", "toeslagen_management"],
)
def test_only_a_privacy_officer_makes_the_overview(request, reads, resident, who):
    before = AccessLog.objects.count()
    with pytest.raises(PermissionDenied):
        inzage.for_resident(request.getfixturevalue(who), resident.bsn)
    assert AccessLog.objects.count() == before


def test_a_privacy_officer_of_any_organisation_sees_every_organisations_reads(
    reads, toeslagen, resident
):
    officer = staff(toeslagen, Role.PRIVACYFUNCTIONARIS)
    overview = inzage.for_resident(officer, resident.bsn)
    assert overview.organisation == toeslagen
    assert inzage.groups(overview)[1] == subject_rows(resident).count()


def test_a_bsn_must_pass_the_eleven_test(privacy_officer):
    with pytest.raises(ValidationError):
        inzage.for_resident(privacy_officer, "123456789")


def test_someone_not_in_the_register_gets_an_empty_overview_and_the_export_is_logged(
    privacy_officer,
):
    bsn = new_bsn()
    overview = inzage.for_resident(privacy_officer, bsn)
    assert overview.resident is None
    assert inzage.groups(overview) == ([], 0)
    assert json.loads("".join(inzage.stream_json(overview)))["regels"] == []
    inzage.log_export(privacy_officer, overview, fmt="pdf")
    row = AccessLog.objects.get(object_type="inzage")
    assert row.data_subject_id == pseudonymise(bsn)


# ---- the case's own overview -----------------------------------------------------------------------
def test_the_case_overview_holds_the_reads_of_the_case_only(
    reads, case, case_manager, privacy_officer
):
    for user in (case_manager, privacy_officer):
        overview = inzage.for_case(user, case.uuid)
        groups, _total = inzage.groups(overview)
        # The counter's read of Anna is no read of the case.
        assert PERSONAL not in {g.what for g in groups}
        assert {g.organisation for g in groups} == {"Gemeente Enschede", "Dienst Toeslagen"}
        document = json.loads("".join(inzage.stream_json(overview)))
        assert document["casus"] == case.reference
        read = [r["organisatie"] for r in document["regels"] if r["handeling"] == "bekeken"]
        assert read[:3] == ["Gemeente Enschede", "Dienst Toeslagen", "Dienst Toeslagen"]


def test_the_case_overview_is_not_for_partners_nor_other_privacy_officers(
    reads, case, toeslagen_staff, toeslagen
):
    with pytest.raises(PermissionDenied):
        inzage.for_case(toeslagen_staff, case.uuid)
    with pytest.raises(PermissionDenied):
        inzage.for_case(staff(toeslagen, Role.PRIVACYFUNCTIONARIS), case.uuid)
    with pytest.raises(NotFound):
        inzage.for_case(toeslagen_staff, "b3c1a0de-0000-4000-8000-000000000000")


# ---- the PDF letter ----------------------------------------------------------------------------------
def test_the_pdf_letter_names_the_organisations(reads, privacy_officer, resident):
    from pypdf import PdfReader

    pdf = inzage.render_pdf(inzage.for_resident(privacy_officer, resident.bsn))
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Gemeente Enschede" in text
    assert "Dienst Toeslagen" in text
    for name in STAFF_NAMES:
        assert name not in text
