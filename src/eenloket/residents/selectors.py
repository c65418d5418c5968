"""Reads of residents' personal data. Every read that returns personal data is logged, and
shows only what a recorded basis allows (residents/access.py)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.errors import NotFound
from eenloket.core.validators import normalise_bsn, validate_bsn
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope

from .access import (
    ResidentAccess,
    VisibleResident,
    access_for_organisations,
    current_authorisations,
    end_of_day,
    lookup_basis,
)
from .models import RegisterLookup, RegisterScope, Resident, ResidentData, SearchKey
from .services import normalise_postcode

SEARCH_LIMIT = 20


def _require_contact_role(user):
    scope = get_scope(user)
    permissions.require(permissions.can_work_with_contacts, scope)
    return scope


def search_rights(user) -> dict[str, list]:
    """Per search key, the (organisation, authorisation) pairs of this user's organisations
    that may use it — what the search screen offers."""
    scope = get_scope(user)
    organisations = [
        Organisation(pk=pk, code=code, type=type_)
        for pk, code, type_ in scope.organisations
        if permissions.can_work_with_contacts_of(scope, pk)
    ]
    rights: dict[str, list] = {key: [] for key in SearchKey.values}
    for authorisation in current_authorisations():
        for organisation in organisations:
            if organisation.type == authorisation.organisation_type:
                rights[authorisation.search_key].append((organisation, authorisation))
    return rights


def refusal_text(rights, key) -> str:
    allowed = [str(SearchKey(k).label) for k, pairs in rights.items() if pairs]
    if not allowed:
        return _(
            "Uw organisatie zoekt niet in het inwonersregister. U werkt met wat de inwoner of "
            "een doorverwijzing met u deelt."
        )
    return _("Uw organisatie mag niet zoeken op %(key)s. U mag zoeken op: %(allowed)s.") % {
        "key": SearchKey(key).label,
        "allowed": ", ".join(allowed),
    }


def search_residents(
    user,
    *,
    bsn: str = "",
    surname: str = "",
    birth_date: dt.date | None = None,
    postcode: str = "",
    house_number: int | None = None,
    channel: str = "ui",
) -> list[VisibleResident]:
    """Find residents by one exact key: BSN, surname + birth date, or postcode + house number,
    as far as the organisation's register authorisation goes (purpose-bound: a municipality
    finds its own residents by every key, an agency any resident by BSN only, a partner
    nobody). There is no browsing. Each result found is a recorded lookup (the basis to work
    with the resident today) and a logged read."""
    scope = _require_contact_role(user)
    qs = Resident.objects.select_related("household", "municipality")
    if bsn:
        key = SearchKey.BSN
        bsn = normalise_bsn(bsn)
        validate_bsn(bsn)
        qs = qs.filter(bsn=bsn)
    elif surname and birth_date:
        key = SearchKey.NAME_BIRTH_DATE
        qs = qs.filter(surname__iexact=surname.strip(), birth_date=birth_date)
    elif postcode and house_number:
        key = SearchKey.ADDRESS
        qs = qs.filter(postcode=normalise_postcode(postcode), house_number=house_number)
    else:
        raise ValidationError(
            _("Zoek op BSN, op achternaam met geboortedatum, of op postcode met huisnummer."),
            code="search_key_missing",
        )
    rights = search_rights(user)
    pairs = rights[key]
    if not pairs:
        raise PermissionDenied(refusal_text(rights, key))
    if not any(a.scope == RegisterScope.ALL for _o, a in pairs):
        qs = qs.filter(municipality_id__in=[o.pk for o, _a in pairs])
    found = list(qs.order_by("surname", "given_names", "id")[:SEARCH_LIMIT])
    now = timezone.now()
    lookups = []
    for resident in found:
        organisation, authorisation = next(
            (
                (o, a)
                for o, a in pairs
                if a.scope == RegisterScope.ALL or resident.municipality_id == o.pk
            ),
            pairs[0],
        )
        lookups.append(
            RegisterLookup(
                organisation=organisation,
                resident=resident,
                staff=user,
                authorisation=authorisation,
                at=now,
                valid_until=end_of_day(now),
            )
        )
    RegisterLookup.objects.bulk_create(lookups)
    # The lookup just recorded is the basis for what the result list shows.
    results = [
        VisibleResident(r, ResidentAccess(resident=r, bases=[lookup_basis(lookup)]))
        for r, lookup in zip(found, lookups, strict=True)
    ]
    log_access(
        user=user,
        organisation_code=scope.primary_organisation_code,
        residents=found,
        activity=Activity.RESIDENT_SEARCH,
        action=Action.SEARCH,
        channel=channel,
    )
    return results


def _contact_organisation_types(scope) -> dict[int, str]:
    return {pk: t for pk, _c, t in scope.organisations if pk in scope.contact_organisation_ids}


def _visible(scope, resident, now=None) -> VisibleResident:
    return VisibleResident(
        resident, access_for_organisations(_contact_organisation_types(scope), resident, now)
    )


def access_for(user, resident) -> ResidentAccess:
    """The bases on which this user's organisations may see the resident (none: may not)."""
    return access_for_organisations(_contact_organisation_types(get_scope(user)), resident)


def get_resident(user, resident_uuid, *, channel: str = "ui") -> VisibleResident:
    """One resident, as far as a basis allows. Without any basis: NotFound, exactly as when the
    resident does not exist (the register does not say who is in it)."""
    scope = _require_contact_role(user)
    try:
        resident = Resident.objects.select_related("household", "municipality").get(
            uuid=resident_uuid
        )
    except (Resident.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound(_("Deze inwoner bestaat niet of u mag de gegevens niet zien.")) from exc
    visible = _visible(scope, resident)
    if not visible.access:
        raise NotFound(_("Deze inwoner bestaat niet of u mag de gegevens niet zien."))
    bases = visible.access.bases
    purposes = [b.purpose for b in bases]
    log_access(
        user=user,
        organisation_code=scope.primary_organisation_code,
        residents=[resident],
        activity=Activity.RESIDENT_VIEW,
        action=Action.READ,
        channel=channel,
        # Seen only on purpose-bound bases (a case consent): logged with their purposes.
        purpose="; ".join(dict.fromkeys(purposes)) if all(purposes) else "",
    )
    return visible


def household_members(user, resident, *, channel: str = "ui") -> list[Resident]:
    """Other members of the resident's household: only for the resident's own municipality
    (their names are personal data too)."""
    scope = _require_contact_role(user)
    if isinstance(resident, VisibleResident):
        if not resident.shows(ResidentData.HOUSEHOLD):
            return []
        resident = resident.resident
    elif not access_for(user, resident).allows(ResidentData.HOUSEHOLD):
        return []
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
        activity=Activity.RESIDENT_VIEW,
        action=Action.READ,
        channel=channel,
        object_type="household-member",
    )
    return members
