"""Who sees what of a case, and why (DESIGN.md: permissions by organisation and purpose).

- The case's municipality, in the person of a case manager or team lead there: the whole case
  (the "regie"), purpose: casusregie.
- Any other organisation: only the parts and life domains an *active* consent opens for it
  (the resident's consent, or a named legal ground; not revoked, within its dates), and only
  while the case is open; the purposes of those consents are what the access log records.
- Nothing else: no consent, no sight (not even that the case exists).

A consent that opens `persoonsgegevens` is also a basis to see the resident's name, address and
contact details (residents/access.py), for the same period: the way an organisation gets wider
sight of a resident than its own contacts."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.roles import CASE_ROLES, LEAD_ROLES
from eenloket.residents.access import Basis, basis_provider, end_of_day
from eenloket.residents.models import ResidentData

from .models import Case, CasePart, CaseStatus, Consent

OWNER_ROLES = CASE_ROLES | LEAD_ROLES
ALL_PARTS = frozenset(CasePart.values)


@dataclass
class CaseView:
    """What one staff member sees of one case."""

    case: Case
    organisation_id: int | None  # the organisation they see it for
    organisation_code: str = ""
    owner: bool = False
    parts: frozenset = frozenset()
    domains: frozenset | None = None  # None: every life domain
    consents: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.owner or bool(self.parts)

    def shows(self, part: str) -> bool:
        return self.owner or part in self.parts

    def shows_domain(self, domain: str) -> bool:
        return self.owner or self.domains is None or not domain or domain in self.domains

    @property
    def purpose(self) -> str:
        """The purpose the access log records: the consents' purposes for a partner."""
        if self.owner or not self.consents:
            return ""
        return "; ".join(dict.fromkeys(c.purpose for c in self.consents))[:200]

    @property
    def part_list(self) -> list[str]:
        """The parts seen, in the order of CasePart (for "U ziet: …")."""
        return [p for p in CasePart.values if p in self.parts]

    @property
    def domain_list(self) -> list[str]:
        from .models import LifeDomain

        return [d for d in LifeDomain.values if self.domains and d in self.domains]

    @property
    def show(self) -> dict:
        """For templates: `view.show.plan`."""
        return {part: self.shows(part) for part in CasePart.values}


def today_local(now=None) -> dt.date:
    from django.utils import timezone

    return (now or timezone.now()).astimezone(AMSTERDAM).date()


def active_consents(case, organisation_ids, today) -> list[Consent]:
    rows = [c for c in case.consents.all() if c.organisation_id in organisation_ids]
    return [c for c in rows if c.is_active(today)]


def is_owner(scope, case) -> bool:
    return any(
        org == case.municipality_id and role in OWNER_ROLES
        for org, role in scope.organisation_roles
    )


def view_for(scope, case, now=None) -> CaseView:
    """The view of `case` for the staff member with this scope (falsy: they see nothing)."""
    codes = {pk: code for pk, code, _t in scope.organisations}
    if is_owner(scope, case):
        return CaseView(
            case=case,
            organisation_id=case.municipality_id,
            organisation_code=codes.get(case.municipality_id, ""),
            owner=True,
            parts=ALL_PARTS,
        )
    if case.status != CaseStatus.OPEN:
        return CaseView(case=case, organisation_id=None)
    today = today_local(now)
    best = CaseView(case=case, organisation_id=None)
    for organisation_id in sorted(scope.contact_organisation_ids):
        consents = active_consents(case, {organisation_id}, today)
        if not consents:
            continue
        parts = frozenset().union(*(frozenset(c.parts) for c in consents))
        domains = (
            None
            if any(not c.domains for c in consents)
            else frozenset().union(*(frozenset(c.domains) for c in consents))
        )
        if len(parts) > len(best.parts):
            best = CaseView(
                case=case,
                organisation_id=organisation_id,
                organisation_code=codes.get(organisation_id, ""),
                parts=parts,
                domains=domains,
                consents=consents,
            )
    return best


# ---- the basis to see the resident ---------------------------------------------------------------
PERSONAL_DATA = frozenset(
    {ResidentData.IDENTITY, ResidentData.BSN, ResidentData.ADDRESS, ResidentData.CONTACT}
)


@basis_provider
def _case_consent(organisation_ids, resident, now):
    today = now.astimezone(AMSTERDAM).date()
    rows = (
        Consent.objects.filter(
            case__resident=resident,
            case__status=CaseStatus.OPEN,
            organisation_id__in=organisation_ids,
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        .select_related("case__municipality")
        .order_by("valid_until")
    )
    for consent in rows:
        if CasePart.PERSONAL not in consent.parts:
            continue
        yield Basis(
            kind="casus",
            organisation_id=consent.organisation_id,
            label=_("Casus %(reference)s van %(municipality)s")
            % {
                "reference": consent.case.reference,
                "municipality": consent.case.municipality.name,
            },
            legal_ground=consent.basis_text,
            data=PERSONAL_DATA,
            purpose=consent.purpose,
            until=end_of_day(
                dt.datetime.combine(consent.valid_until, dt.time(12), tzinfo=AMSTERDAM)
            ),
        )
