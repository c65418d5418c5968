"""One permission vocabulary: named predicates over what a staff member may do, each with one
Dutch refusal. Services, selectors, views, the API and templates ask these; the roles themselves
are defined in core/roles.py only.

core is the ground floor and imports no domain app, so a predicate takes the scope duck-typed:
whatever `organisations.selectors.get_scope(user)` returns (a `StaffScope`), with `roles`,
`organisation_ids`, `contact_organisation_ids`, `contact_team_ids`, `lead_organisation_ids` and
`organisation_roles` ((organisation id, role) pairs). Organisations and teams may be given as
objects or as ids.

    require(can_work_with_contacts, scope)        # PermissionDenied with its one message
    if not can_read_reports(scope):
        messages.error(request, refusal(can_read_reports))

The DRF permission classes that read the scope live in organisations/permissions.py."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .roles import AUDIT_ROLES, BEHEER_ROLES, CASE_ROLES, CONTACT_ROLES, REPORT_ROLES

Predicate = Callable[..., bool]


def predicate(message) -> Callable[[Predicate], Predicate]:
    """Mark a function as a permission predicate with its one refusal message."""

    def register(test: Predicate) -> Predicate:
        test.refusal = message
        return test

    return register


def refusal(test: Predicate) -> str:
    """The Dutch refusal of a predicate (translated in the active language)."""
    return str(test.refusal)


def require(test: Predicate, scope, *args) -> None:
    """Refuse with the predicate's message unless it holds."""
    if not test(scope, *args):
        raise PermissionDenied(refusal(test))


def _pk(value):
    return getattr(value, "pk", value)


@predicate(_("U moet ingelogd zijn als medewerker van een organisatie."))
def is_staff_member(scope) -> bool:
    """A member of at least one organisation (any role)."""
    return bool(scope.organisation_ids)


@predicate(_("U heeft geen rol waarmee u met inwoners en hun contacten mag werken."))
def can_work_with_contacts(scope) -> bool:
    """A role that works with residents and their contacts (counter, contact centre, agency
    staff, case managers, team leads, complaint handlers), in any organisation."""
    return bool(scope.roles & CONTACT_ROLES)


@predicate(_("U kunt dit alleen doen voor uw eigen organisatie."))
def can_work_with_contacts_of(scope, organisation) -> bool:
    """A contact role in this very organisation: a role elsewhere does not count."""
    return _pk(organisation) in scope.contact_organisation_ids


@predicate(_("Alleen het team of de organisatie die de doorverwijzing ontvangt, mag dit."))
def can_receive_referrals(scope, organisation, team=None) -> bool:
    """May take the receiving side's steps for a referral to `organisation` (and `team`): a
    contact role there; when a team is addressed, a member of that team or a team lead of the
    organisation."""
    organisation_id, team_id = _pk(organisation), _pk(team)
    leads = organisation_id in scope.lead_organisation_ids
    if organisation_id not in scope.contact_organisation_ids and not leads:
        return False
    return team_id is None or team_id in scope.contact_team_ids or leads


@predicate(_("Alleen teamleiders, management en functioneel beheer zien deze cijfers."))
def can_read_reports(scope) -> bool:
    return bool(scope.roles & REPORT_ROLES)


@predicate(_("Alleen een functioneel beheerder van de gemeente mag de catalogus aanpassen."))
def can_manage_catalogue(scope, organisation=None) -> bool:
    """Functional admin of `organisation` (of any organisation when none is given)."""
    if organisation is None:
        return bool(scope.roles & BEHEER_ROLES)
    organisation_id = _pk(organisation)
    return any(
        pk == organisation_id and role in BEHEER_ROLES for pk, role in scope.organisation_roles
    )


@predicate(_("Alleen een functioneel beheerder van de organisatie mag dit."))
def is_functional_admin(scope, organisation=None) -> bool:
    """Functional admin (functioneel beheerder) of `organisation`, or of any organisation when
    none is given: outbox, letter templates, exemptions, norms."""
    return can_manage_catalogue(scope, organisation)


@predicate(_("Alleen de privacyfunctionaris mag het logboek inzien."))
def is_privacy_officer(scope) -> bool:
    return bool(scope.roles & AUDIT_ROLES)


@predicate(_("Alleen een casemanager opent en beheert een casus."))
def can_manage_cases(scope) -> bool:
    return bool(scope.roles & CASE_ROLES)


PREDICATES = (
    is_staff_member,
    can_work_with_contacts,
    can_work_with_contacts_of,
    can_receive_referrals,
    can_read_reports,
    can_manage_catalogue,
    is_functional_admin,
    is_privacy_officer,
    can_manage_cases,
)
