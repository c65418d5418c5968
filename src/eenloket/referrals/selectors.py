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
from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access, log_subjects, subject_of
from eenloket.core.errors import NotFound
from eenloket.core.roles import CONTACT_ROLES
from eenloket.organisations.models import (
    Location,
    Membership,
    Organisation,
    OrganisationType,
    User,
)
from eenloket.organisations.selectors import get_scope, municipality_of

from . import states
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
    if not permissions.can_work_with_contacts(scope):
        return Referral.objects.none()
    ids = scope.contact_organisation_ids
    return Referral.objects.filter(Q(from_organisation_id__in=ids) | Q(to_organisation_id__in=ids))


def can_receive(user, referral) -> bool:
    """May this user take the receiving side's steps? A contact role in the receiving
    organisation; when a team is addressed, a member of that team or a team lead of the
    organisation; and never the person who sent it (an internal referral is handed over)."""
    if referral.from_staff_id == user.pk:
        return False
    return permissions.can_receive_referrals(
        get_scope(user), referral.to_organisation_id, referral.to_team_id
    )


def referral_parties(user, referral) -> frozenset[str]:
    """Who this user is for the referral's steps (states.py): the sender (a contact role in
    the referring organisation) and/or the receiver (`can_receive`)."""
    scope = get_scope(user)
    if not permissions.can_work_with_contacts(scope):
        return frozenset()
    parties = set()
    if permissions.can_work_with_contacts_of(scope, referral.from_organisation_id):
        parties.add(states.SENDER)
    if can_receive(user, referral):
        parties.add(states.RECEIVER)
    return frozenset(parties)


def referral_actions(user, referral) -> list[str]:
    """The steps (API actions) this user can take on the referral now."""
    return states.REFERRAL.available_actions(
        referral.state, referral_parties(user, referral), referral
    )


def referral_buttons(user, referral) -> set[str]:
    """The buttons (URL slugs) this user gets for the referral now."""
    return states.REFERRAL.slugs(referral.state, referral_parties(user, referral), referral)


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


def is_overdue(referral, now=None) -> bool:
    return states.is_overdue(referral, now or timezone.now())


def view_of(user, referral) -> ReferralView:
    scope = get_scope(user)
    return ReferralView(
        referral=referral,
        is_sender=permissions.can_work_with_contacts_of(scope, referral.from_organisation_id),
        is_receiver=permissions.can_work_with_contacts_of(scope, referral.to_organisation_id),
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
            activity=Activity.REFERRAL_VIEW,
            action=Action.READ,
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
    if name == "nieuw":  # waiting to be accepted, and nobody took it yet
        waiting = states.REFERRAL.sources("accept")
        return received.filter(for_me, state__in=waiting, assigned_to__isnull=True).order_by(
            "accept_due_at", "id"
        )
    if name == "te-laat":
        return received.filter(states.overdue_q(now)).order_by("accept_due_at", "id")
    if name == "mijn":
        return received.filter(assigned_to_id=user.pk, state__in=states.WORKING).order_by(
            "contact_due_at", "id"
        )
    if name == "open":
        return received.filter(state__in=states.WORKING).order_by("accept_due_at", "id")
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
            activity=Activity.REFERRAL_VIEW,
            action=Action.READ,
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
    return permissions.can_read_reports(get_scope(user))


# ---- live consults -------------------------------------------------------------------------------
def running_duties(now=None) -> QuerySet[OnDuty]:
    """Duty periods running now (since <= now < until), whoever they are of: the rows that
    starting or ending a duty closes. Who counts as on duty: `active_duties`."""
    now = now or timezone.now()
    return OnDuty.objects.filter(since__lte=now, until__gt=now)


def active_duties(now=None) -> QuerySet[OnDuty]:
    """The one definition of "on duty", used everywhere (the consult form's counts, the
    consult services, the duty page, the API): a running period of an active staff member who
    still has a contact role in the organisation the duty is for (memberships change; duty rows
    stay until they end). A deactivated user or an ended membership never counts."""
    member = Membership.objects.filter(
        user_id=OuterRef("staff_id"),
        organisation_id=OuterRef("organisation_id"),
        role__in=CONTACT_ROLES,
    )
    return running_duties(now).filter(Exists(member), staff__is_active=True)


def _reachable_for(location) -> Q:
    """Who can join a consult at `location`: present there, or reachable by phone/video
    anywhere. Without a location only phone and video count. (`location` may be an OuterRef:
    a consult without a location then matches no place either.)"""
    remote = ~Q(reachable=Reachability.ON_SITE)
    if location is None:
        return remote
    return Q(location=location) | remote


def _for_location(qs: QuerySet[OnDuty], location) -> QuerySet[OnDuty]:
    return qs.filter(_reachable_for(location))


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


def open_consults_for(user, now=None, *, duty=None) -> list[LiveConsult]:
    """Requests waiting for this colleague: open, not expired, for the organisation they are on
    duty for (and still a colleague there), at their location (or anywhere when reachable by
    phone or video). `duty`: their current duty, when the caller already read it."""
    now = now or timezone.now()
    if duty is None:
        duty = current_duty(user, now)
    if duty is None:
        return []
    qs = LiveConsult.objects.filter(
        states.consult_state_q({ConsultState.OPEN}, now), to_organisation=duty.organisation
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
        activity=Activity.CONSULT_VIEW,
        action=Action.READ,
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
    return states.consult_state(consult, now or timezone.now()) == ConsultState.EXPIRED


def consults_on_duty_for(user, consults, now=None) -> set[int]:
    """Of these consults, the ids this user is on duty for now (on_duty_for's rule, for many
    consults in one query)."""
    duty = active_duties(now).filter(
        _reachable_for(OuterRef("location")),
        staff_id=user.pk,
        organisation_id=OuterRef("to_organisation_id"),
    )
    ids = [c.pk for c in consults]
    if not ids:
        return set()
    return set(LiveConsult.objects.filter(Exists(duty), pk__in=ids).values_list("pk", flat=True))


def is_on_duty_for(user, consult, now=None) -> bool:
    """On duty now for the consult's organisation, at its place (or by phone or video)."""
    return consult.pk in consults_on_duty_for(user, [consult], now)


def consult_parties(user, consult, now=None, *, on_duty=None) -> frozenset[str]:
    """Who this user is for the consult's steps (states.py): the requester, or a colleague on
    duty for it (with a contact role, and not the requester). `on_duty`: known already (lists
    ask consults_on_duty_for once)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if consult.requester_id == user.pk:
        return frozenset({states.REQUESTER})
    if not permissions.can_work_with_contacts(get_scope(user)):
        return frozenset()
    if on_duty is None:
        on_duty = is_on_duty_for(user, consult, now)
    return frozenset({states.COLLEAGUE}) if on_duty else frozenset()


def consult_actions(user, consult, now=None, *, on_duty=None) -> list[str]:
    """The steps (API actions) this user can take on the consult now."""
    now = now or timezone.now()
    state = states.consult_state(consult, now)
    parties = consult_parties(user, consult, now, on_duty=on_duty)
    return states.CONSULT.available_actions(state, parties, consult)


def consults_of_contact(user, contact) -> list[LiveConsult]:
    ids = get_scope(user).contact_organisation_ids
    if contact.organisation_id not in ids:
        return []
    consults = list(contact.live_consults.select_related("to_organisation", "accepted_by").all())
    now = timezone.now()
    for consult in consults:  # open but past its time: nobody came, even before the sweep ran
        consult.is_expired = consult_is_expired(consult, now)
    return consults
