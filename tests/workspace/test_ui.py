"""The staff UI over real HTTP (Django test client): login and lockout, start page, resident
search, registering a contact, staff directory, language switch, and the words used."""

import ast
import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from eenloket.contacts.models import ContactMoment
from eenloket.core.roles import Role
from eenloket.residents.models import Resident

from ..factories import (
    INVALID_BSN,
    ContactMomentFactory,
    LocationFactory,
    ResidentFactory,
    TeamFactory,
    staff,
)

pytestmark = pytest.mark.django_db

PASSWORD = "Loket-test-2026!"
NOW = dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC)
SRC = Path(settings.BASE_DIR) / "src"


def html(response) -> str:
    return response.content.decode()


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- login and lockout -------------------------------------------------------------------------


def test_login_page_is_dutch(client):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    assert '<html lang="nl"' in html(response)
    assert "Inloggen voor medewerkers" in html(response)


def test_login_with_correct_password(client, counter_enschede):
    response = client.post(
        "/inloggen/", {"username": counter_enschede.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_logged_in(client)
    assert "Goedendag, Sanne" in html(client.get("/"))


def test_login_with_wrong_password_shows_dutch_error(client, counter_enschede):
    response = client.post("/inloggen/", {"username": counter_enschede.username, "password": "x"})
    assert response.status_code == 200
    assert "Uw gebruikersnaam of wachtwoord klopt niet" in html(response)
    assert not is_logged_in(client)


def test_login_redirects_to_next(client, counter_enschede):
    response = client.post(
        "/inloggen/",
        {"username": counter_enschede.username, "password": PASSWORD, "next": "/inwoners/"},
    )
    assert response["Location"] == "/inwoners/"


def test_logout(ui_as, counter_enschede):
    client = ui_as(counter_enschede)
    response = client.post("/uitloggen/")
    assert response.status_code == 302
    assert not is_logged_in(client)


def test_lockout_after_five_failures_blocks_even_the_right_password(client, counter_enschede):
    with time_machine.travel(NOW, tick=False) as traveller:
        for attempt in range(4):
            response = client.post(
                "/inloggen/", {"username": counter_enschede.username, "password": f"fout{attempt}"}
            )
            assert response.status_code == 200, attempt
        fifth = client.post(
            "/inloggen/", {"username": counter_enschede.username, "password": "fout5"}
        )
        assert fifth.status_code == 429
        assert "Account tijdelijk geblokkeerd" in html(fifth)

        correct = client.post(
            "/inloggen/", {"username": counter_enschede.username, "password": PASSWORD}
        )
        assert correct.status_code == 429
        assert "Account tijdelijk geblokkeerd" in html(correct)
        assert "Probeer het over 15 minuten opnieuw" in html(correct)
        assert not is_logged_in(client)

        # Another account from the same computer is not locked.
        colleague = staff(counter_enschede.memberships.get().organisation, username="collega")
        other = client.post("/inloggen/", {"username": colleague.username, "password": PASSWORD})
        assert other.status_code == 302
        client.post("/uitloggen/")

        traveller.shift(dt.timedelta(minutes=14))
        still = client.post(
            "/inloggen/", {"username": counter_enschede.username, "password": PASSWORD}
        )
        assert still.status_code == 429

        # Every try during the lockout starts the 15 minutes again (axes' cool-off reset).
        traveller.shift(dt.timedelta(minutes=16))
        later = client.post(
            "/inloggen/", {"username": counter_enschede.username, "password": PASSWORD}
        )
        assert later.status_code == 302
        assert is_logged_in(client)


def test_successful_login_resets_the_failure_count(client, counter_enschede):
    for _ in range(4):
        client.post("/inloggen/", {"username": counter_enschede.username, "password": "fout"})
    client.post("/inloggen/", {"username": counter_enschede.username, "password": PASSWORD})
    client.post("/uitloggen/")
    for _ in range(4):
        response = client.post(
            "/inloggen/", {"username": counter_enschede.username, "password": "fout"}
        )
        assert response.status_code == 200


# --- start page --------------------------------------------------------------------------------


def test_start_page_shows_my_work(ui_as, counter_enschede, enschede):
    from eenloket.contacts.services import request_callback
    from eenloket.worklist.services import complete

    resident = ResidentFactory(given_names="Greet", surname="Houben")
    team = counter_enschede.memberships.get().team
    with time_machine.travel(NOW, tick=False):
        for question, days in (
            ("Bel mij terug over de kwijtschelding", 1),
            ("Oud terugbelverzoek van vorige maand", 30),
        ):
            contact = ContactMomentFactory(
                organisation=enschede,
                staff=counter_enschede,
                resident=resident,
                outcome="terugbelverzoek",
                question=question,
                started_at=NOW - dt.timedelta(days=days),
            )
            task = request_callback(
                user=counter_enschede, contact=contact, team=team, phone="0612345678"
            )
        # The old one was called back: done, so no longer on the start page.
        complete(user=counter_enschede, task=task, outcome="geholpen", note="Uitgelegd.")
        response = ui_as(counter_enschede).get("/")
    page = html(response)
    assert response.status_code == 200
    assert "Goedendag, Sanne" in page
    assert "Greet Houben" in page
    team_tasks = response.context["tasks"]["team"]
    assert team_tasks["count"] == 1
    assert [t.title for t, _overdue in team_tasks["rows"]] == [
        "Bel mij terug over de kwijtschelding"
    ]
    assert response.context["tasks"]["mine"]["count"] == 0
    # The two callback contacts and the call back itself.
    assert len(response.context["recent"]) == 3
    assert 'href="/inwoners/"' in page
    assert 'href="/taken/?lijst=team"' in page


def test_start_page_for_a_role_without_contacts(ui_as, management_enschede):
    response = ui_as(management_enschede).get("/")
    assert response.status_code == 200
    page = html(response)
    assert "Met uw rol werkt u niet met contacten van inwoners." in page
    assert 'href="/inwoners/"' not in page
    assert 'href="/privacy/logboek/"' not in page


def test_start_page_for_the_privacy_officer_links_the_log(ui_as, privacy_officer):
    assert 'href="/privacy/logboek/"' in html(ui_as(privacy_officer).get("/"))


# --- resident search and create ----------------------------------------------------------------


def test_search_form_is_shown_empty(ui_as, counter_enschede):
    response = ui_as(counter_enschede).get("/inwoners/")
    assert response.status_code == 200
    assert "Controleer wat u heeft ingevuld" not in html(response)


def test_search_with_bad_bsn_shows_a_dutch_error(ui_as, counter_enschede):
    response = ui_as(counter_enschede).get("/inwoners/", {"bsn": INVALID_BSN})
    assert response.status_code == 200
    page = html(response)
    assert "Dit is geen geldig BSN. Een BSN heeft 9 cijfers en moet de elfproef halen." in page
    assert 'aria-invalid="true"' in page


def test_search_without_a_key_explains_what_to_fill_in(ui_as, counter_enschede):
    response = ui_as(counter_enschede).get("/inwoners/", {"surname": "Jansen"})
    assert response.status_code == 200
    assert "Zoek op BSN, op achternaam met geboortedatum, of op postcode met huisnummer." in html(
        response
    )


def test_search_by_address_lists_the_residents(ui_as, counter_enschede):
    a = ResidentFactory(given_names="Iris", postcode="7511GB", house_number=40)
    b = ResidentFactory(given_names="Tom", postcode="7511GB", house_number=40)
    response = ui_as(counter_enschede).get(
        "/inwoners/", {"postcode": "7511 gb", "house_number": 40}
    )
    page = html(response)
    assert "2 inwoners gevonden" in page
    assert f"/inwoners/{a.uuid}/" in page and f"/inwoners/{b.uuid}/" in page


def test_search_that_finds_nobody_offers_to_register(ui_as, counter_enschede):
    response = ui_as(counter_enschede).get("/inwoners/", {"bsn": "111222333"})
    page = html(response)
    assert "0 inwoners gevonden" in page
    assert 'href="/inwoners/nieuw/"' in page


def test_create_resident_form_fits_written_bsn_and_postcode(ui_as, counter_enschede):
    page = html(ui_as(counter_enschede).get("/inwoners/nieuw/"))
    bsn_input = re.search(r'<input[^>]*name="bsn"[^>]*>', page).group(0)
    postcode_input = re.search(r'<input[^>]*name="postcode"[^>]*>', page).group(0)
    assert int(re.search(r'maxlength="(\d+)"', bsn_input).group(1)) >= len("111 222 333")
    assert int(re.search(r'maxlength="(\d+)"', postcode_input).group(1)) >= len("7511 GB")


def test_create_resident_via_the_form(ui_as, counter_enschede):
    response = ui_as(counter_enschede).post(
        "/inwoners/nieuw/",
        {
            "bsn": "111 222 333",
            "given_names": "Yara",
            "surname": "Pinas",
            "postcode": "7511 gb",
            "house_number": "9",
            "phone": "06 12345678",
            "preferred_channel": "post",
        },
    )
    resident = Resident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/inwoners/{resident.uuid}/"
    assert (resident.bsn, resident.postcode, resident.phone) == (
        "111222333",
        "7511GB",
        "+31612345678",
    )


def test_create_resident_with_errors_shows_them_and_writes_nothing(ui_as, counter_enschede):
    response = ui_as(counter_enschede).post(
        "/inwoners/nieuw/",
        {
            "bsn": INVALID_BSN,
            "given_names": "Yara",
            "surname": "Pinas",
            "phone": "123",
            "postcode": "75 11",
            "preferred_channel": "post",
        },
    )
    assert response.status_code == 200
    page = html(response)
    assert "Dit is geen geldig BSN" in page
    assert "Dit telefoonnummer klopt niet." in page
    assert "Een postcode is 4 cijfers en 2 letters" in page
    assert 'href="#id_bsn"' in page  # the error summary links to the field
    assert Resident.objects.count() == 0


def test_create_resident_without_name_says_what_is_missing(ui_as, counter_enschede):
    response = ui_as(counter_enschede).post(
        "/inwoners/nieuw/", {"given_names": "", "surname": "", "preferred_channel": "post"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"given_names", "surname"}
    assert "Controleer wat u heeft ingevuld" in html(response)
    assert Resident.objects.count() == 0


def test_create_resident_shows_all_errors_at_once(ui_as, counter_enschede):
    response = ui_as(counter_enschede).post(
        "/inwoners/nieuw/",
        {"bsn": INVALID_BSN, "given_names": "", "surname": "", "preferred_channel": "post"},
    )
    assert set(response.context["form"].errors) == {"bsn", "given_names", "surname"}
    assert Resident.objects.count() == 0


def test_unknown_resident_is_a_dutch_404(ui_as, counter_enschede):
    response = ui_as(counter_enschede).get(f"/inwoners/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert "Niet gevonden" in html(response)


# --- register a contact ------------------------------------------------------------------------


@pytest.fixture
def resident():
    return ResidentFactory(given_names="Mehmet", surname="Yilmaz", needs_hearing=True)


def form_data(enschede, resident=None, **overrides):
    data = {
        "organisation": enschede.pk,
        "channel": "balie",
        "question": "Ik heb een brief gekregen over mijn huurtoeslag",
        "answer": "Brief uitgelegd",
        "outcome": "beantwoord",
    }
    if resident is not None:
        data["inwoner"] = str(resident.uuid)
    data.update(overrides)
    return data


def test_register_form_shows_the_resident_and_their_needs(ui_as, counter_enschede, resident):
    response = ui_as(counter_enschede).get(f"/contacten/nieuw/?inwoner={resident.uuid}")
    page = html(response)
    assert "Mehmet Yilmaz" in page
    assert "Let op: ondersteuning nodig" in page
    assert "slechthorend of doof" in page
    assert "autofocus" in re.search(r"<textarea[^>]*>", page).group(0)


def test_register_with_empty_question_shows_error_and_writes_nothing(
    ui_as, counter_enschede, enschede, resident
):
    response = ui_as(counter_enschede).post(
        "/contacten/nieuw/", form_data(enschede, resident, question="   ")
    )
    assert response.status_code == 200
    page = html(response)
    assert "Controleer wat u heeft ingevuld" in page
    assert "Schrijf de vraag van de inwoner op." in page
    assert ContactMoment.objects.count() == 0


def test_register_with_location_of_another_organisation(
    ui_as, counter_enschede, enschede, resident, uwv_location
):
    response = ui_as(counter_enschede).post(
        "/contacten/nieuw/", form_data(enschede, resident, location=uwv_location.pk)
    )
    assert response.status_code == 200
    assert ContactMoment.objects.count() == 0


def test_register_redirects_to_overview_showing_the_contact(
    ui_as, counter_enschede, enschede, resident, enschede_location
):
    client = ui_as(counter_enschede)
    response = client.post(
        "/contacten/nieuw/",
        form_data(
            enschede,
            resident,
            channel="telefoon",
            location=enschede_location.pk,
            extra_help_needed="on",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/inwoners/{resident.uuid}/"
    contact = ContactMoment.objects.get()
    assert contact.resident == resident and contact.extra_help_needed

    overview = client.get(response["Location"])
    page = html(overview)
    assert "Het contact is vastgelegd." in page
    assert "Ik heb een brief gekregen over mijn huurtoeslag" in page
    assert f"/contacten/{contact.uuid}/" in page
    assert "extra hulpvraag" in page

    # The next form remembers channel and location: fewer keystrokes at a busy counter.
    again = client.get(f"/contacten/nieuw/?inwoner={resident.uuid}")
    assert again.context["form"]["channel"].value() == "telefoon"
    assert again.context["form"]["location"].value() == enschede_location.pk


def test_a_fresh_session_starts_at_the_usual_location_and_keeps_a_chosen_none(
    ui_as, counter_enschede, enschede, resident, enschede_location
):
    """The counter's form is "Balie" by default: it must not start with "Geen locatie" when the
    staff member works at one place; a phone worker who chose no location keeps that."""
    LocationFactory(organisation=enschede, name="Stadskantoor Enschede-Zuid")
    ContactMomentFactory(staff=counter_enschede, organisation=enschede, location=enschede_location)
    client = ui_as(counter_enschede)
    form = client.get(f"/contacten/nieuw/?inwoner={resident.uuid}").context["form"]
    assert form["channel"].value() == "balie"
    assert form["location"].value() == enschede_location.pk

    client.post("/contacten/nieuw/", form_data(enschede, resident, channel="telefoon"))
    again = client.get(f"/contacten/nieuw/?inwoner={resident.uuid}").context["form"]
    assert again["location"].value() is None


def test_register_anonymous_contact_goes_to_its_detail(ui_as, counter_enschede, enschede):
    client = ui_as(counter_enschede)
    response = client.post("/contacten/nieuw/", form_data(enschede))
    contact = ContactMoment.objects.get()
    assert contact.resident is None
    assert response["Location"] == f"/contacten/{contact.uuid}/"
    detail = html(client.get(response["Location"]))
    assert "anoniem" in detail
    assert "Brief uitgelegd" in detail


def test_guest_registers_at_the_host_location(ui_as, uwv_staff, uwv, enschede_location):
    client = ui_as(uwv_staff)
    form = client.get("/contacten/nieuw/")
    assert enschede_location in form.context["form"].fields["location"].queryset
    response = client.post("/contacten/nieuw/", form_data(uwv, location=enschede_location.pk))
    assert response.status_code == 302
    assert ContactMoment.objects.get().location == enschede_location


# --- staff directory ---------------------------------------------------------------------------


@pytest.fixture
def directory(enschede, uwv):
    burgerzaken = TeamFactory(organisation=enschede, name="Burgerzaken", description="paspoort")
    werk = TeamFactory(organisation=uwv, name="Werk en uitkering", description="WW-uitkering")
    staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=burgerzaken,
        contact_person=True,
        first_name="Lotte",
        last_name="Brouwer",
        direct_phone="+31534810000",
    )
    staff(
        uwv,
        Role.MEDEWERKER_UITVOERING,
        team=werk,
        contact_person=True,
        first_name="Piotr",
        last_name="Kowalski",
    )


def test_staff_directory_is_for_staff_of_an_organisation_only(ui_as, no_membership_user, directory):
    """The API already refused an account without a membership; the page now does too."""
    response = ui_as(no_membership_user).get("/medewerkersgids/")
    assert response.status_code == 403
    assert "Lotte Brouwer" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "found", "not_found"),
    [
        ({"q": "Burgerzaken"}, "Lotte Brouwer", "Piotr Kowalski"),
        ({"q": "werk en uitkering"}, "Piotr Kowalski", "Lotte Brouwer"),
        ({"q": "UWV"}, "Piotr Kowalski", "Lotte Brouwer"),
        ({"q": "Gemeente Enschede"}, "Lotte Brouwer", "Piotr Kowalski"),
        ({"organisatie": "uwv"}, "Piotr Kowalski", "Lotte Brouwer"),
    ],
)
def test_staff_directory_search(ui_as, counter_enschede, directory, params, found, not_found):
    response = ui_as(counter_enschede).get("/medewerkersgids/", params)
    assert response.status_code == 200
    page = html(response)
    assert found in page
    assert not_found not in page


def test_staff_directory_shows_direct_phone_as_link(ui_as, counter_enschede, directory):
    page = html(ui_as(counter_enschede).get("/medewerkersgids/", {"q": "Brouwer"}))
    assert 'href="tel:+31534810000"' in page


def test_staff_directory_htmx_returns_only_the_results(ui_as, counter_enschede, directory):
    response = ui_as(counter_enschede).get(
        "/medewerkersgids/", {"q": "Burgerzaken"}, HTTP_HX_REQUEST="true"
    )
    page = html(response)
    assert "<html" not in page
    assert "1 aanspreekpunt" in page
    assert "Lotte Brouwer" in page


def test_staff_directory_is_open_to_roles_without_contacts(ui_as, management_enschede, directory):
    assert "Piotr Kowalski" in html(ui_as(management_enschede).get("/medewerkersgids/"))


# --- hostile input never gives a 500 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/medewerkersgids/", {"q": "Burger\x00zaken"}),
        ("get", "/medewerkersgids/", {"organisatie": "uwv\x00"}),
        ("get", "/medewerkersgids/", {"q": "x" * 100_000, "pagina": "-1"}),
        ("get", "/inwoners/", {"bsn": "1\x0022"}),
        ("get", "/inwoners/", {"surname": "Jan\x00sen", "birth_date": "1980-05-17"}),
        ("get", "/inwoners/", {"surname": "x" * 100_000, "birth_date": "1980-05-17"}),
        ("get", "/inwoners/", {"birth_date": "31-31-1980", "surname": "Jansen"}),
        ("get", "/inwoners/", {"postcode": "7511GB", "house_number": "99999999999999"}),
        ("get", "/contacten/nieuw/", {"inwoner": "geen-uuid"}),
        ("get", "/privacy/logboek/", {"bsn": "1\x002"}),
        ("post", "/inwoners/nieuw/", {"given_names": "Ya\x00ra", "surname": "Pinas"}),
        ("post", "/inwoners/nieuw/", {"given_names": "Yara", "surname": "x" * 10_000}),
        ("post", "/inwoners/nieuw/", {"given_names": "Yara", "surname": "P", "house_number": "-1"}),
        ("post", "/contacten/nieuw/", {"question": "Vraag\x00", "channel": "balie"}),
        ("post", "/contacten/nieuw/", {"question": "x" * 100_000, "channel": "fax"}),
    ],
)
def test_hostile_input_gets_an_answer_not_a_crash(
    ui_as, counter_enschede, privacy_officer, directory, method, path, data
):
    user = privacy_officer if path.startswith("/privacy/") else counter_enschede
    response = getattr(ui_as(user), method)(path, data)
    assert response.status_code in (200, 404), response.status_code
    assert Resident.objects.count() == 0
    assert ContactMoment.objects.count() == 0


def test_nul_byte_in_resident_form_is_a_form_error(ui_as, counter_enschede):
    response = ui_as(counter_enschede).post(
        "/inwoners/nieuw/",
        {"given_names": "Ya\x00ra", "surname": "Pinas", "preferred_channel": "post"},
    )
    assert response.status_code == 200
    assert "given_names" in response.context["form"].errors


# --- language ----------------------------------------------------------------------------------


def test_dutch_is_the_default_even_for_an_english_browser(ui_as, counter_enschede):
    response = ui_as(counter_enschede).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl"' in html(response)
    assert response["Content-Language"] == "nl"
    assert "Mijn werk" in html(response)


def test_switching_to_english(ui_as, counter_enschede):
    client = ui_as(counter_enschede)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/inwoners/"})
    assert response.status_code == 302
    assert response["Location"] == "/inwoners/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get("/inwoners/")
    assert page["Content-Language"] == "en"
    assert '<html lang="en"' in html(page)
    with translation.override("en"):
        english = translation.gettext("Inwoner zoeken")
    if english != "Inwoner zoeken":  # once the English translation is filled in
        assert english in html(page)
        assert "Inwoner zoeken" not in html(page)

    back = client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert back.status_code == 302
    assert '<html lang="nl"' in html(client.get("/"))


def test_unsupported_language_is_ignored(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert '<html lang="nl"' in html(client.get("/inloggen/"))


# --- words: the resident is an "inwoner", never a "klant" --------------------------------------

KLANT = re.compile(r"klant(?!interacties)", re.IGNORECASE)


def _templates():
    return sorted(SRC.rglob("*.html"))


def _po_files():
    return sorted(SRC.rglob("*.po"))


def _po_entries(path: Path):
    """(msgid, msgstr) pairs of a .po file, with continuation lines joined."""
    entries, current, key = [], {"msgid": "", "msgstr": ""}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        match = re.match(r'^(msgid|msgstr|msgid_plural|msgstr\[\d+\])\s+"(.*)"$', line)
        if match:
            key = "msgstr" if match.group(1).startswith("msgstr") else "msgid"
            if match.group(1) == "msgid" and (current["msgid"] or current["msgstr"]):
                entries.append((current["msgid"], current["msgstr"]))
                current = {"msgid": "", "msgstr": ""}
            current[key] += " " + match.group(2)
        elif line.startswith('"') and key:
            current[key] += line.strip('"')
    entries.append((current["msgid"], current["msgstr"]))
    return entries


def _python_ui_strings():
    """String literals passed to gettext (_ / gettext / gettext_lazy / ngettext) in src/."""
    names = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "ngettext_lazy"}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in names
            ):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        yield path, arg.value


def test_the_word_checker_works():
    assert KLANT.search("Welkom, klant")
    assert KLANT.search("KLANTcontact")
    assert not KLANT.search("Klantinteracties API")
    assert not KLANT.search("inwoner")
    entries = _po_entries(_po_files()[0])
    assert any(msgid.strip() == "Inwoner zoeken" for msgid, _ in entries)


def test_templates_never_say_klant():
    templates = _templates()
    assert len(templates) >= 10, "templates not found"
    offenders = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in templates
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if KLANT.search(line)
    ]
    assert offenders == []


def test_translations_never_say_klant():
    po_files = _po_files()
    assert po_files, "no .po files found"
    offenders = [
        f"{path.relative_to(SRC)}: {msgid.strip()!r} -> {msgstr.strip()!r}"
        for path in po_files
        for msgid, msgstr in _po_entries(path)
        if KLANT.search(msgid) or KLANT.search(msgstr)
    ]
    assert offenders == []


def test_python_ui_strings_never_say_klant():
    strings = list(_python_ui_strings())
    assert len(strings) > 50, "gettext strings not found"
    offenders = [f"{p.relative_to(SRC)}: {s!r}" for p, s in strings if KLANT.search(s)]
    assert offenders == []


def test_every_dutch_ui_text_has_an_english_translation():
    """After `make messages`, an empty msgstr means English users see Dutch."""
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "src/eenloket/locale/en/LC_MESSAGES/django.po"
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]  # skip the header
    untranslated = []
    for entry in entries:
        lines = [line for line in entry.splitlines() if not line.startswith("#")]
        msgstr = [i for i, line in enumerate(lines) if line.startswith("msgstr")]
        texts = [
            line.split(" ", 1)[1] if line.startswith("msgstr") else line
            for i, line in enumerate(lines)
            if msgstr and i >= msgstr[0] and (line.startswith("msgstr") or line.startswith('"'))
        ]
        if msgstr and all(text.strip() == '""' for text in texts):
            untranslated.append(lines[0])
    assert untranslated == []


def test_catalogue_and_demo_texts_never_say_klant():
    """Service texts and demo data are shown in the UI too (synonyms are search input only)."""
    app = SRC / "eenloket"
    files = [p for p in (app / "catalogue" / "data").glob("*.yaml") if p.name != "synonyms.yaml"]
    files += sorted((app / "devtools" / "demo").glob("*.py"))
    assert len(files) >= 5
    offenders = [
        f"{path.name}:{n}: {line.strip()}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if KLANT.search(line)
    ]
    assert offenders == []
