import uuid

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url

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
