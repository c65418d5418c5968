"""Warm referrals and live consults: every state change, with its rules, in one place.

Referral states (see models.ReferralState):

    verstuurd ──accept──▶ geaccepteerd ──contacted──▶ inwoner-gesproken ──helped──▶ geholpen
        │                     │  └──────────────helped──────────────────────────▶ geholpen
        └──return──▶ teruggestuurd ──rerefer──▶ opnieuw-doorverwezen (+ a new referral)
    any open state ──close (with a reason)──▶ afgesloten

Who may take which step from which state is one table, states.REFERRAL (and states.CONSULT for
live consults); every step here is checked against it. Every step is a `ReferralEvent` with actor
and time; a step that does not fit the current state is refused.

Every service runs in one transaction, with its side effects: the notifications and the routing
outcome are written with the change they belong to, or not at all."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from eenloket.catalogue.models import RoutingOutcome
from eenloket.catalogue.services import record_outcome
from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.calendar import AMSTERDAM, add_working_days, is_working_day
from eenloket.core.notifications import notify
from eenloket.core.validators import clean_texts
from eenloket.messaging.services import send_to_resident
from eenloket.organisations.models import OrganisationType, User
from eenloket.organisations.selectors import get_scope, municipality_of, team_leads, works_at
from eenloket.residents.models import PreferredChannel

from . import states
from .models import (
    ConsultState,
    Escalation,
    LiveConsult,
    OnDuty,
    Reachability,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralState,
    ResponseNorm,
    SharedItem,
    Urgency,
)
from .selectors import (
    consult_parties,
    default_consult_location,
    handover_colleagues,
    nearest_counsellor,
    on_duty_elsewhere,
    on_duty_for,
    referral_parties,
    running_duties,
)

logger = logging.getLogger(__name__)
MAX_DUTY_HOURS = 24
DEFAULT_ACCEPT_DAYS = 1
DEFAULT_CONTACT_DAYS = 2
S = ReferralState


# ---- helpers ----------------------------------------------------------------------------------
def due_dates(now, organisation, urgency) -> tuple:
    """(accept by, contact the resident by). Spoed: accepted the same working day and the
    resident contacted the next one; otherwise the receiving organisation's norm."""
    if urgency == Urgency.URGENT:
        today = now.astimezone(AMSTERDAM)
        if is_working_day(today.date()):
            accept_by = dt.datetime.combine(today.date(), dt.time(23, 59, 59), tzinfo=AMSTERDAM)
            accept_by = accept_by.astimezone(dt.UTC)
        else:
            accept_by = add_working_days(now, 1)
        return accept_by, add_working_days(accept_by, 1)
    accept_days, contact_days = norm_for(organisation)
    return add_working_days(now, accept_days), add_working_days(now, contact_days)


def norm_for(organisation) -> tuple[int, int]:
    norm = ResponseNorm.objects.filter(organisation=organisation).first()
    if norm is None:
        return DEFAULT_ACCEPT_DAYS, DEFAULT_CONTACT_DAYS
    return norm.accept_working_days, norm.contact_working_days


def _require_contact_role(user):
    permissions.require(permissions.can_work_with_contacts, get_scope(user))


def _require_own_contact(user, contact):
    """A contact of an organisation where the user holds a contact role."""
    permissions.require(
        permissions.can_work_with_contacts_of, get_scope(user), contact.organisation_id
    )


def _authorise(user, referral, action) -> frozenset:
    """Who the user is for this referral (sender, receiver), refused unless the table lets
    them take `action` in some state. The state itself is checked on the locked row."""
    _require_contact_role(user)
    parties = referral_parties(user, referral)
    states.REFERRAL.authorise(action, parties)
    return parties


def _service_of(service, organisation) -> bool:
    """Delivered by this organisation: its type, and not another municipality's own service."""
    return service.organisation_type == organisation.type and service.tenant_id in (
        None,
        organisation.pk,
    )


def _text(value, field, *, required=False, label=""):
    """One free text of a step, cleaned by the one rule (core.validators.clean_texts)."""
    texts, errors = clean_texts(
        {field: value}, required={field: label or _("Dit veld is verplicht.")} if required else {}
    )
    if errors:
        raise ValidationError(errors)
    return texts[field]


def _event(referral, action, actor, *, from_state="", to_state="", note="", at=None):
    return ReferralEvent.objects.create(
        referral=referral,
        action=action,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        note=note,
        at=at or timezone.now(),
    )


def _locked(referral) -> Referral:
    """The referral, locked for this transaction (PostgreSQL): concurrent steps queue."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _link(referral) -> str:
    return reverse("referrals:detail", args=[referral.uuid])


def receiving_leads(referral) -> list:
    """Who hears about an overdue referral: the receiving team's lead(s), else the receiving
    organisation's team leads."""
    return team_leads(referral.to_organisation_id, referral.to_team_id)


# ---- sending ----------------------------------------------------------------------------------
def create_referral(
    *,
    user,
    contact,
    to_organisation,
    reason: str,
    preferred_channel: str,
    to_team=None,
    service=None,
    discussed: str = "",
    consent_given: bool = False,
    shared=(),
    urgency: str = Urgency.NORMAL,
    kind: str = ReferralKind.WARM,
    previous: Referral | None = None,
    via: str = "ui",
) -> Referral:
    """Refer the resident of `contact` warmly to another organisation (optionally a team or
    service). What is shared follows the resident's recorded consent."""
    _require_contact_role(user)
    _require_own_contact(user, contact)
    texts, errors = clean_texts(
        {"reason": reason, "discussed": discussed},
        required={"reason": _("Schrijf op waarom u doorverwijst.")},
    )
    reason, discussed = texts["reason"], texts["discussed"]
    shared = list(dict.fromkeys(shared or ()))
    if to_organisation is None:
        errors["to_organisation"] = [_("Kies de organisatie waar u naar doorverwijst.")]
    elif to_organisation.pk == contact.organisation_id and to_team is None:
        errors["to_team"] = [_("Binnen uw eigen organisatie kiest u een team.")]
    if (
        to_team is not None
        and to_organisation is not None
        and to_team.organisation_id != to_organisation.pk
    ):
        errors["to_team"] = [_("Dit team hoort niet bij de gekozen organisatie.")]
    if (
        service is not None
        and to_organisation is not None
        and not _service_of(service, to_organisation)
    ):
        errors["service"] = [_("Deze dienst hoort bij een andere organisatie.")]
    if not set(shared) <= set(SharedItem.values):
        errors["shared"] = [_("Kies uit de lijst wat u deelt.")]
    elif not consent_given and {SharedItem.IDENTITY, SharedItem.BSN} & set(shared):
        errors["shared"] = [
            _("Zonder toestemming van de inwoner deelt u geen naam, contactgegevens of BSN.")
        ]
    if contact.resident_id is None and {SharedItem.IDENTITY, SharedItem.BSN} & set(shared):
        errors["shared"] = [_("Dit contact is anoniem: er zijn geen gegevens om te delen.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Kies een urgentie uit de lijst.")]
    if preferred_channel not in PreferredChannel.values:
        errors["preferred_channel"] = [_("Kies hoe de inwoner contact wil.")]
    if kind not in ReferralKind.values:
        errors["kind"] = [_("Onbekende soort doorverwijzing.")]
    counsellor = {}
    if kind == ReferralKind.COUNSELLOR:
        if (
            to_organisation is not None
            and to_organisation.type != OrganisationType.SOCIAAL_RAADSLIEDEN
        ):
            errors["to_organisation"] = [_("Kies de sociaal raadslieden.")]
        if not consent_given:
            errors["consent_given"] = [
                _(
                    "Geef de gegevens van de sociaal raadsman alleen door met toestemming van de inwoner."
                )
            ]
        if to_organisation is not None and not errors:
            counsellor = nearest_counsellor(contact, to_organisation)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    accept_due_at, contact_due_at = due_dates(now, to_organisation, urgency)
    with transaction.atomic():
        referral = Referral.objects.create(
            kind=kind,
            contact=contact,
            resident=contact.resident,
            from_organisation=contact.organisation,
            from_staff=user,
            to_organisation=to_organisation,
            to_team=to_team,
            service=service,
            reason=reason,
            discussed=discussed,
            consent_given=bool(consent_given),
            shared=shared,
            urgency=urgency,
            preferred_channel=preferred_channel,
            accept_due_at=accept_due_at,
            contact_due_at=contact_due_at,
            previous=previous,
            counsellor=counsellor,
        )
        _event(referral, ReferralEvent.Action.SENT, user, to_state=S.SENT, at=now)
        _confirm_to_resident(referral, user, now)
        if contact.resident_id:
            log_access(
                user=user,
                organisation_code=contact.organisation.code,
                residents=[contact.resident],
                activity=Activity.REFERRAL_SEND,
                action=Action.CREATE,
                channel=via,
                object_type="referral",
                object_id=str(referral.uuid),
            )
    return referral


def _confirm_to_resident(referral, user, now) -> None:
    """The resident gets a confirmation (letter, e-mail or sms, by their preference) naming
    where the question went and by when they will be contacted, with the referring employee as
    contact person. Only when the referral shares the resident's details. In the referral's
    transaction; when it cannot be made (no direct number at all, no template) the referral
    still goes and the reason is logged."""
    if referral.resident_id is None or SharedItem.IDENTITY not in referral.shared:
        return
    question = " ".join((referral.contact.question or "").split())
    if referral.service is not None:
        subject = referral.service.name
    elif question:
        subject = "„%s”" % (question if len(question) <= 80 else question[:77] + "…")
    else:
        subject = referral.to_organisation.name
    try:
        with transaction.atomic():
            send_to_resident(
                organisation=referral.from_organisation,
                resident=referral.resident,
                template_key="doorverwijzing",
                context={
                    "onderwerp": subject,
                    "naar_organisatie": referral.to_organisation.name,
                    "contact_voor": referral.contact_due_at,
                },
                sender=user,
                cause_type="referral",
                cause_id=str(referral.uuid),
                now=now,
            )
    except ValidationError as exc:
        logger.warning("No confirmation to the resident for referral %s: %s", referral.uuid, exc)


REREFER_FIELDS = ("discussed", "consent_given", "shared", "urgency", "preferred_channel")


def rerefer(
    *, user, referral, to_organisation, reason: str, to_team=None, service=None, via="ui", **kwargs
):
    """A returned referral goes to the right place: a new referral, the old one points to it.
    Fields not given are copied from the returned one."""
    unknown = set(kwargs) - set(REREFER_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Dit veld bestaat niet.")] for name in sorted(unknown)})
    parties = _authorise(user, referral, "rerefer")
    with transaction.atomic():
        current = _locked(referral)
        row = states.REFERRAL.check("rerefer", current.state, parties)
        fields = {
            "discussed": current.discussed,
            "consent_given": current.consent_given,
            "shared": current.shared,
            "urgency": current.urgency,
            "preferred_channel": current.preferred_channel,
            "kind": current.kind,
        }
        fields.update(kwargs)
        new = create_referral(
            user=user,
            contact=current.contact,
            to_organisation=to_organisation,
            to_team=to_team,
            service=service,
            reason=reason,
            previous=current,
            via=via,
            **fields,
        )
        from_state = current.state
        current.state = row.target
        current.closed_at = timezone.now()
        current.save(update_fields=["state", "closed_at", "updated_at"])
        _event(
            current,
            row.event,
            user,
            from_state=from_state,
            to_state=current.state,
            # No organisation name: the organisation that returned it sees this history too.
        )
    return new


# ---- receiving --------------------------------------------------------------------------------
@transaction.atomic
def claim(*, user, referral) -> Referral:
    """Take a referral as your own (before or after accepting it). Idempotent: taking one you
    already hold changes nothing."""
    parties = _authorise(user, referral, "claim")
    current = _locked(referral)
    row = states.REFERRAL.check("claim", current.state, parties)
    if current.assigned_to_id == user.pk:
        return current  # already yours: the same answer, no new step in the history
    if current.assigned_to_id:
        raise ValidationError(
            _("%(name)s heeft deze doorverwijzing al opgepakt.")
            % {"name": current.assigned_to.get_full_name()},
            code="already_claimed",
        )
    current.assigned_to = user
    current.save(update_fields=["assigned_to", "updated_at"])
    _event(current, row.event, user, from_state=current.state, to_state=current.state)
    return current


@transaction.atomic
def assign(*, user, referral, to_user) -> Referral:
    """Hand a referral over to a colleague of the receiving team (or organisation)."""
    parties = _authorise(user, referral, "assign")
    if not handover_colleagues(referral).filter(pk=to_user.pk).exists():
        raise ValidationError(
            {"to_user": [_("U kunt alleen overdragen aan een collega van het ontvangende team.")]}
        )
    current = _locked(referral)
    row = states.REFERRAL.check("assign", current.state, parties)
    current.assigned_to = to_user
    current.save(update_fields=["assigned_to", "updated_at"])
    _event(
        current,
        row.event,
        user,
        from_state=current.state,
        to_state=current.state,
        note=to_user.get_full_name(),
    )
    notify(
        [to_user], gettext_lazy("U heeft een doorverwijzing overgedragen gekregen."), _link(current)
    )
    return current


def _transition(user, referral, parties, *, action, note="", **changes) -> tuple:
    """Lock the referral, check the step against the table (states.REFERRAL), change it and
    write the event. Runs inside the caller's transaction. (referral, the row taken)"""
    current = _locked(referral)
    row = states.REFERRAL.check(action, current.state, parties)
    from_state = current.state
    current.state = row.target or from_state
    for key, value in changes.items():
        setattr(current, key, value(current) if callable(value) else value)
    current.save()
    _event(current, row.event, user, from_state=from_state, to_state=current.state, note=note)
    return current, row


@transaction.atomic
def accept(*, user, referral, note: str = "") -> Referral:
    parties = _authorise(user, referral, "accept")
    note = _text(note, "note")
    current, _row = _transition(
        user,
        referral,
        parties,
        action="accept",
        note=note,
        accepted_at=timezone.now(),
        assigned_to=lambda current: current.assigned_to or user,
    )
    notify(
        [current.from_staff],
        gettext_lazy("%(org)s heeft uw doorverwijzing geaccepteerd."),
        _link(current),
        params={"org": current.to_organisation.name},
    )
    return current


@transaction.atomic
def return_referral(*, user, referral, reason: str) -> Referral:
    """Wrong place: back to the sender, who must refer again (or close with a reason)."""
    parties = _authorise(user, referral, "return")
    reason = _text(
        reason, "return_reason", required=True, label=_("Schrijf op waarom u terugstuurt.")
    )
    current, _row = _transition(
        user,
        referral,
        parties,
        action="return",
        note=reason,
        return_reason=reason,
        assigned_to=None,
    )
    notify(
        [current.from_staff],
        gettext_lazy(
            "Doorverwijzing teruggestuurd door %(org)s: %(reason)s. Verwijs de inwoner opnieuw door."
        ),
        _link(current),
        params={"org": current.to_organisation.name, "reason": reason[:200].rstrip(".")},
    )
    return current


@transaction.atomic
def mark_contacted(*, user, referral, note: str = "") -> Referral:
    parties = _authorise(user, referral, "contacted")
    note = _text(note, "note")
    current, _row = _transition(
        user,
        referral,
        parties,
        action="contacted",
        note=note,
        contacted_at=timezone.now(),
        feedback=lambda current: note or current.feedback,
    )
    return current


@transaction.atomic
def mark_helped(*, user, referral, feedback: str = "", service=None) -> Referral:
    """The resident is helped: the referral ends and the referrer hears the outcome. The
    service that helped teaches routing (catalogue learning)."""
    parties = _authorise(user, referral, "helped")
    feedback = _text(feedback, "feedback")
    if service is not None and not _service_of(service, referral.to_organisation):
        raise ValidationError({"service": [_("Deze dienst hoort bij een andere organisatie.")]})
    now = timezone.now()
    current, _row = _transition(
        user,
        referral,
        parties,
        action="helped",
        note=feedback,
        closed_at=now,
        contacted_at=lambda current: current.contacted_at or now,
        feedback=lambda current: feedback or current.feedback,
        service=lambda current: service or current.service,
    )
    if current.service is not None:
        record_outcome(
            service=current.service,
            tenant=municipality_of(current.from_organisation, current.contact.location),
            question=current.contact.question,
            source=RoutingOutcome.Source.REFERRAL,
            source_id=current.uuid,
        )
    notify(
        [current.from_staff],
        gettext_lazy("%(org)s heeft de inwoner geholpen."),
        _link(current),
        params={"org": current.to_organisation.name},
    )
    return current


@transaction.atomic
def close(*, user, referral, reason: str) -> Referral:
    """An explicit, reasoned end: by the receiver (e.g. the resident no longer wants help) or by
    the sender (withdraw before acceptance, or end a returned referral). Which of them closes
    follows the table (states.REFERRAL): within one organisation (a referral to another team)
    the user may be on both sides."""
    parties = _authorise(user, referral, "close")
    reason = _text(reason, "closure_reason", required=True, label=_("Schrijf op waarom u afsluit."))
    current, row = _transition(
        user,
        referral,
        parties,
        action="close",
        note=reason,
        closure_reason=reason,
        closed_at=timezone.now(),
    )
    if states.RECEIVER in row.by:
        others = [current.from_staff]
    elif current.assigned_to is not None:
        others = [current.assigned_to]
    else:  # withdrawn before anyone took it: tell the receiving team's lead(s)
        others = receiving_leads(current) if S.SENT in row.sources else []
    notify(
        others,
        gettext_lazy("Doorverwijzing afgesloten: %(reason)s"),
        _link(current),
        params={"reason": reason[:200]},
    )
    return current


# ---- escalation sweep ---------------------------------------------------------------------------
REREFER_WORKING_DAYS = 1
FOLLOW_UP_WORKING_DAYS = 10


def _escalate_once(referral, stage, now, recipients, message, params) -> bool:
    """Escalate one referral at one stage, at most once (unique per stage): an Escalation row,
    a "geescaleerd" event by the system and notifications (`message` with `params`, translated
    when read). False when it was done before."""
    with transaction.atomic():
        _escalation, created = Escalation.objects.get_or_create(
            referral=referral, stage=stage, defaults={"at": now}
        )
        if not created:
            return False
        _event(
            referral,
            ReferralEvent.Action.ESCALATED,
            None,
            from_state=referral.state,
            to_state=referral.state,
            note=str(Escalation.Stage(stage).label),
            at=now,
        )
        notify(recipients, message, _link(referral), params=params)
    return True


def escalate_overdue(now: dt.datetime | None = None) -> int:
    """Idempotent sweep: every referral past its norm is escalated once per stage to the
    receiving team's lead, and the referrer is told. Nothing silently expires: the referral
    stays open in the work lists, marked overdue."""
    now = now or timezone.now()
    due = (
        Referral.objects.filter(states.overdue_q(now))
        .select_related("to_organisation", "from_organisation", "from_staff", "to_team")
        .prefetch_related("escalations")
    )
    escalated = 0
    for referral in due:
        done = {e.stage for e in referral.escalations.all()}  # once per stage: skip those
        recipients = None
        for norm, deadline in states.missed_norms(referral, now):
            stage = norm.stage
            if stage in done:
                continue
            message = gettext_lazy(
                "Te laat: doorverwijzing van %(from)s naar %(to)s: %(what)s (norm: %(deadline)s)."
            )
            params = {
                "from": referral.from_organisation.name,
                "to": referral.to_organisation.name,
                "what": Escalation.Stage(stage).label,  # a label: translated when read
                "deadline": deadline,  # shown in the reader's language, long form
            }
            if recipients is None:
                recipients = [*receiving_leads(referral), referral.from_staff]
            escalated += _escalate_once(referral, stage, now, recipients, message, params)
    return escalated + _escalate_unanswered_returns(now) + _escalate_unfinished(now)


def _escalate_unfinished(now) -> int:
    """The resident was contacted but the referral is neither helped nor closed after
    FOLLOW_UP_WORKING_DAYS: the receiving team's lead hears about it (nothing stays open
    unnoticed)."""
    escalated = 0
    stage = Escalation.Stage.FOLLOW_UP
    candidates = (
        Referral.objects.filter(state=S.CONTACTED, contacted_at__isnull=False)
        .exclude(escalations__stage=stage)
        .select_related("from_organisation", "to_organisation", "to_team", "assigned_to")
    )
    for referral in candidates:
        if add_working_days(referral.contacted_at, FOLLOW_UP_WORKING_DAYS) >= now:
            continue
        message = gettext_lazy("Te laat: doorverwijzing van %(from)s: %(what)s.")
        params = {"from": referral.from_organisation.name, "what": stage.label}
        recipients = [*receiving_leads(referral), referral.assigned_to]
        escalated += _escalate_once(referral, stage, now, recipients, message, params)
    return escalated


def _escalate_unanswered_returns(now) -> int:
    """A returned referral is the sender's to re-refer (or close with a reason): one working
    day after it came back, the sender's team lead hears about it."""
    escalated = 0
    stage = Escalation.Stage.REREFER
    returned = (
        Referral.objects.filter(state=S.RETURNED)
        .exclude(escalations__stage=stage)
        .annotate(
            came_back=Max("events__at", filter=Q(events__action=ReferralEvent.Action.RETURNED))
        )
        .select_related("from_organisation", "from_staff", "to_organisation")
    )
    for referral in returned:
        if referral.came_back is None:
            continue
        if add_working_days(referral.came_back, REREFER_WORKING_DAYS) >= now:
            continue
        message = gettext_lazy(
            "Te laat: een teruggestuurde doorverwijzing (van %(to)s) is nog niet opnieuw "
            "doorverwezen of afgesloten."
        )
        params = {"to": referral.to_organisation.name}
        recipients = [*team_leads(referral.from_organisation_id), referral.from_staff]
        escalated += _escalate_once(referral, stage, now, recipients, message, params)
    return escalated


# ---- live consults ------------------------------------------------------------------------------
def start_duty(*, user, location, organisation=None, reachable=Reachability.ON_SITE, until=None):
    """Say you are on duty for live consults at a location, until `until` (default: the end of
    today). Replaces a running period."""
    scope = get_scope(user)
    _require_contact_role(user)
    ours = permissions.can_work_with_contacts_of
    if organisation is None:
        organisation = next(
            (
                o
                for o in [location.organisation, *location.guest_organisations.all()]
                if ours(scope, o)
            ),
            None,
        )
    if (
        organisation is None
        or not ours(scope, organisation)
        or not works_at(organisation, location)
    ):
        raise ValidationError({"location": [_("Uw organisatie werkt niet op deze locatie.")]})
    if reachable not in Reachability.values:
        raise ValidationError({"reachable": [_("Kies hoe u bereikbaar bent.")]})
    now = timezone.now()
    if until is None:
        local = now.astimezone(AMSTERDAM)
        until = dt.datetime.combine(local.date(), dt.time.max, tzinfo=AMSTERDAM)
    if until <= now:
        raise ValidationError({"until": [_("Het einde van uw dienst ligt in het verleden.")]})
    if until > now + dt.timedelta(hours=MAX_DUTY_HOURS):
        raise ValidationError(
            {"until": [_("Een dienst duurt hoogstens %(hours)d uur.") % {"hours": MAX_DUTY_HOURS}]}
        )
    try:
        with transaction.atomic():
            # One active duty per person. Concurrent requests queue on the person's row, so
            # each one ends the period the one before it started; PostgreSQL also refuses
            # overlapping periods itself (an exclusion constraint, migration 0004).
            list(User.objects.select_for_update().filter(pk=user.pk).only("pk"))
            now = max(now, timezone.now())
            running_duties(now).filter(staff=user).update(until=now)
            return OnDuty.objects.create(
                staff=user,
                organisation=organisation,
                location=location,
                reachable=reachable,
                since=now,
                until=until,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("U bent al in dienst voor overleg. Stop eerst die dienst en probeer het opnieuw."),
            code="duty_overlap",
        ) from exc


@transaction.atomic
def end_duty(*, user) -> int:
    now = timezone.now()
    return running_duties(now).filter(staff=user).update(until=now)


def nobody_on_duty_text(organisation, location) -> str:
    """What is really missing when nobody can be asked: nobody of that organisation for this
    location (or by phone or video), where they are on duty instead, and what to do now."""
    if location is None:
        text = _(
            "Er is nu niemand van %(org)s in dienst die bereikbaar is via telefoon of video."
        ) % {"org": organisation.name}
    else:
        text = _("Er is nu niemand van %(org)s in dienst op %(location)s.") % {
            "org": organisation.name,
            "location": location.name,
        }
    elsewhere = [
        ngettext("%(location)s (%(n)d collega)", "%(location)s (%(n)d collega's)", n)
        % {"location": place.name, "n": n}
        for place, n in on_duty_elsewhere(organisation)
        if place != location
    ]
    if elsewhere:
        text += " " + _("Wel in dienst: %(places)s.") % {"places": ", ".join(elsewhere)}
        text += " " + _("Kies een andere locatie of maak een doorverwijzing.")
    else:
        text += " " + _("Maak een doorverwijzing.")
    return text


def request_consult(
    *, user, contact, to_organisation, question: str, location=None, via="ui"
) -> LiveConsult:
    """Ask, from an open contact, for an on-duty colleague of another organisation."""
    _require_contact_role(user)
    _require_own_contact(user, contact)
    question = _text(question, "question", required=True, label=_("Schrijf op waar het over gaat."))
    if to_organisation is None or to_organisation.pk == contact.organisation_id:
        raise ValidationError({"to_organisation": [_("Kies een andere organisatie.")]})
    if location is None:
        location = default_consult_location(user, contact)
    if location is not None and not works_at(contact.organisation, location):
        raise ValidationError({"location": [_("Uw organisatie werkt niet op deze locatie.")]})
    if not on_duty_for(to_organisation, location).exists():
        # The code goes on the field's error: Django drops a `code=` given next to a dict.
        raise ValidationError(
            {
                "to_organisation": ValidationError(
                    nobody_on_duty_text(to_organisation, location), code="nobody_on_duty"
                )
            }
        )
    now = timezone.now()
    minutes = settings.LIVE_CONSULT_TIMEOUT_MINUTES
    with transaction.atomic():
        consult = LiveConsult.objects.create(
            contact=contact,
            requester=user,
            location=location,
            to_organisation=to_organisation,
            question=question,
            expires_at=now + dt.timedelta(minutes=minutes),
        )
        if contact.resident_id:
            log_access(
                user=user,
                organisation_code=contact.organisation.code,
                residents=[contact.resident],
                activity=Activity.CONSULT_REQUEST,
                action=Action.CREATE,
                channel=via,
                object_type="live-consult",
                object_id=str(consult.uuid),
            )
    return consult


def _consult_link(consult) -> str:
    return reverse("referrals:consult", args=[consult.uuid])


def _consult_step(consult, action, now, **changes) -> bool:
    """One conditional UPDATE: the consult takes the step only if, at this moment, it is in one
    of the step's source states (states.CONSULT, with an open consult past its time counting as
    expired). On PostgreSQL exactly one of two simultaneous steps changes the row."""
    (row,) = states.CONSULT.rows(action)
    return bool(
        LiveConsult.objects.filter(states.consult_state_q(row.sources, now), pk=consult.pk).update(
            state=row.target, **changes
        )
    )


def _consult_refused(consult, action, parties, now):
    """The consult did not take the step: say why (from the table), as it is now."""
    consult.refresh_from_db()
    states.CONSULT.check(action, states.consult_state(consult, now), parties)
    raise ValidationError(states.NOT_OPEN, code="not_open")  # it changed again meanwhile


@transaction.atomic
def accept_consult(*, user, consult) -> LiveConsult:
    """The first on-duty colleague to accept gets it; everyone after hears it is taken."""
    _require_contact_role(user)
    if consult.requester_id == user.pk:
        raise PermissionDenied(_("U kunt uw eigen overleg niet aannemen."))
    parties = consult_parties(user, consult)
    states.CONSULT.authorise("accept", parties)
    now = timezone.now()
    if not _consult_step(consult, "accept", now, accepted_by=user, accepted_at=now):
        consult.refresh_from_db()
        if consult.state == ConsultState.ACCEPTED:
            raise ValidationError(
                _("%(name)s heeft dit overleg al aangenomen.")
                % {"name": consult.accepted_by.get_full_name()},
                code="already_taken",
            )
        _consult_refused(consult, "accept", parties, now)
    consult.refresh_from_db()
    notify(
        [consult.requester],
        gettext_lazy("%(name)s (%(org)s) komt erbij voor uw overleg."),
        _consult_link(consult),
        params={"name": user.get_full_name(), "org": consult.to_organisation.name},
    )
    return consult


@transaction.atomic
def cancel_consult(*, user, consult) -> LiveConsult:
    parties = consult_parties(user, consult)
    states.CONSULT.authorise("cancel", parties)
    now = timezone.now()
    if not _consult_step(consult, "cancel", now, closed_at=now):
        _consult_refused(consult, "cancel", parties, now)
    consult.refresh_from_db()
    return consult


def expire_consults(now: dt.datetime | None = None) -> int:
    """Idempotent sweep: open consults past their time are marked expired and the requester is
    told (the request page shows it at once too). One transaction per consult, with its
    notification."""
    now = now or timezone.now()
    expired = 0
    (row,) = states.CONSULT.rows("expire")
    for consult in LiveConsult.objects.filter(state__in=row.sources, expires_at__lte=now):
        with transaction.atomic():
            if not LiveConsult.objects.filter(
                pk=consult.pk, state__in=row.sources, expires_at__lte=now
            ).update(state=row.target, closed_at=now):
                continue
            expired += 1
            notify(
                [consult.requester],
                gettext_lazy(
                    "Niemand van %(org)s nam uw overleg aan. Maak een doorverwijzing of een afspraak."
                ),
                _consult_link(consult),
                params={"org": consult.to_organisation.name},
            )
    return expired


@transaction.atomic
def consult_to_referral(*, user, consult, **referral_fields) -> Referral:
    """Nobody came (or the requester stops waiting): make it a warm referral instead."""
    parties = consult_parties(user, consult)
    states.CONSULT.authorise("to-referral", parties)
    current = LiveConsult.objects.select_for_update().get(pk=consult.pk)
    now = timezone.now()
    row = states.CONSULT.check("to-referral", states.consult_state(current, now), parties)
    referral = create_referral(
        user=user,
        contact=current.contact,
        to_organisation=current.to_organisation,
        # No fallback to the consult's question: what the receiver may read of the resident's
        # question follows the sharing choice, the reason is always shown.
        reason=referral_fields.pop("reason", ""),
        **referral_fields,
    )
    current.state = row.target
    current.referral = referral
    current.closed_at = timezone.now()
    current.save(update_fields=["state", "referral", "closed_at"])
    return referral


@transaction.atomic
def consult_to_appointment(*, user, consult, note: str) -> LiveConsult:
    """Record that an appointment was made instead (the appointments feature books it)."""
    parties = consult_parties(user, consult)
    states.CONSULT.authorise("to-appointment", parties)
    note = _text(note, "note", required=True, label=_("Schrijf op welke afspraak is gemaakt."))
    now = timezone.now()
    if not _consult_step(consult, "to-appointment", now, note=note, closed_at=now):
        _consult_refused(consult, "to-appointment", parties, now)
    consult.refresh_from_db()
    return consult
