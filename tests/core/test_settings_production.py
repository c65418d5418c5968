"""Production settings (conf/settings/production.py), run the way production runs them: a fresh
Python process with DJANGO_SETTINGS_MODULE=eenloket.conf.settings.production and the environment
set. `check --deploy` is clean; the demo keys and missing secrets are refused; HTTPS only.
And the structured logs (core/logging.py): JSON with the trace id, one line per request."""

import io
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from eenloket.core.logging import formatter

ROOT = Path(__file__).resolve().parents[2]
SECRET = secrets.token_urlsafe(64)
PSEUDONYM = secrets.token_urlsafe(40)
DEMO_SECRET = "demo-only-secret-key-change-me-in-production-0123456789"


def production_env(**changes) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECRET", "PSEUDONYM", "DEBUG", "ALLOWED_HOSTS", "SECURE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="eenloket.conf.settings.production",
        PYTHONPATH=str(ROOT / "src"),
        SECRET_KEY=SECRET,
        PSEUDONYM_KEY=PSEUDONYM,
        ALLOWED_HOSTS="eenloket.example.nl",
        # not connected to: check --deploy and the pages below do not query the database
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/eenloket_not_used",
    )
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args, **changes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=production_env(**changes),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_has_no_demo_data_command():
    """load_demo_data would fill a real database with invented residents: not in production."""
    result = run(["manage.py", "load_demo_data"])
    assert result.returncode != 0
    assert "Unknown command: 'load_demo_data'" in result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": None}, "Set the environment variable SECRET_KEY"),
        ({"SECRET_KEY": DEMO_SECRET}, "SECRET_KEY is the demo key"),
        ({"SECRET_KEY": "kort-geheim"}, "SECRET_KEY is too short"),
        ({"PSEUDONYM_KEY": None}, "Set the environment variable PSEUDONYM_KEY"),
        ({"PSEUDONYM_KEY": SECRET}, "PSEUDONYM_KEY is the same as SECRET_KEY"),
        ({"PSEUDONYM_KEY": "te-kort"}, "shorter than 32 characters"),
        ({"ALLOWED_HOSTS": None}, "Set ALLOWED_HOSTS"),
        ({"DATABASE_URL": None}, "Set the environment variable DATABASE_URL"),
        ({"DEBUG": "1"}, "DEBUG is on"),
    ],
)
def test_production_refuses_to_start(changes, message):
    result = run(["manage.py", "check"], **changes)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
insecure = client.get("/inloggen/", HTTP_HOST="eenloket.example.nl")
secure = client.get(
    "/inloggen/", HTTP_HOST="eenloket.example.nl", HTTP_X_FORWARDED_PROTO="https"
)
health = client.get("/health/", HTTP_HOST="10.0.0.8:8000")
cookie = secure.cookies.get("csrftoken") or {"secure": None, "httponly": None}
print(json.dumps({
    "insecure": [insecure.status_code, insecure.get("Location")],
    "secure": secure.status_code,
    "hsts": secure.get("Strict-Transport-Security"),
    "csp": secure.get("Content-Security-Policy"),
    "csrf_cookie": [bool(cookie["secure"]), bool(cookie["httponly"])],
    "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
    "health": health.status_code,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "acks_late": settings.CELERY_TASK_ACKS_LATE,
    "prefetch": settings.CELERY_WORKER_PREFETCH_MULTIPLIER,
    "limits": [settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT],
    "pseudonym_key_differs": settings.PSEUDONYM_KEY != settings.SECRET_KEY,
}))
"""


def test_https_only_behind_the_proxy_that_says_so():
    result = run(["-c", PROBE], SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["insecure"] == [301, "https://eenloket.example.nl/inloggen/"]
    assert seen["secure"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in seen["csp"] and "frame-ancestors 'none'" in seen["csp"]
    assert "unsafe-eval" not in seen["csp"] and "unsafe-inline" not in seen["csp"]
    assert "upgrade-insecure-requests" in seen["csp"]
    assert seen["csrf_cookie"] == [True, True]
    assert seen["session_cookie"] == [True, True]
    assert seen["health"] == 200, "a probe over plain HTTP by address is answered"
    assert seen["eager"] is False
    assert seen["acks_late"] is True and seen["prefetch"] == 1
    assert seen["limits"] == [240, 300]
    assert seen["pseudonym_key_differs"] is True


def test_without_a_proxy_header_setting_a_forwarded_https_is_not_believed():
    result = run(["-c", PROBE])
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["secure"] == 301, "X-Forwarded-Proto counts only when configured"


# ---- structured logs ---------------------------------------------------------------------------
@pytest.fixture
def json_log():
    """What the production handler writes for the request log and Django's request errors."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    loggers = [logging.getLogger("eenloket.requests"), logging.getLogger("django.request")]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for lg, level in saved:
        lg.removeHandler(handler)
        lg.setLevel(level)


@pytest.mark.django_db
def test_request_log_line_is_json_with_trace_id_and_no_query_string(
    json_log, ui_as, counter_enschede
):
    client = ui_as(counter_enschede)
    response = client.get("/inwoners/", {"bsn": "999993653"})
    missing = client.get("/bestaat-niet/?bsn=999993653")
    records = json_log()
    lines = [r for r in records if r["logger"] == "eenloket.requests"]
    assert len(lines) == 2
    first = lines[0]
    assert first["event"] == "request"
    assert first["method"] == "GET"
    assert first["path"] == "/inwoners/"
    assert first["status"] == response.status_code
    assert first["user_id"] == str(counter_enschede.uuid)
    assert first["trace_id"] == response["X-Trace-Id"]
    assert isinstance(first["duration_ms"], float)
    assert first["level"] == "info" and first["timestamp"].endswith("Z")
    # Django's own record of the 404 goes through the same formatter, with the same trace id
    django_lines = [r for r in records if r["logger"] == "django.request"]
    assert [r["trace_id"] for r in django_lines] == [missing["X-Trace-Id"]]
    assert lines[1]["status"] == 404
    assert "999993653" not in json.dumps(records), "no BSN from a query string in the log"
