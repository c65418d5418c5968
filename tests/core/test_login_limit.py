"""Password spraying: failed logins are limited per client address across all usernames, without
locking out colleagues behind the same town-hall NAT address who logged in on their browser
before (device cookie). The client address comes from X-Forwarded-For only via a trusted proxy."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client, RequestFactory

from eenloket.core.login import DEVICE_COOKIE, client_ip

from ..factories import staff

pytestmark = pytest.mark.django_db

PASSWORD = "Loket-test-2026!"
TOWN_HALL = "203.0.113.10"  # the NAT address of a town hall
NOW = dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC)
BLOCKED = "Vanaf dit netwerk is in korte tijd te vaak een verkeerd wachtwoord ingevuld"


@pytest.fixture
def limit(settings):
    return settings.LOGIN_CLIENT_FAILURE_LIMIT


def login(client, username, password=PASSWORD, **extra):
    return client.post("/inloggen/", {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def spray(client, count, **extra):
    """One wrong password tried against `count` different accounts."""
    for n in range(count):
        response = login(client, f"medewerker.{n}", "Welkom2026!", **extra)
        assert response.status_code == 200, n
        assert "Uw gebruikersnaam of wachtwoord klopt niet" in response.content.decode()


def test_one_password_across_many_accounts_is_stopped(counter_enschede, limit):
    attacker = Client(REMOTE_ADDR=TOWN_HALL)
    with time_machine.travel(NOW, tick=False) as traveller:
        spray(attacker, limit)
        refused = login(attacker, "medewerker.999", "Welkom2026!")
        assert refused.status_code == 429
        assert BLOCKED in refused.content.decode()
        assert "Probeer het over 15 minuten opnieuw" in refused.content.decode()

        # Even the right password of a real account: this browser never logged in as them.
        newcomer = Client(REMOTE_ADDR=TOWN_HALL)
        response = login(newcomer, counter_enschede.username)
        assert response.status_code == 429
        assert not logged_in(newcomer)
        # Refused tries are not counted, and nothing else is held back: another address is free.
        assert AccessFailureLog.objects.filter(ip_address=TOWN_HALL).count() == limit
        elsewhere = Client(REMOTE_ADDR="198.51.100.7")
        assert login(elsewhere, counter_enschede.username).status_code == 302

        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        assert login(newcomer, counter_enschede.username).status_code == 302
        assert logged_in(newcomer)


def test_colleague_with_a_device_cookie_still_logs_in_from_the_same_address(enschede, limit):
    colleague = staff(enschede, username="collega.stadhuis")
    other = staff(enschede, username="andere.collega")
    desk = Client(REMOTE_ADDR=TOWN_HALL)
    first = login(desk, colleague.username)
    assert first.status_code == 302
    cookie = first.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert colleague.username not in cookie.value  # a keyed hash, not the name
    desk.post("/uitloggen/")

    spray(Client(REMOTE_ADDR=TOWN_HALL), limit)

    assert login(desk, colleague.username).status_code == 302
    assert logged_in(desk)
    desk.post("/uitloggen/")
    # The cookie is for that colleague only: another account at this desk waits.
    response = login(desk, other.username)
    assert response.status_code == 429
    assert BLOCKED in response.content.decode()
    # A typo with the cookie does not count towards the address's limit either.
    assert login(desk, colleague.username, "typfout").status_code == 200
    assert AccessFailureLog.objects.filter(ip_address=TOWN_HALL).count() == limit


def test_a_forged_device_cookie_does_not_help(enschede, limit):
    colleague = staff(enschede, username="collega.stadhuis")
    spray(Client(REMOTE_ADDR=TOWN_HALL), limit)
    forger = Client(REMOTE_ADDR=TOWN_HALL)
    forger.cookies[DEVICE_COOKIE] = "0123456789abcdef01234567:1abcde:forged"
    assert login(forger, colleague.username).status_code == 429


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(counter_enschede, limit, settings):
    settings.TRUSTED_PROXIES = []
    attacker = Client(REMOTE_ADDR=TOWN_HALL)
    for n in range(limit):
        login(attacker, f"medewerker.{n}", "fout", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = login(attacker, counter_enschede.username, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429
    # axes uses the same rule: its attempts are recorded on the peer's address.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {TOWN_HALL}


def test_behind_a_trusted_proxy_each_client_counts_for_itself(counter_enschede, limit, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for n in range(limit):
        login(proxy, f"medewerker.{n}", "fout", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.66")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    blocked = login(proxy, counter_enschede.username, HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert blocked.status_code == 429
    # The attacker cannot escape by putting another address in front: the proxy's hop counts.
    spoofed = login(
        proxy, counter_enschede.username, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.66"
    )
    assert spoofed.status_code == 429
    other = login(proxy, counter_enschede.username, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert other.status_code == 302


def test_the_admin_login_is_limited_too(counter_enschede, limit):
    spray(Client(REMOTE_ADDR=TOWN_HALL), limit)
    counter_enschede.is_staff = True
    counter_enschede.save()
    admin = Client(REMOTE_ADDR=TOWN_HALL)
    response = admin.post(
        "/beheer/login/", {"username": counter_enschede.username, "password": PASSWORD}
    )
    assert response.status_code == 200  # the admin's own form error, but no session
    assert not logged_in(admin)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.10", "", "203.0.113.10"),
        ("203.0.113.10", "192.0.2.1", "203.0.113.10"),  # peer not trusted: header ignored
        ("10.0.0.2", "", "10.0.0.2"),  # trusted proxy without header: the proxy itself
        ("10.0.0.2", "192.0.2.1", "192.0.2.1"),
        ("10.0.0.2", "192.0.2.9, 192.0.2.1", "192.0.2.1"),  # rightmost untrusted hop
        ("10.0.0.2", "192.0.2.1, 10.0.0.3", "192.0.2.1"),  # through two trusted proxies
        ("10.0.0.2", "192.0.2.1:5123", "192.0.2.1"),
        ("10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.2", "192.0.2.1, nonsense", "10.0.0.2"),  # garbage: trust nothing beyond it
    ],
)
def test_client_ip_rule(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
