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


def valid_bsns(start: int):
    """Successive numbers from `start` that pass the 11-proef (for demo and test data; use a
    test range such as 99999xxxx so they can never be a real person's)."""
    n = start
    while True:
        candidate = f"{n:09d}"
        if stdnum_bsn.is_valid(candidate):
            yield candidate
        n += 1
