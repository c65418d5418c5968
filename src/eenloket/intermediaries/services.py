"""Every change of the Intermediairen Contact Punt, one function per use case, keyword-only
arguments, inside a transaction: inviting and deactivating intermediaries, accepting an
invitation (password and second factor), reporting a concern (routed, a task in the team's work
list), answering it, linking it to the register, the norms per municipality, and the escalation
sweep. Views and the API call these; the rules live here only."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user

from eenloket.catalogue import selectors as catalogue_selectors
from eenloket.catalogue import text as catalogue_text
from eenloket.core import permissions
from eenloket.core.calendar import working_day_end
from eenloket.core.formatting import long_date, long_datetime
from eenloket.core.notifications import notify
from eenloket.core.roles import CONTACT_ROLES
from eenloket.core.validators import clean_texts
from eenloket.messaging import outbox
from eenloket.organisations.models import (
    PARTNER_TYPES,
    Membership,
    Organisation,
    OrganisationType,
    Team,
    User,
)
from eenloket.organisations.selectors import get_scope, team_leads
from eenloket.residents.selectors import get_resident
from eenloket.worklist import services as worklist_services
from eenloket.worklist.models import Task, TaskState

from . import states
from .models import (
    Attachment,
    ConcernReport,
    Consent,
    ContactPointSettings,
    Intermediary,
    Invitation,
    ReportState,
    TrustLevel,
    Urgency,
)

TASK_KIND = "zorgmelding"
SOURCE_TYPE = "concern_report"
INVITATION_DAYS = 7
DAY_ENDS = dt.time(17, 0)  # the working day of a norm ends at 17:00 (as the work list's)
# An acute report nobody answered goes to the team lead after this long, the same working day.
ACUTE_ESCALATION = dt.timedelta(hours=2)
PASSWORD_MIN = 12  # for accounts that reach residents' concerns from outside the town hall
ANSWER_MAX = 1000  # "a short answer"
NAME_MAX = 200
ADDRESS_MAX = 300
PHONE_MAX = 40
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# What a document may be: its first bytes decide, not its name.
ATTACHMENT_TYPES = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
}
DEFAULT_NORMS = {Urgency.ACUTE: 0, Urgency.URGENT: 2, Urgency.NORMAL: 5}


def _now(now):
    return now or timezone.now()


def hash_token(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()


def intermediary_of(user) -> Intermediary | None:
    """The active intermediary profile of a user, or None (staff, or deactivated)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = user.__dict__.get("_icp_profile", False)
    if cached is not False:
        return cached
    profile = (
        Intermediary.objects.select_related("organisation", "municipality")
        .filter(user_id=user.pk, is_active=True)
        .first()
    )
    user.__dict__["_icp_profile"] = profile
    return profile


def _require_intermediary(user) -> Intermediary:
    profile = intermediary_of(user)
    if profile is None:
        raise PermissionDenied(_("Alleen een intermediair van het contactpunt mag dit."))
    return profile


# ---- norms ------------------------------------------------------------------------------------
def norms_for(municipality) -> ContactPointSettings:
    """The municipality's settings, or the defaults (unsaved)."""
    found = ContactPointSettings.objects.filter(municipality=municipality).first()
    return found or ContactPointSettings(municipality=municipality)


def working_days_for(norms: ContactPointSettings, urgency: str) -> int:
    return {
        Urgency.ACUTE: norms.acute_working_days,
        Urgency.URGENT: norms.urgent_working_days,
        Urgency.NORMAL: norms.normal_working_days,
    }[urgency]


def deadlines(municipality, urgency: str, now) -> tuple[dt.datetime, dt.datetime]:
    """(due_at, escalate_at) of a report made at `now`: the end (17:00) of working day N of the
    municipality's norm for this urgency (0: the same working day; after 17:00 the next). An
    acute report goes to the team lead after ACUTE_ESCALATION already, not at the end of day."""
    days = working_days_for(norms_for(municipality), urgency)
    due = working_day_end(now, days, end=DAY_ENDS)
    if due <= now:  # made after the end of the working day
        due = working_day_end(now, days + 1, end=DAY_ENDS)
    escalate = min(due, now + ACUTE_ESCALATION) if urgency == Urgency.ACUTE else due
    return due, escalate


@transaction.atomic
def save_norms(
    *,
    user,
    municipality,
    acute_working_days,
    urgent_working_days,
    normal_working_days,
    intake_team=None,
) -> ContactPointSettings:
    permissions.require(permissions.is_functional_admin, get_scope(user), municipality)
    errors = {}
    values = {}
    for field, value in (
        ("acute_working_days", acute_working_days),
        ("urgent_working_days", urgent_working_days),
        ("normal_working_days", normal_working_days),
    ):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= 30:
            errors[field] = [_("Vul een aantal werkdagen in van 0 tot en met 30.")]
        values[field] = number
    if not errors and not (
        values["acute_working_days"]
        <= values["urgent_working_days"]
        <= values["normal_working_days"]
    ):
        errors["urgent_working_days"] = [
            _("Acuut mag niet langer duren dan spoed, en spoed niet langer dan normaal.")
        ]
    if intake_team is not None and intake_team.organisation_id != municipality.pk:
        errors["intake_team"] = [_("Dit team hoort niet bij uw gemeente.")]
    if errors:
        raise ValidationError(errors)
    norms, _created = ContactPointSettings.objects.update_or_create(
        municipality=municipality, defaults={**values, "intake_team": intake_team}
    )
    return norms


# ---- accounts ---------------------------------------------------------------------------------
def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


# The e-mails to an intermediary are written in this language: the account does not record
# another one (the Message says so too), and the beheerder's or handler's screen language must
# not decide it. Dates in them are in the long form of the same language.
MAIL_LANGUAGE = "nl"


def _send_invitation(intermediary, token, *, now) -> None:
    with translation.override(MAIL_LANGUAGE):
        _enqueue_invitation(intermediary, token, now=now)


def _enqueue_invitation(intermediary, token, *, now) -> None:
    user = intermediary.user
    link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("intermediaries:accept", args=[token])
    body = _(
        "Beste %(name)s,\n\n"
        "%(municipality)s nodigt u uit voor het Intermediairen Contact Punt. Daar kunt u een "
        "zorg over een inwoner melden.\n\n"
        "Open deze link om uw wachtwoord te kiezen en de tweestapsverificatie in te stellen:\n"
        "%(link)s\n\n"
        "De link werkt één keer en is geldig tot %(until)s. Heeft u deze uitnodiging niet "
        "verwacht? Dan kunt u dit bericht weggooien."
    ) % {
        "name": user.get_full_name(),
        "municipality": intermediary.municipality.name,
        "link": link,
        "until": long_datetime(now + dt.timedelta(days=INVITATION_DAYS)),
    }
    outbox.enqueue(
        organisation=intermediary.municipality,
        channel="email",
        recipient_name=user.get_full_name(),
        to=user.email,
        subject=_("Uitnodiging Intermediairen Contact Punt"),
        body=body,
        language=MAIL_LANGUAGE,
        cause_type="icp-uitnodiging",
        cause_id=str(intermediary.uuid),
        now=now,
    )


def _invite(intermediary, by, now) -> tuple[Invitation, str]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    Invitation.objects.filter(
        intermediary=intermediary, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    # A new link gets a new key: the one shown behind an earlier link is not set up later.
    # A confirmed device keeps working until the new one is confirmed (accept_invitation).
    TOTPDevice.objects.filter(user_id=intermediary.user_id, confirmed=False).delete()
    token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        intermediary=intermediary,
        token_hash=token_hash,
        created_by=by,
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    _send_invitation(intermediary, token, now=now)
    return invitation, token


@transaction.atomic
def invite(
    *,
    user,
    municipality,
    organisation,
    first_name: str,
    last_name: str,
    email: str,
    trust_level: str,
    phone: str = "",
    now=None,
) -> tuple[Intermediary, str]:
    """A functioneel beheerder of the municipality invites a partner's employee or volunteer:
    an account without a password, and an e-mail with a one-time link (INVITATION_DAYS days).
    Returns the profile and the token (the link's secret; only its hash is stored)."""
    now = _now(now)
    permissions.require(permissions.is_functional_admin, get_scope(user), municipality)
    texts, errors = clean_texts(
        {"first_name": first_name, "last_name": last_name, "email": email, "phone": phone},
        required={
            "first_name": _("Vul de voornaam in."),
            "last_name": _("Vul de achternaam in."),
            "email": _("Vul het e-mailadres in."),
        },
        limits={"first_name": 150, "last_name": 150, "email": 254, "phone": PHONE_MAX},
    )
    email = texts["email"].lower()
    if "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Dit e-mailadres klopt niet.")]
        else:
            if User.objects.filter(username__iexact=email).exists() or (
                User.objects.filter(email__iexact=email).exists()
            ):
                errors["email"] = [_("Er is al een account met dit e-mailadres.")]
    if organisation is None or organisation.type not in PARTNER_TYPES:
        errors["organisation"] = [_("Kies een partnerorganisatie.")]
    if trust_level not in TrustLevel.values:
        errors["trust_level"] = [_("Kies hoeveel de gemeente deze persoon vertrouwt.")]
    if not municipality.is_municipality:
        errors["municipality"] = [_("Alleen een gemeente heeft een contactpunt.")]
    if errors:
        raise ValidationError(errors)
    account = User.objects.create(
        username=email,
        email=email,
        first_name=texts["first_name"],
        last_name=texts["last_name"],
        job_title=str(TrustLevel(trust_level).label),
    )
    account.set_unusable_password()
    account.save(update_fields=["password"])
    intermediary = Intermediary.objects.create(
        user=account,
        municipality=municipality,
        organisation=organisation,
        trust_level=trust_level,
        phone=texts["phone"],
        invited_by=user,
        created_at=now,
    )
    _invitation, token = _invite(intermediary, user, now)
    return intermediary, token


def _require_admin_of(user, intermediary):
    permissions.require(permissions.is_functional_admin, get_scope(user), intermediary.municipality)


@transaction.atomic
def reinvite(*, user, intermediary, now=None) -> str:
    """A new link (the old one stops working), e.g. when the first expired, or when someone
    who accepted before lost their phone. Their password and app keep working until they
    accept the new link: then the new app replaces the old one (accept_invitation). To stop an
    account at once, the beheerder deactivates it."""
    now = _now(now)
    _require_admin_of(user, intermediary)
    if not intermediary.is_active:
        raise ValidationError(_("Deze intermediair is uitgeschakeld."), code="inactive")
    _invitation, token = _invite(intermediary, user, now)
    return token


@transaction.atomic
def deactivate(*, user, intermediary, now=None) -> Intermediary:
    """The account stops working at once (signed-in sessions too); open links are revoked."""
    now = _now(now)
    _require_admin_of(user, intermediary)
    current = Intermediary.objects.select_for_update().get(pk=intermediary.pk)
    if not current.is_active:
        return current
    current.is_active = False
    current.deactivated_at = now
    current.deactivated_by = user
    current.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
    User.objects.filter(pk=current.user_id).update(is_active=False)
    Invitation.objects.filter(
        intermediary=current, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    return current


def open_invitation(token: str, now=None) -> Invitation:
    """The invitation of a link, when it can still be used; else a ValidationError that says
    why (used, expired, revoked, unknown) in plain words."""
    now = _now(now)
    invitation = (
        Invitation.objects.select_related("intermediary__user", "intermediary__municipality")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise ValidationError(
            _("Deze link werkt niet (meer). Vraag de gemeente om een nieuwe uitnodiging."),
            code="unknown",
        )
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("Deze link is al gebruikt. Log in met uw gebruikersnaam en wachtwoord."),
            code="used",
        )
    if invitation.expires_at <= now:
        raise ValidationError(
            _("Deze link is verlopen. Vraag de gemeente om een nieuwe uitnodiging."),
            code="expired",
        )
    if not invitation.intermediary.is_active:
        raise ValidationError(_("Dit account is uitgeschakeld."), code="inactive")
    return invitation


def enrolment_device(intermediary):
    """The unconfirmed TOTP device to set up during the invitation (made once, then reused)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = intermediary.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=str(_("Authenticator-app")), confirmed=False
        )
    return device


def accept_invitation(
    *, token: str, password: str, password_again: str, code: str, now=None
) -> tuple[User, object]:
    """Set the password and confirm the second factor with a code from the app. Nothing is
    written unless both are right (a wrong code does count for django-otp's throttling, so the
    code is checked outside the transaction). The confirmed device replaces every other device
    of the user: after a re-invitation the old app's codes no longer work. Returns (user,
    confirmed device)."""
    now = _now(now)
    invitation = open_invitation(token, now)
    intermediary = invitation.intermediary
    user = intermediary.user
    errors = {}
    if not password:
        errors["password"] = [_("Kies een wachtwoord.")]
    elif len(password) < PASSWORD_MIN:
        errors["password"] = [
            _("Kies een wachtwoord van minstens %(count)d tekens.") % {"count": PASSWORD_MIN}
        ]
    elif password != password_again:
        errors["password_again"] = [_("De twee wachtwoorden zijn niet gelijk.")]
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = exc.messages
    if errors:  # the code is checked only with a good password: a right code is used once
        raise ValidationError(errors)
    device = enrolment_device(intermediary)
    problem = code_problem(device, code)
    if problem:
        raise ValidationError({"code": [problem]})
    with transaction.atomic():
        current = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if current.accepted_at is not None or current.revoked_at is not None:
            raise ValidationError(_("Deze link is al gebruikt."), code="used")
        user.set_password(password)
        user.save(update_fields=["password"])
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        for other in devices_for_user(user, confirmed=None):
            if not (type(other) is type(device) and other.pk == device.pk):
                other.delete()
        current.accepted_at = now
        current.save(update_fields=["accepted_at"])
    return user, device


def code_error() -> str:
    return _(
        "Deze code klopt niet. Kijk in de app op uw telefoon en typ de 6 cijfers die u nu "
        "ziet. De code verandert elke 30 seconden."
    )


def verify_code(device, code) -> bool:
    code = "".join(str(code or "").split())
    if not code.isdigit() or len(code) != 6:
        return False
    return bool(device.verify_token(code))


def code_problem(device, code) -> str | None:
    """Why a code is not accepted (in Dutch), or None when it is right. After wrong codes
    django-otp makes one wait (1, 2, 4 … seconds): that is said plainly, not "wrong code"."""
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return _(
            "U typte net een verkeerde code. Wacht even en typ dan de nieuwe code die de app "
            "laat zien."
        )
    if not verify_code(device, code):
        return code_error()
    return None


def confirmed_device(user):
    """The user's app: accepting an invitation leaves only one; should there be more (from
    before that rule), the newest counts."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


# ---- reporting --------------------------------------------------------------------------------
def _stems(value: str) -> set[str]:
    return {catalogue_text.stem(w) for w in catalogue_text.content_words(value or "")}


def _best_team(organisation, words: set[str]):
    best, best_score = None, 0
    for team in Team.objects.filter(organisation=organisation).order_by("name", "id"):
        score = len(words & _stems(f"{team.name} {team.description}"))
        if score > best_score:
            best, best_score = team, score
    return best


def route(concern: str, municipality) -> tuple[Organisation, Team | None, str]:
    """Where a concern goes: the routing engine of the catalogue (as the contact form uses it)
    names the service; its organisation (the municipality for municipal services, else the
    agency if it is in Eén Loket) and the team whose work fits the service and the concern best.
    When nothing fits: the municipality's intake team (its norms), else the municipality."""
    norms = norms_for(municipality)
    fallback_team = norms.intake_team
    try:
        suggestions = catalogue_selectors.suggest(concern[:2000], limit=3, tenant=municipality)
    except ValidationError:
        suggestions = []
    for suggestion in suggestions:
        code = suggestion.organisation
        if code == OrganisationType.GEMEENTE:
            organisation = municipality
        else:
            organisation = Organisation.objects.filter(code=code, type=code).first()
        if organisation is None:
            continue
        service = suggestion.service
        words = _stems(f"{service.get('name', '')} {service.get('description', '')}")
        team = _best_team(organisation, words | _stems(concern))
        if team is None and organisation == municipality:
            team = fallback_team
        return organisation, team, service.get("name", "")[:200]
    return municipality, fallback_team or _best_team(municipality, _stems(concern)), ""


def _clean_attachments(files) -> list[tuple[str, str, bytes]]:
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": [
                    _("U kunt hoogstens %(count)d documenten toevoegen.")
                    % {"count": MAX_ATTACHMENTS}
                ]
            }
        )
    cleaned, errors = [], []
    for upload in files:
        name = str(getattr(upload, "name", "") or "document")[:200]
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_ATTACHMENT_BYTES:
            errors.append(
                _("%(name)s is te groot: hoogstens %(mb)d MB per document.")
                % {"name": name, "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
            )
            continue
        content = upload.read(MAX_ATTACHMENT_BYTES + 1)
        if len(content) > MAX_ATTACHMENT_BYTES:
            errors.append(
                _("%(name)s is te groot: hoogstens %(mb)d MB per document.")
                % {"name": name, "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
            )
            continue
        kind = next(
            (
                ctype
                for ctype, (magic, endings) in ATTACHMENT_TYPES.items()
                if content.startswith(magic) and name.lower().endswith(endings)
            ),
            None,
        )
        if kind is None:
            errors.append(
                _("%(name)s is geen PDF, JPG of PNG. Alleen die soorten kunt u toevoegen.")
                % {"name": name}
            )
            continue
        cleaned.append((name, kind, content))
    if errors:
        raise ValidationError({"attachments": errors})
    return cleaned


def _team_members(organisation, team):
    qs = Membership.objects.filter(
        organisation=organisation, role__in=CONTACT_ROLES, user__is_active=True
    ).select_related("user")
    if team is not None:
        qs = qs.filter(team=team)
    return [m.user for m in qs]


def staff_link(report) -> str:
    return reverse("intermediaries:staff-detail", args=[report.uuid])


def create_report(
    *,
    user,
    concern: str,
    urgency: str,
    resident_name: str,
    resident_address: str = "",
    resident_phone: str = "",
    consent: str,
    no_consent_reason: str = "",
    attachments=None,
    now=None,
) -> ConcernReport:
    """An intermediary reports a concern. Checked all at once (a Dutch error per field, nothing
    written): what is going on, the urgency, the resident's name, consent or why it could not be
    asked; documents only from a professional partner (PDF, JPG or PNG, size-limited). Routed
    (`route`) and a task in the team's work list with the norm's deadline; an acute report is
    told to the team at once."""
    now = _now(now)
    intermediary = _require_intermediary(user)
    texts, errors = clean_texts(
        {
            "concern": concern,
            "resident_name": resident_name,
            "resident_address": resident_address,
            "resident_phone": resident_phone,
            "no_consent_reason": no_consent_reason,
        },
        required={
            "concern": _("Schrijf op wat er aan de hand is."),
            "resident_name": _("Schrijf op wie de inwoner is (de naam zoals u die kent)."),
        },
        limits={
            "resident_name": NAME_MAX,
            "resident_address": ADDRESS_MAX,
            "resident_phone": PHONE_MAX,
        },
    )
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Kies hoe dringend het is.")]
    if consent not in Consent.values:
        errors["consent"] = [_("Kies of de inwoner het goed vindt dat u dit meldt.")]
    elif consent == Consent.NOT_ASKED and not texts["no_consent_reason"]:
        errors.setdefault("no_consent_reason", []).append(
            _("Schrijf op waarom u het de inwoner niet kon vragen.")
        )
    if consent == Consent.YES:
        texts["no_consent_reason"] = ""
    files = list(attachments or [])
    cleaned_files = []
    if files and not intermediary.may_attach:
        errors["attachments"] = [
            _(
                "Alleen een professionele partner kan documenten meesturen. Beschrijf het in uw tekst."
            )
        ]
    elif files:
        try:
            cleaned_files = _clean_attachments(files)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    organisation, team, service_name = route(texts["concern"], intermediary.municipality)
    due_at, escalate_at = deadlines(intermediary.municipality, urgency, now)
    with transaction.atomic():
        report = ConcernReport.objects.create(
            intermediary=intermediary,
            partner_organisation=intermediary.organisation,
            municipality=intermediary.municipality,
            concern=texts["concern"],
            urgency=urgency,
            resident_name=texts["resident_name"],
            resident_address=texts["resident_address"],
            resident_phone=texts["resident_phone"],
            consent=consent,
            no_consent_reason=texts["no_consent_reason"],
            organisation=organisation,
            team=team,
            service_name=service_name,
            created_at=now,
            due_at=due_at,
            escalate_at=escalate_at,
        )
        for name, content_type, content in cleaned_files:
            Attachment.objects.create(
                report=report,
                name=name,
                content_type=content_type,
                content=content,
                size=len(content),
                uploaded_at=now,
            )
        label = Urgency(urgency).label
        task = worklist_services.create_task(
            kind=TASK_KIND,
            organisation=organisation,
            team=team,
            title=_("Zorgmelding (%(urgency)s) via %(partner)s")
            % {"urgency": label, "partner": intermediary.organisation.name},
            note=_(
                "Een intermediair meldt een zorg over een inwoner. Open de melding en geef een kort antwoord."
            ),
            due_at=due_at,
            source_type=SOURCE_TYPE,
            source_id=str(report.uuid),
            now=now,
        )
        report.task = task
        report.save(update_fields=["task"])
        if urgency == Urgency.ACUTE:
            notify(
                _team_members(organisation, team),
                gettext_lazy("Acute zorgmelding via %(partner)s: antwoord vandaag nog."),
                staff_link(report),
                params={"partner": intermediary.organisation.name},
            )
    return report


# ---- answering (staff) ------------------------------------------------------------------------
def parties(user, report) -> frozenset:
    """HANDLER: a contact role in the routed team, or a team lead of its organisation."""
    if permissions.can_receive_referrals(get_scope(user), report.organisation_id, report.team_id):
        return frozenset({states.HANDLER})
    return frozenset()


def _notify_intermediary(report, now) -> None:
    """An e-mail that there is news (never what the news is: they read it after logging in)."""
    person = report.intermediary.user
    if not person.email or not person.is_active:
        return
    with translation.override(MAIL_LANGUAGE):
        _enqueue_news(report, person, now)


def _enqueue_news(report, person, now) -> None:
    outbox.enqueue(
        organisation=report.municipality,
        channel="email",
        recipient_name=person.get_full_name(),
        to=person.email,
        subject=_("Er is nieuws over uw melding"),
        body=_(
            "Beste %(name)s,\n\nEr is nieuws over uw melding van %(date)s. Log in op het "
            "Intermediairen Contact Punt om het te lezen:\n%(link)s"
        )
        % {
            "name": person.get_full_name(),
            "date": long_date(report.created_at),
            "link": settings.PUBLIC_BASE_URL.rstrip("/")
            + reverse("intermediaries:detail", args=[report.uuid]),
        },
        language=MAIL_LANGUAGE,
        cause_type="icp-antwoord",
        cause_id=str(report.uuid),
        now=now,
    )


def answer_report(
    *, user, report, state: str, answer: str, now=None, close_task: bool = True
) -> ConcernReport:
    """Staff of the routed team answer: a status (in behandeling, afgerond, doorgezet) and a
    short answer for the intermediary. The first answer counts for the norm; a final status
    completes the task. The intermediary gets an e-mail that there is news."""
    now = _now(now)
    who = parties(user, report)
    action = states.ACTION_FOR_STATE.get(state)
    if action is None:
        states.REPORT.authorise("finish", who)
        raise ValidationError({"state": [_("Kies een status.")]})
    states.REPORT.authorise(action, who)
    texts, errors = clean_texts(
        {"answer": answer},
        required={"answer": _("Schrijf een kort antwoord voor de intermediair.")},
        limits={"answer": ANSWER_MAX},
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            ConcernReport.objects.select_for_update(of=("self",))
            .select_related("intermediary__user", "municipality", "task")
            .get(pk=report.pk)
        )
        states.REPORT.check(action, current.state, who)
        current.state = state
        current.answer = texts["answer"]
        current.handler = user
        current.updated_at = now
        current.first_answered_at = current.first_answered_at or now
        current.save(
            update_fields=["state", "answer", "handler", "updated_at", "first_answered_at"]
        )
        if current.task_id:
            if state in (ReportState.DONE, ReportState.FORWARDED) and close_task:
                worklist_services.close_for_source(
                    kind=TASK_KIND,
                    source_type=SOURCE_TYPE,
                    source_id=current.uuid,
                    outcome=state,
                    user=user,
                    note=texts["answer"],
                    now=now,
                )
            else:
                Task.objects.filter(
                    pk=current.task_id, state=TaskState.OPEN, assigned_to__isnull=True
                ).update(assigned_to=user)
        _notify_intermediary(current, now)
    return current


def task_completed(*, task, user, outcome, note, **_kwargs) -> None:
    """The task was completed in the work list: the report gets that status, with the note as
    the short answer (required there too)."""
    report = ConcernReport.objects.filter(uuid=task.source_id).first()
    if report is None or report.state in states.REPORT.final_states:
        return
    answer_report(user=user, report=report, state=outcome, answer=note, close_task=False)


@transaction.atomic
def link_resident(*, user, report, resident_uuid) -> ConcernReport:
    """A handler with contact rights links the report to a resident in the register (found
    with a basis, logged by the register's own read). The intermediary never sees this."""
    if not parties(user, report):
        raise PermissionDenied(str(states.REPORT._forbidden[states.HANDLER]))
    permissions.require(
        permissions.can_work_with_contacts_of, get_scope(user), report.organisation_id
    )
    visible = get_resident(user, resident_uuid)
    report.resident = visible.resident
    report.linked_by = user
    report.linked_at = _now(None)
    report.save(update_fields=["resident", "linked_by", "linked_at"])
    return report


# ---- the sweep ------------------------------------------------------------------------------------
def escalate_overdue(now=None) -> int:
    """Idempotent: every report nobody answered by its escalation moment (acute: after
    ACUTE_ESCALATION the same working day; else at the norm's deadline) is marked and told to
    the team lead(s) of its team (else of the organisation), once. When the work list's own
    sweep already told them about the task, the report is only marked."""
    now = _now(now)
    due = ConcernReport.objects.filter(
        first_answered_at__isnull=True, escalated_at__isnull=True, escalate_at__lt=now
    ).select_related("partner_organisation")
    count = 0
    for report in due:
        with transaction.atomic():
            claimed = ConcernReport.objects.filter(
                pk=report.pk, escalated_at__isnull=True, first_answered_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            task_told = False
            if report.task_id:
                task_told = not Task.objects.filter(
                    pk=report.task_id, escalated_at__isnull=True
                ).update(escalated_at=now)
            if not task_told:
                notify(
                    team_leads(report.organisation_id, report.team_id),
                    gettext_lazy(
                        "Zorgmelding (%(urgency)s) via %(partner)s is nog niet beantwoord. "
                        "Antwoord uiterlijk %(deadline)s."
                    ),
                    staff_link(report),
                    params={
                        "urgency": Urgency(report.urgency).label,
                        "partner": report.partner_organisation.name,
                        "deadline": report.due_at,
                    },
                )
        count += 1
    return count
