"""Database connections: the default must not let a threaded server hold one idle PostgreSQL
connection per thread (50 concurrent requests once left 77 idle connections and exhausted
max_connections). Persistent connections only where DB_CONN_MAX_AGE says so, with health checks."""

import os
import runpy
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

SETTINGS_FILE = Path(settings.BASE_DIR) / "src" / "eenloket" / "conf" / "settings" / "base.py"
PG_URL = "postgres://postgres@127.0.0.1:5432/eenloket"


def load_settings(monkeypatch, **env) -> dict:
    """Evaluate the settings module afresh with exactly these database variables."""
    for name in ("DB_CONN_MAX_AGE", "DB_CONN_HEALTH_CHECKS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", PG_URL)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))["DATABASES"]["default"]


def test_default_is_a_connection_per_request(monkeypatch):
    database = load_settings(monkeypatch)
    assert database["CONN_MAX_AGE"] == 0
    assert database["CONN_HEALTH_CHECKS"] is False  # nothing to check: every request connects


def test_persistent_connections_are_health_checked(monkeypatch):
    database = load_settings(monkeypatch, DB_CONN_MAX_AGE="600")
    assert database["CONN_MAX_AGE"] == 600
    assert database["CONN_HEALTH_CHECKS"] is True
    database = load_settings(monkeypatch, DB_CONN_MAX_AGE="600", DB_CONN_HEALTH_CHECKS="0")
    assert database["CONN_HEALTH_CHECKS"] is False


def open_connections() -> int:
    """Connections to this test database, other than this test's own."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(
    "DB_CONN_MAX_AGE" in os.environ, reason="tests the default; DB_CONN_MAX_AGE is set"
)
@pytest.mark.slow
def test_threaded_server_does_not_keep_a_connection_per_thread(live_server, counter_enschede):
    """Django's threaded server (live_server) runs each keep-alive client in its own thread. 30
    clients at once, each then keeping its HTTP connection open (as browsers and proxies do):
    no database connection may stay open behind them."""
    clients = 30
    token, _ = Token.objects.get_or_create(user=counter_enschede)
    before = open_connections()
    sessions = [requests.Session() for _ in range(clients)]
    try:

        def call(session):
            response = session.get(
                f"{live_server.url}/api/v1/organisations/",
                headers={"Authorization": f"Token {token.key}"},
                timeout=30,
            )
            return response.status_code

        with ThreadPoolExecutor(clients) as pool:
            assert set(pool.map(call, sessions)) == {200}
        # The server thread closes its connection just after it sent the response: wait for
        # that (bounded), not for a fixed time.
        deadline = time.monotonic() + 10
        while (still_open := open_connections() - before) > 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert still_open <= 0, f"{still_open} database connections stay open behind the server"
    finally:
        for session in sessions:
            session.close()
