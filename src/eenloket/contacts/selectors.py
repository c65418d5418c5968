"""Reads of contact moments, always limited to the staff member's own organisations.

A contact belongs to the organisation that registered it. Later features (referrals, cases with
consent) widen what another organisation may see; they do so here, in one place."""

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.errors import NotFound
from eenloket.core.pagination import newest_first_page
from eenloket.organisations.selectors import get_scope

from .models import ContactMoment


def _scope_for_contacts(user):
    scope = get_scope(user)
    permissions.require(permissions.can_work_with_contacts, scope)
    return scope


def visible_contacts(user) -> QuerySet[ContactMoment]:
    scope = _scope_for_contacts(user)
    # Only organisations where the user holds a contact role: a management role elsewhere
    # does not open that organisation's contacts.
    return ContactMoment.objects.filter(organisation_id__in=scope.contact_organisation_ids)


def resident_contacts(
    user, resident, *, cursor: str = "", limit: int = 25, channel: str = "ui"
) -> tuple[list[ContactMoment], str | None]:
    """A resident's contacts that this user may see, newest first, with a keyset cursor for
    the next page (no COUNT, no OFFSET: fast with millions of rows)."""
    qs = (
        visible_contacts(user)
        .filter(resident_id=resident.pk)
        .select_related("organisation", "location", "staff")
    )
    rows, next_cursor = newest_first_page(qs, time_field="started_at", cursor=cursor, limit=limit)
    scope = get_scope(user)
    log_access(
        user=user,
        organisation_code=scope.primary_organisation_code,
        residents=[resident],
        activity=Activity.CONTACT_VIEW,
        action=Action.READ,
        channel=channel,
        object_type="contact-history",
    )
    return rows, next_cursor


def get_contact(user, contact_uuid, *, channel: str = "ui") -> ContactMoment:
    try:
        contact = (
            visible_contacts(user)
            .select_related("organisation", "location", "staff", "resident", "service")
            .get(uuid=contact_uuid)
        )
    except (ContactMoment.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound(_("Dit contactmoment bestaat niet of u mag het niet zien.")) from exc
    if contact.resident_id:
        log_access(
            user=user,
            organisation_code=contact.organisation.code,
            residents=[contact.resident],
            activity=Activity.CONTACT_VIEW,
            action=Action.READ,
            channel=channel,
            object_type="contact-moment",
            object_id=str(contact.uuid),
        )
    return contact


def my_recent_contacts(user, *, limit: int = 10) -> list[ContactMoment]:
    """The staff member's own latest contacts (start page). Shows names only of residents
    this user registered the contact for; logged as a read of each resident."""
    rows = list(
        visible_contacts(user)
        .filter(staff_id=user.pk)
        .select_related("resident", "organisation")
        .order_by("-started_at", "-id")[:limit]
    )
    log_contacts_read(user, rows, channel="ui", object_type="work-list")
    return rows


def usual_location(user, locations, *, organisation_id=None):
    """Where this staff member usually works: the only location they can choose, else where they
    last registered a contact at one of these locations (index contact_staff, newest first).
    None when that cannot be known."""
    usual = list(locations[:2])
    if len(usual) == 1:
        return usual[0]
    last = ContactMoment.objects.filter(staff=user, location__isnull=False)
    if organisation_id is not None:
        last = last.filter(organisation_id=organisation_id)
    last_id = last.order_by("-started_at", "-id").values_list("location_id", flat=True).first()
    return locations.filter(pk=last_id).first() if last_id is not None else None


def log_contacts_read(user, contacts, *, channel: str, object_type: str) -> None:
    """Log a list of contacts that was shown: one row per resident named in it."""
    log_access(
        user=user,
        organisation_code=get_scope(user).primary_organisation_code,
        residents=[c.resident for c in contacts if c.resident_id],
        activity=Activity.CONTACT_VIEW,
        action=Action.READ,
        channel=channel,
        object_type=object_type,
    )


def counsellor_mentions(year: int | None = None) -> dict[tuple[int, str], int]:
    """Contacts in which staff pointed out the sociaal raadsman (decision VI), per (year,
    municipality code): the registering municipality, or the town hall where an agency was a
    guest ("" when neither). Counts only, no personal data."""
    qs = ContactMoment.objects.filter(counsellor_mentioned=True)
    if year:
        qs = qs.filter(started_at__year=year)
    rows = (
        qs.annotate(year=ExtractYear("started_at"))
        .values(
            "year",
            "organisation__code",
            "organisation__type",
            "location__organisation__code",
            "location__organisation__type",
        )
        .annotate(n=Count("id"))
    )
    totals: dict[tuple[int, str], int] = {}
    for r in rows:
        if r["organisation__type"] == "gemeente":
            code = r["organisation__code"]
        elif r["location__organisation__type"] == "gemeente":
            code = r["location__organisation__code"]
        else:
            code = ""
        totals[(r["year"], code)] = totals.get((r["year"], code), 0) + r["n"]
    return totals
