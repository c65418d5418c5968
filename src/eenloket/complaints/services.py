"""Every change to complaints: one function per use case, keyword-only, inside a transaction,
with the rules of Awb hoofdstuk 9 and decisions XI, V and proposal 15. Letters, notifications,
the tracked request (legal term) and the access log are written in the same transaction. Views
and the API call these functions.

The independence rule lives in one place, `handler_verdict`: may this person handle this part
of a complaint, and if not, why. The assign service, the candidate list on the screen and the
API all ask it."""

import contextlib
import datetime as dt
import secrets
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eenloket.appointments import services as appointments
from eenloket.catalogue.models import Service
from eenloket.core import formatting
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.notifications import notify
from eenloket.core.roles import CONTACT_ROLES, Role
from eenloket.core.validators import clean_texts
from eenloket.deadlines import services as deadlines
from eenloket.deadlines.models import RequestType
from eenloket.messaging.services import send_to_person, send_to_resident
from eenloket.organisations.models import PARTNER_TYPES, Membership, Organisation, Team
from eenloket.organisations.selectors import get_scope

from . import letters, states
from .models import (
    Complaint,
    ComplaintChannel,
    ComplaintMessage,
    ComplaintPart,
    Finding,
    HandlerNote,
    LessonCategory,
    OmbudsmanSetting,
    PartState,
    WaiveReason,
)

S = PartState
REQUEST_TYPE = "klacht"  # the shared request type with the terms of Awb 9:11 (deadlines/law.py)
MAX_POSTPONE_WEEKS = 4  # Awb 9:11 lid 2
OMBUDSMAN_YEARS = 1  # Wet Nationale ombudsman art. 12 lid 2
NATIONAL_OMBUDSMAN = (
    "de Nationale ombudsman",
    "https://www.nationaleombudsman.nl",
    "0800 33 55 555",
)
TEXT_MAX = 5000
COORDINATOR_ROLES = frozenset({Role.KLACHTCOORDINATOR})
FROM_CONTACT = {
    "balie": ComplaintChannel.DESK,
    "telefoon": ComplaintChannel.PHONE,
    "digitaal": ComplaintChannel.EMAIL,
    "brief": ComplaintChannel.LETTER,
    "huisbezoek": ComplaintChannel.DESK,
}

_channel: ContextVar = ContextVar("complaints_channel", default="ui")


@contextlib.contextmanager
def via(channel: str):
    token = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(token)


def _now(now):
    return now or timezone.now()


def today(now=None) -> dt.date:
    return _now(now).astimezone(AMSTERDAM).date()


def _raise(errors):
    if errors:
        raise ValidationError(errors)


def _texts(values, required=None, limits=None, errors=None):
    texts, found = clean_texts(values, required=required or {}, limits=limits or {})
    if errors is not None:
        errors.update(found)
        return texts
    _raise(found)
    return texts


def complaint_link(complaint) -> str:
    return reverse("complaints:detail", kwargs={"uuid": complaint.uuid})


def _log(user, organisation, complaint, action=Action.UPDATE):
    if complaint.resident_id is None:
        return
    log_access(
        user=user,
        organisation_code=organisation.code,
        residents=[complaint.resident],
        activity=Activity.COMPLAINT,
        action=action,
        channel=_channel.get(),
        object_type="complaint",
        object_id=str(complaint.uuid),
    )


# ---- who is who --------------------------------------------------------------------------------
def is_coordinator(user, organisation) -> bool:
    org_id = getattr(organisation, "pk", organisation)
    return any(
        org == org_id and role in COORDINATOR_ROLES
        for org, role in get_scope(user).organisation_roles
    )


def coordinators(organisation) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=organisation, role__in=COORDINATOR_ROLES, user__is_active=True
        ).select_related("user")
    ]


def parties(user, part) -> frozenset:
    """What `user` is for this part: its organisation's coordinator, its handler, the lead
    organisation's coordinator."""
    found = set()
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    # The person complained about is no party, whatever their role (a coordinator or handler
    # complained about does not handle, see notes or answer): Awb 9:7 lid 1.
    complaint = part.complaint
    subject_ids = getattr(complaint, "subject_ids", None)
    if subject_ids is None:
        subject_ids = complaint.subject_ids = set(
            complaint.parts.exclude(employee=None).values_list("employee_id", flat=True)
        )
    if user.pk in subject_ids:
        return frozenset()
    if is_coordinator(user, part.organisation_id):
        found.add(states.COORDINATOR)
    if part.handler_id is not None and part.handler_id == user.pk:
        found.add(states.HANDLER)
    if is_coordinator(user, part.complaint.lead_organisation_id):
        found.add(states.LEAD)
    return frozenset(found)


def _locked(part) -> ComplaintPart:
    return (
        ComplaintPart.objects.select_for_update(of=("self",))
        .select_related(
            "complaint",
            "complaint__resident",
            "complaint__lead_organisation",
            "organisation",
            "team",
            "employee",
            "handler",
            "tracked_request",
        )
        .get(pk=part.pk)
    )


def _check(user, part, action) -> ComplaintPart:
    current = _locked(part)
    states.PART.check(action, current.state, parties(user, current))
    return current


# ---- the independence rule (Awb 9:7, decision XI) ------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str  # why (not): shown beside the name on the assign screen and in the API
    overridable: bool = False  # refused by decision XI only: allowed with a recorded reason
    rule: str = ""  # "awb-9-7-1", "awb-9-7-2", "team", "teamleider", "organisatie", ""


def _memberships(candidate, organisation_id):
    return [
        m
        for m in candidate.memberships.all()
        if m.organisation_id == organisation_id and candidate.is_active
    ]


def handler_verdict(part, candidate) -> Verdict:
    """May `candidate` handle this part of the complaint, and if not, why.

    1. Only someone of the part's organisation handles it.
    2. Not someone involved in the conduct (Awb 9:7 lid 1), unless the complaint is about the
       conduct of the bestuursorgaan itself (Awb 9:7 lid 2): then the body handles it itself.
    3. Beyond the law (decision XI): not a member of the team concerned, nor its team lead.
       A coordinator may still choose them, with a stated reason that is recorded."""
    if candidate is None:
        return Verdict(False, _("Kies een behandelaar."), rule="organisatie")
    memberships = _memberships(candidate, part.organisation_id)
    if not memberships:
        return Verdict(
            False,
            _("Werkt niet bij %(org)s.") % {"org": part.organisation.name},
            rule="organisatie",
        )
    if part.employee_id is not None and candidate.pk == part.employee_id:
        if part.about_body:
            return Verdict(
                True,
                _(
                    "De klacht gaat over het bestuursorgaan zelf: het mag de klacht zelf "
                    "behandelen (Awb 9:7 lid 2)."
                ),
                rule="awb-9-7-2",
            )
        return Verdict(
            False,
            _("Was zelf betrokken bij wat er gebeurde (Awb 9:7 lid 1)."),
            rule="awb-9-7-1",
        )
    if part.team_id is not None:
        in_team = [m for m in memberships if m.team_id == part.team_id]
        if any(m.role == Role.TEAMLEIDER for m in in_team):
            return Verdict(
                False,
                _("Is teamleider van het team waar de klacht over gaat (%(team)s).")
                % {"team": part.team.name},
                overridable=True,
                rule="teamleider",
            )
        if in_team:
            return Verdict(
                False,
                _("Werkt in het team waar de klacht over gaat (%(team)s).")
                % {"team": part.team.name},
                overridable=True,
                rule="team",
            )
    return Verdict(True, _("Onafhankelijk: niet betrokken en niet uit het team."))


def handler_candidates(part) -> list[tuple]:
    """Everyone of the part's organisation with the verdict, the handlers first, then the
    allowed ones, by name."""
    users = {
        m.user.pk: m.user
        for m in Membership.objects.filter(
            organisation_id=part.organisation_id, user__is_active=True
        )
        .select_related("user")
        .prefetch_related("user__memberships__team")
    }
    rows = []
    for user in users.values():
        here = [m for m in user.memberships.all() if m.organisation_id == part.organisation_id]
        roles = {m.role for m in here}
        # What they do there, for the coordinator choosing ("Klachtbehandelaar, Kwaliteit").
        user.work_label = "; ".join(
            sorted(
                f"{Role(m.role).label}, {m.team.name}" if m.team_id else str(Role(m.role).label)
                for m in here
            )
        )
        rows.append((user, handler_verdict(part, user), Role.KLACHTBEHANDELAAR in roles))
    rows.sort(key=lambda r: (not r[2], not r[1].allowed, r[0].get_full_name()))
    return [(user, verdict) for user, verdict, _h in rows]


# ---- registering ---------------------------------------------------------------------------------
def _new_reference(received_on) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"KL-{received_on.year}-" + "".join(secrets.choice(alphabet) for _ in range(5))


def _clean_parts(parts, errors) -> list[dict]:
    """Each part: organisation, team, employee, service, about_body, all of one organisation."""
    cleaned, seen = [], set()
    if not parts:
        errors["parts"] = [_("Kies de organisatie waar de klacht over gaat.")]
        return cleaned
    for index, raw in enumerate(parts):
        org = raw.get("organisation")
        if not isinstance(org, Organisation):
            errors["organisation"] = [_("Kies de organisatie waar de klacht over gaat.")]
            continue
        if org.type in PARTNER_TYPES:
            errors["organisation"] = [
                _(
                    "%(org)s is geen overheidsorganisatie: deze klachtenregeling geldt daar niet. "
                    "De inwoner kan bij %(org)s zelf klagen."
                )
                % {"org": org.name}
            ]
            continue
        if org.pk in seen:
            errors["organisation"] = [_("Elke organisatie kan maar één keer in een klacht staan.")]
            continue
        seen.add(org.pk)
        team, employee, service = raw.get("team"), raw.get("employee"), raw.get("service")
        field = "" if index == 0 else f"{index}"
        if team is not None and team.organisation_id != org.pk:
            errors[f"team{field}"] = [_("Dit team hoort niet bij %(org)s.") % {"org": org.name}]
        if employee is not None:
            theirs = list(
                Membership.objects.filter(user=employee, organisation=org).values_list(
                    "team_id", flat=True
                )
            )
            if not theirs:
                errors[f"employee{field}"] = [
                    _("Deze medewerker werkt niet bij %(org)s.") % {"org": org.name}
                ]
            elif team is None:
                teams = {t for t in theirs if t}
                if len(teams) == 1:  # the employee's team is the team concerned
                    team = Team.objects.get(pk=teams.pop())
        if service is not None and not isinstance(service, Service):
            errors[f"service{field}"] = [_("Kies een dienst uit de catalogus.")]
        cleaned.append(
            {
                "organisation": org,
                "team": team,
                "employee": employee,
                "service": service,
                "about_body": bool(raw.get("about_body")),
            }
        )
    return cleaned


def _create(
    *,
    user,
    channel,
    description,
    desired_outcome,
    received_on,
    resident,
    name,
    email,
    phone,
    parts,
    contact,
    lead,
    now,
) -> Complaint:
    errors: dict = {}
    texts = _texts(
        {"description": description, "desired_outcome": desired_outcome, "name": name},
        required={"description": _("Schrijf op waar de klacht over gaat.")},
        limits={"description": TEXT_MAX, "desired_outcome": 2000, "name": 200},
        errors=errors,
    )
    if channel not in ComplaintChannel.values:
        errors["channel"] = [_("Kies hoe de klacht binnenkwam.")]
    if not isinstance(received_on, dt.date) or isinstance(received_on, dt.datetime):
        errors["received_on"] = [_("Geef de datum waarop de klacht binnenkwam.")]
    elif received_on > today(now):
        errors["received_on"] = [_("Een klacht kan niet in de toekomst binnenkomen.")]
    elif received_on < today(now) - dt.timedelta(days=366):
        errors["received_on"] = [_("Deze datum ligt meer dan een jaar terug.")]
    if resident is None and not texts.get("name"):
        errors["name"] = [_("Kies de inwoner of schrijf de naam op.")]
    cleaned = _clean_parts(parts, errors)
    _raise(errors)
    org_ids = [p["organisation"].pk for p in cleaned]
    lead = lead if lead is not None and lead.pk in org_ids else cleaned[0]["organisation"]
    complaint = Complaint(
        channel=channel,
        received_on=received_on,
        description=texts["description"],
        desired_outcome=texts["desired_outcome"],
        resident=resident,
        name="" if resident is not None else texts["name"],
        email=(email or "").strip()[:254],
        phone=(phone or "").strip()[:30],
        contact=contact,
        lead_organisation=lead,
        registered_by=user,
        created_at=now,
    )
    for _attempt in range(5):
        complaint.reference = _new_reference(received_on)
        try:
            with transaction.atomic():
                complaint.save()
            break
        except IntegrityError:
            complaint.pk = None
    else:
        raise ValidationError(
            _("Er ging iets mis bij het maken van een kenmerk. Probeer het opnieuw.")
        )
    for row in cleaned:
        ComplaintPart.objects.create(complaint=complaint, **row)
    for row in cleaned:
        notify(
            coordinators(row["organisation"]),
            gettext_lazy("Nieuwe klacht %(reference)s over %(org)s."),
            complaint_link(complaint),
            params={"reference": complaint.reference, "org": row["organisation"].name},
        )
    return complaint


@transaction.atomic
def register_complaint(
    *,
    user,
    channel: str,
    description: str,
    parts: list[dict],
    received_on: dt.date | None = None,
    desired_outcome: str = "",
    resident=None,
    name: str = "",
    email: str = "",
    phone: str = "",
    contact=None,
    now=None,
) -> Complaint:
    """A staff member records a complaint that came in on any channel, about one or more
    organisations (each a part: team, employee and/or service)."""
    now = _now(now)
    scope = get_scope(user)
    if not scope.contact_organisation_ids:
        raise PermissionDenied(_("U heeft geen rol waarmee u klachten mag vastleggen."))
    resident = getattr(resident, "resident", resident)
    if contact is not None:
        if contact.organisation_id not in scope.contact_organisation_ids:
            raise PermissionDenied(_("Dit contact is niet van uw organisatie."))
        resident = resident or contact.resident
    lead = Organisation.objects.filter(pk=scope.primary_organisation_id).first()
    complaint = _create(
        user=user,
        channel=channel,
        description=description,
        desired_outcome=desired_outcome,
        received_on=received_on if received_on is not None else today(now),
        resident=resident,
        name=name,
        email=email,
        phone=phone,
        parts=parts,
        contact=contact,
        lead=lead,
        now=now,
    )
    _log(user, complaint.lead_organisation, complaint, Action.CREATE)
    return complaint


@transaction.atomic
def register_from_contact(*, user, contact, description: str, parts=None, now=None) -> Complaint:
    """The resident complained during a contact moment: the complaint keeps the contact, its
    resident and its channel."""
    parts = parts or [{"organisation": contact.organisation}]
    return register_complaint(
        user=user,
        channel=FROM_CONTACT.get(contact.channel, ComplaintChannel.DESK),
        description=description,
        parts=parts,
        received_on=contact.started_at.astimezone(AMSTERDAM).date(),
        contact=contact,
        now=now,
    )


@transaction.atomic
def submit_public(
    *,
    organisation,
    name: str,
    email: str,
    phone: str,
    description: str,
    desired_outcome: str = "",
    now=None,
) -> Complaint:
    """The resident's own complaint on the public form (no login). Returns the complaint; the
    page shows its reference as the receipt."""
    now = _now(now)
    errors: dict = {}
    texts = _texts(
        {"name": name, "email": email, "phone": phone},
        required={"name": _("Vul uw naam in.")},
        limits={"name": 200, "email": 254, "phone": 30},
        errors=errors,
    )
    if texts.get("phone") and formatting.parse_phone(texts["phone"]) is None:
        errors["phone"] = [_("Dit is geen geldig telefoonnummer.")]
    elif (
        not texts.get("email")
        and texts.get("phone")
        and not formatting.is_mobile_number(texts["phone"])
    ):
        # Letters about the complaint go by e-mail or sms (there is no postal address).
        errors["phone"] = [
            _("Naar dit nummer kunnen wij geen sms sturen. Vul een 06-nummer of uw e-mailadres in.")
        ]
    if not texts.get("email") and not texts.get("phone"):
        errors["email"] = [_("Vul uw e-mailadres of telefoonnummer in. Dan kunnen wij u bereiken.")]
    elif texts.get("email"):
        from django.core.validators import validate_email

        try:
            validate_email(texts["email"])
        except ValidationError:
            errors["email"] = [_("Dit is geen geldig e-mailadres.")]
    if not isinstance(organisation, Organisation):
        errors["organisation"] = [_("Kies de organisatie waar uw klacht over gaat.")]
    if errors:
        # Report the text fields too, in one go.
        _texts(
            {"description": description},
            required={"description": _("Schrijf op waar uw klacht over gaat.")},
            limits={"description": TEXT_MAX},
            errors=errors,
        )
        _raise(errors)
    return _create(
        user=None,
        channel=ComplaintChannel.WEBSITE,
        description=description,
        desired_outcome=desired_outcome,
        received_on=today(now),
        resident=None,
        name=texts["name"],
        email=texts["email"],
        phone=texts["phone"],
        parts=[{"organisation": organisation}],
        contact=None,
        lead=organisation,
        now=now,
    )


# ---- informal resolution (Awb 9:5) -----------------------------------------------------------------
@transaction.atomic
def resolve_informally(
    *,
    user,
    part,
    note: str,
    lesson_category: str = "",
    lesson_cause: str = "",
    lesson_improvement: str = "",
    now=None,
) -> ComplaintPart:
    """Solved to the resident's satisfaction (Awb 9:5): closed, with what was done."""
    now = _now(now)
    current = _check(user, part, "resolve")
    errors: dict = {}
    texts = _texts(
        {"note": note, "lesson_cause": lesson_cause, "lesson_improvement": lesson_improvement},
        required={"note": _("Schrijf op wat er is gedaan en dat de inwoner tevreden is.")},
        limits={"note": 2000, "lesson_cause": 1000, "lesson_improvement": 1000},
        errors=errors,
    )
    if lesson_category and lesson_category not in LessonCategory.values:
        errors["lesson_category"] = [_("Kies een soort les uit de lijst.")]
    _raise(errors)
    current.state = S.RESOLVED
    current.informal_note = texts["note"]
    current.resolved_at = now
    current.closed_at = now
    current.lesson_category = lesson_category or ""
    current.lesson_cause = texts["lesson_cause"]
    current.lesson_improvement = texts["lesson_improvement"]
    current.save()
    if current.tracked_request_id and current.tracked_request.state in ("open", "opgeschort"):
        deadlines.withdraw(
            user=user,
            request=current.tracked_request,
            note=_("Informeel opgelost"),
            now=now,
        )
    _log(user, current.organisation, current.complaint)
    return current


# ---- formal ------------------------------------------------------------------------------------------
def _request_team(user, organisation, part):
    teams = list(
        Membership.objects.filter(user=user, organisation=organisation, team__isnull=False)
        .exclude(team_id=part.team_id)
        .values_list("team_id", flat=True)
    )
    if teams:
        return Team.objects.get(pk=teams[0])
    other = Team.objects.filter(organisation=organisation).exclude(pk=part.team_id).first()
    return other or part.team


def _send(complaint, organisation, key, context, sender, now):
    """The letter to the resident in the register, or by e-mail/sms to someone from the form."""
    if complaint.resident_id is not None:
        sent = send_to_resident(
            organisation=organisation,
            resident=complaint.resident,
            template_key=key,
            context=context,
            sender=sender,
            cause_type="complaint",
            cause_id=str(complaint.uuid),
            now=now,
            via=_channel.get(),
        )
    else:
        sent = send_to_person(
            organisation=organisation,
            name=complaint.name,
            email=complaint.email,
            phone=complaint.phone,
            template_key=key,
            context=context,
            sender=sender,
            cause_type="complaint",
            cause_id=str(complaint.uuid),
            now=now,
        )
    if not sent:
        raise ValidationError(
            _(
                "De inwoner is op geen enkele manier te bereiken (geen adres, e-mail of "
                "telefoonnummer). Vul eerst de gegevens aan."
            )
        )
    return sent


@transaction.atomic
def make_formal(*, user, part, advisory_committee: bool = False, now=None) -> ComplaintPart:
    """Handle the complaint formally: the term starts (6 weeks, 10 with an advisory committee:
    a tracked request with the Awb 9:11 terms), the resident gets the acknowledgement in
    writing (9:6), the employee concerned a copy of the complaint (9:9)."""
    now = _now(now)
    current = _check(user, part, "make-formal")
    complaint = current.complaint
    rtype = RequestType.objects.get(code=REQUEST_TYPE, organisation__isnull=True)
    tracked = deadlines.register(
        user=user,
        organisation=current.organisation,
        request_type=rtype,
        subject=_("Klacht %(reference)s") % {"reference": complaint.reference},
        team=_request_team(user, current.organisation, current),
        received_on=complaint.received_on,
        resident=complaint.resident,
        contact=complaint.contact,
        advisory_committee=bool(advisory_committee),
        now=now,
    )
    _send(
        complaint,
        current.organisation,
        letters.ACKNOWLEDGEMENT,
        {
            "kenmerk": complaint.reference,
            "ontvangen_op": complaint.received_on,
            "uiterlijke_datum": tracked.due_date,
        },
        user,
        now,
    )
    current.state = S.FORMAL
    current.formal_at = now
    current.advisory_committee = bool(advisory_committee)
    current.tracked_request = tracked
    if current.employee_id is not None:
        current.copy_sent_at = now
        notify(
            [current.employee],
            gettext_lazy(
                "Er is een klacht over u binnengekomen (%(reference)s). Hier leest u de kopie."
            ),
            reverse("complaints:copy", kwargs={"uuid": current.uuid}),
            params={"reference": complaint.reference},
        )
    current.save()
    _log(user, current.organisation, complaint)
    return current


@transaction.atomic
def assign_handler(*, user, part, handler, override_reason: str = "", now=None) -> ComplaintPart:
    """The coordinator chooses the handler. Refused by the law (involved, other organisation):
    never. Refused by decision XI (team, team lead): only with a stated reason, recorded."""
    now = _now(now)
    current = _check(user, part, "assign")
    verdict = handler_verdict(current, handler)
    reason = _texts({"override_reason": override_reason}, limits={"override_reason": 1000})[
        "override_reason"
    ]
    if not verdict.allowed:
        if not verdict.overridable:
            raise ValidationError({"handler": [verdict.reason]}, code="not_independent")
        if not reason:
            raise ValidationError(
                {
                    "override_reason": [
                        _("%(reason)s Wilt u deze behandelaar toch kiezen? Schrijf dan op waarom.")
                        % {"reason": verdict.reason}
                    ]
                },
                code="not_independent",
            )
    current.handler = handler
    current.handler_assigned_at = now
    current.override_reason = reason if not verdict.allowed else ""
    current.override_by = user if not verdict.allowed else None
    current.state = S.HANDLING
    current.save()
    notify(
        [handler],
        gettext_lazy("U behandelt klacht %(reference)s van %(org)s."),
        complaint_link(current.complaint),
        params={"reference": current.complaint.reference, "org": current.organisation.name},
    )
    _log(user, current.organisation, current.complaint)
    return current


HEARING_MINUTES = 60


@transaction.atomic
def record_hearing(
    *,
    user,
    part,
    hearing_at,
    place: str = "",
    location=None,
    note: str = "",
    minutes: int = HEARING_MINUTES,
    now=None,
) -> ComplaintPart:
    """The resident and the employee concerned get the chance to be heard (Awb 9:10).

    With a `location`, the hearing is planned as an internal meeting in appointments (a future
    time on a quarter of an hour; the handler's and the employee's time taken, the employee
    invited). Without one, a hearing that was held or agreed is recorded with its date, time and
    place. A hearing still to come is also a letter to the resident with the time and place."""
    now = _now(now)
    current = _check(user, part, "hear")
    errors: dict = {}
    texts = _texts(
        {"place": place, "note": note},
        required={} if location is not None else {"place": _("Schrijf op waar het horen is.")},
        limits={"place": 200, "note": TEXT_MAX},
        errors=errors,
    )
    if not isinstance(hearing_at, dt.datetime):
        errors["hearing_at"] = [_("Geef de datum en tijd van het horen.")]
    elif hearing_at.astimezone(AMSTERDAM).date() < current.complaint.received_on:
        errors["hearing_at"] = [_("Het horen kan niet voor de ontvangst van de klacht.")]
    elif hearing_at > now + dt.timedelta(days=366):
        errors["hearing_at"] = [
            _("Het horen is binnen de termijn van de klacht. Kies een datum binnen een jaar.")
        ]
    _raise(errors)
    appointment = None
    if location is not None:
        try:
            appointment = appointments.plan_meeting(
                user=user,
                organisation=current.organisation,
                location=location,
                title=_("Horen over klacht %(reference)s")
                % {"reference": current.complaint.reference},
                starts_at=hearing_at,
                ends_at=hearing_at + dt.timedelta(minutes=minutes),
                participants=[current.employee] if current.employee_id else [],
                resident=current.complaint.resident,
                now=now,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                moved = {
                    ("hearing_at" if key in ("starts_at", "ends_at") else key): value
                    for key, value in exc.message_dict.items()
                }
                raise ValidationError(moved) from None
            raise
        address = f"{location.street} {location.house_number}, {location.city}"
        texts["place"] = texts["place"] or f"{location.name}, {address}"
    current.hearing_at = hearing_at
    current.hearing_place = texts["place"]
    current.hearing_note = texts["note"]
    current.hearing_appointment = appointment
    current.hearing_waived = ""
    current.save()
    if hearing_at > now:
        # The resident is invited in writing (Awb 9:10: the chance to be heard), with the
        # time and place; the employee concerned through the meeting or a notification.
        _send(
            current.complaint,
            current.organisation,
            letters.HEARING,
            {
                "kenmerk": current.complaint.reference,
                "datum_tijd": hearing_at,
                "plaats": texts["place"],
            },
            user,
            now,
        )
    if current.employee_id is not None and appointment is None:
        notify(
            [current.employee],
            gettext_lazy("U wordt gehoord over klacht %(reference)s op %(when)s."),
            reverse("complaints:copy", kwargs={"uuid": current.uuid}),
            params={"reference": current.complaint.reference, "when": hearing_at},
        )
    _log(user, current.organisation, current.complaint)
    return current


@transaction.atomic
def waive_hearing(*, user, part, reason: str, now=None) -> ComplaintPart:
    """No hearing, for one of the reasons of Awb 9:10 lid 2 (recorded)."""
    current = _check(user, part, "waive-hearing")
    if reason not in WaiveReason.values:
        raise ValidationError({"reason": [_("Kies waarom er niet gehoord wordt.")]})
    current.hearing_waived = reason
    current.save(update_fields=["hearing_waived"])
    _log(user, current.organisation, current.complaint)
    return current


@transaction.atomic
def postpone(*, user, part, reason: str, weeks: int = MAX_POSTPONE_WEEKS, now=None):
    """Postpone the handling once, by at most four weeks (Awb 9:11 lid 2), with a written notice
    to the resident (the deadlines' extension letter) and to the employee concerned."""
    now = _now(now)
    current = _check(user, part, "postpone")
    if not isinstance(weeks, int) or isinstance(weeks, bool) or weeks < 1:
        raise ValidationError({"weeks": [_("Geef het aantal weken: 1 tot en met 4.")]})
    if weeks > MAX_POSTPONE_WEEKS:
        raise ValidationError(
            {"weeks": [_("De wet staat ten hoogste vier weken uitstel toe (Awb 9:11 lid 2).")]}
        )
    try:
        extension = deadlines.extend(
            user=user,
            request=current.tracked_request,
            reason=reason,
            term=f"P{weeks}W",
            now=now,
            via=_channel.get(),
            # Someone from the public form, not in the register: by e-mail or sms.
            person={
                "name": current.complaint.name,
                "email": current.complaint.email,
                "phone": current.complaint.phone,
            },
        )
    except ValidationError as exc:
        if getattr(exc, "code", "") == "no_extension":
            raise ValidationError(
                _(
                    "Deze klacht is al een keer verdaagd. De wet staat maar één verdaging toe, "
                    "van ten hoogste vier weken (Awb 9:11 lid 2)."
                ),
                code="no_extension",
            ) from None
        raise
    if current.employee_id is not None:
        notify(
            [current.employee],
            gettext_lazy(
                "De behandeling van klacht %(reference)s is verdaagd tot uiterlijk %(date)s."
            ),
            reverse("complaints:copy", kwargs={"uuid": current.uuid}),
            params={"reference": current.complaint.reference, "date": extension.due_date_after},
        )
    _log(user, current.organisation, current.complaint)
    return extension


@transaction.atomic
def decide(
    *,
    user,
    part,
    finding: str,
    findings: str,
    conclusions: str = "",
    lesson_category: str = "",
    lesson_cause: str = "",
    lesson_improvement: str = "",
    now=None,
) -> ComplaintPart:
    """The handler's judgement of this organisation's part: gegrond, deels gegrond or
    ongegrond, with the findings and conclusions the resident reads, and the lesson."""
    now = _now(now)
    current = _check(user, part, "decide")
    errors: dict = {}
    texts = _texts(
        {
            "findings": findings,
            "conclusions": conclusions,
            "lesson_cause": lesson_cause,
            "lesson_improvement": lesson_improvement,
        },
        required={"findings": _("Schrijf op wat u heeft onderzocht en gevonden.")},
        limits={
            "findings": TEXT_MAX,
            "conclusions": TEXT_MAX,
            "lesson_cause": 1000,
            "lesson_improvement": 1000,
        },
        errors=errors,
    )
    if finding not in Finding.values:
        errors["finding"] = [_("Kies: gegrond, deels gegrond of ongegrond.")]
    if lesson_category and lesson_category not in LessonCategory.values:
        errors["lesson_category"] = [_("Kies een soort les uit de lijst.")]
    if current.hearing_at is None and not current.hearing_waived:
        errors["hearing"] = [
            _(
                "Hoor eerst de inwoner en de medewerker (Awb 9:10), of leg vast waarom dat niet "
                "hoeft."
            )
        ]
    _raise(errors)
    current.finding = finding
    current.findings = texts["findings"]
    current.conclusions = texts["conclusions"]
    current.lesson_category = lesson_category or ""
    current.lesson_cause = texts["lesson_cause"]
    current.lesson_improvement = texts["lesson_improvement"]
    current.decided_at = now
    current.state = S.DECIDED
    current.save()
    notify(
        coordinators(current.complaint.lead_organisation),
        gettext_lazy("%(org)s gaf een oordeel over klacht %(reference)s."),
        complaint_link(current.complaint),
        params={"org": current.organisation.name, "reference": current.complaint.reference},
    )
    _log(user, current.organisation, current.complaint)
    return current


def ombudsman_for(organisation) -> tuple[str, str, str]:
    setting = OmbudsmanSetting.objects.filter(organisation=organisation).first()
    if setting is None:
        return NATIONAL_OMBUDSMAN
    return setting.name, setting.website, setting.phone


def outcome_text(complaint, parts) -> str:
    """Per organisation: the judgement, what was found and what is done (the letter's body)."""
    blocks = []
    for part in parts:
        if part.state not in (S.DECIDED, S.CLOSED):
            continue
        lines = [f"# {part.organisation.name}: {Finding(part.finding).label.lower()}"]
        lines.append(part.findings)
        if part.conclusions:
            lines.append(part.conclusions)
        blocks.append("\n\n".join(lines))
    return "\n\n".join(blocks)


@transaction.atomic
def send_answer(*, user, complaint, now=None) -> list:
    """The lead organisation sends the ONE answer letter, once every part is judged. Each
    organisation's term is closed (decided: in time or late)."""
    now = _now(now)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    parts = list(
        complaint.parts.select_related("organisation", "tracked_request", "handler").order_by("id")
    )
    lead_part = next(
        (p for p in parts if p.organisation_id == complaint.lead_organisation_id), None
    )
    if lead_part is None:
        raise ValidationError(_("Deze klacht heeft geen deel van de organisatie die antwoordt."))
    _check(user, lead_part, "send-answer")
    waiting = [p.organisation.name for p in parts if p.state in (S.RECEIVED, S.FORMAL, S.HANDLING)]
    if waiting:
        raise ValidationError(
            _("De brief kan pas als elke organisatie haar oordeel gaf. Nog niet: %(orgs)s.")
            % {"orgs": ", ".join(waiting)},
            code="parts_open",
        )
    judged = [p for p in parts if p.state == S.DECIDED]
    name, website, phone = ombudsman_for(complaint.lead_organisation)
    letter_day = today(now)
    sent = _send(
        complaint,
        complaint.lead_organisation,
        letters.OUTCOME,
        {
            "kenmerk": complaint.reference,
            "ontvangen_op": complaint.received_on,
            "oordeel": outcome_text(complaint, judged),
            "ombudsman": name,
            "ombudsman_voor": letter_day.replace(year=letter_day.year + OMBUDSMAN_YEARS)
            if not (letter_day.month == 2 and letter_day.day == 29)
            else dt.date(letter_day.year + 1, 3, 1),
            "ombudsman_website": website,
            "ombudsman_telefoon": formatting.phone_display(phone)
            if phone.startswith("+")
            else phone,
        },
        user,
        now,
    )
    for part in judged:
        if part.tracked_request_id and part.tracked_request.state in ("open", "opgeschort"):
            deadlines.decide(
                user=_member_for(part, user),
                request=part.tracked_request,
                decided_on=letter_day,
                note=_("Antwoordbrief verstuurd"),
                now=now,
            )
        part.state = S.CLOSED
        part.closed_at = now
        part.save(update_fields=["state", "closed_at"])
    complaint.answered_at = now
    complaint.save(update_fields=["answered_at"])
    for part in judged:
        notify(
            [part.handler, *coordinators(part.organisation)],
            gettext_lazy("De antwoordbrief over klacht %(reference)s is verstuurd."),
            complaint_link(complaint),
            params={"reference": complaint.reference},
        )
    _log(user, complaint.lead_organisation, complaint)
    return sent


def _member_for(part, user):
    """Who closes the part's term in deadlines (a contact role at that organisation)."""
    if part.organisation_id in get_scope(user).contact_organisation_ids:
        return user
    for candidate in [part.handler, *coordinators(part.organisation)]:
        if (
            candidate is not None
            and Membership.objects.filter(
                user=candidate, organisation=part.organisation, role__in=CONTACT_ROLES
            ).exists()
        ):
            return candidate
    return user


@transaction.atomic
def withdraw(*, user, part, note: str = "", now=None) -> ComplaintPart:
    now = _now(now)
    current = _check(user, part, "withdraw")
    note = _texts({"note": note}, limits={"note": 1000})["note"]
    current.state = S.WITHDRAWN
    current.closed_at = now
    current.informal_note = note
    current.save()
    if current.tracked_request_id and current.tracked_request.state in ("open", "opgeschort"):
        deadlines.withdraw(user=user, request=current.tracked_request, note=note, now=now)
    _log(user, current.organisation, current.complaint)
    return current


# ---- working together ------------------------------------------------------------------------------
@transaction.atomic
def post_message(*, user, complaint, text: str, now=None) -> ComplaintMessage:
    """A message in the coordinators' shared thread (proposal 15)."""
    now = _now(now)
    orgs = {
        p.organisation_id: p.organisation for p in complaint.parts.select_related("organisation")
    }
    mine = [org for org_id, org in orgs.items() if is_coordinator(user, org_id)]
    if not mine:
        raise PermissionDenied(_("Alleen de klachtcoördinatoren van deze klacht schrijven hier."))
    text = _texts(
        {"text": text}, required={"text": _("Schrijf een bericht.")}, limits={"text": 2000}
    )["text"]
    message = ComplaintMessage.objects.create(
        complaint=complaint, author=user, organisation=mine[0], text=text, created_at=now
    )
    others = [u for org in orgs.values() if org.pk != mine[0].pk for u in coordinators(org)]
    notify(
        others,
        gettext_lazy("Nieuw bericht van %(org)s over klacht %(reference)s."),
        complaint_link(complaint),
        params={"org": mine[0].name, "reference": complaint.reference},
    )
    return message


@transaction.atomic
def add_note(*, user, part, text: str, now=None) -> HandlerNote:
    """The handler's (or the coordinator's) own note; the employee concerned never sees it."""
    current = _locked(part)
    who = parties(user, current)
    if not who & {states.HANDLER, states.COORDINATOR}:
        raise PermissionDenied(_("Alleen de behandelaar van deze klacht mag dit."))
    text = _texts(
        {"text": text}, required={"text": _("Schrijf een notitie.")}, limits={"text": TEXT_MAX}
    )["text"]
    return HandlerNote.objects.create(part=current, author=user, text=text, created_at=_now(now))
