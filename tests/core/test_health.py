"""Health endpoints (core/health.py): liveness without the database, readiness with it (and the
Celery broker when one is configured), no login, no session, no cookie, no request log line."""

import logging
import socket

import pytest
from django.test import Client


def closed_port() -> int:
    """A local port on which nothing listens (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def no_session_touched(response):
    assert response.cookies == {}, "no cookie set"
    assert "Cookie" not in response.get("Vary", ""), "the session was not read"


def test_liveness_answers_without_the_database():
    """No django_db mark: any query would raise here."""
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    no_session_touched(response)


@pytest.mark.django_db
def test_readiness_queries_the_database_and_skips_an_unconfigured_broker(settings):
    settings.HEALTH_CHECK_BROKER = False
    response = Client().get("/health/ready/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    no_session_touched(response)


@pytest.mark.django_db
def test_readiness_is_503_problem_naming_the_broker_that_does_not_answer(settings):
    settings.HEALTH_CHECK_BROKER = True
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 1
    response = Client().get("/health/ready/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["checks"] == {"database": "ok", "broker": "fout"}
    assert body["status"] == 503
    assert body["type"].endswith("/niet-beschikbaar")
    assert "broker" in body["detail"]


@pytest.mark.django_db
def test_health_needs_no_login_no_known_host_and_no_https(settings):
    """A platform probe asks by the pod's address over plain HTTP, without any cookie."""
    settings.ALLOWED_HOSTS = ["eenloket.example.nl"]
    settings.SECURE_SSL_REDIRECT = True
    client = Client(HTTP_HOST="10.1.2.3:8000")
    assert client.get("/health/").status_code == 200
    assert client.get("/health/ready/").status_code == 200
    assert client.get("/inloggen/").status_code == 400, "other pages still check the host"


def test_only_get_and_head():
    client = Client()
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405


@pytest.mark.django_db
def test_not_in_the_request_log(caplog, counter_enschede, ui_as):
    client = ui_as(counter_enschede)
    with caplog.at_level(logging.INFO, logger="eenloket.requests"):
        client.get("/health/")
        client.get("/health/ready/")
        client.get("/medewerkersgids/")
    paths = [r.msg["path"] for r in caplog.records if r.name == "eenloket.requests"]
    assert paths == ["/medewerkersgids/"]
