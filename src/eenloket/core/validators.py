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
