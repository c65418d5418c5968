"""Appointments: booking (staff, the public page, the API), rescheduling, cancelling, check-in,
no-show, the outcome as a contact moment, visits with several organisations, internal meetings,
travel documents picked up elsewhere, reminders; schedules, desks, closures, skills and
learning needs. UI and API call these functions (one per use case, inside a transaction).

Capacity is the database's: every booking writes its Occupancy rows (a desk and an employee per
quarter of an hour) under two unique constraints, so the last free slot goes to exactly one of
two residents who take it at the same moment; the other gets SlotTaken (409 in the API)."""

import base64
import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eenloket.catalogue.models import Service
from eenloket.contacts.models import Channel as ContactChannel
from eenloket.contacts.models import Outcome as ContactOutcome
from eenloket.contacts.services import register_contact
from eenloket.core import formatting, permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.calendar import AMSTERDAM, add_working_days, is_holiday, is_working_day
from eenloket.core.notifications import notify
from eenloket.core.validators import clean_texts
from eenloket.messaging import services as messaging
from eenloket.organisations.models import Membership
from eenloket.organisations.selectors import get_scope
from eenloket.referrals import services as referral_services
from eenloket.referrals.models import ReferralState
from eenloket.residents.services import normalise_phone
from eenloket.worklist.services import create_task

from . import calendar_file, slots, states
from . import needs as need_rules
from .models import (
    UNIT_MINUTES,
    Appointment,
    AppointmentKind,
    AppointmentPart,
    AppointmentState,
    BookableService,
    Closure,
    Delivery,
    Desk,
    DeskFeature,
    LearningNeed,
    Occupancy,
    Schedule,
    Skill,
    StaffSkill,
)

logger = logging.getLogger(__name__)
S = AppointmentState
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
# Travel documents are ready to pick up this many working days after the application.
TRAVEL_DOCUMENT_WORKING_DAYS = 5


class SlotTaken(ValidationError):
    """The chosen time was just taken by someone else (409 in the API)."""

    def __init__(self, message=None):
        super().__init__(
            message or _("Deze tijd is net door iemand anders gekozen. Kies een andere tijd."),
            code="slot_taken",
        )


# ---- small helpers ---------------------------------------------------------------------------------
def new_reference() -> str:
    while True:
        raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(8))
        reference = f"{raw[:4]}-{raw[4:]}"
        if not Appointment.objects.filter(reference=reference).exists():
            return reference


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(appointment) -> str:
    """The secret of the appointment's manage link: derived from its uuid and nonce with the
    site's secret key (HMAC), so the confirmation and the reminder carry the same link without
    the link being stored; only its hash is (for the lookup)."""
    message = f"afspraak:{appointment.uuid}:{appointment.link_nonce}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def renew_link(appointment) -> str:
    """A new nonce (a new time, a new link; the old one stops working). Not saved here."""
    appointment.link_nonce = secrets.token_hex(8)
    token = link_token(appointment)
    appointment.token_hash = _hash(token)
    return token


def appointment_for_token(token: str) -> Appointment:
    """The appointment of a manage link; ValidationError (code bad_link) for a wrong one."""
    token = str(token or "")
    if not 20 <= len(token) <= 64:
        raise ValidationError(
            _("Deze link klopt niet. Gebruik de link uit de bevestiging."), code="bad_link"
        )
    found = (
        Appointment.objects.select_related("location", "resident")
        .filter(token_hash=_hash(token))
        .first()
    )
    if found is None or not secrets.compare_digest(found.token_hash, _hash(token)):
        raise ValidationError(
            _("Deze link klopt niet. Gebruik de link uit de bevestiging."), code="bad_link"
        )
    return found


def manage_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("appointments:manage", args=[token])


def link(appointment) -> str:
    return reverse("appointments:detail", args=[appointment.uuid])


def parties(user, appointment) -> frozenset:
    """Who the user is for this appointment: staff of one of its organisations, the counter of
    the location's organisation."""
    scope = get_scope(user)
    result = set()
    organisations = {p.organisation_id for p in appointment.parts.all()}
    if organisations & scope.contact_organisation_ids:
        result.add(states.STAFF)
    if appointment.location.organisation_id in scope.contact_organisation_ids:
        result.add(states.HOST)
    return frozenset(result)


def _authorise(user, appointment, action) -> frozenset:
    who = parties(user, appointment)
    states.APPOINTMENT.authorise(action, who)
    return who


def _locked(appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("location", "location__organisation", "resident", "referral")
        .get(pk=appointment.pk)
    )


def _step(appointment, action, who, **changes) -> Appointment:
    current = _locked(appointment)
    row = states.APPOINTMENT.check(action, current.state, who)
    if row.target:
        current.state = row.target
    for key, value in changes.items():
        setattr(current, key, value)
    current.save()
    return current


def _log(user, appointment, action, via):
    if appointment.resident_id is None or user is None:
        return
    organisation = appointment.parts.first().organisation
    log_access(
        user=user,
        organisation_code=organisation.code,
        residents=[appointment.resident],
        activity=Activity.APPOINTMENT,
        action=action,
        channel=via,
        object_type="appointment",
        object_id=str(appointment.uuid),
    )


def may_book_at(user, location) -> bool:
    """Staff may book at a location of their own organisation, or where their organisation is a
    guest (UWV at the town hall), or for their own organisation's hours anywhere."""
    scope = get_scope(user)
    if not permissions.can_work_with_contacts(scope):
        return False
    if location.organisation_id in scope.contact_organisation_ids:
        return True
    guests = set(location.guest_organisations.values_list("pk", flat=True))
    return bool(guests & scope.contact_organisation_ids)


def bookable_services(location, *, public_only=False):
    """The services offered with appointments at a location (any organisation's hours)."""
    qs = Service.objects.filter(
        schedules__location=location, schedules__walk_in=False, is_active=True
    ).distinct()
    if public_only:
        private = BookableService.objects.filter(public=False).values_list("service_id", flat=True)
        qs = qs.exclude(pk__in=private)
    return qs.order_by("name")


def kind_of(organisation_id, service) -> str:
    row = BookableService.objects.filter(organisation_id=organisation_id, service=service).first()
    return row.kind if row else AppointmentKind.VISIT


# ---- validating a booking's person and extras ------------------------------------------------------
def _clean_person(data: dict, *, resident=None, public=False) -> tuple[dict, dict]:
    texts, errors = clean_texts(
        {
            "given_name": data.get("given_name", ""),
            "surname": data.get("surname", ""),
            "needs_note": data.get("needs_note", ""),
            "note": data.get("note", ""),
        },
        required={}
        if resident is not None
        else {
            "given_name": _("Vul uw voornaam in.") if public else _("Vul de voornaam in."),
            "surname": _("Vul uw achternaam in.") if public else _("Vul de achternaam in."),
        },
        limits={"given_name": 200, "surname": 200, "needs_note": 1000},
    )
    phone, email = str(data.get("phone") or "").strip(), str(data.get("email") or "").strip()
    if resident is not None:
        phone = phone or resident.phone
        email = email or resident.email
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Dit e-mailadres klopt niet. Voorbeeld: naam@voorbeeld.nl")]
    if resident is None and not phone and not email and "phone" not in errors:
        errors["phone"] = [
            _("Vul een telefoonnummer of e-mailadres in. Dan kunnen wij u de bevestiging sturen.")
        ]
    try:
        needs = need_rules.clean_needs(data.get("needs"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        needs = []
    if need_rules.Need.OTHER in needs and not texts["needs_note"]:
        errors["needs_note"] = [_("Schrijf op welke ondersteuning u nodig heeft.")]
    language = data.get("language") or (resident.language if resident else "nl")
    if language not in ("nl", "en"):
        language = "nl"
    return {
        **texts,
        "phone": phone,
        "email": email,
        "needs": needs,
        "language": language,
    }, errors


def _clean_delivery(data, location, kind, errors) -> dict:
    if kind != AppointmentKind.TRAVEL_DOCUMENT:
        return {}
    delivery = data.get("delivery") or ""
    pickup = data.get("pickup_location")
    address = str(data.get("delivery_address") or "").strip()[:300]
    if delivery not in Delivery.values:
        errors["delivery"] = [_("Kies waar u het reisdocument ophaalt, of laat het bezorgen.")]
        return {}
    if delivery == Delivery.PICKUP:
        if pickup is None:
            errors["pickup_location"] = [_("Kies de locatie waar u het reisdocument ophaalt.")]
        elif pickup.organisation_id != location.organisation_id or pickup.pk == location.pk:
            errors["pickup_location"] = [
                _("Kies een andere locatie van %(org)s.") % {"org": location.organisation.name}
            ]
    elif delivery == Delivery.SAME_PLACE:
        pickup = location
    else:
        pickup = None
        if not address:
            errors["delivery_address"] = [_("Vul het adres in waar wij het bezorgen.")]
    return {"delivery": delivery, "pickup_location": pickup, "delivery_address": address}


def _check_time(starts_at, now, errors):
    if starts_at is None:
        errors["starts_at"] = [_("Kies een tijd.")]
    elif timezone.is_naive(starts_at):
        errors["starts_at"] = [_("Geef de tijd met tijdzone.")]
    elif starts_at < now:
        errors["starts_at"] = [_("Deze tijd is al voorbij. Kies een tijd in de toekomst.")]
    elif starts_at > now + dt.timedelta(days=slots.horizon_days()):
        errors["starts_at"] = [
            _("U kunt tot %(days)d dagen vooruit een afspraak maken.")
            % {"days": slots.horizon_days()}
        ]


def why_not_at(*, location, service, starts_at, needs, now) -> ValidationError:
    """The plain reason there is no slot at `starts_at`: closed, no hours, needs, or taken."""
    day = starts_at.astimezone(AMSTERDAM).date()
    if is_holiday(day):
        return ValidationError(
            {
                "starts_at": [
                    _("Op %(day)s is het een feestdag. Kies een andere dag.")
                    % {"day": formatting.long_date(day)}
                ]
            }
        )
    closures = slots.closed_days(location, day, day)
    if day in closures.get(None, ()):
        return ValidationError(
            {
                "starts_at": [
                    _("%(location)s is dicht op %(day)s. Kies een andere dag.")
                    % {"location": location.name, "day": formatting.long_date(day)}
                ]
            }
        )
    if starts_at < now + slots.min_notice():
        return ValidationError(
            {
                "starts_at": [
                    _("Deze tijd is te snel. Kies een tijd vanaf %(time)s.")
                    % {"time": formatting.long_datetime(now + slots.min_notice())}
                ]
            }
        )
    grid = slots.find_slots(
        location=location,
        service=service,
        date_from=day,
        date_to=day,
        needs=needs,
        now=now,
        ignore_taken=True,
    )
    if not any(s.starts_at == starts_at for s in grid):
        plain = slots.find_slots(
            location=location,
            service=service,
            date_from=day,
            date_to=day,
            now=now,
            ignore_taken=True,
        )
        if any(s.starts_at == starts_at for s in plain):
            return ValidationError(
                {
                    "needs": [
                        _(
                            "Op deze tijd is er niemand die de gevraagde ondersteuning kan "
                            "bieden. Kies een andere tijd."
                        )
                    ]
                }
            )
        return ValidationError(
            {
                "starts_at": [
                    _(
                        "Op deze tijd is er geen spreekuur voor deze dienst. Kies een "
                        "tijd uit de lijst."
                    )
                ]
            }
        )
    return SlotTaken()


def _write_occupancy(appointment, chosen) -> None:
    """The Occupancy rows of an appointment; IntegrityError when someone was first."""
    rows, seen = [], set()
    for slot in chosen:
        for unit in slots.units(slot.starts_at, slot.ends_at):
            for key in (("desk", slot.desk_id), ("employee", slot.employee_id)):
                if key[1] is None or (key, unit) in seen:
                    continue
                seen.add((key, unit))
                rows.append(
                    Occupancy(appointment=appointment, unit_start=unit, **{f"{key[0]}_id": key[1]})
                )
    with transaction.atomic():  # a savepoint: the caller may try the next option
        Occupancy.objects.bulk_create(rows)


def _take(appointment, options_per_part: list[list]) -> list:
    """Write the occupancy of the first combination of options that is still free (one option
    per part, tried in order); SlotTaken when every one was taken meanwhile."""
    import itertools

    for combination in itertools.islice(itertools.product(*options_per_part), 50):
        try:
            _write_occupancy(appointment, combination)
        except IntegrityError:
            continue
        return list(combination)
    raise SlotTaken()


def _parts(appointment, chosen, services, needs):
    skills = slots.skills_of({s.employee_id for s in chosen})
    desks = {d.pk: d for d in Desk.objects.filter(pk__in={s.desk_id for s in chosen})}
    made = []
    for position, (slot, service) in enumerate(zip(chosen, services, strict=True)):
        met = need_rules.employee_fits(
            skills.get(slot.employee_id, set()), needs
        ) and need_rules.desk_fits(desks[slot.desk_id].features, needs)
        made.append(
            AppointmentPart(
                appointment=appointment,
                organisation_id=slot.organisation_id,
                service=service,
                schedule_id=slot.schedule_id,
                employee_id=slot.employee_id,
                desk_id=slot.desk_id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                position=position,
                needs_met=met,
            )
        )
    AppointmentPart.objects.bulk_create(made)
    return made


# ---- booking ----------------------------------------------------------------------------------------
def book(
    *,
    location,
    service,
    starts_at,
    user=None,
    via: str = "ui",
    resident=None,
    source=None,
    now=None,
    **data,
) -> Appointment:
    """Book one appointment. `user` is the staff member (None on the public page, via
    "publiek"); `resident` prefills the person and their needs; `source` is where it came
    from: a ContactMoment, a Referral or a LiveConsult (nobody accepted it). `data`:
    given_name, surname, phone, email, language, needs, needs_note, note; for a travel
    document delivery, pickup_location, delivery_address.

    Every check first, all errors at once (ValidationError per field, Dutch); then the
    appointment, its part and occupancy, the confirmation (outbox, with an ICS file) and the
    access log in one transaction. The time was just taken → SlotTaken. Returns the appointment
    with `.token` (the secret of the manage link, not stored)."""
    now = now or timezone.now()
    public = user is None
    if not public and not may_book_at(user, location):
        raise PermissionDenied(_("U kunt geen afspraken maken op deze locatie."))
    errors = {}
    if service is None:
        errors["service"] = [_("Kies een dienst.")]
    _check_time(starts_at, now, errors)
    person, person_errors = _clean_person(data, resident=resident, public=public)
    errors.update(person_errors)
    if resident is not None and not data.get("needs_given"):
        person["needs"] = sorted(set(person["needs"]) | set(need_rules.from_resident(resident)))
    if service is not None and not slots.schedules_for(
        location, service, now.date(), now.date() + dt.timedelta(days=400)
    ):
        errors["service"] = [
            _("%(service)s kan niet op afspraak bij %(location)s.")
            % {"service": service.name, "location": location.name}
        ]
    if errors:
        raise ValidationError(errors)
    options = slots.options_at(
        location=location, service=service, starts_at=starts_at, needs=person["needs"], now=now
    )
    organisation_id = options[0].organisation_id if options else None
    kind = kind_of(organisation_id, service) if organisation_id else AppointmentKind.VISIT
    delivery = _clean_delivery(data, location, kind, errors)
    if errors:
        raise ValidationError(errors)
    if not options:
        raise why_not_at(
            location=location, service=service, starts_at=starts_at, needs=person["needs"], now=now
        )
    first_free = slots.first_free(location=location, service=service, now=now)
    with transaction.atomic():
        appointment = Appointment(
            reference=new_reference(),
            kind=kind,
            location=location,
            starts_at=options[0].starts_at,
            ends_at=options[0].ends_at,
            title=service.name,
            resident=resident,
            given_name=person["given_name"] if resident is None else "",
            surname=person["surname"] if resident is None else "",
            phone=person["phone"],
            email=person["email"],
            language=person["language"],
            needs=person["needs"],
            needs_note=person["needs_note"],
            note=person["note"],
            booked_via="publiek" if public else via,
            created_by=user,
            created_at=now,
            first_free_at=first_free,
            **_source_fields(source),
            **delivery,
        )
        token = renew_link(appointment)
        appointment.save()
        chosen = _take(appointment, [options])
        _parts(appointment, chosen, [service], person["needs"])
        if kind == AppointmentKind.TRAVEL_DOCUMENT:
            appointment.ready_on = ready_on(chosen[0].starts_at)
            appointment.save(update_fields=["ready_on"])
        _after_booking(appointment, source, user, now)
        _confirm(appointment, token, "afspraak-bevestiging", user=user, now=now)
        _log(user, appointment, Action.CREATE, via)
    appointment.token = token
    return appointment


def ready_on(applied_at) -> dt.date:
    """When a travel document applied for at `applied_at` can be picked up."""
    return add_working_days(applied_at, TRAVEL_DOCUMENT_WORKING_DAYS).astimezone(AMSTERDAM).date()


def _source_fields(source) -> dict:
    if source is None:
        return {}
    kind = source._meta.model_name
    if kind == "referral":
        return {"source_type": "referral", "source_id": str(source.uuid), "referral": source}
    if kind == "liveconsult":
        return {
            "source_type": "live-consult",
            "source_id": str(source.uuid),
            "referral": source.referral,
        }
    return {"source_type": "contact-moment", "source_id": str(source.uuid)}


def _after_booking(appointment, source, user, now):
    """A live consult nobody accepted becomes this appointment (instead of a note); the
    employee hears of a booking with needs to prepare."""
    if source is not None and source._meta.model_name == "liveconsult":
        referral_services.consult_to_appointment(
            user=user,
            consult=source,
            note=_("Afspraak %(reference)s op %(when)s bij %(location)s.")
            % {
                "reference": appointment.reference,
                "when": formatting.long_datetime(appointment.starts_at),
                "location": appointment.location.name,
            },
        )
    employees = [p.employee for p in appointment.parts.select_related("employee") if p.employee]
    if appointment.needs and employees:
        notify(
            employees,
            gettext_lazy(
                "Afspraak %(reference)s op %(when)s: bereid deze ondersteuning voor: %(needs)s."
            ),
            link(appointment),
            params={
                "reference": appointment.reference,
                "when": formatting.long_datetime(appointment.starts_at),
                "needs": ", ".join(appointment.need_labels()),
            },
        )


def _context(appointment, token) -> dict:
    location = appointment.location
    return {
        "onderwerp": appointment.title,
        "afspraak_datum": appointment.starts_at,
        "locatie": f"{location.name}, {location.address}",
        "afspraak_code": appointment.reference,
        "beheer_link": manage_url(token) if token else "",
        "ondersteuning": ", ".join(appointment.need_labels()).lower() or _("niets extra"),
    }


def _confirm(appointment, token, template_key, *, user=None, now=None) -> list:
    """The message to the resident through the outbox (e-mail with the ICS file, or sms)."""
    part = appointment.parts.select_related("organisation", "schedule__team").first()
    if part is None:
        return []
    team = part.schedule.team if part.schedule_id and part.schedule else None
    attachments = None
    if template_key != "afspraak-geannuleerd":
        attachments = [
            {
                "filename": f"afspraak-{appointment.reference}.ics",
                "mimetype": "text/calendar",
                "content": calendar_file.ics(appointment),
            }
        ]
    common = {
        "organisation": part.organisation,
        "template_key": template_key,
        "context": _context(appointment, token),
        "sender": None,
        "team": team,
        "attachments": attachments,
        "cause_type": "appointment",
        "cause_id": str(appointment.uuid),
        "now": now,
    }
    try:
        if appointment.resident_id:
            return messaging.send_to_resident(resident=appointment.resident, **common)
        return messaging.send_to_person(
            name=appointment.person_name,
            email=appointment.email,
            phone=appointment.phone,
            language=appointment.language,
            **common,
        )
    except ValidationError as exc:
        # No direct number for the contact block: the booking stands; the counter sees it.
        logger.warning("appointment %s: no %s sent: %s", appointment.reference, template_key, exc)
        return []


# ---- changing --------------------------------------------------------------------------------------
def _resident_or_staff(user, appointment, token, action) -> frozenset:
    if token is not None:
        if appointment_for_token(token).pk != appointment.pk:
            raise PermissionDenied(states.APPOINTMENT._forbidden[states.RESIDENT])
        return frozenset({states.RESIDENT})
    return _authorise(user, appointment, action)


def reschedule(*, appointment, starts_at, user=None, token=None, via="ui", now=None):
    """Move an appointment to another free time (same location, service and needs). The old
    time is free again at once; the resident gets a new confirmation."""
    now = now or timezone.now()
    who = _resident_or_staff(user, appointment, token, "reschedule")
    if appointment.kind in (AppointmentKind.MULTI, AppointmentKind.INTERNAL):
        raise ValidationError(
            _(
                "Een afspraak met meer organisaties kunt u niet verzetten: annuleer hem en maak "
                "een nieuwe, dan past het bij de spreekuren van iedereen."
            ),
            code="invalid_transition",
        )
    errors = {}
    _check_time(starts_at, now, errors)
    if errors:
        raise ValidationError(errors)
    part = appointment.parts.select_related("service").first()
    with transaction.atomic():
        current = _step(appointment, "reschedule", who)
        options = slots.options_at(
            location=current.location,
            service=part.service,
            starts_at=starts_at,
            needs=current.needs,
            now=now,
            exclude_appointment=current.pk,
            organisation=part.organisation_id,
        )
        if not options:
            raise why_not_at(
                location=current.location,
                service=part.service,
                starts_at=starts_at,
                needs=current.needs,
                now=now,
            )
        current.occupancy.all().delete()
        chosen = _take(current, [options])
        current.parts.all().delete()
        _parts(current, chosen, [part.service], current.needs)
        new_token_value = renew_link(current)
        current.starts_at, current.ends_at = chosen[0].starts_at, chosen[0].ends_at
        if current.kind == AppointmentKind.TRAVEL_DOCUMENT:
            current.ready_on = ready_on(current.starts_at)
        current.reminder_sent_at = None
        current.save()
        _confirm(current, new_token_value, "afspraak-bevestiging", now=now)
        _log(user, current, Action.UPDATE, via)
    current.token = new_token_value
    return current


def cancel(*, appointment, reason: str = "", user=None, token=None, via="ui", now=None):
    """Cancel: the time is free again, the resident hears it (also when they cancelled)."""
    now = now or timezone.now()
    who = _resident_or_staff(user, appointment, token, "cancel")
    texts, errors = clean_texts({"reason": reason}, limits={"reason": 300})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _step(
            appointment,
            "cancel",
            who,
            closed_at=now,
            cancel_reason=texts["reason"] or (_("Geannuleerd door de inwoner") if token else ""),
        )
        current.occupancy.all().delete()
        _confirm(current, None, "afspraak-geannuleerd", now=now)
        if current.kind == AppointmentKind.INTERNAL:
            others = [p.employee for p in current.parts.all() if p.employee and p.employee != user]
            if others:
                notify(
                    others,
                    gettext_lazy("Overleg gaat niet door: %(title)s"),
                    link(current),
                    params={"title": current.title[:120]},
                )
        _log(user, current, Action.UPDATE, via)
    return current


@transaction.atomic
def check_in(*, user, appointment, via="ui", now=None) -> Appointment:
    """The resident is here. When the appointment came from a warm referral, the referral is
    set to "inwoner gesproken" (accepted first when it was still only sent)."""
    now = now or timezone.now()
    who = _authorise(user, appointment, "check-in")
    current = _step(appointment, "check-in", who, checked_in_at=now, checked_in_by=user)
    employees = [
        p.employee
        for p in current.parts.select_related("employee")
        if p.employee and p.employee != user
    ]
    if employees:
        notify(
            employees,
            gettext_lazy("%(name)s is er voor de afspraak van %(time)s."),
            link(current),
            params={
                "name": current.person_name[:80],
                "time": formatting.clock_time(current.starts_at),
            },
        )
    _referral_contacted(current, user)
    _log(user, current, Action.UPDATE, via)
    return current


def _referral_contacted(appointment, user):
    referral = appointment.referral
    if referral is None:
        return
    referral.refresh_from_db()
    note = _("Inwoner aangemeld voor afspraak %(reference)s.") % {
        "reference": appointment.reference
    }
    try:
        if referral.state == ReferralState.SENT:
            referral = referral_services.accept(user=user, referral=referral, note=note)
        if referral.state == ReferralState.ACCEPTED:
            referral_services.mark_contacted(user=user, referral=referral, note=note)
    except PermissionDenied:
        # Checked in by the host counter, not the receiving team: the employee sets it.
        logger.info("appointment %s: referral left for the receiver", appointment.reference)


@transaction.atomic
def no_show(*, user, appointment, via="ui", now=None) -> Appointment:
    now = now or timezone.now()
    who = _authorise(user, appointment, "no-show")
    if appointment.starts_at > now:
        raise ValidationError(
            _("De afspraak is nog niet begonnen. Wacht tot %(time)s.")
            % {"time": formatting.clock_time(appointment.starts_at)},
            code="invalid_transition",
        )
    current = _step(appointment, "no-show", who, closed_at=now)
    _log(user, current, Action.UPDATE, via)
    return current


def complete(
    *,
    user,
    appointment,
    outcome: str,
    answer: str = "",
    referral_helped=False,
    register_resident=False,
    via="ui",
    now=None,
) -> Appointment:
    """The outcome is recorded as a contact moment of the employee's organisation (desk); the
    "bent u geholpen?" sweep picks it up when the resident is known. `register_resident`
    records a resident who booked on the public page in the register (so they can be asked).
    `referral_helped` closes the warm referral it came from as helped."""
    now = now or timezone.now()
    who = _authorise(user, appointment, "complete")
    if outcome not in ContactOutcome.values:
        raise ValidationError({"outcome": [_("Kies een uitkomst.")]})
    scope = get_scope(user)
    with transaction.atomic():
        current = _step(appointment, "complete", who)
        parts = list(
            current.parts.select_for_update(of=("self",)).select_related("organisation", "service")
        )
        mine = [p for p in parts if p.organisation_id in scope.contact_organisation_ids]
        if not mine:
            raise PermissionDenied(states.APPOINTMENT._forbidden[states.STAFF])
        part = next((p for p in mine if p.completed_at is None), None)
        if part is None:
            raise ValidationError(
                _("Uw organisatie heeft de uitkomst van deze afspraak al vastgelegd."),
                code="invalid_transition",
            )
        resident = current.resident
        if resident is None and register_resident:
            resident = _register(user, current, part.organisation)
            current.resident = resident
        contact = register_contact(
            user=user,
            organisation=part.organisation,
            channel=ContactChannel.DESK,
            question=_("Afspraak %(reference)s: %(title)s")
            % {
                "reference": current.reference,
                "title": part.service.name if part.service else current.title,
            },
            outcome=outcome,
            answer=answer,
            resident=resident,
            location=current.location,
            service=part.service,
            # From when this organisation's part began (or the check-in), never after now.
            started_at=min(max(current.checked_in_at or part.starts_at, part.starts_at), now),
            ended_at=now,
            via=via,
        )
        part.contact, part.completed_at = contact, now
        part.save(update_fields=["contact", "completed_at"])
        current.contact = current.contact or contact
        # Each organisation of a visit records its own outcome; the last one ends it.
        if all(p.completed_at is not None for p in parts if p.employee_id or p.service_id):
            current.state = AppointmentState.DONE
            current.closed_at = now
        current.save(update_fields=["contact", "resident", "state", "closed_at"])
        if referral_helped and current.referral is not None:
            referral_services.mark_helped(
                user=user, referral=current.referral, feedback=answer, service=part.service
            )
    return current


def _register(user, appointment, organisation):
    """The resident who booked on the public page, into the register (recorded by the
    organisation that helped them), with the support they asked for on their record."""
    from eenloket.residents.models import PreferredChannel
    from eenloket.residents.services import create_resident

    needs = set(appointment.needs)
    return create_resident(
        user=user,
        given_names=appointment.given_name,
        surname=appointment.surname,
        phone=appointment.phone,
        email=appointment.email,
        language=appointment.language,
        preferred_channel=PreferredChannel.EMAIL if appointment.email else PreferredChannel.SMS,
        needs_mobility=need_rules.Need.WHEELCHAIR in needs,
        needs_hearing=bool(needs & {need_rules.Need.HEARING_LOOP, need_rules.Need.SIGN_LANGUAGE}),
        needs_visual=need_rules.Need.VISUAL in needs,
        needs_cognitive=need_rules.Need.EASY_LANGUAGE in needs,
        needs_other=need_rules.Need.OTHER in needs,
        needs_notes=appointment.needs_note,
    )


@transaction.atomic
def hand_over(*, user, appointment, now=None) -> Appointment:
    """A travel document is picked up at the pickup location (its counter marks it)."""
    now = now or timezone.now()
    scope = get_scope(user)
    current = _locked(appointment)
    if current.pickup_location is None or (
        current.pickup_location.organisation_id not in scope.contact_organisation_ids
    ):
        raise PermissionDenied(_("Alleen het loket van de ophaallocatie mag dit."))
    if current.handed_over_at is not None:
        raise ValidationError(_("Dit reisdocument is al opgehaald."), code="invalid_transition")
    if current.state not in (S.DONE, S.CHECKED_IN):
        raise ValidationError(_("De aanvraag is nog niet gedaan."), code="invalid_transition")
    current.handed_over_at = now
    current.save(update_fields=["handed_over_at"])
    return current


# ---- a visit with several organisations, internal meetings -------------------------------------------
def combined_options(
    *, location, services, date_from, date_to, needs=(), together=False, now=None
) -> list[list]:
    """Start times where every service can be met: in a row (each part starts when the one
    before ends) or together (all at the same start, each with its own employee). A list of
    [slot per service] combinations, one per start."""
    now = now or timezone.now()
    per_service = [
        slots.find_slots(
            location=location,
            service=s,
            date_from=date_from,
            date_to=date_to,
            needs=needs,
            now=now,
            step_minutes=UNIT_MINUTES,
        )
        for s in services
    ]
    by_start = [{} for _s in services]
    for index, found in enumerate(per_service):
        for slot in found:
            by_start[index].setdefault(slot.starts_at, []).append(slot)
    result = []
    for start, firsts in sorted(by_start[0].items()):
        chain, ok = [firsts[0]], True
        for index in range(1, len(services)):
            at = start if together else chain[-1].ends_at
            candidates = [
                s
                for s in by_start[index].get(at, [])
                if s.employee_id not in {c.employee_id for c in chain}
                and (together or s.desk_id is not None)
            ]
            if not candidates:
                ok = False
                break
            chain.append(candidates[0])
        if ok:
            result.append(chain)
    return result


def book_visit(
    *,
    user,
    location,
    services,
    starts_at,
    together=False,
    resident=None,
    source=None,
    via="ui",
    now=None,
    **data,
) -> Appointment:
    """One visit with several organisations (from a multi-problem routing result or a set of
    referrals): the resident meets them in a row, or together."""
    now = now or timezone.now()
    if not may_book_at(user, location):
        raise PermissionDenied(_("U kunt geen afspraken maken op deze locatie."))
    errors = {}
    if len(services) < 2:
        errors["services"] = [_("Kies ten minste twee diensten voor een gezamenlijke afspraak.")]
    _check_time(starts_at, now, errors)
    person, person_errors = _clean_person(data, resident=resident)
    errors.update(person_errors)
    if errors:
        raise ValidationError(errors)
    day = starts_at.astimezone(AMSTERDAM).date()
    options = [
        c
        for c in combined_options(
            location=location,
            services=services,
            date_from=day,
            date_to=day,
            needs=person["needs"],
            together=together,
            now=now,
        )
        if c[0].starts_at == starts_at
    ]
    if not options:
        raise ValidationError(
            {
                "starts_at": [
                    _("Op deze tijd kunnen niet alle organisaties. Kies een tijd uit de lijst.")
                ]
            }
        )
    chain = options[0]
    with transaction.atomic():
        appointment = Appointment(
            reference=new_reference(),
            kind=AppointmentKind.MULTI,
            location=location,
            starts_at=chain[0].starts_at,
            ends_at=max(s.ends_at for s in chain),
            title=" + ".join(s.name for s in services),
            resident=resident,
            given_name="" if resident else person["given_name"],
            surname="" if resident else person["surname"],
            phone=person["phone"],
            email=person["email"],
            language=person["language"],
            needs=person["needs"],
            needs_note=person["needs_note"],
            note=person["note"],
            booked_via=via,
            created_by=user,
            created_at=now,
            **_source_fields(source),
        )
        token = renew_link(appointment)
        appointment.save()
        if together:  # one room for everyone: the first part's desk
            chain = [chain[0]] + [
                slots.Slot(
                    s.starts_at,
                    s.ends_at,
                    s.organisation_id,
                    s.schedule_id,
                    s.employee_id,
                    chain[0].desk_id,
                    s.service_id,
                )
                for s in chain[1:]
            ]
        chosen = _take(appointment, [[s] for s in chain])
        _parts(appointment, chosen, list(services), person["needs"])
        _after_booking(appointment, source, user, now)
        _confirm(appointment, token, "afspraak-bevestiging", user=user, now=now)
        _log(user, appointment, Action.CREATE, via)
    appointment.token = token
    return appointment


def plan_meeting(
    *,
    user,
    organisation,
    location,
    title,
    starts_at,
    ends_at,
    participants,
    desk=None,
    resident=None,
    now=None,
) -> Appointment:
    """An internal meeting (a case conference, a complaint hearing): several staff members, no
    public slot; everyone's time (and the room) is taken like any appointment."""
    now = now or timezone.now()
    scope = get_scope(user)
    permissions.require(permissions.can_work_with_contacts_of, scope, organisation)
    if not may_book_at(user, location):
        raise PermissionDenied(_("U kunt geen overleg plannen op deze locatie."))
    errors = {}
    texts, text_errors = clean_texts(
        {"title": title},
        required={"title": _("Geef het overleg een onderwerp.")},
        limits={"title": 200},
    )
    errors.update(text_errors)
    _check_time(starts_at, now, errors)
    if ends_at is None or starts_at is None or ends_at <= starts_at:
        errors["ends_at"] = [_("Het einde moet na het begin liggen.")]
    else:
        for value, field in ((starts_at, "starts_at"), (ends_at, "ends_at")):
            local = value.astimezone(AMSTERDAM)
            if local.minute % UNIT_MINUTES or local.second:
                errors[field] = [_("Kies een tijd op een kwartier (bijvoorbeeld 10:15).")]
    people = list(dict.fromkeys([user, *participants]))
    if desk is not None and desk.location_id != location.pk:
        errors["desk"] = [_("Deze ruimte hoort bij een andere locatie.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appointment = Appointment.objects.create(
            reference=new_reference(),
            kind=AppointmentKind.INTERNAL,
            location=location,
            starts_at=starts_at,
            ends_at=ends_at,
            title=texts["title"],
            resident=resident,
            booked_via="ui",
            created_by=user,
            created_at=now,
        )
        chosen = []
        for index, person in enumerate(people):
            chosen.append(
                slots.Slot(
                    starts_at,
                    ends_at,
                    organisation.pk,
                    None,
                    person.pk,
                    desk.pk if (desk is not None and index == 0) else None,
                )
            )
        try:
            _write_occupancy(appointment, chosen)
        except IntegrityError:
            busy = _busy(people, desk, starts_at, ends_at, exclude=appointment.pk)
            raise ValidationError(
                {
                    "participants": [
                        _("Niet iedereen kan op deze tijd: %(names)s.") % {"names": ", ".join(busy)}
                    ]
                }
            ) from None
        AppointmentPart.objects.bulk_create(
            [
                AppointmentPart(
                    appointment=appointment,
                    organisation=organisation,
                    employee=person,
                    desk=desk if index == 0 else None,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    position=index,
                )
                for index, person in enumerate(people)
            ]
        )
        others = [p for p in people if p != user]
        if others:
            notify(
                others,
                gettext_lazy("U bent uitgenodigd voor een overleg: %(title)s"),
                link(appointment),
                params={"title": texts["title"][:120]},
            )
    return appointment


def _busy(people, desk, starts_at, ends_at, *, exclude) -> list[str]:
    wanted = slots.units(starts_at, ends_at)
    taken = Occupancy.objects.filter(unit_start__in=wanted).exclude(appointment_id=exclude)
    busy_ids = set(taken.filter(employee__in=people).values_list("employee_id", flat=True))
    names = [str(p) for p in people if p.pk in busy_ids]
    if desk is not None and taken.filter(desk=desk).exists():
        names.append(desk.name)
    return names


# ---- when nobody with the skill is free ------------------------------------------------------------------
def request_arrangement(
    *, location, service, needs, given_name, surname, phone, email="", needs_note="", now=None
):
    """No trained employee free in the coming weeks: the resident asks to be called to arrange
    it. A task for the team of the location's hours (or the location's organisation)."""
    from .kinds import ARRANGE

    now = now or timezone.now()
    data = {
        "given_name": given_name,
        "surname": surname,
        "phone": phone,
        "email": email,
        "needs": needs,
        "needs_note": needs_note,
    }
    person, errors = _clean_person(data, public=True)
    if not str(phone or "").strip():
        errors["phone"] = [_("Vul uw telefoonnummer in. Dan bellen wij u.")]
    if errors:
        raise ValidationError(errors)
    schedule = (
        Schedule.objects.filter(location=location, services=service)
        .select_related("team", "organisation")
        .order_by("id")
        .first()
    )
    organisation = schedule.organisation if schedule else location.organisation
    labels = ", ".join(str(need_rules.Need(n).label).lower() for n in person["needs"])
    note = _(
        "%(name)s wil een afspraak voor %(service)s bij %(location)s, met: %(needs)s. "
        "Er was online geen tijd met deze ondersteuning."
    ) % {
        "name": f"{person['given_name']} {person['surname']}",
        "service": service.name,
        "location": location.name,
        "needs": labels,
    }
    if person["needs_note"]:
        note += "\n" + person["needs_note"]
    with transaction.atomic():
        return create_task(
            kind=ARRANGE,
            organisation=organisation,
            team=schedule.team if schedule else None,
            title=_("Afspraak regelen: %(service)s, %(location)s")
            % {"service": service.name, "location": location.name},
            note=note,
            phone=person["phone"],
            source_type="appointment-request",
            source_id=str(service.uuid),
            now=now,
        )


# ---- reminders (sweep) -------------------------------------------------------------------------------
def reminder_day(starts_at) -> dt.date:
    """The working day before the appointment's day."""
    day = starts_at.astimezone(AMSTERDAM).date() - dt.timedelta(days=1)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def send_reminders(now=None, *, limit: int = 200) -> int:
    """A reminder on the working day before, once (locked rows, skip_locked: two sweeps never
    send one twice). Not for a booking made on or after that day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    with transaction.atomic():
        due = list(
            Appointment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                state=S.BOOKED,
                reminder_sent_at__isnull=True,
                starts_at__gt=now,
                starts_at__lt=now + dt.timedelta(days=6),
            )
            .exclude(kind=AppointmentKind.INTERNAL)
            .select_related("location", "resident")
            .order_by("starts_at")[:limit]
        )
        for appointment in due:
            day = reminder_day(appointment.starts_at)
            if today < day:
                continue
            if timezone.localdate(appointment.created_at) >= day:
                appointment.reminder_sent_at = now  # booked late: the confirmation is enough
            else:
                # The same link as in the confirmation (derived from the nonce, not stored).
                if not appointment.link_nonce:
                    renew_link(appointment)
                _confirm(appointment, link_token(appointment), "afspraak-herinnering", now=now)
                appointment.reminder_sent_at = now
                sent += 1
            appointment.save(update_fields=["reminder_sent_at", "token_hash", "link_nonce"])
    return sent


# ---- schedules, desks, closures, bookable services -------------------------------------------------------------
def _require_admin(user, organisation):
    permissions.require(permissions.is_functional_admin, get_scope(user), organisation)


def _location_partner(location, organisation) -> bool:
    return (
        organisation.pk == location.organisation_id
        or location.guest_organisations.filter(pk=organisation.pk).exists()
    )


@transaction.atomic
def save_desk(*, user, location, name, features, desk=None) -> Desk:
    """Desks and rooms belong to the location: its organisation's functional admin."""
    _require_admin(user, location.organisation)
    texts, errors = clean_texts(
        {"name": name}, required={"name": _("Geef de balie een naam.")}, limits={"name": 100}
    )
    features = sorted(set(features or ()))
    unknown = [f for f in features if f not in DeskFeature.values]
    if unknown:
        errors["features"] = [_("Onbekende voorziening: %(f)s.") % {"f": ", ".join(unknown)}]
    clash = Desk.objects.filter(location=location, name=texts["name"])
    if desk is not None:
        clash = clash.exclude(pk=desk.pk)
    if texts["name"] and clash.exists():
        errors["name"] = [_("Er is al een balie met deze naam op deze locatie.")]
    if errors:
        raise ValidationError(errors)
    desk = desk or Desk(location=location)
    desk.name, desk.features = texts["name"], features
    desk.save()
    return desk


def save_schedule(
    *,
    user,
    location,
    organisation,
    weekday,
    starts,
    ends,
    valid_from,
    valid_until=None,
    walk_in=False,
    services=(),
    desks=(),
    staff=(),
    team=None,
    schedule=None,
) -> Schedule:
    """Hours of one organisation at one location. The location's municipality and the guest
    organisation each manage their own hours (their functional admin)."""
    _require_admin(user, organisation)
    errors = {}
    if not _location_partner(location, organisation):
        errors["organisation"] = [
            _("%(org)s werkt niet op %(location)s. Vraag de gemeente om u als gast toe te voegen.")
            % {"org": organisation.name, "location": location.name}
        ]
    if weekday not in range(7):
        errors["weekday"] = [_("Kies een dag.")]
    if starts is None or ends is None or ends <= starts:
        errors["ends"] = [_("De eindtijd moet na de begintijd liggen.")]
    else:
        for value, field in ((starts, "starts"), (ends, "ends")):
            if value.minute % UNIT_MINUTES or value.second:
                errors[field] = [_("Kies een tijd op een kwartier (bijvoorbeeld 9:15).")]
    if valid_from is None:
        errors["valid_from"] = [_("Vul in vanaf wanneer dit spreekuur geldt.")]
    elif valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = [_("De einddatum ligt voor de begindatum.")]
    if any(d.location_id != location.pk for d in desks):
        errors["desks"] = [_("Kies balies van deze locatie.")]
    if not walk_in and not desks:
        errors["desks"] = [_("Kies ten minste één balie.")]
    members = set(
        Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    )
    if any(u.pk not in members for u in staff):
        errors["staff"] = [_("Kies medewerkers van %(org)s.") % {"org": organisation.name}]
    if not walk_in and not staff:
        errors["staff"] = [_("Kies ten minste één medewerker.")]
    wrong = [
        s.name
        for s in services
        if s.organisation_type != organisation.type
        or (s.tenant_id and s.tenant_id != organisation.pk)
    ]
    if wrong:
        errors["services"] = [
            _("Deze diensten zijn niet van %(org)s: %(names)s.")
            % {"org": organisation.name, "names": ", ".join(wrong)}
        ]
    if not services:
        errors["services"] = [_("Kies ten minste één dienst.")]
    if team is not None and team.organisation_id != organisation.pk:
        errors["team"] = [_("Dit team hoort niet bij %(org)s.") % {"org": organisation.name}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        schedule = schedule or Schedule(location=location, organisation=organisation)
        schedule.weekday, schedule.starts, schedule.ends = weekday, starts, ends
        schedule.valid_from, schedule.valid_until = valid_from, valid_until
        schedule.walk_in, schedule.team = walk_in, team
        schedule.save()
        schedule.services.set(services)
        schedule.desks.set(desks)
        schedule.staff.set(staff)
    return schedule


@transaction.atomic
def delete_schedule(*, user, schedule) -> int:
    """Hours end; booked appointments stay (the day list shows them). Returns how many future
    appointments it had, for the message."""
    _require_admin(user, schedule.organisation)
    future = AppointmentPart.objects.filter(
        schedule=schedule, appointment__state=S.BOOKED, starts_at__gte=timezone.now()
    ).count()
    schedule.delete()
    return future


@transaction.atomic
def add_closure(*, user, location, starts_on, ends_on, reason, organisation=None) -> tuple:
    """The location is closed (its municipality) or one organisation's hours are (that
    organisation). Returns (closure, booked appointments on those days: to move or cancel)."""
    _require_admin(user, organisation or location.organisation)
    texts, errors = clean_texts(
        {"reason": reason}, required={"reason": _("Schrijf de reden op.")}, limits={"reason": 200}
    )
    if starts_on is None:
        errors["starts_on"] = [_("Vul de eerste dag in.")]
    if ends_on is None or (starts_on and ends_on < starts_on):
        errors["ends_on"] = [_("De laatste dag ligt voor de eerste dag.")]
    if errors:
        raise ValidationError(errors)
    closure = Closure.objects.create(
        location=location,
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=texts["reason"],
        created_by=user,
    )
    start, end = slots.local_day_bounds(starts_on, ends_on)
    affected = Appointment.objects.filter(
        location=location, state=S.BOOKED, starts_at__gte=start, starts_at__lt=end
    )
    if organisation is not None:
        affected = affected.filter(parts__organisation=organisation).distinct()
    return closure, list(affected)


@transaction.atomic
def set_bookable(
    *, user, organisation, service, slot_minutes, kind=AppointmentKind.VISIT, public=True
) -> BookableService:
    _require_admin(user, organisation)
    errors = {}
    if (
        not isinstance(slot_minutes, int)
        or slot_minutes % UNIT_MINUTES
        or not (UNIT_MINUTES <= slot_minutes <= 240)
    ):
        errors["slot_minutes"] = [_("Kies een duur van 15 tot 240 minuten, in kwartieren.")]
    if service.organisation_type != organisation.type:
        errors["service"] = [_("Deze dienst is niet van %(org)s.") % {"org": organisation.name}]
    if kind not in (AppointmentKind.VISIT, AppointmentKind.TRAVEL_DOCUMENT):
        errors["kind"] = [_("Kies een soort afspraak.")]
    if errors:
        raise ValidationError(errors)
    row, _created = BookableService.objects.update_or_create(
        organisation=organisation,
        service=service,
        defaults={"slot_minutes": slot_minutes, "kind": kind, "public": public},
    )
    return row


# ---- skills and learning needs -------------------------------------------------------------------------------
def _shared_organisations(user, employee) -> set[int]:
    mine = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    theirs = set(Membership.objects.filter(user=employee).values_list("organisation_id", flat=True))
    return mine & theirs


def may_manage_skills(user, employee) -> bool:
    """The employee themself, or a team lead or functional admin of their organisation."""
    if user.pk == employee.pk:
        return True
    scope = get_scope(user)
    shared = _shared_organisations(user, employee)
    return bool(shared & scope.lead_organisation_ids) or any(
        permissions.is_functional_admin(scope, pk) for pk in shared
    )


@transaction.atomic
def record_skill(*, user, employee, skill, obtained_on, language="", training="") -> StaffSkill:
    if not may_manage_skills(user, employee):
        raise PermissionDenied(
            _("Alleen de medewerker zelf, de teamleider of functioneel beheer mag dit.")
        )
    errors = {}
    if skill not in Skill.values:
        errors["skill"] = [_("Kies een vaardigheid.")]
    texts, text_errors = clean_texts(
        {"language": language, "training": training}, limits={"language": 40, "training": 200}
    )
    errors.update(text_errors)
    if skill == Skill.LANGUAGE and not texts["language"]:
        errors["language"] = [_("Welke taal spreekt de medewerker?")]
    if obtained_on is None:
        errors["obtained_on"] = [_("Vul de datum in.")]
    elif obtained_on > timezone.localdate():
        errors["obtained_on"] = [_("Deze datum ligt in de toekomst.")]
    if errors:
        raise ValidationError(errors)
    row, _created = StaffSkill.objects.update_or_create(
        user=employee,
        skill=skill,
        language=texts["language"] if skill == Skill.LANGUAGE else "",
        defaults={"obtained_on": obtained_on, "training": texts["training"], "recorded_by": user},
    )
    return row


@transaction.atomic
def record_learning_need(*, user, employee, description, skill="") -> LearningNeed:
    if not may_manage_skills(user, employee):
        raise PermissionDenied(_("Alleen de medewerker zelf of de teamleider mag dit."))
    texts, errors = clean_texts(
        {"description": description},
        required={"description": _("Schrijf op wat de medewerker wil leren.")},
    )
    if skill and skill not in Skill.values:
        errors["skill"] = [_("Kies een vaardigheid.")]
    if errors:
        raise ValidationError(errors)
    return LearningNeed.objects.create(
        user=employee, skill=skill or "", description=texts["description"], recorded_by=user
    )


@transaction.atomic
def resolve_learning_need(*, user, need, on=None) -> LearningNeed:
    if not may_manage_skills(user, need.user):
        raise PermissionDenied(_("Alleen de medewerker zelf of de teamleider mag dit."))
    need.resolved_on = on or timezone.localdate()
    need.save(update_fields=["resolved_on"])
    return need
