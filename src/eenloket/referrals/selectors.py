"""Reads of referrals and live consults, with the permission filter.

Who sees a referral: the sending organisation (all of it) and the receiving organisation (only
what the resident agreed to share). A third organisation sees nothing: not even that it exists."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from eenloket.contacts.selectors import counsellor_mentions, usual_location
from eenloket.core.audit import log_access, log_subjects, subject_of
from eenloket.core.errors import NotFound
from eenloket.core.roles import CONTACT_ROLES, Role
from eenloket.organisations.models import (
    Location,
    Membership,
    Organisation,
    OrganisationType,
    User,
)
from eenloket.organisations.selectors import get_scope, municipality_of

from .models import (
    ConsultState,
    LiveConsult,
    OnDuty,
    Reachability,
    Referral,
    ReferralKind,
    ReferralState,
    SharedItem,
)

S = ReferralState
RELATED = (
    "from_organisation",
    "to_organisation",
    "to_team",
    "from_staff",
    "assigned_to",
    "service",
    "resident",
    "contact",
)


def visible_referrals(user) -> QuerySet[Referral]:
    scope = get_scope(user)
    if not scope.can_work_with_contacts:
        return Referral.objects.none()
    ids = scope.contact_organisation_ids
    return Referral.objects.filter(Q(from_organisation_id__in=ids) | Q(to_organisation_id__in=ids))


def can_receive(user, referral) -> bool:
    """May this user take the receiving side's steps? A contact role in the receiving
    organisation; when a team is addressed, a member of that team or a team lead of the
    organisation; and never the person who sent it (an internal referral is handed over)."""
    scope = get_scope(user)
    if (
        referral.to_organisation_id not in scope.contact_organisation_ids
        and referral.to_organisation_id not in scope.lead_organisation_ids
    ):
        return False
    if referral.from_staff_id == user.pk:
        return False
    if referral.to_team_id is None:
        return True
    return (
        referral.to_team_id in scope.contact_team_ids
        or referral.to_organisation_id in scope.lead_organisation_ids
    )


@dataclass
class ReferralView:
    """A referral as one staff member may see it: the receiving side sees only what is shared."""

    referral: Referral
    is_sender: bool
    is_receiver: bool

    def _shared(self, item):
        return self.is_sender or item in (self.referral.shared or ())

    @property
    def shows_identity(self):
        return self.referral.resident_id is not None and self._shared(SharedItem.IDENTITY)

    @property
    def shows_bsn(self):
        return self.referral.resident_id is not None and self._shared(SharedItem.BSN)

    @property
    def resident(self):
        return self.referral.resident if self.shows_identity else None

    @property
    def resident_uuid(self):
        """The resident's id opens the whole register entry (BSN included): only for the
        sender, or a receiver the BSN was shared with."""
        if self.resident is None or not (self.is_sender or self.shows_bsn):
            return None
        return str(self.resident.uuid)

    @property
    def bsn(self):
        return self.referral.resident.bsn if self.shows_bsn else None

    @property
    def question(self):
        return self.referral.contact.question if self._shared(SharedItem.QUESTION) else None

    @property
    def discussed(self):
        return self.referral.discussed if self._shared(SharedItem.DISCUSSED) else None

    @property
    def is_overdue(self):
        return is_overdue(self.referral)


def overdue_q(now) -> Q:
    """Past a norm and not yet met: not accepted in time, or the resident not yet contacted."""
    return Q(state=S.SENT, accept_due_at__lt=now) | Q(
        state__in=(S.SENT, S.ACCEPTED), contact_due_at__lt=now
    )


def is_overdue(referral, now=None) -> bool:
    now = now or timezone.now()
    if referral.state == S.SENT and referral.accept_due_at < now:
        return True
    return referral.state in (S.SENT, S.ACCEPTED) and referral.contact_due_at < now


def view_of(user, referral) -> ReferralView:
    ids = get_scope(user).contact_organisation_ids
    return ReferralView(
        referral=referral,
        is_sender=referral.from_organisation_id in ids,
        is_receiver=referral.to_organisation_id in ids,
    )


def get_referral(user, referral_uuid, *, channel="ui") -> ReferralView:
    referral = referral_for_step(user, referral_uuid)
    view = view_of(user, referral)
    if view.shows_identity or view.shows_bsn:
        scope = get_scope(user)
        own = referral.from_organisation if view.is_sender else referral.to_organisation
        log_access(
            user=user,
            organisation_code=own.code if own.pk in scope.organisation_ids else "",
            residents=[referral.resident],
            activity="doorverwijzing-inzien",
            action="read",
            channel=channel,
            object_type="referral",
            object_id=str(referral.uuid),
        )
    return view


WORKLISTS = ("nieuw", "te-laat", "mijn", "verstuurd", "open")


def worklist_queryset(user, name: str) -> QuerySet[Referral]:
    """The receiving side's lists (new for my team, overdue in my organisation — what a team
    lead watches —, mine, all open for my organisation) and the referrer's own list (sent by
    me, with their outcome)."""
    ids = get_scope(user).contact_organisation_ids
    qs = visible_referrals(user)
    now = timezone.now()
    received = qs.filter(to_organisation_id__in=ids)
    for_me = Q(to_team__isnull=True) | Q(to_team_id__in=get_scope(user).contact_team_ids)
    if name == "nieuw":
        return received.filter(for_me, state=S.SENT, assigned_to__isnull=True).order_by(
            "accept_due_at", "id"
        )
    if name == "te-laat":
        return received.filter(overdue_q(now)).order_by("accept_due_at", "id")
    if name == "mijn":
        return received.filter(
            assigned_to_id=user.pk, state__in=(S.SENT, S.ACCEPTED, S.CONTACTED)
        ).order_by("contact_due_at", "id")
    if name == "open":
        return received.filter(state__in=(S.SENT, S.ACCEPTED, S.CONTACTED)).order_by(
            "accept_due_at", "id"
        )
    if name == "verstuurd":
        # Newest sent first: the date shown in the list is the date it was sent.
        return qs.filter(from_staff_id=user.pk).order_by("-created_at", "-id")
    raise NotFound(_("Deze werklijst bestaat niet."))


def worklist(user, name: str, *, limit: int = 100) -> list[ReferralView]:
    rows = worklist_queryset(user, name).select_related(*RELATED)[:limit]
    return [view_of(user, r) for r in rows]


def worklist_counts(user, names=("nieuw", "te-laat", "mijn")) -> dict[str, int]:
    """Counts for the start page and the tabs: one COUNT per list, no rows loaded."""
    return {name: worklist_queryset(user, name).count() for name in names}


def referral_for_step(user, referral_uuid) -> Referral:
    """The referral a step works on, if this user's organisation is a party to it, without
    logging a read: a refused step shows nothing. NotFound for anyone else."""
    try:
        return visible_referrals(user).select_related(*RELATED).get(uuid=referral_uuid)
    except (Referral.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Deze doorverwijzing bestaat niet of u mag haar niet zien.")) from exc


def log_list_shown(user, views, *, channel: str, object_type: str, with_bsn: bool) -> None:
    """A list that shows residents' names (and, `with_bsn`, their BSNs where shared) is a
    read of their personal data: one access-log row per resident shown."""
    residents = [
        v.referral.resident for v in views if v.shows_identity or (with_bsn and v.shows_bsn)
    ]
    if residents:
        log_access(
            user=user,
            organisation_code=get_scope(user).primary_organisation_code,
            residents=residents,
            activity="doorverwijzing-inzien",
            action="read",
            channel=channel,
            object_type=object_type,
        )


def handover_colleagues(referral) -> QuerySet:
    """Active colleagues with a contact role in the receiving team (or organisation): whom a
    referral can be handed over to."""
    members = Membership.objects.filter(
        organisation_id=referral.to_organisation_id, role__in=CONTACT_ROLES
    )
    if referral.to_team_id:
        members = members.filter(team_id=referral.to_team_id)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


def referrals_of_contact(user, contact) -> list[ReferralView]:
    rows = visible_referrals(user).filter(contact=contact).select_related(*RELATED)
    return [view_of(user, r) for r in rows]


def contact_persons(organisation_id, team_id=None) -> list[Membership]:
    """The named contact persons (with direct phone) of a team, else of its organisation:
    work information from the staff directory, shown where staff need it."""
    qs = (
        Membership.objects.filter(is_contact_person=True, user__is_active=True)
        .select_related("user", "team")
        .order_by("team__name", "user__last_name")
    )
    people = []
    if team_id:
        people = list(qs.filter(team_id=team_id, organisation_id=organisation_id))
    if not people:
        people = list(qs.filter(organisation_id=organisation_id))
    return people


def delivering_organisation(service, user, contact=None) -> Organisation | None:
    """Who delivers a service, to prefill a referral: a municipality's own service that
    municipality; a municipal service the user's own municipality (else the one where the
    contact took place); an agency's service the organisation of that type, if there is one."""
    if service.tenant_id is not None:
        return service.tenant
    if service.organisation_type == OrganisationType.GEMEENTE:
        own = (
            Organisation.objects.filter(
                pk__in=get_scope(user).contact_organisation_ids, type=OrganisationType.GEMEENTE
            )
            .order_by("pk")
            .first()
        )
        if own is None and contact is not None:
            own = municipality_of(contact.organisation, contact.location)
        return own
    found = list(Organisation.objects.filter(type=service.organisation_type).order_by("pk")[:2])
    return found[0] if len(found) == 1 else None


def receiving_contacts(referral) -> list[Membership]:
    return contact_persons(referral.to_organisation_id, referral.to_team_id)


# ---- social counsellor ---------------------------------------------------------------------------
def nearest_counsellor(contact, organisation=None) -> dict:
    """The counsellor's details to hand over: the sociaal-raadslieden location in the same town
    as the contact (or the resident), its contact person and opening hours."""
    organisation = (
        organisation
        or Organisation.objects.filter(type=OrganisationType.SOCIAAL_RAADSLIEDEN).first()
    )
    if organisation is None:
        return {}
    towns = []
    if contact.location_id:
        towns.append(contact.location.city)
    if contact.resident_id and contact.resident.city:
        towns.append(contact.resident.city)
    locations = list(
        Location.objects.filter(organisation=organisation).prefetch_related("opening_hours")
    )
    location = next(
        (loc for town in towns for loc in locations if loc.city.lower() == town.lower()),
        locations[0] if locations else None,
    )
    person = (
        Membership.objects.filter(organisation=organisation, is_contact_person=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    details = {"organisation": organisation.name, "phone": organisation.phone}
    if location is not None:
        details.update(
            {
                "location": location.name,
                "address": location.address,
                "phone": location.phone or organisation.phone,
                "opening_hours": [
                    f"{h.get_weekday_display()} {h.opens:%H:%M}–{h.closes:%H:%M}"
                    for h in location.opening_hours.all()
                ],
            }
        )
    if person is not None:
        details["counsellor"] = person.user.get_full_name()
        details["counsellor_phone"] = person.user.direct_phone
    return details


COUNSELLOR_WORDS = ("bezwaar", "beroep", "brief", "brieven", "begrijp", "snap", "formulier")


def counsellor_hint(question: str, suggestions) -> bool:
    """Prompt staff to mention the social counsellor: an objection, letters the resident does
    not understand, or a question for several organisations."""
    from eenloket.catalogue import text

    words = set(text.words(question or ""))
    if any(w.startswith(COUNSELLOR_WORDS) for w in words):
        return True
    organisations = {s.organisation for s in suggestions[:3]}
    if "sociaal-raadslieden" in organisations:
        return True
    return len(organisations) >= 3 and len(question or "") > 60


def counsellor_counts(year: int | None = None) -> list[dict]:
    """Referrals to the social counsellor per municipality per year (decision VI: reported
    yearly), and how often staff told a resident about the counsellor in a contact
    (`mentioned`). The municipality is the sender, or the town hall where an agency was a
    guest."""
    qs = Referral.objects.filter(kind=ReferralKind.COUNSELLOR)
    if year:
        qs = qs.filter(created_at__year=year)
    rows = (
        qs.annotate(year=ExtractYear("created_at"))
        .values(
            "year",
            "from_organisation__code",
            "from_organisation__name",
            "from_organisation__type",
            "contact__location__organisation__code",
            "contact__location__organisation__name",
            "contact__location__organisation__type",
        )
        .annotate(n=Count("id"))
    )
    totals: dict[tuple, int] = {}
    for r in rows:
        if r["from_organisation__type"] == OrganisationType.GEMEENTE:
            key = (r["year"], r["from_organisation__code"], r["from_organisation__name"])
        elif r["contact__location__organisation__type"] == OrganisationType.GEMEENTE:
            key = (
                r["year"],
                r["contact__location__organisation__code"],
                r["contact__location__organisation__name"],
            )
        else:
            key = (r["year"], "", _("Onbekende gemeente"))
        totals[key] = totals.get(key, 0) + r["n"]
    mentions = counsellor_mentions(year)
    names = dict(
        Organisation.objects.filter(code__in={c for _y, c in mentions}).values_list("code", "name")
    )
    for y, code in mentions:
        name = names.get(code) or _("Onbekende gemeente")
        if not any(k[0] == y and k[1] == code for k in totals):
            totals[(y, code, name)] = 0
    return [
        {
            "year": y,
            "municipality": code,
            "municipality_name": name,
            "count": n,
            "mentioned": mentions.get((y, code), 0),
        }
        for (y, code, name), n in sorted(totals.items(), key=lambda kv: (-kv[0][0], kv[0][2]))
    ]


def can_read_reports(user) -> bool:
    return bool(
        get_scope(user).roles & {Role.TEAMLEIDER, Role.MANAGEMENT, Role.FUNCTIONEEL_BEHEERDER}
    )


# ---- live consults -------------------------------------------------------------------------------
def active_duties(now=None) -> QuerySet[OnDuty]:
    """The one definition of "on duty", used everywhere: a running period (since <= now <
    until) of an active staff member who still has a contact role in the organisation the duty
    is for (memberships change; duty rows stay until they end)."""
    now = now or timezone.now()
    member = Membership.objects.filter(
        user_id=OuterRef("staff_id"),
        organisation_id=OuterRef("organisation_id"),
        role__in=CONTACT_ROLES,
    )
    return OnDuty.objects.filter(
        Exists(member), since__lte=now, until__gt=now, staff__is_active=True
    )


def _for_location(qs: QuerySet[OnDuty], location) -> QuerySet[OnDuty]:
    """Who can join a consult at `location`: present there, or reachable by phone/video
    anywhere. Without a location only phone and video count."""
    remote = ~Q(reachable=Reachability.ON_SITE)
    if location is None:
        return qs.filter(remote)
    return qs.filter(Q(location=location) | remote)


def on_duty_for(organisation, location, now=None) -> QuerySet[OnDuty]:
    """Colleagues of `organisation` on duty now: present at `location`, or by phone/video."""
    return _for_location(active_duties(now).filter(organisation=organisation), location)


def on_duty_counts(location, now=None) -> dict[int, int]:
    """Per organisation id: how many colleagues are on duty now for `location` (the same rule
    as on_duty_for, for all organisations at once)."""
    return dict(
        _for_location(active_duties(now), location)
        .values("organisation")
        .annotate(n=Count("staff", distinct=True))
        .values_list("organisation", "n")
    )


def on_duty_elsewhere(organisation, now=None) -> list[tuple[Location, int]]:
    """Where colleagues of `organisation` are on duty in person right now, with how many: to
    say what is really missing when nobody is on duty for the chosen location."""
    rows = (
        active_duties(now)
        .filter(organisation=organisation, reachable=Reachability.ON_SITE)
        .values("location")
        .annotate(n=Count("staff", distinct=True))
        .values_list("location", "n")
    )
    counts = dict(rows)
    locations = Location.objects.filter(pk__in=counts).order_by("name")
    return [(location, counts[location.pk]) for location in locations]


def consult_locations(contact) -> QuerySet[Location]:
    """The locations a consult for this contact can be asked for: where the contact's
    organisation works (its own locations and those where it is a guest)."""
    organisation_id = contact.organisation_id
    return (
        Location.objects.filter(
            Q(organisation_id=organisation_id) | Q(guest_organisations__id=organisation_id)
        )
        .distinct()
        .order_by("name")
    )


def default_consult_location(user, contact, now=None):
    """Where the requester is: the location they are on duty at, else the contact's location,
    else their usual location (the only location where the contact's organisation works, or
    where they last registered a contact).
    None when that cannot be known: then only colleagues by phone or video count."""
    choices = consult_locations(contact)
    duty = current_duty(user, now)
    if duty is not None and choices.filter(pk=duty.location_id).exists():
        return duty.location
    if contact.location_id is not None:
        return contact.location
    return usual_location(user, choices, organisation_id=contact.organisation_id)


def current_duty(user, now=None) -> OnDuty | None:
    return active_duties(now).filter(staff=user).select_related("location", "organisation").first()


def open_consults_for(user, now=None) -> list[LiveConsult]:
    """Requests waiting for this colleague: open, not expired, for the organisation they are on
    duty for (and still a colleague there), at their location (or anywhere when reachable by
    phone or video)."""
    now = now or timezone.now()
    duty = current_duty(user, now)
    if duty is None:
        return []
    qs = LiveConsult.objects.filter(
        to_organisation=duty.organisation, state=ConsultState.OPEN, expires_at__gt=now
    ).select_related(
        "requester", "location", "to_organisation", "contact__organisation", "contact__resident"
    )
    if duty.reachable == Reachability.ON_SITE:
        # A request without a location (e.g. a phone contact) needs someone reachable by phone
        # or video: accept_consult refuses on-site colleagues for it, so they don't see it.
        qs = qs.filter(location=duty.location)
    return list(qs.order_by("created_at"))


def log_consults_shown(user, consults, *, channel: str, organisation_code: str = "") -> None:
    """Consults shown to a colleague (the resident's question, on both sides) are a read of
    the resident's personal data: one access-log row per consult of a known resident."""
    subjects = [
        (*subject_of(c.contact.resident), str(c.uuid))
        for c in consults
        if c.contact.resident_id is not None
    ]
    if not subjects:
        return
    if not organisation_code:
        scope = get_scope(user)
        first = consults[0]
        own = first.contact.organisation_id in scope.contact_organisation_ids
        organisation_code = first.contact.organisation.code if own else first.to_organisation.code
    log_subjects(
        user=user,
        organisation_code=organisation_code,
        subjects=subjects,
        activity="overleg-inzien",
        action="read",
        channel=channel,
        object_type="live-consult",
    )


def get_consult(user, consult_uuid) -> LiveConsult:
    """Visible to the requester's organisation and to the receiving organisation."""
    ids = get_scope(user).contact_organisation_ids
    consult = (
        LiveConsult.objects.filter(
            Q(contact__organisation_id__in=ids) | Q(to_organisation_id__in=ids), uuid=consult_uuid
        )
        .select_related(
            "requester",
            "accepted_by",
            "to_organisation",
            "location",
            "contact__organisation",
            "contact__resident",
            "referral",
        )
        .first()
    )
    if consult is None:
        raise NotFound(_("Dit overleg bestaat niet of u mag het niet zien."))
    return consult


def consult_is_expired(consult, now=None) -> bool:
    now = now or timezone.now()
    return consult.state == ConsultState.EXPIRED or (
        consult.state == ConsultState.OPEN and consult.expires_at <= now
    )


def consults_of_contact(user, contact) -> list[LiveConsult]:
    ids = get_scope(user).contact_organisation_ids
    if contact.organisation_id not in ids:
        return []
    return list(contact.live_consults.select_related("to_organisation", "accepted_by").all())
