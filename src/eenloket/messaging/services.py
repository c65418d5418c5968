"""Messages and letters to residents: choosing the channel and the recipients (representation),
rendering templates, letters as PDF, exemptions. The outbox itself (delivery, retries, the
dead-letter list, print batches) is outbox.py.

Channel choice (decision IX: post and phone are first-class):

    preference          channel                       when the data is missing
    e-mail              e-mail (an address is known)  fallback: post → e-mail → sms
    sms                 sms (a mobile number)         fallback: post → e-mail → sms
    post                letter (an address)           fallback: post → e-mail → sms
    portaal             e-mail (there is no portal yet; recorded as the reason)
    telefoon / balie    sms to a mobile, else a letter (a letter cannot be phoned)

The reason for another channel than the preference is stored on the message
(`Message.fallback_reason`). A representative who holds today gets the message instead of the
resident (or as well, as the representation's scope says), by e-mail when they have an address,
else by post."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eenloket.core import formatting, permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.validators import clean_texts
from eenloket.organisations.models import Location, Membership
from eenloket.organisations.selectors import get_scope
from eenloket.residents.access import organisation_may_see
from eenloket.residents.models import PreferredChannel, RepresentativeScope

from . import letters, outbox
from .models import (
    Letter,
    LetterTemplate,
    LetterTemplateVersion,
    MessageChannel,
    NamingExemption,
)

C = MessageChannel
P = PreferredChannel


# ---- templates -------------------------------------------------------------------------------
def find_template(*, organisation, key: str, language: str = "nl") -> LetterTemplate | None:
    """The template used for this organisation: its own override before the shared one, in the
    resident's language before Dutch."""
    rows = list(
        LetterTemplate.objects.filter(key=key, is_active=True)
        .filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        .select_related("organisation")
    )

    def rank(t):
        return (t.language != language, t.language != "nl", t.organisation_id is None)

    rows = [t for t in rows if t.language in (language, "nl")]
    return min(rows, key=rank) if rows else None


def current_version(template) -> LetterTemplateVersion:
    version = template.versions.filter(number=template.version).first()
    if version is None:  # a template saved outside the services: record its text now
        version = LetterTemplateVersion.objects.create(
            template=template,
            number=template.version,
            subject=template.subject,
            body=template.body,
            short_text=template.short_text,
        )
    return version


def _require_admin(user, organisation):
    permissions.require(permissions.is_functional_admin, get_scope(user), organisation)


@transaction.atomic
def save_template(
    *,
    user,
    template: LetterTemplate | None = None,
    organisation=None,
    key: str = "",
    language: str = "nl",
    name: str = "",
    subject: str,
    body: str,
    short_text: str = "",
) -> LetterTemplate:
    """Create or change an organisation's template; every save is a new version. A shared
    template (no organisation) is never changed here: `override_template` copies it first."""
    organisation = template.organisation if template is not None else organisation
    if organisation is None:
        raise PermissionDenied(_("Een landelijk sjabloon past u niet aan. Maak een eigen versie."))
    _require_admin(user, organisation)
    key = template.key if template is not None else key
    texts, errors = clean_texts(
        {"name": name, "subject": subject, "body": body, "short_text": short_text}
    )
    try:
        letters.check_template(
            key=key, subject=texts["subject"], body=texts["body"], short_text=texts["short_text"]
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if template is None:
        if not key:
            errors["key"] = [_("Kies de soort brief.")]
        if language not in ("nl", "en"):
            errors["language"] = [_("Kies Nederlands of Engels.")]
        elif LetterTemplate.objects.filter(
            organisation=organisation, key=key, language=language
        ).exists():
            errors["key"] = [_("Uw organisatie heeft al een sjabloon voor deze brief.")]
    if errors:
        raise ValidationError(errors)
    if template is None:
        template = LetterTemplate(
            organisation=organisation,
            key=key,
            language=language,
            version=0,
            name=texts["name"] or str(letters.KNOWN_KEYS.get(key, key)),
        )
    else:
        template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        if texts["name"]:
            template.name = texts["name"]
    template.subject = texts["subject"]
    template.body = texts["body"]
    template.short_text = texts["short_text"]
    template.version += 1
    template.updated_by = user
    template.save()
    LetterTemplateVersion.objects.create(
        template=template,
        number=template.version,
        subject=template.subject,
        body=template.body,
        short_text=template.short_text,
        created_by=user,
    )
    return template


@transaction.atomic
def override_template(*, user, shared: LetterTemplate, organisation) -> LetterTemplate:
    """'Aanpassen voor <gemeente>': the organisation's own copy of a shared template (or the
    copy it already has)."""
    _require_admin(user, organisation)
    if shared.organisation_id is not None:
        raise ValidationError(_("Dit is al een eigen sjabloon van een organisatie."))
    existing = LetterTemplate.objects.filter(
        organisation=organisation, key=shared.key, language=shared.language
    ).first()
    if existing is not None:
        return existing
    return save_template(
        user=user,
        organisation=organisation,
        key=shared.key,
        language=shared.language,
        name=shared.name,
        subject=shared.subject,
        body=shared.body,
        short_text=shared.short_text,
    )


# ---- naming exemptions -------------------------------------------------------------------------
def active_exemption(user, organisation, today=None) -> NamingExemption | None:
    if user is None:
        return None
    today = today or timezone.localdate()
    return (
        NamingExemption.objects.filter(user=user, organisation=organisation)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .first()
    )


@transaction.atomic
def record_exemption(
    *, user, organisation, employee, reason: str, valid_until=None
) -> NamingExemption:
    """The employee's name no longer goes on letters of this organisation (e.g. for their
    safety); the team's direct number is used instead. A reason is required."""
    _require_admin(user, organisation)
    texts, errors = clean_texts(
        {"reason": reason}, required={"reason": _("Schrijf op waarom de naam niet op brieven mag.")}
    )
    if (
        employee is None
        or not Membership.objects.filter(user=employee, organisation=organisation).exists()
    ):
        errors["employee"] = [_("Kies een medewerker van uw organisatie.")]
    if valid_until is not None and valid_until < timezone.localdate():
        errors["valid_until"] = [_("Deze datum is al voorbij.")]
    if errors:
        raise ValidationError(errors)
    existing = active_exemption(employee, organisation)
    if existing is not None:
        raise ValidationError({"employee": [_("Voor deze medewerker geldt al een uitzondering.")]})
    return NamingExemption.objects.create(
        user=employee,
        organisation=organisation,
        reason=texts["reason"],
        recorded_by=user,
        valid_until=valid_until,
    )


@transaction.atomic
def end_exemption(*, user, exemption: NamingExemption) -> NamingExemption:
    """From today the employee's name is on letters again (the record stays)."""
    _require_admin(user, exemption.organisation)
    exemption.valid_until = timezone.localdate() - dt.timedelta(days=1)
    exemption.save(update_fields=["valid_until"])
    return exemption


# ---- the contact person (decision III) ---------------------------------------------------------
def _team_of(sender, organisation):
    if sender is None:
        return None
    membership = (
        Membership.objects.filter(user=sender, organisation=organisation, team__isnull=False)
        .select_related("team")
        .order_by("id")
        .first()
    )
    return membership.team if membership else None


def contact_for(*, organisation, sender=None, team=None, today=None) -> letters.ContactBlock:
    """Who the resident can call: the sender by name with their direct number; with an
    exemption (or without a sender) the team and the team's direct number, else the
    organisation's number; never only 14 + area code. ValidationError when there is no direct
    number at all."""
    team = team or _team_of(sender, organisation)
    exempt = active_exemption(sender, organisation, today) is not None
    if sender is not None and not exempt:
        own = letters._direct(sender.direct_phone)
        name = sender.get_full_name() or sender.username
        if own:
            return letters.ContactBlock(name, sender.job_title, own, False)
    fallback = letters._direct(team.phone if team else "") or letters._direct(organisation.phone)
    if not fallback:
        raise ValidationError(
            {
                "contact": [
                    _(
                        "Er is geen direct telefoonnummer voor deze brief. Vul het directe "
                        "nummer van de medewerker of van het team in. Alleen 14 + netnummer "
                        "is niet genoeg."
                    )
                ]
            }
        )
    if sender is not None and not exempt:
        return letters.ContactBlock(name, sender.job_title, fallback, False)
    return letters.ContactBlock(team.name if team else organisation.name, "", fallback, exempt)


def letterhead_lines(organisation) -> list[str]:
    """The organisation's name and the address of its first location (none when it has none)."""
    location = Location.objects.filter(organisation=organisation).order_by("name", "id").first()
    lines = [organisation.name]
    if location is not None:
        lines += [
            f"{location.street} {location.house_number}".strip(),
            f"{location.postcode}  {location.city}".strip(),
        ]
    return lines


# ---- recipients and channels ------------------------------------------------------------------
@dataclass
class Recipient:
    name: str
    resident: object
    representative: object = None
    email: str = ""
    mobile: str = ""
    address_lines: tuple = ()


def resident_address_lines(resident) -> list[str]:
    if not (resident.street and resident.postcode and resident.city):
        return []
    number = f"{resident.house_number or ''}{resident.house_number_addition}"
    return [
        resident.full_name,
        f"{resident.street} {number}".strip(),
        f"{resident.postcode[:4]} {resident.postcode[4:]}  {resident.city}",
    ]


def representative_address_lines(representative) -> list[str]:
    if not (representative.street and (representative.postcode or representative.city)):
        return []
    return [representative.name, *representative.address_lines]


def recipients_for(resident, today=None) -> list[Recipient]:
    """The resident, or their representative(s) holding today, or both (the scope says)."""
    today = today or timezone.localdate()
    representatives = [r for r in resident.representatives.all() if r.holds_on(today)]
    result = []
    if all(r.scope == RepresentativeScope.BOTH for r in representatives):
        result.append(
            Recipient(
                name=resident.full_name,
                resident=resident,
                email=resident.email,
                mobile=resident.phone if formatting.is_mobile_number(resident.phone) else "",
                address_lines=tuple(resident_address_lines(resident)),
            )
        )
    for representative in representatives:
        result.append(
            Recipient(
                name=representative.name,
                resident=resident,
                representative=representative,
                email=representative.email,
                mobile=representative.phone
                if formatting.is_mobile_number(representative.phone)
                else "",
                address_lines=tuple(representative_address_lines(representative)),
            )
        )
    return result


FALLBACK_ORDER = (C.POST, C.EMAIL, C.SMS)
PREFERRED = {
    P.EMAIL: (C.EMAIL,),
    P.SMS: (C.SMS,),
    P.POST: (C.POST,),
    P.PORTAL: (C.EMAIL,),
    P.PHONE: (C.SMS, C.POST),
    P.DESK: (C.SMS, C.POST),
}


def _has(recipient: Recipient, channel: str) -> bool:
    return bool(
        {C.EMAIL: recipient.email, C.SMS: recipient.mobile, C.POST: recipient.address_lines}.get(
            channel
        )
    )


def _missing(channel) -> str:
    return {
        C.EMAIL: _("er is geen e-mailadres bekend"),
        C.SMS: _("er is geen mobiel nummer bekend"),
        C.POST: _("er is geen adres bekend"),
    }[channel]


def choose_channel(recipient: Recipient, preference: str, forced: str = "") -> tuple[str, str]:
    """(channel, reason) for this recipient; ("", reason) when no channel has the data.
    A representative gets e-mail when they have an address, else post (else sms)."""
    if forced:
        channel = C.EMAIL if forced == C.PORTAL else forced
        if channel not in (C.EMAIL, C.SMS, C.POST):
            raise ValidationError({"channel": [_("Kies e-mail, sms of post.")]})
        if not _has(recipient, channel):
            raise ValidationError(
                {
                    "channel": [
                        _("Dit kanaal kan niet voor %(name)s: %(missing)s.")
                        % {"name": recipient.name, "missing": _missing(channel)}
                    ]
                }
            )
        return channel, ""
    if recipient.representative is not None:
        for channel in (C.EMAIL, C.POST, C.SMS):
            if _has(recipient, channel):
                return channel, ""
        return "", _("Van de vertegenwoordiger is geen e-mailadres, adres of mobiel nummer bekend.")
    wanted = PREFERRED.get(preference, (C.POST,))
    label = PreferredChannel(preference).label if preference in P.values else preference
    for channel in wanted:
        if _has(recipient, channel):
            if preference == P.PORTAL:
                return channel, _("Er is nog geen Mijn-omgeving: daarom per e-mail.")
            if channel == C.POST and preference in (P.PHONE, P.DESK):
                return channel, _(
                    "Voorkeur: %(pref)s. Er is geen mobiel nummer voor een sms: daarom per post."
                ) % {"pref": label}
            return channel, ""
    for channel in FALLBACK_ORDER:
        if _has(recipient, channel):
            return channel, _("Voorkeur: %(pref)s, maar %(missing)s. Daarom: %(channel)s.") % {
                "pref": label,
                "missing": _missing(wanted[0]),
                "channel": C(channel).label,
            }
    return "", _("Er is geen adres, e-mailadres of mobiel nummer bekend.")


# ---- sending -----------------------------------------------------------------------------------
def _salutation(name: str) -> str:
    return _("Beste %(name)s") % {"name": name}


def _about_line(recipient: Recipient) -> str:
    if recipient.representative is None:
        return ""
    return _("Deze brief gaat over %(resident)s. U krijgt hem omdat u %(kind)s bent.") % {
        "resident": recipient.resident.full_name,
        "kind": str(recipient.representative.get_kind_display()).lower(),
    }


def send_to_resident(
    *,
    organisation,
    resident,
    template_key: str,
    context: dict | None = None,
    sender=None,
    team=None,
    channel: str | None = None,
    cause_type: str = "",
    cause_id: str = "",
    now=None,
    via: str = "system",
    attachments: list | None = None,
) -> list:
    """Write the message(s) for `template_key` to the resident (and/or their representative, as
    the representation's scope says) into the outbox, in the caller's transaction.

    The channel follows the resident's preference (e-mail, sms, post; portal → e-mail), with a
    stated fallback when the address or number is missing (see the table at the top).
    `channel` forces one (ValidationError when its data is missing). Post makes a Letter (PDF)
    with the named contact person: `sender`'s name and direct number, or the team's direct
    number when `sender` has an exemption (ValidationError when there is no direct number at
    all: nothing is written). Returns the Message rows (empty when the resident cannot be
    reached on any channel).

    `context` holds the values for the template's own variables (letters.KEY_VARIABLES:
    datetimes aware, phone numbers E.164); the common ones (inwoner_naam, aanhef, organisatie,
    contactpersoon, telefoon, team, datum) are computed here. The text is in the resident's
    language when a template in that language exists, else Dutch."""
    messages, _letters = _send(
        organisation=organisation,
        resident=resident,
        template_key=template_key,
        context=context,
        sender=sender,
        team=team,
        channel=channel,
        cause_type=cause_type,
        cause_id=cause_id,
        now=now,
        via=via,
        archive_always=False,
        attachments=attachments,
    )
    return messages


def send_to_person(
    *,
    organisation,
    name: str,
    email: str = "",
    phone: str = "",
    language: str = "nl",
    template_key: str,
    context: dict | None = None,
    sender=None,
    team=None,
    attachments: list | None = None,
    cause_type: str = "",
    cause_id: str = "",
    now=None,
) -> list:
    """Like `send_to_resident`, for a person who is not in the register (yet): someone who
    booked an appointment on the public page with a name and an e-mail address or mobile
    number. E-mail when there is an address, else sms; nothing when neither is there (the
    booking page requires one). No letter: there is no postal address."""
    person = Recipient(
        name=name,
        resident=None,
        email=email,
        mobile=phone if formatting.is_mobile_number(phone) else "",
    )
    messages, _letters = _send(
        organisation=organisation,
        resident=None,
        person=person,
        language=language,
        template_key=template_key,
        context=context,
        sender=sender,
        team=team,
        channel=None,
        cause_type=cause_type,
        cause_id=cause_id,
        now=now,
        via="system",
        archive_always=False,
        attachments=attachments,
    )
    return messages


def _send(
    *,
    organisation,
    resident,
    template_key,
    context,
    sender,
    team,
    channel,
    cause_type,
    cause_id,
    now,
    via,
    archive_always,
    attachments=None,
    person: Recipient | None = None,
    language: str = "nl",
):
    now = now or timezone.now()
    today = timezone.localdate(now)
    resident = getattr(resident, "resident", resident)  # a VisibleResident from a selector
    if resident is not None:
        language = resident.language or "nl"
    template = find_template(organisation=organisation, key=template_key, language=language)
    if template is None:
        raise ValidationError(
            {
                "template_key": [
                    _("Er is geen sjabloon voor deze brief: %(key)s.") % {"key": template_key}
                ]
            }
        )
    version = current_version(template)
    team = team or _team_of(sender, organisation)
    contact = contact_for(organisation=organisation, sender=sender, team=team, today=today)
    if person is not None:
        recipients = [person]
        preference = P.EMAIL if person.email else P.SMS
    else:
        recipients = recipients_for(resident, today)
        preference = resident.preferred_channel
    if channel:
        choices = [(r, *choose_channel(r, preference, channel)) for r in recipients]
    else:
        choices = [(r, *choose_channel(r, preference)) for r in recipients]
    base = {
        **(context or {}),
        "inwoner_naam": person.name if person is not None else resident.full_name,
        "organisatie": organisation.name,
        "contactpersoon": contact.name,
        "telefoon": contact.phone,
        "team": team.name if team else "",
        "datum": today,
    }
    messages, made = [], []
    with transaction.atomic(), translation.override(template.language):
        heading = letterhead_lines(organisation)
        for recipient, chosen, reason in choices:
            if not chosen:
                continue
            values = {**base, "aanhef": _salutation(recipient.name)}
            subject = letters.render_text(version.subject, values)
            body = letters.render_text(version.body, values)
            about = _about_line(recipient)
            letter = None
            if chosen == C.POST or archive_always:  # post, or an archived copy (API)
                letter = _archive(
                    organisation=organisation,
                    team=team,
                    resident=resident,
                    recipient=recipient,
                    version=version,
                    language=template.language,
                    subject=subject,
                    body=body,
                    about=about,
                    sender=sender,
                    contact=contact,
                    heading=heading,
                    cause_type=cause_type,
                    cause_id=cause_id,
                    now=now,
                )
                made.append(letter)
            if chosen == C.SMS:
                text = letters.render_text(version.short_text, values) or body
                text = "\n\n".join(
                    p for p in (about, letters.plain_text(text), contact.text()) if p
                )
                to = formatting.phone_e164(recipient.mobile)
            else:
                text = "\n\n".join(
                    p for p in (about, letters.plain_text(body), contact.text()) if p
                )
                to = recipient.email if chosen == C.EMAIL else ""
            message = outbox.enqueue(
                organisation=organisation,
                channel=chosen,
                recipient_name=recipient.name,
                to=to,
                subject=subject,
                body=text,
                resident=resident,
                representative=recipient.representative,
                letter=letter,
                template_key=template_key,
                language=template.language,
                cause_type=cause_type,
                cause_id=cause_id,
                fallback_reason=reason,
                attachments=attachments if chosen == C.EMAIL else None,
                now=now,
            )
            messages.append(message)
        if resident is not None and (messages or made):
            log_access(
                user=sender,
                organisation_code=organisation.code,
                residents=[resident],
                activity=Activity.LETTER_SEND,
                action=Action.CREATE,
                channel=via,
                object_type="letter" if made else "message",
                object_id=str(made[0].uuid) if made else str(messages[0].uuid),
            )
    return messages, made


def _archive(
    *,
    organisation,
    team,
    resident,
    recipient,
    version,
    language,
    subject,
    body,
    about,
    sender,
    contact,
    heading,
    cause_type,
    cause_id,
    now,
) -> Letter:
    address = list(recipient.address_lines) or [recipient.name]
    full_body = f"{about}\n\n{body}" if about else body
    pdf = letters.render_pdf(
        language=language,
        organisation=organisation,
        letterhead_lines=heading,
        address_lines=address,
        date=timezone.localdate(now),
        subject=subject,
        body=full_body,
        contact=contact,
    )
    return Letter.objects.create(
        organisation=organisation,
        team=team,
        resident=resident,
        representative=recipient.representative,
        template_version=version,
        language=language,
        recipient_name=recipient.name,
        address_lines=address,
        subject=subject,
        body=full_body,
        sender=sender,
        contact_name=contact.name,
        contact_phone=contact.phone,
        exemption_applied=contact.exemption_applied,
        pdf=pdf,
        cause_type=cause_type,
        cause_id=cause_id,
        created_at=now,
    )


def create_letter(
    *,
    user,
    organisation,
    resident,
    template_key: str,
    context: dict | None = None,
    channel: str | None = None,
    via: str = "api",
) -> list[Letter]:
    """A letter made by a staff member (the API): rendered, archived (with its PDF) and queued
    to the resident and/or representative. The organisation needs a basis for the resident (a
    VisibleResident from a selector carries it; no second round of the providers)."""
    permissions.require(permissions.can_work_with_contacts_of, get_scope(user), organisation)
    if not organisation_may_see(organisation.pk, resident):
        raise PermissionDenied(_("U mag de gegevens van deze inwoner niet zien."))
    resident = getattr(resident, "resident", resident)  # the model, also from a VisibleResident
    if find_template(organisation=organisation, key=template_key) is None:
        raise ValidationError(
            {
                "template_key": [
                    _("Er is geen sjabloon voor deze brief: %(key)s.") % {"key": template_key}
                ]
            }
        )
    unknown = set(context or {}) - set(letters.KEY_VARIABLES.get(template_key, {}))
    if unknown:
        raise ValidationError(
            {
                "context": [
                    _("Onbekende variabele: %(names)s.") % {"names": ", ".join(sorted(unknown))}
                ]
            }
        )
    missing = set(letters.KEY_VARIABLES.get(template_key, {})) - set(context or {})
    if missing:
        raise ValidationError(
            {
                "context": [
                    _("Vul deze variabelen in: %(names)s.") % {"names": ", ".join(sorted(missing))}
                ]
            }
        )
    with transaction.atomic():
        _messages, made = _send(
            organisation=organisation,
            resident=resident,
            template_key=template_key,
            context=context,
            sender=user,
            team=None,
            channel=channel,
            cause_type="",
            cause_id="",
            now=None,
            via=via,
            archive_always=True,
        )
        if not made:
            raise ValidationError(
                {"resident": [_("Deze inwoner heeft geen adres, e-mailadres of mobiel nummer.")]}
            )
    return made
