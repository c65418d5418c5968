import logging
import time
import uuid

import structlog
from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _

from .api import max_body_bytes, problem_response, too_large_detail
from .login import client_ip
from .tracing import set_trace_id

HEX = set("0123456789abcdef")  # W3C trace-id: 32 lowercase hex digits, not all zeros


class TraceIdMiddleware:
    """Gives every request a trace id (W3C traceparent if present) that the access log records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        trace_id = None
        traceparent = request.headers.get("traceparent", "")
        parts = traceparent.split("-")
        if (
            len(parts) == 4
            and len(parts[1]) == 32
            and set(parts[1]) <= HEX
            and set(parts[1]) != {"0"}
        ):
            trace_id = parts[1]
        request.trace_id = trace_id or uuid.uuid4().hex
        token = set_trace_id(request.trace_id)
        try:
            response = self.get_response(request)
        finally:
            set_trace_id(None, token)
        response["X-Trace-Id"] = request.trace_id
        return response


REQUEST_LOGGER = "eenloket.requests"
_request_log = structlog.stdlib.get_logger(REQUEST_LOGGER)


def _user_id(request) -> str | None:
    """The uuid of the signed-in user, if the request already knew who that was (a session or
    an API token); never a database query just for the log."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return str(user.uuid)


class RequestLogMiddleware:
    """One log line per request (logger "eenloket.requests", level INFO): method, path, status,
    duration in ms and the user's uuid, with the trace id like every record. The path only:
    the query string can hold a BSN or a name someone searched for."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = logging.getLogger(REQUEST_LOGGER).isEnabledFor

    def __call__(self, request):
        if not self.enabled(logging.INFO):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        _request_log.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            user_id=_user_id(request),
        )
        return response


class AuditActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware: changes to audited models (organisations/auditlog.py and the
    like) record who made them. The user is looked up when a change is saved, not when the
    request starts, so a change through the API (token, authenticated by DRF inside the view)
    has its actor too. The address is the client's, through trusted proxies only (core/login.py),
    not whatever X-Forwarded-For says."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request) or None

    @staticmethod
    def _get_remote_port(request):
        # auditlog takes X-Forwarded-Port from any client; a port says nothing we can trust.
        return None

    @staticmethod
    def _get_actor(request):
        def actor():
            user = getattr(request, "user", None)
            return user if user is not None and user.is_authenticated else None

        return SimpleLazyObject(actor)


class DutchFirstLocaleMiddleware:
    """Dutch unless the user chose another language (cookie set by /i18n/setlang/).
    The browser's Accept-Language is ignored on purpose: a counter PC with an English
    browser must still show the Dutch screens everyone is trained on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class HtmxLoginRedirectMiddleware:
    """When the session has expired, an htmx request (a polling list, live suggestions) would get
    the login page swapped into a fragment and stop polling. Tell htmx to load the login page
    as a whole page instead (HX-Redirect)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code in (301, 302)
            and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL))
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response


class ApiProblemMiddleware:
    """For /api/ paths. A request with a body larger than settings.API_MAX_BODY_BYTES gets a 413
    problem+json before anything reads the body (Django's own limit answered with an HTML 400
    page); a Content-Length that is not a number is a 400 problem. And an error page that Django
    made instead of DRF (no such route: 404; a 500) becomes problem+json as well."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = -1
            if length < 0:
                return problem_response(
                    request, 400, _("De lengte van het verzoek (Content-Length) klopt niet.")
                )
            if length > max_body_bytes():
                return problem_response(request, 413, too_large_detail())
            response = self.get_response(request)
            content_type = response.get("Content-Type", "")
            if response.status_code >= 400 and not content_type.startswith(
                ("application/problem+json", "application/json")
            ):
                return problem_response(request, response.status_code, "")
            return response
        return self.get_response(request)
