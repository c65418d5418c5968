"""Decision I: the screens say "inwoner", never "klant" — also not hidden in an abbreviation:
"KCC-medewerker" (KlantContactCentrum) is shown as "medewerker contactcentrum". The stored role
value stays "kcc-medewerker" (code, not UI)."""

import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.utils import translation

from eenloket.core.roles import Role
from eenloket.organisations.models import User

pytestmark = pytest.mark.django_db

# "klant" in any word (klantcontact, KCC's full name), or the abbreviation KCC as a word of its
# own; the name of the VNG standard "Klantinteracties" is allowed (the interop module talks to
# it), and so is the demo login name "enschede.kcc" (lower case: a user name, not a label).
FORBIDDEN = re.compile(r"(?i:klant(?!interacties))|\bKCC\b")


def visible_text(response) -> str:
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_checker_catches_the_abbreviation_and_the_word():
    assert FORBIDDEN.search("KCC-medewerker")
    assert FORBIDDEN.search("Klantcontactcentrum")
    assert not FORBIDDEN.search("Medewerker contactcentrum")
    assert not FORBIDDEN.search("de Klantinteracties API")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_role_label_says_klant_or_kcc(language):
    with translation.override(language):
        labels = [str(label) for label in Role.labels]
    assert [label for label in labels if FORBIDDEN.search(label)] == []
    assert Role.KCC_MEDEWERKER.value == "kcc-medewerker"  # stored value unchanged
    with translation.override("nl"):
        assert str(Role.KCC_MEDEWERKER.label) == "Medewerker contactcentrum"


@pytest.mark.slow
def test_demo_logins_and_pages_never_say_klant_or_kcc(client):
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "enschede.kcc" in out.getvalue()
    assert FORBIDDEN.findall(out.getvalue()) == []

    kcc = User.objects.get(username="enschede.kcc")
    client.force_login(kcc, backend="django.contrib.auth.backends.ModelBackend")
    pages = [
        "/",
        "/medewerkersgids/?q=Contactcentrum",
        "/medewerkersgids/?organisatie=gemeente-enschede",
        "/doorverwijzingen/",
        "/overleg/",
        "/catalogus/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response)
        assert FORBIDDEN.findall(text) == [], url
    assert "Medewerker contactcentrum" in visible_text(
        client.get("/medewerkersgids/?q=Contactcentrum")
    )
