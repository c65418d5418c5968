"""Reads for organisations, teams, locations and the staff directory.

Organisations, teams, locations and the staff directory are work information, not personal data
of residents: every staff member may read them (background 001, decision III and proposal 13:
staff must easily reach colleagues of other services)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from eenloket.core import permissions
from eenloket.core.roles import CONTACT_ROLES, LEAD_ROLES, Role

from .models import Location, Membership, OpeningHours, Organisation, Team


@dataclass(frozen=True)
class StaffScope:
    """What a signed-in staff member may do and see: derived from their memberships."""

    user_id: int | None
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    primary_organisation_id: int | None = None
    primary_organisation_code: str = ""
    # A role counts only in the organisation (and team) of that membership.
    contact_organisation_ids: frozenset[int] = field(default_factory=frozenset)
    contact_team_ids: frozenset[int] = field(default_factory=frozenset)
    lead_organisation_ids: frozenset[int] = field(default_factory=frozenset)
    # (organisation id, role) of every membership.
    organisation_roles: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    # (id, code, type) of every organisation of the user's memberships.
    organisations: tuple[tuple[int, str, str], ...] = ()

    # For templates (`scope.can_work_with_contacts`): the predicates of core/permissions.py.
    @property
    def is_staff_member(self) -> bool:
        return permissions.is_staff_member(self)

    @property
    def can_work_with_contacts(self) -> bool:
        return permissions.can_work_with_contacts(self)

    @property
    def can_read_access_log(self) -> bool:
        return permissions.is_privacy_officer(self)

    @property
    def can_read_reports(self) -> bool:
        return permissions.can_read_reports(self)

    @property
    def is_functional_admin(self) -> bool:
        return permissions.is_functional_admin(self)

    @property
    def can_manage_cases(self) -> bool:
        return permissions.can_manage_cases(self)


EMPTY_SCOPE = StaffScope(user_id=None)


def get_scope(user) -> StaffScope:
    """The scope of a user; cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return EMPTY_SCOPE
    cached = getattr(user, "_eenloket_scope", None)
    if cached is not None:
        return cached
    rows = list(
        Membership.objects.filter(user_id=user.pk, user__is_active=True)
        .order_by("id")
        .values_list(
            "organisation_id", "organisation__code", "role", "team_id", "organisation__type"
        )
    )
    contact_rows = [r for r in rows if r[2] in CONTACT_ROLES]
    scope = StaffScope(
        user_id=user.pk,
        organisation_ids=frozenset(r[0] for r in rows),
        roles=frozenset(r[2] for r in rows),
        primary_organisation_id=rows[0][0] if rows else None,
        primary_organisation_code=rows[0][1] if rows else "",
        contact_organisation_ids=frozenset(r[0] for r in contact_rows),
        contact_team_ids=frozenset(r[3] for r in contact_rows if r[3]),
        lead_organisation_ids=frozenset(r[0] for r in rows if r[2] in LEAD_ROLES),
        organisation_roles=frozenset((r[0], r[2]) for r in rows),
        organisations=tuple(dict.fromkeys((r[0], r[1], r[4]) for r in rows)),
    )
    user._eenloket_scope = scope
    return scope


def role_at(user, organisation_code: str) -> str:
    """The role a user works in at the organisation (the first membership there; the access
    log records it). Uses the scope cached on the user: no query after the first."""
    scope = get_scope(user)
    ids = [pk for pk, code, _t in scope.organisations if code == organisation_code]
    if not ids:
        return ""
    order = list(Role.values)
    roles = [role for org, role in scope.organisation_roles if org == ids[0]]
    return min(roles, key=lambda r: order.index(r) if r in order else len(order), default="")


def works_at(organisation, location) -> bool:
    """The organisation works at the location: its own, or one where it is a guest."""
    return (
        location.organisation_id == organisation.pk
        or location.guest_organisations.filter(pk=organisation.pk).exists()
    )


def municipality_of(organisation, location=None):
    """The municipality a contact happens in: the organisation itself, or the town hall where
    an agency is a guest; None outside a municipality. Its own services and learned routing
    apply there."""
    if organisation.is_municipality:
        return organisation
    if location is not None and location.organisation.is_municipality:
        return location.organisation
    return None


def team_leads(organisation_id, team_id=None) -> list:
    """The team lead(s) of a team, else of the whole organisation; deactivated accounts never
    (an escalation to someone who can no longer sign in would be lost)."""
    qs = Membership.objects.filter(role__in=LEAD_ROLES, user__is_active=True).select_related("user")
    leads = [m.user for m in qs.filter(team_id=team_id)] if team_id else []
    return leads or [m.user for m in qs.filter(organisation_id=organisation_id)]


def organisation_list(*, type: str | None = None) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if type:
        qs = qs.filter(type=type)
    return qs


def team_list() -> QuerySet[Team]:
    return Team.objects.select_related("organisation")


def location_list() -> QuerySet[Location]:
    return (
        Location.objects.select_related("organisation")
        .prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
            "guest_organisations",
        )
        .order_by("organisation__name", "name")
    )


def locations_for_scope(scope: StaffScope) -> QuerySet[Location]:
    """Locations where this staff member works: own locations and host locations as a guest."""
    return (
        location_list()
        .filter(
            Q(organisation_id__in=scope.organisation_ids)
            | Q(guest_organisations__id__in=scope.organisation_ids)
        )
        .distinct()
    )


def staff_directory(*, query: str = "", organisation_code: str = "") -> QuerySet[Membership]:
    """Named contact persons per team with their direct phone number, searchable by name,
    team, organisation, or what the team helps with."""
    qs = (
        Membership.objects.filter(is_contact_person=True, user__is_active=True)
        .select_related("user", "organisation", "team")
        .order_by("organisation__name", "team__name", "user__last_name", "user__first_name")
    )
    if organisation_code:
        qs = qs.filter(organisation__code=organisation_code)
    for word in query.split()[:6]:
        qs = qs.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__job_title__icontains=word)
            | Q(team__name__icontains=word)
            | Q(team__description__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__code__iexact=word)
        )
    return qs
