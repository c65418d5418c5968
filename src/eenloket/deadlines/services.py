"""Rules of tracked requests with a legal term: one function per use case, each in a transaction,
the delay notice (a message in the outbox) and the tasks written in that same transaction.

The rules (decision IX; Awb 4:13–4:17):
- The due date is counted with `core.terms` from the request type's term, regime and article;
  a suspension (Awb 4:15) stops the clock and resumes it with the days that were left.
- An extension exists only together with a delay notice sent before the term ends, and only
  where the law allows one (`RequestType.extension`); a further delay only with the resident's
  consent where the law says so (Awb 7:10 lid 4).
- A notice where the law allows no extension (Awb 4:14 lid 1) does not move the legal term:
  the request stays late, and the penalty (Awb 4:17) runs once the resident sent an
  ingebrekestelling. A notice after the term ended is recorded as late, never as timely.
- A sweep warns the team a number of working days before the end (a task in their work list)
  and tells the team lead when a term is about to pass without decision or notice."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eenloket.core.calendar import AMSTERDAM, is_statutory_holiday, working_day_end
from eenloket.core.formatting import long_date
from eenloket.core.models import EquatedDay
from eenloket.core.notifications import notify
from eenloket.core.terms import Regime, TermError, compute_due_date, parse_term
from eenloket.core.validators import clean_texts
from eenloket.messaging.services import send_to_person, send_to_resident
from eenloket.organisations.selectors import get_scope, team_leads
from eenloket.worklist import services as worklist

from . import states
from .kinds import WATCH
from .models import (
    DelayNotice,
    Extension,
    ExtensionKind,
    RequestState,
    RequestType,
    Start,
    Suspension,
    TrackedRequest,
    told_for_due_date,
)

OBJECTION_PERIOD = "P6W"  # Awb 6:7
FIRST_DAY = dt.date(2000, 1, 1)
REASON_MAX = 1000
# Awb 4:17 lid 2 and 3: euros per day for the first 14 days, the next 14, and the rest; 42 at most.
PENALTY_STEPS = ((14, 23), (14, 35), (14, 45))
PENALTY_MAX_DAYS = 42


def today(now=None) -> dt.date:
    return (now or timezone.now()).astimezone(AMSTERDAM).date()


# ---- the arithmetic --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Count:
    due_date: dt.date | None  # None while the clock stands still
    explanation: str
    days_left: int | None  # while suspended: the days that were left
    original_due_date: dt.date


def term_start(request) -> tuple[dt.date, str]:
    """The day after which the term runs, with how it was found (for a bezwaar: the end of the
    objection period, Awb 7:10 lid 1 with 6:7; a late objection counts from its receipt)."""
    rtype = request.request_type
    if rtype.starts != Start.OBJECTION_PERIOD_END:
        return request.received_on, ""
    period = compute_due_date(
        start=request.decision_published_on, term=OBJECTION_PERIOD, regime=Regime.ATW
    )
    text = _("Bezwaartermijn (Awb 6:7): %(text)s ") % {"text": period.explanation}
    if request.received_on > period.due_date:
        return request.received_on, text + _(
            "Het bezwaar kwam later binnen; de termijn telt vanaf de ontvangst. "
        )
    return period.due_date, text


def count(request, *, suspensions=None, extensions=None) -> Count:
    """The legal due date of `request` with its suspensions and extensions (as stored, or as
    given: the services pass the new ones before they are saved)."""
    rtype = request.request_type
    suspensions = list(request.suspensions.all() if suspensions is None else suspensions)
    extensions = list(request.extensions.all() if extensions is None else extensions)
    start, prefix = term_start(request)
    term = rtype.term
    if request.advisory_committee and rtype.term_with_committee:
        term = rtype.term_with_committee
    segments = [(term, rtype.article, rtype.regime)] + [
        # The new term named in a notice (Awb 4:14 lid 3) is a date the organisation chose
        # and told the resident: no statutory term, so counted as written.
        (
            e.term,
            e.article or e.get_kind_display(),
            Regime.PLAIN if e.kind == ExtensionKind.NOTICE else rtype.regime,
        )
        for e in extensions
    ]
    closed = sorted((s for s in suspensions if s.ends_on), key=lambda s: s.starts_on)
    running = next((s for s in suspensions if s.ends_on is None), None)
    texts, original = [], None
    seg_start = start
    for index, (seg_term, article, regime) in enumerate(segments):
        plain = compute_due_date(start=seg_start, term=seg_term, regime=regime)
        last = index == len(segments) - 1
        # The suspensions that began while this part of the term ran add their days to it.
        mine = [s for s in closed if s.starts_on <= plain.due_date or last]
        closed = [s for s in closed if s not in mine]
        extra = sum(s.days for s in mine)
        result = plain
        if extra:
            label = gettext_lazy("plus %(days)d dagen opschorting (Awb 4:15)") % {"days": extra}
            result = compute_due_date(
                start=seg_start,
                term=seg_term,
                regime=regime,
                extra_days=extra,
                extra_label=str(label),
            )
        if original is None:
            original = plain.due_date
        texts.append(f"{article}: {result.explanation}")
        seg_start, plain_end = result.due_date, result.plain_end
    explanation = prefix + " ".join(texts)
    if running is not None:
        # Resuming adds the stopped days to the plain end (before Atw art. 1 and 2 moved it).
        left = max(0, (plain_end - running.starts_on).days)
        explanation += " " + _(
            "Opgeschort sinds %(date)s: de termijn staat stil, er zijn nog %(days)d dagen over."
        ) % {"date": long_date(running.starts_on), "days": left}
        return Count(None, explanation, left, original)
    return Count(seg_start, explanation, None, original)


def penalty(request, on: dt.date | None = None) -> tuple[int, int]:
    """(days, euros) of the penalty for not deciding in time (Awb 4:17), on day `on` (or the
    decision day): it runs from the day after two weeks have passed after the due date and the
    receipt of the ingebrekestelling, for at most 42 days."""
    if not request.request_type.penalty_applies or request.default_notice_on is None:
        return 0, 0
    if request.due_date is None:
        return 0, 0
    reference = max(request.due_date, request.default_notice_on)
    first = reference + dt.timedelta(days=15)
    # It stops at the decision (or the withdrawal: `decided_on` holds the day it was closed).
    last = (request.decided_on - dt.timedelta(days=1)) if request.decided_on else (on or today())
    days = min(PENALTY_MAX_DAYS, max(0, (last - first).days + 1))
    euros, left = 0, days
    for span, rate in PENALTY_STEPS:
        used = min(left, span)
        euros += used * rate
        left -= used
    return days, euros


# ---- who ---------------------------------------------------------------------------------------------
def parties(user, request) -> frozenset:
    scope = get_scope(user)
    return (
        frozenset({states.STAFF})
        if request.organisation_id in scope.contact_organisation_ids
        else frozenset()
    )


def _locked(request) -> TrackedRequest:
    return (
        TrackedRequest.objects.select_for_update(of=("self",))
        .select_related("request_type", "organisation", "team", "resident", "handler")
        .get(pk=request.pk)
    )


def _check(user, request, action):
    current = _locked(request)
    states.REQUEST.check(action, current.state, parties(user, current))
    return current


def _texts(values, required=None, limits=None):
    texts, errors = clean_texts(values, required=required or {}, limits=limits or {})
    if errors:
        raise ValidationError(errors)
    return texts


def _date(value, field, *, now, not_after_today=True, label=""):
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError({field: [_("Geef een datum.")]})
    if value < FIRST_DAY:
        raise ValidationError({field: [_("Deze datum ligt te ver in het verleden.")]})
    if not_after_today and value > today(now):
        raise ValidationError({field: [label or _("Deze datum ligt in de toekomst.")]})
    return value


def _save_count(request, result: Count):
    request.due_date = result.due_date
    request.due_explanation = result.explanation
    request.days_left = result.days_left
    request.original_due_date = result.original_due_date


def _new_reference(rtype, received_on) -> str:
    parts = [p for p in rtype.code.split("-") if p]
    prefix = ("".join(p[0] for p in parts) if len(parts) > 1 else rtype.code[:2]).upper()[:3]
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"{prefix}-{received_on.year}-" + "".join(secrets.choice(alphabet) for _ in range(5))


# ---- registering -------------------------------------------------------------------------------------
def usable_types(organisation):
    return RequestType.objects.filter(active=True).filter(
        organisation__isnull=True
    ) | RequestType.objects.filter(active=True, organisation=organisation)


def register(
    *,
    user,
    organisation,
    request_type,
    subject: str,
    team,
    received_on: dt.date,
    resident=None,
    handler=None,
    contact=None,
    referral=None,
    zaak_url: str = "",
    decision_published_on: dt.date | None = None,
    advisory_committee: bool = False,
    now=None,
) -> TrackedRequest:
    """A request received by `organisation`, with its legal due date counted at once."""
    now = now or timezone.now()
    if organisation is None or organisation.pk not in get_scope(user).contact_organisation_ids:
        raise PermissionDenied(_("Alleen medewerkers van deze organisatie mogen dit vastleggen."))
    errors = {}
    try:
        texts = _texts(
            {"subject": subject},
            required={"subject": _("Schrijf op waar het verzoek over gaat.")},
            limits={"subject": 200},
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
        texts = {}
    if request_type is None or not usable_types(organisation).filter(pk=request_type.pk).exists():
        errors["request_type"] = [_("Kies een soort verzoek van deze organisatie.")]
    if team is None or team.organisation_id != organisation.pk:
        errors["team"] = [_("Kies een team van deze organisatie.")]
    if handler is not None and not worklist.is_member(handler, organisation):
        errors["handler"] = [_("De behandelaar werkt niet met inwoners bij deze organisatie.")]
    if contact is not None and contact.organisation_id != organisation.pk:
        errors["contact"] = [_("Dit contact is niet van deze organisatie.")]
    if referral is not None and organisation.pk not in (
        referral.from_organisation_id,
        referral.to_organisation_id,
    ):
        errors["referral"] = [_("Deze doorverwijzing gaat niet over deze organisatie.")]
    for field, value in (("received_on", received_on),):
        try:
            _date(
                value, field, now=now, label=_("Een verzoek kan niet in de toekomst binnenkomen.")
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    needs_publication = (
        request_type is not None and request_type.starts == Start.OBJECTION_PERIOD_END
    )
    if needs_publication:
        if decision_published_on is None:
            errors["decision_published_on"] = [
                _(
                    "Geef de datum waarop het besluit is bekendgemaakt: daar begint de bezwaartermijn."
                )
            ]
        elif (
            isinstance(decision_published_on, dt.date)
            and isinstance(received_on, dt.date)
            and decision_published_on > received_on
        ):
            errors["decision_published_on"] = [
                _("Het besluit moet bekendgemaakt zijn voordat het bezwaar binnenkwam.")
            ]
    elif decision_published_on is not None:
        decision_published_on = None
    if advisory_committee and request_type is not None and not request_type.term_with_committee:
        errors["advisory_committee"] = [
            _("Voor deze soort verzoek geldt geen andere termijn met een adviescommissie.")
        ]
    if (
        resident is not None
        and contact is not None
        and contact.resident_id not in (None, resident.pk)
    ):
        errors["contact"] = [_("Dit contact gaat over een andere inwoner.")]
    if errors:
        raise ValidationError(errors)
    request = TrackedRequest(
        organisation=organisation,
        request_type=request_type,
        subject=texts["subject"],
        resident=resident,
        contact=contact,
        referral=referral,
        zaak_url=zaak_url or "",
        team=team,
        handler=handler,
        received_on=received_on,
        decision_published_on=decision_published_on,
        advisory_committee=bool(advisory_committee),
        created_at=now,
        created_by=user,
    )
    _save_count(request, count(request, suspensions=[], extensions=[]))
    for _attempt in range(5):
        request.reference = _new_reference(request_type, received_on)
        try:
            with transaction.atomic():
                request.save()
            return request
        except IntegrityError:
            request.pk = None
    raise ValidationError(_("Er ging iets mis bij het maken van een kenmerk. Probeer het opnieuw."))


# ---- the clock -----------------------------------------------------------------------------------------
@transaction.atomic
def suspend(
    *,
    user,
    request,
    starts_on: dt.date,
    reason: str,
    respond_by: dt.date | None = None,
    now=None,
) -> TrackedRequest:
    """Stop the clock (Awb 4:15): from the day after `starts_on`, the day the resident was asked
    to complete the request (or agreed to a delay). `respond_by` is the last day of the term the
    resident was given to complete it (lid 1 sub a); unanswered, the sweep lets the clock run
    again the day after. Without it (a delay the resident agreed to, lid 2) a person resumes.

    Once the due date has passed, a suspension that starts before today is refused: registered
    afterwards, it would turn a late request into one in time."""
    now = now or timezone.now()
    current = _check(user, request, "suspend")
    texts = _texts(
        {"reason": reason},
        required={"reason": _("Schrijf op waarom de termijn stilstaat.")},
        limits={"reason": 300},
    )
    _date(starts_on, "starts_on", now=now)
    if starts_on < current.received_on:
        raise ValidationError({"starts_on": [_("Dit is voor de ontvangst van het verzoek.")]})
    if current.due_date is not None and starts_on > current.due_date:
        raise ValidationError(
            {
                "starts_on": [
                    _("De termijn was toen al voorbij: opschorten kan alleen binnen de termijn.")
                ]
            }
        )
    if current.due_date is not None and current.due_date < today(now) and starts_on < today(now):
        raise ValidationError(
            _(
                "De termijn liep af op %(date)s. Opschorten met een datum in het verleden kan "
                "dan niet meer: het verzoek is te laat."
            )
            % {"date": long_date(current.due_date)},
            code="term_expired",
        )
    if respond_by is not None:
        if not isinstance(respond_by, dt.date) or isinstance(respond_by, dt.datetime):
            raise ValidationError({"respond_by": [_("Geef een datum.")]})
        if respond_by <= starts_on:
            raise ValidationError(
                {
                    "respond_by": [
                        _("Deze datum moet na de dag liggen waarop de inwoner het werd gevraagd.")
                    ]
                }
            )
        if respond_by > starts_on + dt.timedelta(days=366):
            raise ValidationError({"respond_by": [_("Kies een datum binnen een jaar.")]})
    last = current.suspensions.order_by("-ends_on").values_list("ends_on", flat=True).first()
    if last is not None and starts_on < last:
        raise ValidationError({"starts_on": [_("Dit valt in een eerdere opschorting.")]})
    Suspension.objects.create(
        request=current,
        starts_on=starts_on,
        respond_by=respond_by,
        reason=texts["reason"],
        created_by=user,
        created_at=now,
    )
    current.state = RequestState.SUSPENDED
    _save_count(current, count(current))
    current.save()
    _close_warning(current, "opgeschort", user, now)
    return current


def _end_suspension(current, running, ends_on) -> None:
    """The clock runs again from `ends_on`; never later than the day after the term the
    resident was given (Awb 4:15 lid 1 sub a: "of de daarvoor gestelde termijn ongebruikt is
    verstreken")."""
    if running.respond_by is not None:
        ends_on = min(ends_on, running.respond_by + dt.timedelta(days=1))
    running.ends_on = max(ends_on, running.starts_on)
    running.save(update_fields=["ends_on"])
    current.state = RequestState.OPEN
    _save_count(current, count(current))
    # A new due date: the warning and escalation start over.
    current.warned_at = current.escalated_at = None
    current.save()


@transaction.atomic
def resume(*, user, request, ends_on: dt.date, now=None) -> TrackedRequest:
    """The clock runs again from `ends_on` (the request was completed) with the days left."""
    now = now or timezone.now()
    current = _check(user, request, "resume")
    _date(ends_on, "ends_on", now=now)
    running = current.suspensions.get(ends_on__isnull=True)
    if ends_on < running.starts_on:
        raise ValidationError({"ends_on": [_("Dit is voor het begin van de opschorting.")]})
    _end_suspension(current, running, ends_on)
    return current


# ---- telling the resident ---------------------------------------------------------------------------
def _send_notice(
    *, user, current, reason, expected_on, key, article, due_before, now, via, person=None
):
    """The notice to the resident; `person` (name, email, phone) for someone who is not in the
    register, e.g. a complaint from the public form: by e-mail or sms."""
    context = {
        "onderwerp": _sentence_part(current.subject),
        "kenmerk": current.reference,
        "ontvangen_op": current.received_on,
        "uiterlijke_datum": due_before,
        "nieuwe_datum": expected_on,
        "reden": reason,
        "wetsartikel": article,
    }
    if current.resident is None and person:
        messages = send_to_person(
            organisation=current.organisation,
            name=person.get("name", ""),
            email=person.get("email", ""),
            phone=person.get("phone", ""),
            template_key=key,
            context=context,
            sender=user,
            team=current.team,
            cause_type="tracked_request",
            cause_id=str(current.uuid),
            now=now,
        )
    elif current.resident is None:
        raise ValidationError(
            _(
                "Koppel eerst de inwoner aan dit verzoek: zonder inwoner kan het bericht nergens heen."
            )
        )
    else:
        messages = send_to_resident(
            organisation=current.organisation,
            resident=current.resident,
            template_key=key,
            context=context,
            sender=user,
            team=current.team,
            cause_type="tracked_request",
            cause_id=str(current.uuid),
            now=now,
            via=via,
        )
    if not messages:
        raise ValidationError(
            _(
                "De inwoner is op geen enkele manier te bereiken (geen adres, e-mail of "
                "telefoonnummer). Vul eerst de gegevens van de inwoner aan."
            )
        )
    first = messages[0]
    due_then, timely = _notice_timing(current, due_before, now)
    return DelayNotice(
        request=current,
        sent_on=today(now),
        sent_at=now,
        due_date_then=due_then,
        timely=timely,
        reason=reason,
        expected_on=expected_on,
        sent_by=user,
        message=first,
        channel=first.channel,
    )


def _notice_timing(current, due_before, now) -> tuple[dt.date, bool]:
    """The due date a notice is about, and whether it was sent in time: on or before that date.
    While the clock stands still, the date it stopped short of (the due date without the running
    suspension); in time only when the suspension itself was registered by then, so a suspension
    entered after the term ended never makes a late notice timely."""
    if due_before is not None:
        return due_before, today(now) <= due_before
    suspensions = list(current.suspensions.all())
    running = next((s for s in suspensions if s.ends_on is None), None)
    stopped = count(current, suspensions=[s for s in suspensions if s.ends_on is not None])
    due_then = stopped.due_date or current.original_due_date
    if running is None:
        return due_then, today(now) <= due_then
    return due_then, today(running.created_at) <= due_then


def _sentence_part(text: str) -> str:
    """ "Bezwaar tegen …" reads "uw verzoek over bezwaar tegen …" (acronyms such as "WOZ" stay)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _reason(reason):
    return _texts(
        {"reason": reason},
        required={"reason": _("Schrijf op waarom het besluit later komt. De inwoner leest dit.")},
        limits={"reason": REASON_MAX},
    )["reason"]


@transaction.atomic
def send_delay_notice(
    *, user, request, reason: str, expected_on: dt.date, now=None, via: str = "ui"
) -> DelayNotice:
    """Tell the resident the decision comes later, why, and by when (Awb 4:14). It does not move
    the legal term: after the due date the request is late (and a penalty may run)."""
    now = now or timezone.now()
    current = _check(user, request, "delay-notice")
    reason = _reason(reason)
    if not isinstance(expected_on, dt.date):
        raise ValidationError({"expected_on": [_("Geef de datum waarop het besluit komt.")]})
    if expected_on <= today(now):
        raise ValidationError({"expected_on": [_("De nieuwe datum moet na vandaag liggen.")]})
    if current.due_date is not None and expected_on <= current.due_date:
        raise ValidationError(
            {
                "expected_on": [
                    _(
                        "De nieuwe datum ligt niet na de einddatum (%(date)s): dan is er geen vertraging."
                    )
                    % {"date": long_date(current.due_date)}
                ]
            }
        )
    if expected_on > today(now) + dt.timedelta(days=366):
        raise ValidationError({"expected_on": [_("Kies een datum binnen een jaar.")]})
    notice = _send_notice(
        user=user,
        current=current,
        reason=reason,
        expected_on=expected_on,
        key="vertragingsbericht",
        article=current.request_type.article,
        due_before=current.due_date,
        now=now,
        via=via,
    )
    notice.save()
    current.expected_on = expected_on
    if _notice_sets_term(current, notice):
        # Awb 4:14 lid 3: the new term named in time is the due date now. Only the first one:
        # the article speaks of the term of Awb 4:13, not of a term named before.
        extension = Extension(
            request=current,
            kind=ExtensionKind.NOTICE,
            term=f"P{(expected_on - current.due_date).days}D",
            reason=reason,
            article=NOTICE_ARTICLE,
            due_date_before=current.due_date,
            due_date_after=expected_on,
            notice=notice,
            created_by=user,
            created_at=now,
        )
        result = count(current, extensions=[*current.extensions.all(), extension])
        extension.due_date_after = result.due_date
        extension.save()
        _save_count(current, result)
        current.warned_at = current.escalated_at = None
        current.save()
    else:
        current.save(update_fields=["expected_on"])
    _close_warning(current, "bericht-gestuurd", user, now)
    return notice


NOTICE_ARTICLE = "Awb 4:14 lid 3"


def _notice_sets_term(current, notice) -> bool:
    """A timely notice names the new term (Awb 4:14 lid 3) for a type without a statutory term,
    while the clock runs, the first time."""
    return (
        current.request_type.notice_sets_term
        and notice.timely
        and current.state == RequestState.OPEN
        and current.due_date is not None
        and not current.extensions.filter(kind=ExtensionKind.NOTICE).exists()
    )


@transaction.atomic
def extend(
    *,
    user,
    request,
    reason: str,
    term: str = "",
    consent_note: str = "",
    now=None,
    via: str = "ui",
    person: dict | None = None,
) -> Extension:
    """Extend the term where the law allows it, always with the notice to the resident, before
    the term ends. The first extension is the legal one (at most the type's `extension`); after
    it, only a further delay the resident agreed to, where the law allows that (Awb 7:10 lid 4).
    `person` (name, email, phone): where to send the notice when the request has no resident in
    the register."""
    now = now or timezone.now()
    current = _check(user, request, "extend")
    rtype = current.request_type
    reason = _reason(reason)
    due = current.due_date
    if today(now) > due:
        raise ValidationError(
            _(
                "De termijn liep af op %(date)s. Verlengen kan alleen voor die datum. Stuur wel "
                "een bericht dat het besluit later komt; het verzoek blijft te laat."
            )
            % {"date": long_date(due)},
            code="term_expired",
        )
    legal_done = current.extensions.filter(kind=ExtensionKind.LEGAL).exists()
    if rtype.extension and not legal_done:
        kind, article, most = (
            ExtensionKind.LEGAL,
            rtype.extension_article,
            parse_term(rtype.extension),
        )
        try:
            chosen = parse_term(term) if term else most
        except TermError as exc:
            raise ValidationError({"term": [str(exc)]}) from None
        if chosen.after(due) > most.after(due):
            raise ValidationError(
                {"term": [_("De wet staat ten hoogste %(term)s toe.") % {"term": most.label}]}
            )
    elif rtype.further_with_consent:
        kind, article = ExtensionKind.CONSENT, _("Awb 7:10 lid 4 (met instemming)")
        if not term:
            raise ValidationError({"term": [_("Geef aan hoe lang het uitstel duurt.")]})
        try:
            chosen = parse_term(term)
        except TermError as exc:
            raise ValidationError({"term": [str(exc)]}) from None
        consent_note = _texts(
            {"consent_note": consent_note},
            required={
                "consent_note": _(
                    "Verder uitstel mag alleen als de inwoner instemt: schrijf op hoe."
                )
            },
            limits={"consent_note": 300},
        )["consent_note"]
    else:
        raise ValidationError(
            _(
                "De wet staat voor “%(type)s” geen (verdere) verlenging toe. Stuur een bericht dat "
                "het besluit later komt; de wettelijke termijn blijft dan staan."
            )
            % {"type": rtype.label},
            code="no_extension",
        )
    extension = Extension(
        request=current,
        kind=kind,
        term=chosen.iso,
        reason=reason,
        article=article,
        due_date_before=due,
        due_date_after=due,
        consent_note=consent_note if kind == ExtensionKind.CONSENT else "",
        created_by=user,
        created_at=now,
    )
    result = count(current, extensions=[*current.extensions.all(), extension])
    notice = _send_notice(
        user=user,
        current=current,
        reason=reason,
        expected_on=result.due_date,
        key="verlenging",
        article=article,
        due_before=due,
        now=now,
        via=via,
        person=person,
    )
    notice.save()
    extension.notice = notice
    extension.due_date_after = result.due_date
    extension.save()
    _save_count(current, result)
    current.expected_on = result.due_date
    current.warned_at = current.escalated_at = None
    current.save()
    _close_warning(current, "verlengd", user, now)
    return extension


@transaction.atomic
def record_default_notice(*, user, request, received_on: dt.date, now=None) -> TrackedRequest:
    """The resident's ingebrekestelling came in (Awb 4:17): from two weeks after it the penalty
    runs, where it applies. Only after the term ended (before, it is no ingebrekestelling)."""
    now = now or timezone.now()
    current = _check(user, request, "default-notice")
    _date(received_on, "received_on", now=now)
    if current.due_date is None or received_on <= current.due_date:
        raise ValidationError(
            {
                "received_on": [
                    _("Een ingebrekestelling kan pas na de einddatum van de termijn (%(date)s).")
                    % {"date": long_date(current.due_date) if current.due_date else _("opgeschort")}
                ]
            }
        )
    first = current.default_notice_on
    if first is not None and received_on >= first:
        # The penalty runs from the first ingebrekestelling (Awb 4:17 lid 1): a later one
        # changes nothing, and must not move its start.
        raise ValidationError(
            {
                "received_on": [
                    _(
                        "Er is al een ingebrekestelling vastgelegd, ontvangen op %(date)s. De "
                        "dwangsom telt vanaf de eerste; een latere verandert daar niets aan."
                    )
                    % {"date": long_date(first)}
                ]
            }
        )
    # None yet, or one that came in earlier than the one recorded: the earliest counts.
    current.default_notice_on = received_on
    current.save(update_fields=["default_notice_on"])
    return current


@transaction.atomic
def decide(*, user, request, decided_on: dt.date, note: str = "", now=None) -> TrackedRequest:
    """The decision is made (and sent): the request is closed, in time or late."""
    now = now or timezone.now()
    current = _check(user, request, "decide")
    _date(decided_on, "decided_on", now=now, label=_("Een besluit kan niet in de toekomst liggen."))
    if decided_on < current.received_on:
        raise ValidationError({"decided_on": [_("Dit is voor de ontvangst van het verzoek.")]})
    note = _texts({"note": note}, limits={"note": REASON_MAX})["note"]
    running = current.suspensions.filter(ends_on__isnull=True).first()
    if running is not None:
        running.ends_on = max(decided_on, running.starts_on)
        running.save(update_fields=["ends_on"])
        _save_count(current, count(current))
    current.state = RequestState.DECIDED
    current.decided_on = decided_on
    current.decided_in_time = current.due_date is None or decided_on <= current.due_date
    current.decision_note = note
    current.save()
    _close_warning(current, "besloten", user, now)
    return current


def _close_warning(request, outcome, user, now):
    """The open "termijn bewaken" task of the request is done (in the same transaction)."""
    worklist.close_for_source(
        kind=WATCH,
        source_type="tracked_request",
        source_id=request.uuid,
        outcome=outcome,
        user=user,
        now=now,
    )


@transaction.atomic
def withdraw(*, user, request, note: str = "", now=None) -> TrackedRequest:
    """The resident withdrew the request: nothing to decide."""
    now = now or timezone.now()
    current = _check(user, request, "withdraw")
    note = _texts({"note": note}, limits={"note": REASON_MAX})["note"]
    current.state = RequestState.WITHDRAWN
    current.decision_note = note
    current.decided_on = today(now)  # the day it was closed: a running penalty stops there
    current.save()
    worklist.close_for_source(
        kind=WATCH,
        source_type="tracked_request",
        source_id=current.uuid,
        outcome="besloten",
        user=user,
        note=str(_("Ingetrokken")),
        now=now,
    )
    return current


# ---- the sweep --------------------------------------------------------------------------------------------
def warn_and_escalate(now=None) -> int:
    """Idempotent: (1) a "termijn bewaken" task for the team, once, when a request's term ends
    within its type's number of working days; (2) the team lead told, once, when a term ends by
    the next working day (or passed) without a decision and without a timely notice."""
    now = now or timezone.now()
    day = today(now)
    longest = RequestType.objects.aggregate(most=Max("warn_working_days"))["most"] or 0
    horizon = (
        working_day_end(now, max(longest, settings.DEADLINE_ESCALATE_WORKING_DAYS))
        .astimezone(AMSTERDAM)
        .date()
    )
    done = _resume_unanswered(now, day)
    candidates = (
        TrackedRequest.objects.filter(state=RequestState.OPEN, due_date__lte=horizon)
        .filter(Q(warned_at__isnull=True) | Q(escalated_at__isnull=True))
        .select_related("request_type", "organisation", "team", "handler")
        # A timely notice about the current due date (one subquery, not a query per request).
        .annotate(told_for_due_date=told_for_due_date())
    )
    escalate_by = (
        working_day_end(now, settings.DEADLINE_ESCALATE_WORKING_DAYS).astimezone(AMSTERDAM).date()
    )
    for request in candidates:
        warn_by = (
            working_day_end(now, request.request_type.warn_working_days)
            .astimezone(AMSTERDAM)
            .date()
        )
        passed = request.due_date < day
        if request.warned_at is None and request.due_date <= warn_by:
            title = (
                _("Termijn voorbij sinds %(date)s: %(subject)s")
                if passed
                else _("Termijn loopt af op %(date)s: %(subject)s")
            ) % {"date": long_date(request.due_date), "subject": request.subject}
            with transaction.atomic():
                if TrackedRequest.objects.filter(pk=request.pk, warned_at__isnull=True).update(
                    warned_at=now
                ):
                    worklist.create_task(
                        kind=WATCH,
                        organisation=request.organisation,
                        team=request.team,
                        # A handler who left (or has no contact role): the team's task.
                        assigned_to=request.handler
                        if worklist.is_member(request.handler, request.organisation)
                        else None,
                        resident=request.resident,
                        title=title[:200],
                        note=_(
                            "%(type)s %(reference)s (%(article)s). Beslis uiterlijk op %(date)s. "
                            "Lukt dat niet? Stuur de inwoner voor die datum een bericht: waarom "
                            "het langer duurt en wanneer het besluit komt."
                        )
                        % {
                            "type": request.request_type.name,
                            "reference": request.reference,
                            "article": request.request_type.article,
                            "date": long_date(request.due_date),
                        },
                        # Passed already: act on the next working day.
                        due_at=working_day_end(now, 1)
                        if passed
                        else dt.datetime.combine(
                            request.due_date, dt.time(23, 59, 59), tzinfo=AMSTERDAM
                        ).astimezone(dt.UTC),
                        source_type="tracked_request",
                        source_id=str(request.uuid),
                        now=now,
                    )
                    done += 1
        if request.escalated_at is None and request.due_date <= escalate_by:
            # Told in time about this due date (an extension's notice was about the one before):
            # late perhaps, but not silently (the dashboard shows it).
            if request.told_for_due_date:
                continue
            message = (
                gettext_lazy(
                    "Termijn voorbij zonder besluit of bericht: %(type)s %(reference)s "
                    "(%(subject)s) had uiterlijk %(date)s besloten moeten zijn."
                )
                if passed
                else gettext_lazy(
                    "Termijn in gevaar: %(type)s %(reference)s (%(subject)s) moet uiterlijk "
                    "%(date)s besloten zijn, en er is nog geen besluit of bericht."
                )
            )
            with transaction.atomic():
                if TrackedRequest.objects.filter(pk=request.pk, escalated_at__isnull=True).update(
                    escalated_at=now
                ):
                    notify(
                        team_leads(request.organisation_id, request.team_id),
                        message,
                        reverse("deadlines:detail", kwargs={"uuid": request.uuid}),
                        params={
                            "type": request.request_type.name,
                            "reference": request.reference,
                            "subject": request.subject[:150],
                            "date": request.due_date,
                        },
                    )
                    done += 1
    return done


UNANSWERED = gettext_lazy(
    "De termijn loopt weer: %(type)s %(reference)s (%(subject)s). De inwoner heeft de aanvraag "
    "niet aangevuld; de laatste dag was %(respond_by)s. Beslis uiterlijk op %(date)s."
)


def _resume_unanswered(now, day) -> int:
    """Awb 4:15 lid 1 sub a: the suspension ends when the term the resident was given to
    complete the request has passed unused; the clock runs again the day after it. The handler
    (or, without one, the team leads) hears of it. One transaction per request."""
    done = 0
    due = Suspension.objects.filter(
        ends_on__isnull=True, respond_by__lt=day, request__state=RequestState.SUSPENDED
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            running = (
                Suspension.objects.select_for_update().filter(pk=pk, ends_on__isnull=True).first()
            )
            if running is None:
                continue
            current = _locked(running.request)
            states.REQUEST.check("resume-unanswered", current.state, {states.SYSTEM})
            _end_suspension(current, running, running.respond_by + dt.timedelta(days=1))
            handler = current.handler
            told = (
                [handler]
                if worklist.is_member(handler, current.organisation)
                else team_leads(current.organisation_id, current.team_id)
            )
            notify(
                told,
                UNANSWERED,
                reverse("deadlines:detail", kwargs={"uuid": current.uuid}),
                params={
                    "type": current.request_type.name,
                    "reference": current.reference,
                    "subject": current.subject[:150],
                    "respond_by": running.respond_by,
                    "date": current.due_date,
                },
            )
            done += 1
    return done


# ---- days equated with a holiday (Atw art. 3 lid 3) ----------------------------------------------
EQUATE_PERMISSION = "core.add_equatedday"


def may_equate(user) -> bool:
    """Days equated by royal decree hold for the whole country: only an application manager
    who was given that right (the permission "gelijkgestelde dag toevoegen") keeps them."""
    return bool(user and user.is_active and user.has_perm(EQUATE_PERMISSION))


@transaction.atomic
def add_equated_day(*, user, day: dt.date, reason: str, decree: str = "") -> EquatedDay:
    """A day equated with a public holiday by royal decree: from now on every term counts it."""
    if not may_equate(user):
        raise PermissionDenied(
            _("Alleen een beheerder met dit recht mag gelijkgestelde dagen vastleggen.")
        )
    texts = _texts(
        {"reason": reason, "decree": decree},
        required={
            "reason": _("Schrijf op welke dag het is, bijvoorbeeld: vrijdag na Hemelvaartsdag.")
        },
        limits={"reason": 200, "decree": 200},
    )
    if not isinstance(day, dt.date) or not FIRST_DAY <= day <= dt.date(2199, 12, 31):
        raise ValidationError({"day": [_("Geef een datum tussen 2000 en 2199.")]})
    if day.weekday() >= 5:
        raise ValidationError(
            {"day": [_("Dit is een zaterdag of zondag: die tellen al niet mee.")]}
        )
    if is_statutory_holiday(day):
        raise ValidationError({"day": [_("Dit is al een algemeen erkende feestdag.")]})
    if EquatedDay.objects.filter(day=day).exists():
        raise ValidationError({"day": [_("Deze dag staat al in de lijst.")]})
    made = EquatedDay.objects.create(day=day, reason=texts["reason"], decree=texts["decree"])
    recount_around(day)
    return made


@transaction.atomic
def remove_equated_day(*, user, equated: EquatedDay) -> None:
    if not may_equate(user):
        raise PermissionDenied(
            _("Alleen een beheerder met dit recht mag gelijkgestelde dagen vastleggen.")
        )
    day = equated.day
    equated.delete()
    recount_around(day)


RECOUNTED = ("due_date", "due_explanation", "days_left", "original_due_date")


def recount_around(day: dt.date) -> int:
    """Count the stored due date again of every open request whose term covers `day` (a day
    equated with a holiday was added or removed), in the caller's transaction. A term covers
    the day when it began before it (for a bezwaar: the objection period, from the decision's
    publication) and had not ended before it; a running suspension counts again too (its
    explanation). Returns how many due dates changed."""
    began = Q(received_on__lt=day) | Q(decision_published_on__lt=day)
    running = Q(due_date__isnull=True) | Q(due_date__gte=day)
    rows = (
        TrackedRequest.objects.select_for_update(of=("self",))
        .filter(began, running, state__in=states.OPEN)
        .select_related("request_type")
        .prefetch_related("suspensions", "extensions")
        .order_by("pk")
    )
    changed, batch = 0, []
    for request in rows.iterator(chunk_size=500):
        before = tuple(getattr(request, field) for field in RECOUNTED)
        with translation.override("nl"):  # the stored explanation is the Dutch one
            _save_count(request, count(request))
        if tuple(getattr(request, field) for field in RECOUNTED) != before:
            changed += request.due_date != before[0]
            batch.append(request)
        if len(batch) >= 500:
            TrackedRequest.objects.bulk_update(batch, RECOUNTED)
            batch = []
    if batch:
        TrackedRequest.objects.bulk_update(batch, RECOUNTED)
    return changed
