"""Who may see which of a resident's data, and why.

An organisation sees a resident's personal data only on a recorded basis (grondslag):

- *woongemeente*: the resident lives in the municipality (its register authorisation for its own
  residents, Wet BRP) — everything, the household included;
- *opzoeking*: it looked the resident up with a key it is authorised for (an agency by BSN) —
  for the rest of that day;
- *zelf vastgelegd*: it put the resident in the register itself;
- *eigen contact*: it registered a contact with the resident (domain app `contacts`);
- *doorverwijzing*: a referral to it shares the resident's details (domain app `referrals`);
- later: a case with the resident's consent, a recorded legal ground.

Domain apps add their kind of basis with `@basis_provider`, so this module (low in the layers)
never imports them. Every basis says what it opens (`ResidentData`), on which ground and until
when; screens show it ("Waarom ziet u dit?"). A BSN is shown only to organisations that may use
it (Wabb art. 10: government bodies, not partners)."""

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eenloket.core.calendar import AMSTERDAM

from .models import (
    DATA_FIELDS,
    RegisterAuthorisation,
    RegisterLookup,
    RegisterScope,
    Resident,
    ResidentData,
)

D = ResidentData
# What a resident's own municipality, a lookup, an own contact and the record's author open.
ALL_DATA = frozenset(D.values)
WORKING_DATA = frozenset({D.IDENTITY, D.BSN, D.ADDRESS, D.CONTACT, D.NEEDS})

# Resident attributes per part of the data; anything not listed (uuid) is always visible.
FIELD_DATA = {
    **DATA_FIELDS,
    # derived attributes shown on screens
    "full_name": D.IDENTITY,
    "address": D.ADDRESS,
    "municipality_id": D.ADDRESS,
    "get_preferred_channel_display": D.CONTACT,
    "accessibility_needs": D.NEEDS,
    "household_id": D.HOUSEHOLD,
}


@dataclass(frozen=True)
class Basis:
    """One reason why an organisation may see (part of) a resident's data."""

    kind: str  # woongemeente, opzoeking, zelf-vastgelegd, eigen-contact, doorverwijzing, …
    organisation_id: int
    label: str  # what it is, in B1 Dutch: "Doorverwijzing van Gemeente Enschede, 3 december"
    legal_ground: str
    data: frozenset[str]
    until: dt.datetime | None = None  # None: as long as the source lasts (see `until_text`)
    until_text: str = ""
    link: str = ""
    # A purpose-bound basis (a case consent) says for what the data may be used; a read on it
    # alone is logged with this purpose instead of the counter's.
    purpose: str = ""


@dataclass
class ResidentAccess:
    resident: Resident
    bases: list[Basis] = field(default_factory=list)

    @property
    def data(self) -> frozenset[str]:
        return frozenset().union(*(b.data for b in self.bases)) if self.bases else frozenset()

    def allows(self, item: str) -> bool:
        return item in self.data

    def __bool__(self) -> bool:
        return bool(self.bases)


Provider = Callable[[frozenset[int], Resident, dt.datetime], Iterable[Basis]]
_PROVIDERS: list[Provider] = []


def basis_provider(func: Provider) -> Provider:
    """Register a function (organisation ids, resident, now) → bases. Domain apps call this in
    their AppConfig.ready()."""
    if func not in _PROVIDERS:
        _PROVIDERS.append(func)
    return func


def days_setting(name: str) -> dt.timedelta:
    """A number of days from the settings (conf/settings/base.py defines each)."""
    return dt.timedelta(days=getattr(settings, name))


def end_of_day(moment: dt.datetime) -> dt.datetime:
    local = moment.astimezone(AMSTERDAM)
    end = dt.datetime.combine(local.date(), dt.time(23, 59, 59), tzinfo=AMSTERDAM)
    return end.astimezone(dt.UTC)


_cache: dict = {"at": -1.0, "rows": []}


def _all_authorisations() -> list[RegisterAuthorisation]:
    """The register authorisations, kept in memory for REGISTER_AUTHORISATION_CACHE_SECONDS
    (a small table read on every resident read); a change in this process clears it at once."""
    ttl = float(getattr(settings, "REGISTER_AUTHORISATION_CACHE_SECONDS", 60))
    now = time.monotonic()
    if ttl <= 0 or now - _cache["at"] > ttl:
        _cache["rows"] = list(RegisterAuthorisation.objects.all())
        _cache["at"] = now
    return _cache["rows"]


def clear_authorisation_cache(**_kwargs) -> None:
    _cache["at"] = -1.0


def current_authorisations(today: dt.date | None = None) -> list[RegisterAuthorisation]:
    today = today or timezone.localdate()
    return [
        a
        for a in _all_authorisations()
        if a.valid_from <= today and (a.valid_until is None or a.valid_until >= today)
    ]


def bsn_user_types(today: dt.date | None = None) -> frozenset[str]:
    """Organisation types that may use a BSN: those with a BSN search authorisation."""
    return frozenset(
        a.organisation_type for a in current_authorisations(today) if a.search_key == "bsn"
    )


def access_for_organisations(
    organisation_types: dict[int, str], resident: Resident, now: dt.datetime | None = None
) -> ResidentAccess:
    """All bases on which these organisations (id → type) may see the resident."""
    now = now or timezone.now()
    access = ResidentAccess(resident=resident)
    if not organisation_types:
        return access
    ids = frozenset(organisation_types)
    bases = [b for provider in _PROVIDERS for b in provider(ids, resident, now)]
    access.bases = sorted(
        (without_bsn_unless_allowed(b, organisation_types, now) for b in bases),
        key=lambda b: (-len(b.data), b.label),
    )
    return access


def without_bsn_unless_allowed(basis: Basis, organisation_types, now) -> Basis:
    """A BSN only for organisations that may use it (Wabb art. 10), whatever the source."""
    if D.BSN not in basis.data:
        return basis
    if organisation_types.get(basis.organisation_id) in bsn_user_types(
        now.astimezone(AMSTERDAM).date()
    ):
        return basis
    return Basis(**{**basis.__dict__, "data": basis.data - {D.BSN}})


def has_basis(organisation_ids: Iterable[int], resident: Resident, now=None) -> bool:
    """Any basis at all (stops at the first provider that has one: cheap on hot paths)."""
    organisation_ids = frozenset(organisation_ids)
    now = now or timezone.now()
    return any(any(True for _ in p(organisation_ids, resident, now)) for p in _PROVIDERS)


def organisation_may_see(organisation_id: int, resident) -> bool:
    """Whether this organisation has a basis for the resident now. A VisibleResident from a
    selector already carries its bases (read a moment ago): no second round of the providers."""
    if isinstance(resident, VisibleResident):
        return any(b.organisation_id == organisation_id for b in resident.access.bases)
    return has_basis({organisation_id}, resident)


class VisibleResident:
    """A resident as one organisation may see them: parts of the data without a basis read as
    None. `resident` is the model instance, for services that need it."""

    def __init__(self, resident: Resident, access: ResidentAccess):
        self.resident = resident
        self.access = access

    def __getattr__(self, name):
        part = FIELD_DATA.get(name)
        if part is not None and part not in self.access.data:
            return None
        return getattr(self.resident, name)

    def shows(self, part: str) -> bool:
        return part in self.access.data

    @property
    def parts(self) -> dict[str, bool]:
        """For templates: `resident.parts.bsn`, `resident.parts.huishouden`."""
        return dict.fromkeys(self.access.data, True)

    @property
    def pk(self):
        return self.resident.pk

    @property
    def display_name(self) -> str:
        return self.full_name or str(_("Naam niet gedeeld met uw organisatie"))

    def __eq__(self, other):
        other = getattr(other, "resident", other)
        return isinstance(other, Resident) and other.pk == self.resident.pk

    def __hash__(self):
        return hash(self.resident.pk)

    def __str__(self):
        return self.display_name


# ---- the bases this app records ----------------------------------------------------------------
@basis_provider
def _municipality_of_residence(organisation_ids, resident, now):
    if resident.municipality_id not in organisation_ids:
        return []
    authorisation = next(
        (
            a
            for a in current_authorisations(now.astimezone(AMSTERDAM).date())
            if a.scope == RegisterScope.OWN_RESIDENTS
            and a.organisation_type == resident.municipality.type
        ),
        None,
    )
    if authorisation is None:
        return []
    data = ALL_DATA if resident.municipality.is_municipality else WORKING_DATA
    return [
        Basis(
            kind="woongemeente",
            organisation_id=resident.municipality_id,
            label=str(_("De inwoner woont in uw gemeente")),
            legal_ground=authorisation.legal_ground,
            data=data,
            until=_end_of(authorisation.valid_until),
            until_text=str(_("zolang de inwoner in uw gemeente woont")),
        )
    ]


def _end_of(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=AMSTERDAM).astimezone(dt.UTC)


@basis_provider
def _lookups(organisation_ids, resident, now):
    rows = (
        RegisterLookup.objects.filter(
            resident=resident, organisation_id__in=organisation_ids, valid_until__gt=now
        )
        .select_related("authorisation")
        .order_by("organisation_id", "-valid_until")
    )
    seen, bases = set(), []
    for row in rows:
        if row.organisation_id in seen:
            continue
        seen.add(row.organisation_id)
        bases.append(lookup_basis(row))
    return bases


def lookup_basis(lookup: RegisterLookup) -> Basis:
    return Basis(
        kind="opzoeking",
        organisation_id=lookup.organisation_id,
        label=str(_("Uw organisatie zocht de inwoner op (%(key)s)"))
        % {"key": lookup.authorisation.get_search_key_display()},
        legal_ground=lookup.authorisation.legal_ground,
        data=WORKING_DATA,
        until=lookup.valid_until,
    )


@basis_provider
def _registered_by(organisation_ids, resident, now):
    if resident.registered_by_id not in organisation_ids:
        return []
    until = resident.created_at + days_setting("RESIDENT_BASIS_OWN_CONTACT_DAYS")
    if until <= now:
        return []
    return [
        Basis(
            kind="zelf-vastgelegd",
            organisation_id=resident.registered_by_id,
            label=str(_("Uw organisatie heeft de inwoner zelf vastgelegd")),
            legal_ground=str(_("De inwoner vroeg uw organisatie om hulp")),
            data=WORKING_DATA,
            until=until,
        )
    ]
