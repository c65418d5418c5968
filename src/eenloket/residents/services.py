"""Every change to residents and households goes through here."""

import re

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.validators import find_null_characters, normalise_bsn, validate_bsn
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope

from .access import bsn_user_types
from .models import (
    DATA_FIELDS,
    Household,
    PreferredChannel,
    Representative,
    RepresentativeKind,
    RepresentativeScope,
    Resident,
)

POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


def normalise_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normalise_phone(value: str) -> str:
    """Dutch or international number in E.164, or a ValidationError."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Dit telefoonnummer klopt niet."), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Dit telefoonnummer klopt niet."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


FIELDS = list(DATA_FIELDS)


def _clean(data: dict) -> dict:
    cleaned = {k: v for k, v in data.items() if k in FIELDS}
    errors: dict[str, list[str]] = find_null_characters(cleaned)
    if errors:
        raise ValidationError(errors)
    if cleaned.get("bsn"):
        cleaned["bsn"] = normalise_bsn(cleaned["bsn"])
        try:
            validate_bsn(cleaned["bsn"])
        except ValidationError as exc:
            errors["bsn"] = exc.messages
    else:
        cleaned["bsn"] = None
    for required in ("given_names", "surname"):
        if not str(cleaned.get(required) or "").strip():
            errors[required] = [_("Vul dit veld in.")]
    if "postcode" in cleaned:
        cleaned["postcode"] = normalise_postcode(cleaned["postcode"])
        if cleaned["postcode"] and not POSTCODE_RE.match(cleaned["postcode"]):
            errors["postcode"] = [_("Een postcode is 4 cijfers en 2 letters, zoals 7511 JM.")]
    if cleaned.get("phone"):
        try:
            cleaned["phone"] = normalise_phone(cleaned["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = [_("Dit e-mailadres klopt niet.")]
    channel = cleaned.get("preferred_channel")
    if channel and channel not in PreferredChannel.values:
        errors["preferred_channel"] = [_("Kies een van de kanalen uit de lijst.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def acting_organisation(user) -> Organisation | None:
    """The organisation a staff member works for when they change the register: their first
    organisation where they hold a contact role."""
    scope = get_scope(user)
    if not permissions.can_work_with_contacts(scope):
        return None
    pk = (
        scope.primary_organisation_id
        if scope.primary_organisation_id in scope.contact_organisation_ids
        else min(scope.contact_organisation_ids)
    )
    return Organisation.objects.get(pk=pk)


def _household_errors(organisation, municipality, household) -> dict[str, list[str]]:
    """Only the resident's own municipality may put a resident in a household, and only in a
    household of its own residents."""
    if household is None:
        return {}
    message = _("Alleen de woongemeente van de inwoner kan het huishouden wijzigen.")
    if not organisation.is_municipality or municipality != organisation:
        return {"household": [message]}
    if household.members.exclude(municipality=organisation).exists():
        return {"household": [message]}
    return {}


@transaction.atomic
def create_resident(*, user, via: str = "ui", **data) -> Resident:
    """Register a resident who is not yet known (e.g. without BRP registration at hand).
    A municipality may record that the resident lives there (woongemeente); only organisations
    that may use a BSN record one; only the woongemeente puts the resident in a household."""
    organisation = acting_organisation(user)
    if organisation is None:
        raise PermissionDenied(permissions.refusal(permissions.can_work_with_contacts))
    cleaned = _clean(data)
    errors: dict[str, list[str]] = {}
    municipality = cleaned.get("municipality")
    if municipality is not None and municipality != organisation:
        errors["municipality"] = [_("U kunt alleen uw eigen gemeente als woongemeente kiezen.")]
    elif municipality is not None and not organisation.is_municipality:
        errors["municipality"] = [_("Alleen een gemeente legt de woongemeente vast.")]
    if cleaned["bsn"] and organisation.type not in bsn_user_types():
        errors["bsn"] = [_("Uw organisatie legt geen BSN vast. Laat het BSN leeg.")]
    elif cleaned["bsn"] and Resident.objects.filter(bsn=cleaned["bsn"]).exists():
        errors["bsn"] = [_("Er is al een inwoner met dit BSN. Zoek de inwoner op BSN.")]
    errors.update(_household_errors(organisation, municipality, cleaned.get("household")))
    if errors:
        raise ValidationError(errors)
    resident = Resident(**cleaned, registered_by=organisation)
    resident.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:  # a concurrent create with the same BSN
        raise ValidationError({"bsn": [_("Er is al een inwoner met dit BSN.")]}) from exc
    log_access(
        user=user,
        organisation_code=organisation.code,
        residents=[resident],
        activity=Activity.RESIDENT_VIEW,
        action=Action.CREATE,
        channel=via,
    )
    return resident


@transaction.atomic
def create_household(*, user, name: str, members: list[Resident]) -> Household:
    """A household of residents of the user's own municipality (only the woongemeente may)."""
    organisation = acting_organisation(user)
    if organisation is None or not organisation.is_municipality:
        raise PermissionDenied(
            _("Alleen de woongemeente van de inwoner kan het huishouden wijzigen.")
        )
    if not name.strip():
        raise ValidationError({"name": [_("Vul dit veld in.")]})
    if any(m.municipality_id != organisation.pk for m in members):
        raise ValidationError(
            {"members": [_("Alleen de woongemeente van de inwoner kan het huishouden wijzigen.")]}
        )
    household = Household.objects.create(name=name.strip())
    Resident.objects.filter(pk__in=[m.pk for m in members]).update(household=household)
    return household


# ---- representation (bewind, curatele, mentorschap, machtiging) -------------------------------
# Who may record a representative: the resident's own municipality, or an organisation that
# has had contact with the resident itself (not a lookup or referral alone).
REPRESENTATION_BASES = frozenset({"woongemeente", "eigen-contact", "zelf-vastgelegd"})
REPRESENTATIVE_FIELDS = (
    "kind",
    "name",
    "organisation_name",
    "street",
    "house_number",
    "postcode",
    "city",
    "email",
    "phone",
    "scope",
    "subject",
    "valid_from",
    "valid_until",
)


def _representation_organisation(user, resident) -> Organisation:
    """The user's organisation that may record the resident's representative, or PermissionDenied."""
    from .selectors import access_for  # selectors import this module

    resident = getattr(resident, "resident", resident)
    access = access_for(user, resident)
    basis = next((b for b in access.bases if b.kind in REPRESENTATION_BASES), None)
    if basis is None:
        raise PermissionDenied(
            _(
                "Alleen de woongemeente, of een organisatie die zelf contact had met de "
                "inwoner, legt een vertegenwoordiger vast."
            )
        )
    return Organisation.objects.get(pk=basis.organisation_id)


def may_record_representative(user, resident) -> bool:
    try:
        _representation_organisation(user, resident)
    except PermissionDenied:
        return False
    return True


def _clean_representative(data: dict) -> dict:
    from eenloket.core.validators import clean_texts

    names = [k for k in REPRESENTATIVE_FIELDS if k not in ("valid_from", "valid_until")]
    texts = {k: data.get(k) or "" for k in names}
    cleaned, errors = clean_texts(
        texts,
        limits={
            **{k: Representative._meta.get_field(k).max_length for k in names},
            "postcode": 7,  # "7511 AE", normalised below
        },
        required={
            "kind": _("Kies de soort vertegenwoordiging."),
            "name": _("Vul de naam van de vertegenwoordiger in."),
            "scope": _("Kies wie de post krijgt."),
        },
    )
    if cleaned.get("kind") and cleaned["kind"] not in RepresentativeKind.values:
        errors["kind"] = [_("Kies een soort uit de lijst.")]
    if cleaned.get("scope") and cleaned["scope"] not in RepresentativeScope.values:
        errors["scope"] = [_("Kies uit de lijst wie de post krijgt.")]
    cleaned["postcode"] = normalise_postcode(cleaned.get("postcode", ""))
    if cleaned["postcode"] and not POSTCODE_RE.match(cleaned["postcode"]):
        errors["postcode"] = [_("Een postcode is 4 cijfers en 2 letters, zoals 7511 JM.")]
    if cleaned.get("phone"):
        try:
            cleaned["phone"] = normalise_phone(cleaned["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = [_("Dit e-mailadres klopt niet.")]
    has_address = cleaned.get("street") and (cleaned.get("postcode") or cleaned.get("city"))
    if not cleaned.get("email") and not has_address:
        errors.setdefault("street", []).append(
            _("Vul een adres of een e-mailadres in: anders kan de post niet aankomen.")
        )
    valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
    if valid_from is None:
        errors["valid_from"] = [_("Vul in vanaf wanneer de vertegenwoordiging geldt.")]
    elif valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = [_("De einddatum ligt voor de begindatum.")]
    if errors:
        raise ValidationError(errors)
    cleaned["valid_from"], cleaned["valid_until"] = valid_from, valid_until
    return cleaned


@transaction.atomic
def record_representative(*, user, resident, via: str = "ui", **data) -> Representative:
    """Record who represents the resident (bewindvoerder, curator, mentor, gemachtigde — Awb
    2:1), with scope and period: while it holds, letters and checks go to the representative
    (or to both, as the scope says)."""
    resident = getattr(resident, "resident", resident)
    organisation = _representation_organisation(user, resident)
    cleaned = _clean_representative(data)
    representative = Representative.objects.create(resident=resident, recorded_by=user, **cleaned)
    log_access(
        user=user,
        organisation_code=organisation.code,
        residents=[resident],
        activity=Activity.REPRESENTATIVE_RECORD,
        action=Action.CREATE,
        channel=via,
        object_type="representative",
        object_id=str(representative.uuid),
    )
    return representative


@transaction.atomic
def end_representative(*, user, representative, valid_until, via: str = "ui") -> Representative:
    """The representation ends on `valid_until` (inclusive); not before it began."""
    organisation = _representation_organisation(user, representative.resident)
    representative = Representative.objects.select_for_update().get(pk=representative.pk)
    if valid_until is None:
        raise ValidationError({"valid_until": [_("Vul de laatste dag in.")]})
    if valid_until < representative.valid_from:
        raise ValidationError({"valid_until": [_("De einddatum ligt voor de begindatum.")]})
    representative.valid_until = valid_until
    representative.save(update_fields=["valid_until"])
    log_access(
        user=user,
        organisation_code=organisation.code,
        residents=[representative.resident],
        activity=Activity.REPRESENTATIVE_RECORD,
        action=Action.UPDATE,
        channel=via,
        object_type="representative",
        object_id=str(representative.uuid),
    )
    return representative
