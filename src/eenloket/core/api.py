"""Shared API pieces: pagination, RFC 7807 problem+json errors in Dutch, and the guards against
bad input that every endpoint shares (JSON depth, body size, date and time ranges)."""

import datetime as dt
import math
import re

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .errors import NotFound

PROBLEM_TYPES = {
    400: ("ongeldige-invoer", "De invoer klopt niet."),
    401: ("niet-ingelogd", "U bent niet ingelogd."),
    403: ("geen-toegang", "U heeft geen toegang."),
    404: ("niet-gevonden", "Niet gevonden."),
    405: ("methode-niet-toegestaan", "Deze methode is niet toegestaan."),
    406: ("niet-acceptabel", "Dit formaat kan niet worden geleverd."),
    409: ("conflict", "Dit kan nu niet."),
    413: ("te-groot", "Het verzoek is te groot."),
    415: ("formaat-niet-ondersteund", "Dit formaat wordt niet ondersteund."),
    429: ("te-veel-verzoeken", "Te veel verzoeken."),
    500: ("serverfout", "Er ging bij ons iets mis. Probeer het later opnieuw."),
    503: ("niet-beschikbaar", "Eén Loket is nu niet beschikbaar. Probeer het later opnieuw."),
}
PROBLEM_BASE = "https://eenloket.nl/problemen/"

# The error answers of the OpenAPI schema, shared by every app's API.
PROBLEM = OpenApiResponse(description="Problem (RFC 7807, application/problem+json).")
ERRORS = {
    400: OpenApiResponse(description="Ongeldige invoer: problem+json met `invalid_params`."),
    401: PROBLEM,
    403: PROBLEM,
    404: OpenApiResponse(description="Bestaat niet, of u mag het niet zien: problem+json."),
}


def state_errors(description: str) -> dict:
    """ERRORS plus the 409 of a step that does not fit the state (what its `code`s mean)."""
    return {**ERRORS, 409: OpenApiResponse(description=description)}


# A step that does not fit the current state of a resource (a service's ValidationError with one
# of these codes) is a conflict with that state: a 409 problem with the Dutch message as `detail`
# and the code as `code`, in every API.
CONFLICT_CODES = frozenset(
    {
        "invalid_transition",
        "already_claimed",
        "already_taken",
        "not_open",
        "slot_taken",
        "term_expired",
        "no_extension",
    }
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Dit kan nu niet: de stand is intussen veranderd."
    default_code = "conflict"


class StrictPageSizeMixin:
    """`page_size` is a whole number of at least 1, or absent (or empty): then the default; more
    than max_page_size counts as max_page_size (as in DRF). DRF silently ignored anything else,
    while the schema says integer; now that is a 400. The schema gives the bounds."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        size = 0
        if re.fullmatch(r"[0-9]+", raw):
            digits = raw.lstrip("0")
            size = int(digits or "0") if len(digits) < 10 else self.max_page_size
        if size < 1:
            message = _("Kies een heel getal van 1 tot en met %(max)s.") % {
                "max": self.max_page_size
            }
            raise exceptions.ValidationError(
                {"page_size": [exceptions.ErrorDetail(message, "invalid")]}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Hoeveel per pagina (standaard {self.page_size}, ten hoogste "
                    f"{self.max_page_size}; meer telt als {self.max_page_size})."
                )
            elif parameter["name"] == getattr(self, "page_query_param", None):
                parameter["schema"]["minimum"] = 1
        return parameters


class DefaultPagination(StrictPageSizeMixin, PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class NewestFirstCursorPagination(StrictPageSizeMixin, CursorPagination):
    """Keyset pagination for big, time-ordered tables: no COUNT(*), no OFFSET."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-started_at", "-id")

    CURSOR_PATTERN = r"^[A-Za-z0-9+/=_-]*$"  # base64, as the `next` and `previous` links have it

    def decode_cursor(self, request):
        bad = exceptions.ValidationError(
            {"cursor": [exceptions.ErrorDetail("Deze pagina-aanwijzer klopt niet.", "bad_cursor")]}
        )
        encoded = request.query_params.get(self.cursor_query_param)
        # base64 decoding skips other characters: "%00" would silently be the first page
        if encoded is not None and not re.fullmatch(self.CURSOR_PATTERN, encoded):
            raise bad
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:  # a malformed cursor is bad input, not a missing page
            raise bad from exc

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"]["pattern"] = self.CURSOR_PATTERN
                parameter["description"] = (
                    "Pagina-aanwijzer: neem hem over uit `next` of `previous` van het antwoord."
                )
        return parameters


def _flatten(detail, prefix=""):
    """DRF error detail → ZGW-style invalid_params list."""
    params = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            params.extend(_flatten(value, name))
    elif isinstance(detail, list):
        for item in detail:
            params.extend(_flatten(item, prefix))
    else:
        params.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", "invalid"),
                "reason": str(detail),
            }
        )
    return params


def _django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            field: [
                exceptions.ErrorDetail(m, code=e.code or "invalid")
                for e in errors
                for m in e.messages
            ]
            for field, errors in exc.error_dict.items()
        }
    else:
        detail = [
            exceptions.ErrorDetail(m, code=e.code or "invalid")
            for e in exc.error_list
            for m in e.messages
        ]
    return exceptions.ValidationError(detail)


def problem_body(status_code: int, detail: str = "", instance: str = "") -> dict:
    """The RFC 7807 body of every error of the API: type, title, status, detail, instance."""
    slug, title = PROBLEM_TYPES.get(status_code, ("fout", "Er ging iets mis."))
    return {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status_code,
        "detail": detail or title,
        "instance": instance,
    }


# Codes an app adds (its own state conflicts: a closed case, complaint parts still open), so the
# one exception handler answers them with a 409 like the shared ones.
_app_conflict_codes: set[str] = set()


def register_conflict_codes(codes) -> None:
    """An app's own state-conflict codes: a service error with only these codes is a 409."""
    _app_conflict_codes.update(codes)


def _conflict_or_none(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return None
    codes = {e.code for e in exc.error_list}
    if codes and codes <= CONFLICT_CODES | _app_conflict_codes:
        return Conflict(" ".join(exc.messages), code=sorted(codes)[0])
    return None


def throttled_detail(wait) -> str:
    seconds = max(1, math.ceil(wait or 1))
    return ngettext(
        "U heeft te veel verzoeken gedaan. Probeer het over %(seconds)s seconde opnieuw.",
        "U heeft te veel verzoeken gedaan. Probeer het over %(seconds)s seconden opnieuw.",
        seconds,
    ) % {"seconds": seconds}


def problem_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error as problem+json (problem_body). Django's own
    exceptions are mapped first: too big a body 413, a refused header 400, a ValidationError 400
    (or 409 for a state conflict, CONFLICT_CODES), PermissionDenied 403, not found 404."""
    if isinstance(exc, RequestDataTooBig):  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, read in DRF
        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation):  # malformed input Django refuses: a 400, not a 500
        exc = exceptions.ParseError(_("Dit verzoek kan niet worden verwerkt."))
    elif isinstance(exc, DjangoValidationError):
        exc = _conflict_or_none(exc) or _django_validation_to_drf(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, NotFound | Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    status_code = response.status_code
    request = context.get("request")
    body = problem_body(status_code, instance=request.get_full_path() if request else "")
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = "Een of meer velden kloppen niet."
        body["invalid_params"] = _flatten(exc.detail)
    elif isinstance(exc, exceptions.Throttled):
        body["detail"] = throttled_detail(exc.wait)
    else:
        detail = getattr(exc, "detail", "")
        body["detail"] = str(detail) if detail else body["title"]
    if isinstance(exc, Conflict):
        codes = exc.get_codes()
        body["code"] = codes if isinstance(codes, str) else "conflict"
    if status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = 'Token realm="api"'
    problem = Response(body, status=status_code, headers=dict(response.items()))
    problem.content_type = "application/problem+json"
    return problem


class SafeSlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField, but bad input is always a 400: a NUL character (PostgreSQL
    refuses it with a DataError → 500) or a malformed UUID (Django's ValidationError). An empty
    string is an error too (DRF would read it as null; the schema says id or null)."""

    def run_validation(self, data=serializers.empty):
        if data == "":
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        try:
            return super().to_internal_value(data)
        except DjangoValidationError:
            self.fail("invalid")


# ---- bad input: body size, JSON depth ---------------------------------------------------------------
def problem_response(request, status_code: int, detail: str = "", **extra) -> JsonResponse:
    """A problem+json answer outside DRF (middleware, health), the same body as
    problem_exception_handler's; `extra` adds members (e.g. which checks failed)."""
    body = {**problem_body(status_code, detail, request.get_full_path()), **extra}
    return JsonResponse(body, status=status_code, content_type="application/problem+json")


def max_body_bytes() -> int:
    """The largest request body the API reads: settings.API_MAX_BODY_BYTES, or Django's own
    DATA_UPLOAD_MAX_MEMORY_SIZE when that is smaller (then that one refuses, and the 413 must
    say its size)."""
    django_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if django_limit is None:
        return settings.API_MAX_BODY_BYTES
    return min(settings.API_MAX_BODY_BYTES, django_limit)


def too_large_detail() -> str:
    size = max_body_bytes()
    amount = f"{size // 1024} kB" if size < 1024 * 1024 else f"{size / (1024 * 1024):g} MB"
    return _("Het verzoek is te groot. Stuur ten hoogste %(amount)s.") % {"amount": amount}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self):
        super().__init__(too_large_detail())


# ---- bad input: dates and times ------------------------------------------------------------------
# A moment at the counter (a contact, a referral step) lies between 1 January 2000 and now; one day
# ahead is allowed for clocks that run fast. A birth date lies between 1 January 1900 and today.
# A date-time in a filter is a question, not data: any valid one is answered, but it is clamped to
# 1900–2100 first, so that year 1 with +14:00 never has to fit in a datetime in UTC (a 500 on
# SQLite before) and the schema's plain `date-time` stays the truth.
MOMENT_EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
MOMENT_AHEAD = dt.timedelta(days=1)
BIRTH_DATE_EARLIEST = dt.date(1900, 1, 1)
FILTER_EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
FILTER_LATEST = dt.datetime(2100, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


class MomentField(serializers.DateTimeField):
    """A date-time when something happened: from 1 January 2000 until now (plus one day for
    clocks that run fast). Year 1 and year 9999 are refused instead of stored."""

    default_error_messages = {
        "out_of_range": gettext_lazy(
            "Kies een datum en tijd tussen 1 januari 2000 en nu. Deze ligt daarbuiten."
        ),
        "overflow": gettext_lazy(
            "Kies een datum en tijd tussen 1 januari 2000 en nu. Deze ligt daarbuiten."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", "Datum en tijd (RFC 3339), tussen 1 januari 2000 en nu (+1 dag)."
        )
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not MOMENT_EARLIEST <= moment <= timezone.now() + MOMENT_AHEAD:
            self.fail("out_of_range")
        return moment


class BirthDateField(serializers.DateField):
    """A birth date: from 1 January 1900 until today (Europe/Amsterdam)."""

    default_error_messages = {
        "out_of_range": gettext_lazy(
            "Kies een geboortedatum tussen 1 januari 1900 en vandaag. Deze ligt daarbuiten."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Geboortedatum (JJJJ-MM-DD), tussen 1900-01-01 en vandaag.")
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not BIRTH_DATE_EARLIEST <= day <= timezone.localdate():
            self.fail("out_of_range")
        return day


class FilterDateTimeField(filter_fields.IsoDateTimeField):
    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        return min(max(moment, FILTER_EARLIEST), FILTER_LATEST)


class DateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time filter whose value is clamped to 1900–2100 (so it never overflows
    when a database backend converts it to UTC)."""

    field_class = FilterDateTimeField


# ---- output formats the schema can state truthfully ------------------------------------------------
@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
        "description": "Tijd van de dag in Nederland (uu:mm:ss).",
        "example": "17:00:00",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day in Europe/Amsterdam, "17:00:00". Not an OpenAPI `time` (RFC 3339), which
    needs an offset that an opening hour does not have."""


def _validate_url(value):
    if value:
        URLValidator()(value)


@extend_schema_field({"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}]})
class OptionalURLField(serializers.CharField):
    """A URL, or an empty string when there is none (an optional URLField of a model). Not a
    URLField: drf-spectacular would put `format: uri` on it, which "" does not meet."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
        self.validators.append(_validate_url)


class StrictBooleanFormField(forms.NullBooleanField):
    """`true` or `false` (or empty: no filter). django-filter's own turned anything else into
    "no filter", while the schema says boolean."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise DjangoValidationError(_("Kies true of false."), code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(filters.BooleanFilter):
    """A boolean filter that takes only `true` and `false` (a 400 for anything else)."""

    field_class = StrictBooleanFormField

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = forms.TextInput  # django-filter's BooleanWidget maps the rest to None
        super().__init__(*args, **kwargs)
