"""Reads of residents' personal data. Every read that returns personal data is logged."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from eenloket.core.audit import log_access
from eenloket.core.errors import NotFound
from eenloket.core.validators import normalise_bsn, validate_bsn
from eenloket.organisations.selectors import get_scope

from .models import Resident
from .services import normalise_postcode

SEARCH_LIMIT = 20


def _require_contact_role(user):
    scope = get_scope(user)
    if not scope.can_work_with_contacts:
        raise PermissionDenied(_("U heeft geen rol waarmee u inwoners mag zoeken of inzien."))
    return scope


def search_residents(
    user,
    *,
    bsn: str = "",
    surname: str = "",
    birth_date: dt.date | None = None,
    postcode: str = "",
    house_number: int | None = None,
    channel: str = "ui",
) -> list[Resident]:
    """Find residents by one exact key: BSN, surname + birth date, or postcode + house number.
    There is no browsing: the register is only searched with what the resident tells you."""
    scope = _require_contact_role(user)
    qs = Resident.objects.select_related("household")
    if bsn:
        bsn = normalise_bsn(bsn)
        validate_bsn(bsn)
        qs = qs.filter(bsn=bsn)
    elif surname and birth_date:
        qs = qs.filter(surname__iexact=surname.strip(), birth_date=birth_date)
    elif postcode and house_number:
        qs = qs.filter(postcode=normalise_postcode(postcode), house_number=house_number)
    else:
        raise ValidationError(
            _("Zoek op BSN, op achternaam met geboortedatum, of op postcode met huisnummer."),
            code="search_key_missing",
        )
    residents = list(qs.order_by("surname", "given_names", "id")[:SEARCH_LIMIT])
    log_access(
        user=user,
        organisation_code=scope.primary_organisation_code,
        residents=residents,
        activity="inwoner-zoeken",
        action="search",
        channel=channel,
    )
    return residents


def get_resident(user, resident_uuid, *, channel: str = "ui") -> Resident:
    scope = _require_contact_role(user)
    try:
        resident = Resident.objects.select_related("household").get(uuid=resident_uuid)
    except (Resident.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound(_("Deze inwoner bestaat niet.")) from exc
    log_access(
        user=user,
        organisation_code=scope.primary_organisation_code,
        residents=[resident],
        activity="inwoner-inzien",
        action="read",
        channel=channel,
    )
    return resident


def household_members(user, resident: Resident, *, channel: str = "ui") -> list[Resident]:
    """Other members of the resident's household; their names are personal data too."""
    scope = _require_contact_role(user)
    if not resident.household_id:
        return []
    members = list(
        Resident.objects.filter(household_id=resident.household_id)
        .exclude(pk=resident.pk)
        .only("uuid", "bsn", "given_names", "surname_prefix", "surname", "birth_date")
        .order_by("birth_date", "id")
    )
    log_access(
        user=user,
        organisation_code=scope.primary_organisation_code,
        residents=members,
        activity="inwoner-inzien",
        action="read",
        channel=channel,
        object_type="household-member",
    )
    return members
