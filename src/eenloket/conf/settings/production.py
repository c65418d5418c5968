"""Production: DJANGO_SETTINGS_MODULE=eenloket.conf.settings.production. Refuses to start
without its own SECRET_KEY, PSEUDONYM_KEY, ALLOWED_HOSTS and DATABASE_URL (ImproperlyConfigured,
with what to set); HTTPS only (HSTS, redirect, secure cookies); JSON logs; Celery tasks in a
worker. `manage.py check --deploy` is clean with these settings (tests/core/test_settings_production.py).
README.md, "Productie", lists every environment variable."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DEMO_PSEUDONYM_KEY,
    DEMO_SECRET_KEY,
    LOG_LEVEL,
    REST_FRAMEWORK,
    content_security_policy,
    env_bool,
    env_list,
    env_required,
    logging_settings,
    throttle_rates,
)

# The demo data and the load generator are development tools: not installed in production.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "eenloket.devtools"]  # noqa: F405

if env_bool("DEBUG", False):
    raise ImproperlyConfigured(
        "DEBUG is on. Production never shows debug pages (they show settings and data): "
        "remove DEBUG from the environment."
    )
DEBUG = False

SECRET_KEY = env_required(
    "SECRET_KEY",
    "a long random secret of this installation (at least 50 characters), "
    'e.g. python -c "import secrets; print(secrets.token_urlsafe(64))".',
)
if SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the demo key from the source code, which everyone can read. "
        "Set a long random secret of your own."
    )
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY is too short: use at least 50 random characters.")

# The key of the pseudonyms of BSNs in the access log (base.py). It must differ from SECRET_KEY
# and stay the same for as long as the log is kept: after a rotation the privacy officer no longer
# finds older rows by BSN, unless the old key is kept for look-ups or the rows are re-pseudonymised.
PSEUDONYM_KEY = env_required(
    "PSEUDONYM_KEY",
    "a random secret of its own (at least 32 characters) for the pseudonyms of BSNs in the "
    "access log. Keep it stable: a new key means older log rows are no longer found by BSN.",
)
if PSEUDONYM_KEY == SECRET_KEY:
    raise ImproperlyConfigured(
        "PSEUDONYM_KEY is the same as SECRET_KEY. Use a separate random secret: the pseudonym "
        "key must stay stable, while SECRET_KEY may be rotated."
    )
if PSEUDONYM_KEY == DEMO_PSEUDONYM_KEY or len(PSEUDONYM_KEY) < 32:
    raise ImproperlyConfigured(
        "PSEUDONYM_KEY is the demo key or shorter than 32 characters: with a known or weak key "
        "the BSNs in the access log can be recovered by trying all valid BSNs."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS: the host names of this installation, comma-separated "
        "(e.g. eenloket.gemeente.nl)."
    )
env_required("DATABASE_URL", "production runs on PostgreSQL, e.g. postgres://user@host:5432/db.")

# ---- HTTPS ----------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# /health/ is answered before the HTTPS redirect (core.health.HealthCheckMiddleware comes first).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True  # htmx and Swagger UI take the token from the page, not the cookie
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Behind a proxy that ends TLS (nginx, a load balancer): the header in which it passes the
# scheme, e.g. SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto. Only set it when that proxy always
# sets (or removes) the header, otherwise a client can claim HTTPS.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header = os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_header}", "https")

CONTENT_SECURITY_POLICY = content_security_policy(
    report_uri=os.environ.get("CSP_REPORT_URI", ""), upgrade_insecure_requests=True
)

# ---- API throttling: tighter defaults than the demo (base.py) --------------------------------
API_THROTTLE_USER = os.environ.get("API_THROTTLE_USER", "3000/minute")
API_THROTTLE_ANON = os.environ.get("API_THROTTLE_ANON", "60/minute")
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": throttle_rates(API_THROTTLE_USER, API_THROTTLE_ANON),
}

# Celery: tasks in a worker unless CELERY_TASK_ALWAYS_EAGER is set (base.py).

# ---- Logs: one JSON object per line ---------------------------------------------------------
LOGGING = logging_settings(fmt=os.environ.get("LOG_FORMAT", "json"), level=LOG_LEVEL)
