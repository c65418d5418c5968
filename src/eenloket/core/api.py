"""Shared API pieces: pagination and RFC 7807 problem+json errors in Dutch."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
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
    415: ("formaat-niet-ondersteund", "Dit formaat wordt niet ondersteund."),
    429: ("te-veel-verzoeken", "Te veel verzoeken."),
}


class DefaultPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class NewestFirstCursorPagination(CursorPagination):
    """Keyset pagination for big, time-ordered tables: no COUNT(*), no OFFSET."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-started_at", "-id")

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:  # a malformed cursor is bad input, not a missing page
            raise exceptions.ValidationError(
                {
                    "cursor": [
                        exceptions.ErrorDetail("Deze pagina-aanwijzer klopt niet.", "bad_cursor")
                    ]
                }
            ) from exc


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


def problem_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, NotFound | Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    status_code = response.status_code
    slug, title = PROBLEM_TYPES.get(status_code, ("fout", "Er ging iets mis."))
    request = context.get("request")
    body = {
        "type": f"https://eenloket.nl/problemen/{slug}",
        "title": title,
        "status": status_code,
        "instance": request.get_full_path() if request else "",
    }
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = "Een of meer velden kloppen niet."
        body["invalid_params"] = _flatten(exc.detail)
    else:
        detail = getattr(exc, "detail", "")
        body["detail"] = str(detail) if detail else title
    if status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = 'Token realm="api"'
    problem = Response(body, status=status_code, headers=dict(response.items()))
    problem.content_type = "application/problem+json"
    return problem


class SafeSlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField, but bad input is always a 400: a NUL character (PostgreSQL
    refuses it with a DataError → 500) or a malformed UUID (Django's ValidationError)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        try:
            return super().to_internal_value(data)
        except DjangoValidationError:
            self.fail("invalid")
