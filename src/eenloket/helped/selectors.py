"""Reads of "bent u geholpen?" checks, with the permission filter: staff with a contact role see
the checks of their own organisations (a team lead: of the organisation they lead). A read of one
check, or of a list, is written to the access log (the check is about a resident).

`helped_rates` is the figure for the reports: the helped rate and the average rating, grouped by
the channel of the contact, the channel asked on, the location, the team or the organisation."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from eenloket.contacts.models import Channel
from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.errors import NotFound
from eenloket.core.roles import REPORT_ROLES
from eenloket.organisations.selectors import get_scope

from . import states
from .models import AskChannel, CheckState, HelpedCheck

RELATED = ("organisation", "team", "location", "resident", "contact", "referral", "task")


def _organisation_ids(scope) -> frozenset[int]:
    return scope.contact_organisation_ids | scope.lead_organisation_ids


def visible_checks(user) -> QuerySet[HelpedCheck]:
    scope = get_scope(user)
    permissions.require(permissions.can_work_with_contacts, scope)
    return HelpedCheck.objects.filter(organisation_id__in=_organisation_ids(scope))


def log_read(user, checks, *, channel: str = "ui") -> None:
    """One access-log row per check read (and so per resident)."""
    for check in checks:
        log_access(
            user=user,
            organisation_code=check.organisation.code,
            residents=[check.resident],
            activity=Activity.HELPED_CHECK,
            action=Action.READ,
            channel=channel,
            object_type="helped-check",
            object_id=str(check.uuid),
        )


def get_check(user, check_uuid, *, channel: str = "ui") -> HelpedCheck:
    try:
        check = visible_checks(user).select_related(*RELATED).get(uuid=check_uuid)
    except (HelpedCheck.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound(_("Deze vraag bestaat niet of u mag hem niet zien.")) from exc
    log_read(user, [check], channel=channel)
    return check


def open_checks_for(user, resident) -> list[HelpedCheck]:
    """The open checks (planned, asked, being called) of a resident, for the overview: only
    those of the user's organisations."""
    scope = get_scope(user)
    if not permissions.can_work_with_contacts(scope):
        return []
    return list(
        HelpedCheck.objects.filter(
            resident_id=resident.pk,
            organisation_id__in=_organisation_ids(scope),
            state__in=states.OPEN,
        )
        .select_related("organisation", "service", "task", "contact", "referral")
        .order_by("scheduled_for", "id")[:10]
    )


# ---- figures -------------------------------------------------------------------------------------
GROUPS = {
    # name → (fields grouped on, label of a row)
    "channel": ("source_channel",),
    "asked_via": ("channel",),
    "location": ("location_id", "location__name"),
    "team": ("team_id", "team__name"),
    "organisation": ("organisation_id", "organisation__name"),
}


@dataclass(frozen=True)
class Rate:
    key: object
    label: str
    asked: int  # the resident got the question (or a call)
    answered: int  # yes or no
    helped: int
    not_helped: int
    no_answer: int
    rated: int
    average_rating: float | None

    @property
    def helped_rate(self) -> float | None:
        """Helped among those who answered (0–1); None without answers."""
        return self.helped / self.answered if self.answered else None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None

    @property
    def helped_percent(self) -> int | None:
        rate = self.helped_rate
        return None if rate is None else round(rate * 100)


def _label(group_by, values) -> str:
    if group_by == "channel":
        code = values[0]
        if not code:
            return _("Na een doorverwijzing")
        return str(Channel(code).label) if code in Channel.values else code
    if group_by == "asked_via":
        code = values[0]
        return str(AskChannel(code).label) if code in AskChannel.values else code
    name = values[1]
    if name:
        return name
    return {
        "location": _("Geen locatie bekend"),
        "team": _("Geen team bekend"),
    }.get(group_by, "–")


def helped_rates(
    organisation_ids, since: dt.datetime, group_by: str = "organisation", until=None
) -> list[Rate]:
    """Per group: how many were asked since `since` (by the time of asking), answered, helped,
    and the average rating (1–5) of those who gave one. Sorted by label."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {sorted(GROUPS)}")
    fields = GROUPS[group_by]
    qs = HelpedCheck.objects.filter(
        organisation_id__in=list(organisation_ids),
        state__in=states.ASKED,
        sent_at__gte=since,
    )
    if until is not None:
        qs = qs.filter(sent_at__lt=until)
    rows = (
        qs.values(*fields)
        .annotate(
            asked=Count("id"),
            answered=Count("id", filter=Q(state__in=states.ANSWERED)),
            helped_count=Count("id", filter=Q(state=CheckState.HELPED)),
            not_helped=Count("id", filter=Q(state=CheckState.NOT_HELPED)),
            no_answer=Count("id", filter=Q(state=CheckState.NO_ANSWER)),
            rated=Count("rating"),
            average=Avg("rating"),
        )
        .order_by(*fields)
    )
    rates = [
        Rate(
            key=row[fields[0]],
            label=_label(group_by, [row[f] for f in fields]),
            asked=row["asked"],
            answered=row["answered"],
            helped=row["helped_count"],
            not_helped=row["not_helped"],
            no_answer=row["no_answer"],
            rated=row["rated"],
            average_rating=round(float(row["average"]), 1) if row["average"] is not None else None,
        )
        for row in rows
    ]
    return sorted(rates, key=lambda r: r.label.lower())


def report_organisation_ids(user) -> frozenset[int]:
    """The organisations whose figures the user may read (a report role there)."""
    scope = get_scope(user)
    permissions.require(permissions.can_read_reports, scope)
    return frozenset(pk for pk, role in scope.organisation_roles if role in REPORT_ROLES)
