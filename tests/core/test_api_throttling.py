"""API throttling (core/throttling.py): above the rate a 429 problem+json with Retry-After, per
user for signed-in requests and per client address for anonymous ones; the rates are settings."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    """Sets REST_FRAMEWORK's throttle rates for the test (DRF reloads its settings). The clock
    stands still at 20 s into a minute: the throttles count per fixed minute, and requests that
    straddled a minute's end would each be counted in their own window."""
    cache.clear()
    traveller = time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, 20, tzinfo=dt.UTC), tick=False)
    traveller.start()

    def set_rates(user, anon):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"user": user, "anon": anon},
        }

    yield set_rates
    traveller.stop()
    cache.clear()


def test_a_user_above_the_rate_gets_a_429_problem_with_retry_after(
    rates, api_as, counter_enschede, uwv_staff
):
    rates("3/minute", None)
    client = api_as(counter_enschede)
    statuses = [client.get("/api/v1/organisations/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]

    response = client.get("/api/v1/organisations/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["type"] == "https://eenloket.nl/problemen/te-veel-verzoeken"
    assert body["status"] == 429
    assert body["instance"] == "/api/v1/organisations/"
    assert f"over {response['Retry-After']} second" in body["detail"]

    # another user has a counter of their own
    assert api_as(uwv_staff).get("/api/v1/organisations/").status_code == 200


def test_anonymous_requests_are_counted_per_client_address(rates, client):
    rates(None, "2/minute")
    statuses = [client.get("/api/v1/schema/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    other = client.get("/api/v1/schema/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
    # a made-up X-Forwarded-For does not give a client a fresh counter (no trusted proxy)
    spoofed = client.get("/api/v1/schema/", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert spoofed.status_code == 429


def test_no_rate_means_no_limit(rates, api_as, counter_enschede):
    rates(None, None)
    client = api_as(counter_enschede)
    assert {client.get("/api/v1/organisations/").status_code for _ in range(30)} == {200}


def test_the_default_rates_leave_the_bench_alone(settings):
    """The bench sends thousands of requests per second with one token (bench/run.sh), under
    the default settings; production.py sets its own, tighter rates."""
    number, period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"].split("/")
    assert int(number) >= 50_000 and period == "minute"
