import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn


def normalise_bsn(value: str) -> str:
    """Strip spaces/dots and left-pad to 9 digits (BSNs may be written with 8 digits)."""
    return stdnum_bsn.compact(str(value or ""))


def validate_bsn(value: str) -> None:
    try:
        stdnum_bsn.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Dit is geen geldig BSN. Een BSN heeft 9 cijfers en moet de elfproef halen."),
            code="invalid_bsn",
        ) from exc


def find_null_characters(data: dict) -> dict[str, list[str]]:
    """Errors for text values holding a NUL character (PostgreSQL cannot store them)."""
    return {
        name: [str(_("Deze tekst bevat een teken dat niet is toegestaan."))]
        for name, value in data.items()
        if isinstance(value, str) and "\x00" in value
    }


MAX_TEXT = 5000  # one limit for every free text a person writes (question, answer, reason, …)


def too_long_message(limit: int) -> str:
    return _("Deze tekst is te lang: hoogstens %(limit)d tekens.") % {"limit": limit}


def _strip_invisible(text: str) -> str:
    """Strip spaces and invisible format characters (zero-width space, BOM, …) at both ends: a
    required text of only those is empty."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or unicodedata.category(text[start]) == "Cf"):
        start += 1
    while end > start and (text[end - 1].isspace() or unicodedata.category(text[end - 1]) == "Cf"):
        end -= 1
    return text[start:end]


def clean_texts(
    values: dict,
    *,
    required: dict[str, str] | None = None,
    limits: dict[str, int] | None = None,
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The one text-cleaning rule: strip spaces, refuse NUL characters, a required text may not
    be empty (with its own Dutch message from `required`), none longer than its limit (default
    MAX_TEXT). Returns the cleaned texts and the errors per field, so a service can add its own
    errors and raise them all at once."""
    required, limits = required or {}, limits or {}
    errors = find_null_characters(values)
    cleaned = {}
    for name, value in values.items():
        text = _strip_invisible(str(value or ""))
        limit = limits.get(name, MAX_TEXT)
        if name in errors:
            pass
        elif name in required and not text:
            errors[name] = [str(required[name] or _("Dit veld is verplicht."))]
        elif len(text) > limit:
            errors[name] = [too_long_message(limit)]
        cleaned[name] = text
    return cleaned, errors


def valid_bsns(start: int):
    """Successive numbers from `start` that pass the 11-proef (for demo and test data; use a
    test range such as 99999xxxx so they can never be a real person's)."""
    n = start
    while True:
        candidate = f"{n:09d}"
        if stdnum_bsn.is_valid(candidate):
            yield candidate
        n += 1
