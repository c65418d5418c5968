"""Settings that hold in every environment. Everything that differs per environment comes from
environment variables, read here or in the module of the environment:

    dev.py         the demo and development (`manage.py`, `make demo`, the bench): the default
    test.py        pytest (pyproject.toml)
    production.py  refuses to start without its secrets; HTTPS only, JSON logs

The defaults give a safe local demo on the embedded SQLite database. The environment modules
never change a dict or list of this module in place (they build new ones), because every one of
them imports this module and `eenloket.conf.settings` imports dev.py first."""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from eenloket.core.logging import logging_settings

BASE_DIR = Path(__file__).resolve().parents[4]
SRC_DIR = BASE_DIR / "src" / "eenloket"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name: str, why: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}: {why}")
    return value


# Known to everyone who has read this repository: fine for the demo, refused by production.py.
DEMO_SECRET_KEY = "demo-only-secret-key-change-me-in-production-0123456789"  # noqa: S105
DEMO_PSEUDONYM_KEY = "demo-only-pseudonym-key-change-me-in-production-0123456789"

SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Key used to pseudonymise data-subject ids (BSN) in the access log (Logboek Dataverwerkingen):
# HMAC-SHA256(PSEUDONYM_KEY, BSN). A key of its own, never SECRET_KEY: whoever knows the key can
# pseudonymise all ~10^8 valid BSNs and so reverse the log. It must stay the same for as long as
# the log is kept: the privacy officer's look-up by BSN pseudonymises the BSN typed in with the
# current key, so after a rotation rows written with the old key are no longer found (keep the
# old key for queries, or re-pseudonymise; README.md, "Productie").
PSEUDONYM_KEY = os.environ.get("PSEUDONYM_KEY", DEMO_PSEUDONYM_KEY)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "eenloket.core",
    "eenloket.organisations",
    "eenloket.residents",
    "eenloket.catalogue",
    "eenloket.messaging",
    "eenloket.worklist",
    "eenloket.contacts",
    "eenloket.referrals",
    "eenloket.helped",
    "eenloket.appointments",
    "eenloket.deadlines",
    "eenloket.cases",
    "eenloket.complaints",
    "eenloket.intermediaries",
    "eenloket.workspace",
    "eenloket.devtools",
]

MIDDLEWARE = [
    # /health/ and /health/ready/ are answered here: no host check, HTTPS redirect, session,
    # sweep or request log (core/health.py).
    "eenloket.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "eenloket.core.middleware.TraceIdMiddleware",
    "eenloket.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "eenloket.core.middleware.DutchFirstLocaleMiddleware",
    "eenloket.core.middleware.ApiProblemMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Second factor (TOTP) for intermediaries; the gate keeps them behind it and off staff pages.
    "django_otp.middleware.OTPMiddleware",
    "eenloket.intermediaries.middleware.IntermediaryGateMiddleware",
    "eenloket.core.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "eenloket.core.middleware.HtmxLoginRedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "eenloket.core.sweeps.SweepOnRequestMiddleware",
]

ROOT_URLCONF = "eenloket.conf.urls"
WSGI_APPLICATION = "eenloket.conf.wsgi.application"
AUTH_USER_MODEL = "organisations.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "eenloket.organisations.context_processors.staff_context",
            ],
            # Dates and phone numbers one way on every page (long_date, long_datetime,
            # birth_date, clock_time, phone, phone_link): core/templatetags/formatting.py.
            "builtins": ["eenloket.core.templatetags.formatting"],
        },
    },
]

# Database connections: by default one per request, closed when the request ends (0). Django keeps
# a persistent connection per *thread*: under a threaded server (runserver, gunicorn gthread,
# waitress) every thread that served a request holds its own idle connection for DB_CONN_MAX_AGE
# seconds, so 50 concurrent requests left 77 idle connections and PostgreSQL (max_connections
# 100) refused new ones. Set DB_CONN_MAX_AGE only where the number of threads is fixed and small:
# gunicorn with sync workers has one thread per worker, so one connection per worker
# (bench/run.sh sets 600). Persistent connections are checked before reuse (health checks, one
# short round trip per request), so a restarted database does not turn into errors.
DB_CONN_MAX_AGE = int(os.environ.get("DB_CONN_MAX_AGE", "0"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}"),
        conn_max_age=DB_CONN_MAX_AGE,
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", DB_CONN_MAX_AGE > 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side prepared statements: the same few queries run on every request; planning them
    # once halves database CPU on the hot paths (bench/README.md).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the API's request counters (throttling). Per process unless CACHE_URL points
# to a shared Redis (redis://host:6379/1): with several app processes set it, or every process
# counts on its own and a client gets the limit once per process.
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "eenloket.core.login.ClientLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Lock an account+address after 5 failed logins for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "eenloket.core.login.client_ip"
# The client address is REMOTE_ADDR, or X-Forwarded-For when REMOTE_ADDR is one of these proxies
# (comma-separated addresses or networks, e.g. "10.0.0.5,10.1.0.0/24"; empty: no proxy trusted).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# Password spraying (core/login.py): after this many failed logins from one client address in the
# window, across all usernames, that address may not try again until the window has passed,
# except in browsers that logged in before as the username tried (signed device cookie, kept this
# many days). So colleagues behind the town hall's NAT address keep working during an attack.
LOGIN_CLIENT_FAILURE_LIMIT = int(os.environ.get("LOGIN_CLIENT_FAILURE_LIMIT", "20"))
LOGIN_CLIENT_WINDOW_MINUTES = int(os.environ.get("LOGIN_CLIENT_WINDOW_MINUTES", "15"))
LOGIN_DEVICE_COOKIE_DAYS = int(os.environ.get("LOGIN_DEVICE_COOKIE_DAYS", "180"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE


# Content-Security-Policy (django-csp 4), in every environment, so that the browser tests prove
# that the pages keep to it: scripts and styles only from our own origin (static files, no CDN)
# or with the response's nonce (Swagger UI's start script: templates/drf_spectacular/); no inline
# event handlers or style attributes; nothing may frame the pages. htmx is told not to inject its
# indicator styles (the htmx-config meta tag in base.html).
def content_security_policy(
    *, script_src=(), report_uri: str = "", upgrade_insecure_requests: bool = False
) -> dict:
    directives = {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, *script_src],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # Swagger UI and the admin draw icons from data: URLs
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    if report_uri:
        directives["report-uri"] = [report_uri]
    if upgrade_insecure_requests:
        directives["upgrade-insecure-requests"] = True
    return {"DIRECTIVES": directives}


def script_hash(path: Path) -> str:
    """The CSP source that allows exactly this script inline ('sha256-…')."""
    digest = hashlib.sha256(path.read_bytes()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


CONTENT_SECURITY_POLICY = content_security_policy(report_uri=os.environ.get("CSP_REPORT_URI", ""))

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # also holds the demo database
STATICFILES_DIRS = [SRC_DIR / "static"]
_NODE = BASE_DIR / "node_modules"
for prefix, path in [
    ("vendor/utrecht", _NODE / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/utrecht-tokens", _NODE / "@utrecht" / "design-tokens" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
]:
    if path.exists():
        STATICFILES_DIRS.append((prefix, path))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# API throttling (core/throttling.py): requests per signed-in user (token or session) and per
# client address for anonymous requests, counted per fixed window ("number/second|minute|hour|
# day"; "off": no limit). Above it: a 429 problem+json with Retry-After. The defaults are
# generous: a counter never comes close, and the bench (thousands of requests per second with one
# token) is not throttled; production.py sets tighter defaults.
API_THROTTLE_USER = os.environ.get("API_THROTTLE_USER", "100000/minute")
API_THROTTLE_ANON = os.environ.get("API_THROTTLE_ANON", "10000/minute")


def throttle_rates(user: str, anon: str) -> dict:
    off = {"", "off", "none", "0"}
    return {
        "user": None if user.strip().lower() in off else user.strip(),
        "anon": None if anon.strip().lower() in off else anon.strip(),
    }


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["eenloket.organisations.permissions.IsStaffMember"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "eenloket.core.api.DefaultPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "eenloket.core.api.problem_exception_handler",
    # JSON only (a 415 problem otherwise), with a nesting limit (API_MAX_JSON_DEPTH). Form bodies
    # read an empty field as "absent", which the schema of a JSON body cannot say.
    "DEFAULT_PARSER_CLASSES": ["eenloket.core.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": [
        "eenloket.core.throttling.UserRateThrottle",
        "eenloket.core.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": throttle_rates(API_THROTTLE_USER, API_THROTTLE_ANON),
}
# Bad input (core/middleware.py, core/parsers.py): request bodies of the API are at most this big
# (a 413 problem above it) and their JSON is nested at most this deep (a 400 problem; the deepest
# body today has 2 levels). A proxy in front should refuse bigger bodies too (nginx:
# client_max_body_size), so that they are not even received.
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(1024 * 1024)))
API_MAX_JSON_DEPTH = int(os.environ.get("API_MAX_JSON_DEPTH", "20"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Eén Loket API",
    "DESCRIPTION": "API v1 van Eén Loket: organisaties, teams, locaties, medewerkersgids, "
    "inwoners en contactmomenten. Elke lees-actie op persoonsgegevens wordt gelogd.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set (`check --deploy` generates the schema and warns otherwise).
    "ENUM_NAME_OVERRIDES": {
        "OrganisationTypeEnum": "eenloket.organisations.models.OrganisationType",
        "ReferralKindEnum": "eenloket.referrals.models.ReferralKind",
        "MessageStateEnum": "eenloket.messaging.models.MessageState",
        "MessageChannelEnum": "eenloket.messaging.models.MessageChannel",
        "DeliveryResultEnum": "eenloket.messaging.models.DeliveryAttempt.Result",
        "TaskAttemptResultEnum": "eenloket.worklist.models.TaskAttempt.Result",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "eenloket.core.schema.add_problem_responses",  # 400/401/403/404/413/415 as problem+json
    ],
}

# Celery (production). Tasks run in a worker, unless CELERY_TASK_ALWAYS_EAGER is set (the demo
# and the tests run them in-process). A task is acknowledged when it is done, not when it is
# taken, so a worker that dies hands it back (every sweep is idempotent); a worker takes one
# task at a time; a task that hangs is stopped (soft limit: an exception the task can handle;
# hard limit: the worker process is replaced).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "300"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING (structlog) too
CELERY_TIMEZONE = TIME_ZONE

# Logs (core/logging.py): structlog renders every record, Django's own included, with the
# request's trace id; one line per request (method, path without query string, status, duration,
# user id). LOG_FORMAT "json" (production) or "console" (readable, development).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOG_FORMAT = os.environ.get("LOG_FORMAT", "console")
LOGGING_CONFIG = "eenloket.core.logging.configure"
LOGGING = logging_settings(fmt=LOG_FORMAT, level=LOG_LEVEL)

# Audit of changes (django-auditlog): who changed which organisation, team, membership, service,
# norm or register authorisation, and what. The correlation id of an entry is the trace id of
# the request, as in the access log. The models are registered per app (<app>/auditlog.py).
AUDITLOG_CID_GETTER = "eenloket.core.tracing.current_trace_id"
AUDITLOG_DISABLE_ON_RAW_SAVE = True  # fixtures and loaddata are not edits

# The routing engine checks at most this often whether the catalogue changed or new outcomes
# arrived (seconds); tests set 0.
ROUTING_REFRESH_SECONDS = float(os.environ.get("ROUTING_REFRESH_SECONDS", "5"))

# Referrals and live consults.
LIVE_CONSULT_TIMEOUT_MINUTES = int(os.environ.get("LIVE_CONSULT_TIMEOUT_MINUTES", "5"))
# Days set equal to public holidays by royal decree (Algemene termijnenwet art. 3 lid 3), ISO dates.
ATW_EXTRA_HOLIDAYS = env_list("ATW_EXTRA_HOLIDAYS")
# Sweeps: Celery beat in production; in the demo (no worker) after requests, at most every 30 s.
RUN_SWEEPS_IN_REQUESTS = env_bool(
    "RUN_SWEEPS_IN_REQUESTS", DATABASES["default"]["ENGINE"].endswith("sqlite3")
)
SWEEP_INTERVAL_SECONDS = int(os.environ.get("SWEEP_INTERVAL_SECONDS", "30"))
# The beat schedule comes from the @sweep registrations (core/sweeps.py, conf/celery.py).

# Who may see a resident (residents/access.py): an own contact (or a resident the organisation
# recorded itself) is a basis for this many days after the last contact; a referral that shares
# the resident's details is a basis while it is open and this many days after it ended.
RESIDENT_BASIS_OWN_CONTACT_DAYS = int(os.environ.get("RESIDENT_BASIS_OWN_CONTACT_DAYS", "730"))
RESIDENT_BASIS_AFTER_REFERRAL_DAYS = int(os.environ.get("RESIDENT_BASIS_AFTER_REFERRAL_DAYS", "30"))
RESIDENT_BASIS_AFTER_APPOINTMENT_DAYS = int(
    os.environ.get("RESIDENT_BASIS_AFTER_APPOINTMENT_DAYS", "30")
)

# Health (core/health.py): the readiness check pings the Celery broker only when
# CELERY_BROKER_URL is set in the environment (and tasks do not run in-process).
HEALTH_CHECK_BROKER = bool(os.environ.get("CELERY_BROKER_URL"))
HEALTH_CHECK_TIMEOUT_SECONDS = float(os.environ.get("HEALTH_CHECK_TIMEOUT_SECONDS", "2"))

# "Bent u geholpen?" (helped/): the defaults for an organisation without its own CheckSettings.
# Asked after contacts with these outcomes (contacts.models.Outcome values) and after referrals
# the receiver ended (helped or closed), this many working days later at this local hour (Atw
# calendar, core/calendar.py); within the lookback only (older contacts are never asked). The
# resident answers within HELPED_CHECK_ANSWER_WORKING_DAYS; the link works until then plus the
# grace, and a resident is asked at most once per HELPED_CHECK_MIN_DAYS_BETWEEN days. The answer
# page accepts at most HELPED_CHECK_RATE_LIMIT posts per client address per window (seconds).
HELPED_CHECK_CONTACT_OUTCOMES = env_list(
    "HELPED_CHECK_CONTACT_OUTCOMES", "beantwoord,doorverwezen,aanvraag-ingenomen,afspraak-gemaakt"
)
HELPED_CHECK_DELAY_WORKING_DAYS = int(os.environ.get("HELPED_CHECK_DELAY_WORKING_DAYS", "2"))
HELPED_CHECK_SEND_HOUR = int(os.environ.get("HELPED_CHECK_SEND_HOUR", "10"))
HELPED_CHECK_ANSWER_WORKING_DAYS = int(os.environ.get("HELPED_CHECK_ANSWER_WORKING_DAYS", "5"))
HELPED_CHECK_LOOKBACK_DAYS = int(os.environ.get("HELPED_CHECK_LOOKBACK_DAYS", "30"))
HELPED_CHECK_MIN_DAYS_BETWEEN = int(os.environ.get("HELPED_CHECK_MIN_DAYS_BETWEEN", "14"))
HELPED_CHECK_LINK_GRACE_HOURS = int(os.environ.get("HELPED_CHECK_LINK_GRACE_HOURS", "12"))
HELPED_CHECK_RATE_LIMIT = int(os.environ.get("HELPED_CHECK_RATE_LIMIT", "20"))
HELPED_CHECK_RATE_WINDOW_SECONDS = int(os.environ.get("HELPED_CHECK_RATE_WINDOW_SECONDS", "600"))
# The address residents open the answer link on (messages are sent by sweeps, without a request).
# The address of the site for residents (links in messages: appointments, "bent u geholpen?").
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
HELPED_CHECK_BASE_URL = os.environ.get("HELPED_CHECK_BASE_URL", PUBLIC_BASE_URL)
# Appointments: the earliest bookable time (minutes from now) and how far ahead (days).
# Legal terms: the team lead is told when a term ends within this many working days and there is
# neither a decision nor a delay notice (the team's own warning is per request type).
DEADLINE_ESCALATE_WORKING_DAYS = int(os.environ.get("DEADLINE_ESCALATE_WORKING_DAYS", "1"))
# Cases: a doorbraak request unanswered by its date goes to the doorbraak coordinator; still
# unanswered this many working days later, to the organisation's management.
DOORBRAAK_MANAGEMENT_WORKING_DAYS = int(os.environ.get("DOORBRAAK_MANAGEMENT_WORKING_DAYS", "2"))
# Early signals of payment arrears: help is offered within this many working days (a norm each
# municipality sets; the Wgs asks for an offer "zo spoedig mogelijk"), by the first team whose
# name contains one of these words.
SIGNAL_OFFER_WORKING_DAYS = int(os.environ.get("SIGNAL_OFFER_WORKING_DAYS", "5"))
SIGNAL_TEAM_NAMES = ["schuld", "geldzaken", "financ"]
APPOINTMENT_MIN_NOTICE_MINUTES = int(os.environ.get("APPOINTMENT_MIN_NOTICE_MINUTES", "60"))
APPOINTMENT_HORIZON_DAYS = int(os.environ.get("APPOINTMENT_HORIZON_DAYS", "91"))
# Posts on the public booking pages per client address per window (booking, moving, cancelling).
APPOINTMENT_RATE_LIMIT = int(os.environ.get("APPOINTMENT_RATE_LIMIT", "20"))
APPOINTMENT_RATE_WINDOW_SECONDS = 600
# Complaints on the public form per client address per window (the coordinators hear of each).
COMPLAINT_FORM_RATE_LIMIT = int(os.environ.get("COMPLAINT_FORM_RATE_LIMIT", "5"))
COMPLAINT_FORM_RATE_WINDOW_SECONDS = 3600

# The outbox (messaging/outbox.py): a message is tried at most MESSAGING_MAX_ATTEMPTS times, the
# n-th retry after base × 2^(n-1) seconds (at most MESSAGING_RETRY_MAX_SECONDS), with jitter
# (between half and all of it); then it is a dead letter for the functional admin. A worker holds
# a message for MESSAGING_CLAIM_SECONDS (a lease): after that, a worker that stopped while
# sending has lost it, and the next sweep takes it again. The e-mail's Message-ID is
# <message uuid@MESSAGING_MESSAGE_ID_DOMAIN>. Channels (messaging/channels/) for an organisation
# without its own ChannelSettings: e-mail via "smtp" (Django's EMAIL_* settings) or "notify";
# sms via "notify", "gateway" or "geen".
MESSAGING_MAX_ATTEMPTS = int(os.environ.get("MESSAGING_MAX_ATTEMPTS", "5"))
MESSAGING_RETRY_BASE_SECONDS = int(os.environ.get("MESSAGING_RETRY_BASE_SECONDS", "60"))
MESSAGING_RETRY_MAX_SECONDS = int(os.environ.get("MESSAGING_RETRY_MAX_SECONDS", "3600"))
MESSAGING_CLAIM_SECONDS = int(os.environ.get("MESSAGING_CLAIM_SECONDS", "120"))
MESSAGING_BATCH_SIZE = int(os.environ.get("MESSAGING_BATCH_SIZE", "50"))
MESSAGING_SEND_TIMEOUT_SECONDS = float(os.environ.get("MESSAGING_SEND_TIMEOUT_SECONDS", "20"))
MESSAGING_DELIVER_ON_COMMIT = env_bool("MESSAGING_DELIVER_ON_COMMIT", True)
MESSAGING_MESSAGE_ID_DOMAIN = os.environ.get("MESSAGING_MESSAGE_ID_DOMAIN", "eenloket.nl")
MESSAGING_EMAIL_VIA = os.environ.get("MESSAGING_EMAIL_VIA", "smtp")
MESSAGING_SMS_VIA = os.environ.get("MESSAGING_SMS_VIA", "geen")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Eén Loket <noreply@eenloket.nl>")
# E-mail (Django's SMTP backend): EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS from the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# NotifyNL (GOV.UK Notify-compatible): base URL, the API key (name-serviceid-secret) and the
# template ids with ((subject)) and ((body)). The callback of delivery receipts
# (POST /api/v1/messages/receipts/notify/) must carry `Authorization: Bearer
# NOTIFY_CALLBACK_TOKEN`; without a token the callback is refused.
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN", "")
# A plain SMS gateway (messaging/channels/sms_gateway.py).
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
