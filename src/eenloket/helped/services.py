"""'Bent u geholpen?': scheduling, asking, answering and following up. One function per use case,
each in a transaction; the sweeps (tasks.py) call the system's steps, the public page the
resident's, the call task's completion (kinds.py) the caller's. Every step is checked against the
table in states.py.

Scheduling (`schedule_checks`): a contact moment with a configured outcome, or a referral that the
receiving side ended (helped, or closed after accepting it), gets one check as soon as the sweep
sees it, within the lookback window (unique on its source: running the sweep twice, or two sweeps
at once, makes one). It is planned for the organisation's delay in working days after the
contact, at HELPED_CHECK_SEND_HOUR, and shows on the resident overview until then. Never for an
anonymous contact or an organisation that switched the question off; a resident who opted out,
or who is asked already within HELPED_CHECK_MIN_DAYS_BETWEEN days, gets a skipped check with the
reason (so the sweep does not look again, and the reports can count it).

Asking (`send_due_checks`): by the resident's preferred channel when the data is there (e-mail,
sms, a letter by post) with a signed, single-use link; otherwise (prefers phone or the desk, or
the data for the preference is missing) a call task for the team that handled it.

Answers: "ja" → helped; "nee" → not helped plus a follow-up task for the team, carrying the
comment; no answer in time (`expire_unanswered`) → no answer plus a follow-up task."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eenloket.contacts.models import ContactMoment
from eenloket.core.calendar import AMSTERDAM, add_working_days
from eenloket.core.formatting import long_date
from eenloket.core.states import SYSTEM
from eenloket.messaging.services import send_to_resident
from eenloket.organisations.models import Membership, Organisation
from eenloket.referrals.models import Referral, ReferralEvent, ReferralState
from eenloket.referrals.states import WORKING
from eenloket.residents.models import PreferredChannel, Resident
from eenloket.residents.services import normalise_phone
from eenloket.worklist.services import create_task

from . import states, tokens
from .models import AskChannel, CheckSettings, CheckState, HelpedCheck

logger = logging.getLogger(__name__)

SOURCE_CONTACT = "contact-moment"
SOURCE_REFERRAL = "referral"
TASK_SOURCE = "helped-check"  # Task.source_type / Message.cause_type of this app
KIND_CALL = "geholpen-bellen"
KIND_FOLLOW_UP = "geholpen-opvolgen"
TEMPLATE_KEY = "bent-u-geholpen"
COMMENT_MAX = 1000

SKIP_OPT_OUT = "opt-out"
SKIP_RECENT = "recent"
SKIP_UNREACHABLE = "onbereikbaar"
SKIP_REASONS = {
    SKIP_OPT_OUT: gettext_lazy("De inwoner wil geen vraag 'bent u geholpen?'."),
    SKIP_RECENT: gettext_lazy("De inwoner kreeg deze vraag kort geleden al."),
    SKIP_UNREACHABLE: gettext_lazy("Geen e-mailadres, telefoonnummer of adres bekend."),
}


class AlreadyAnswered(Exception):
    """The link was used before: the answer stands."""


# ---- settings per organisation --------------------------------------------------------------------
@dataclass(frozen=True)
class Config:
    enabled: bool
    contact_outcomes: frozenset
    after_referrals: bool
    delay_working_days: int
    answer_working_days: int


def default_config() -> Config:
    return Config(
        enabled=True,
        contact_outcomes=frozenset(settings.HELPED_CHECK_CONTACT_OUTCOMES),
        after_referrals=True,
        delay_working_days=settings.HELPED_CHECK_DELAY_WORKING_DAYS,
        answer_working_days=settings.HELPED_CHECK_ANSWER_WORKING_DAYS,
    )


def _config_of(row: CheckSettings | None) -> Config:
    if row is None:
        return default_config()
    return Config(
        enabled=row.enabled,
        # An empty list: the default outcomes (switch the question off with `enabled`).
        contact_outcomes=frozenset(row.contact_outcomes or settings.HELPED_CHECK_CONTACT_OUTCOMES),
        after_referrals=row.after_referrals,
        delay_working_days=max(1, row.delay_working_days),
        answer_working_days=max(1, row.answer_working_days),
    )


def config_for(organisation_id) -> Config:
    return _config_of(CheckSettings.objects.filter(organisation_id=organisation_id).first())


def _configs() -> dict[int, Config]:
    """The organisations with a settings row (the rest: the defaults)."""
    return {row.organisation_id: _config_of(row) for row in CheckSettings.objects.all()}


def send_time(source_at: dt.datetime, delay_working_days: int) -> dt.datetime:
    """The `delay`-th working day after the day of the contact, at HELPED_CHECK_SEND_HOUR
    (Amsterdam): a contact on Monday with 2 working days → Wednesday 10:00; on Friday → Tuesday."""
    day = add_working_days(source_at, max(1, delay_working_days)).astimezone(AMSTERDAM).date()
    local = dt.datetime.combine(day, dt.time(settings.HELPED_CHECK_SEND_HOUR), tzinfo=AMSTERDAM)
    return local.astimezone(dt.UTC)


def link_deadline(check) -> dt.datetime | None:
    """Until when the link works (and when silence becomes "no answer")."""
    if check.answer_due_at is None:
        return None
    return check.answer_due_at + dt.timedelta(hours=settings.HELPED_CHECK_LINK_GRACE_HOURS)


# ---- scheduling ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    type: str
    id: str
    organisation_id: int
    resident_id: int
    at: dt.datetime
    team_id: int | None
    location_id: int | None
    staff_id: int | None
    service_id: int | None
    channel: str
    contact_id: int | None = None
    referral_id: int | None = None


def _contact_team(contact) -> int | None:
    """The team of the staff member in the contact's organisation (Membership); their first."""
    return (
        Membership.objects.filter(
            user_id=contact.staff_id, organisation_id=contact.organisation_id, team__isnull=False
        )
        .order_by("id")
        .values_list("team_id", flat=True)
        .first()
    )


def _contact_sources(now, since, configs, limit) -> list[Source]:
    """Contacts with a wanted outcome in the lookback window that have no check yet. Asked per
    organisation, so that each query is a range on the (organisation, started_at) index of the
    contacts, not a scan of every contact."""
    disabled = [pk for pk, c in configs.items() if not c.enabled]
    organisations = (
        Organisation.objects.exclude(pk__in=disabled).order_by("pk").values_list("pk", flat=True)
    )
    rows = []
    for organisation_id in organisations:
        if len(rows) >= limit:
            break
        config = configs.get(organisation_id) or default_config()
        rows += list(
            ContactMoment.objects.filter(
                organisation_id=organisation_id,
                outcome__in=sorted(config.contact_outcomes),
                resident__isnull=False,
                started_at__gte=since,
                started_at__lte=now,
            )
            .filter(~Exists(HelpedCheck.objects.filter(contact_id=OuterRef("pk"))))
            .order_by("started_at", "id")[: limit - len(rows)]
        )
    return [
        Source(
            type=SOURCE_CONTACT,
            id=str(c.uuid),
            organisation_id=c.organisation_id,
            resident_id=c.resident_id,
            at=c.ended_at or c.started_at,
            team_id=_contact_team(c),
            location_id=c.location_id,
            staff_id=c.staff_id,
            service_id=c.service_id,
            channel=c.channel,
            contact_id=c.pk,
        )
        for c in rows
    ]


def _referral_sources(now, since, configs, limit) -> list[Source]:
    off = [pk for pk, c in configs.items() if not (c.enabled and c.after_referrals)]
    # Closed while the receiver worked with the resident (after accepting): the resident was
    # handled. A referral closed while still "sent" may be the sender withdrawing it: not asked.
    closed_by_receiver = ReferralEvent.objects.filter(
        referral_id=OuterRef("pk"),
        action=ReferralEvent.Action.CLOSED,
        from_state__in=sorted(WORKING - {ReferralState.SENT}),
    )
    rows = (
        Referral.objects.filter(
            Q(state=ReferralState.HELPED)
            | Q(Exists(closed_by_receiver), state=ReferralState.CLOSED),
            resident__isnull=False,
            closed_at__gte=since,
            closed_at__lte=now,
        )
        .exclude(to_organisation_id__in=off)
        .filter(~Exists(HelpedCheck.objects.filter(referral_id=OuterRef("pk"))))
        .order_by("closed_at", "id")[:limit]
    )
    return [
        Source(
            type=SOURCE_REFERRAL,
            id=str(r.uuid),
            organisation_id=r.to_organisation_id,
            resident_id=r.resident_id,
            at=r.closed_at,
            team_id=r.to_team_id,
            # The contact's location is the referrer's; where the receiver helped is not known.
            location_id=None,
            staff_id=r.assigned_to_id,
            service_id=r.service_id,
            channel="",
            referral_id=r.pk,
        )
        for r in rows
    ]


def _asked_recently(resident_id, when, *, exclude_pk=None) -> bool:
    window = dt.timedelta(days=settings.HELPED_CHECK_MIN_DAYS_BETWEEN)
    qs = HelpedCheck.objects.filter(
        resident_id=resident_id,
        scheduled_for__gt=when - window,
        scheduled_for__lt=when + window,
    ).exclude(state=CheckState.SKIPPED)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def schedule_one(source: Source, config: Config, now) -> HelpedCheck | None:
    """The check for one source (None when it already had one). The resident's row is locked, so
    two sweeps cannot both plan a check for one resident within the 14 days; the unique source
    makes a second check for the same source impossible."""
    with transaction.atomic():
        resident = Resident.objects.select_for_update().get(pk=source.resident_id)
        when = send_time(source.at, config.delay_working_days)
        state, reason = CheckState.SCHEDULED, ""
        if resident.helped_check_opt_out:
            state, reason = CheckState.SKIPPED, SKIP_OPT_OUT
        elif _asked_recently(resident.pk, when):
            state, reason = CheckState.SKIPPED, SKIP_RECENT
        check, created = HelpedCheck.objects.get_or_create(
            source_type=source.type,
            source_id=source.id,
            defaults={
                "organisation_id": source.organisation_id,
                "team_id": source.team_id,
                "location_id": source.location_id,
                "staff_id": source.staff_id,
                "resident": resident,
                "contact_id": source.contact_id,
                "referral_id": source.referral_id,
                "service_id": source.service_id,
                "source_channel": source.channel,
                "source_at": source.at,
                "state": state,
                "skip_reason": reason,
                "scheduled_for": when,
                "created_at": now,
            },
        )
    return check if created else None


def schedule_checks(now=None, *, limit: int = 500) -> int:
    """Plan the checks for new sources (idempotent). Returns how many checks it made (planned or
    skipped)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.HELPED_CHECK_LOOKBACK_DAYS)
    configs = _configs()
    made = 0
    sources = _contact_sources(now, since, configs, limit) + _referral_sources(
        now, since, configs, limit
    )
    for source in sources:
        config = configs.get(source.organisation_id) or default_config()
        if schedule_one(source, config, now) is not None:
            made += 1
    return made


# ---- asking --------------------------------------------------------------------------------------
def choose_channel(resident) -> str:
    """The resident's preference when the data for it is there; else a call when there is a
    phone number; else whatever is known; "" when nothing is."""
    preferred = resident.preferred_channel
    if preferred in (PreferredChannel.EMAIL, PreferredChannel.PORTAL) and resident.email:
        return AskChannel.EMAIL
    if preferred == PreferredChannel.SMS and resident.phone:
        return AskChannel.SMS
    if preferred == PreferredChannel.POST and resident.address:
        return AskChannel.POST
    if _phone(resident):
        return AskChannel.CALL
    if resident.email:
        return AskChannel.EMAIL
    if resident.address:
        return AskChannel.POST
    return ""


def _phone(resident) -> str:
    """The resident's number when it is a valid one (a task refuses an invalid number, and a
    sweep must not fail on one resident's old data)."""
    try:
        return normalise_phone(resident.phone)
    except ValidationError:
        return ""


def topic(check) -> str:
    """What the question is about, for the resident: the service's name, else "uw vraag" (never
    the free text of the question)."""
    if check.service_id and check.service is not None:
        return check.service.name
    return _("uw vraag")


def _step(check, action, parties, **changes):
    row = states.CHECK.check(action, check.state, parties)
    check.state = row.target
    for key, value in changes.items():
        setattr(check, key, value)
    check.save()
    return check


def _skip(check, reason):
    return _step(check, "skip", {SYSTEM}, skip_reason=reason)


def _call_task(check, now):
    resident = check.resident
    task = create_task(
        kind=KIND_CALL,
        organisation=check.organisation,
        team=check.team,
        resident=resident,
        title=_("Bellen: bent u geholpen met %(topic)s?") % {"topic": topic(check)},
        note=_(
            "Vraag de inwoner of hij of zij geholpen is na het contact van %(date)s. "
            "Leg het antwoord vast bij het afronden."
        )
        % {"date": long_date(check.source_at)},
        phone=_phone(resident),
        source_type=TASK_SOURCE,
        source_id=str(check.uuid),
        now=now,
    )
    return _step(
        check,
        "call",
        {SYSTEM},
        channel=AskChannel.CALL,
        task=task,
        sent_at=now,
        answer_due_at=task.due_at,
    )


def _send_question(check, resident, channel, now) -> list:
    """The question into the outbox (messaging) on `channel`; when that cannot (a representative
    without that address, no direct number for the letter), on the channel messaging chooses;
    [] when neither works. A refusal writes nothing (its own savepoint)."""
    kwargs = {
        "organisation": check.organisation,
        "resident": resident,
        "template_key": TEMPLATE_KEY,
        "context": {
            "onderwerp": topic(check),
            "contact_datum": check.source_at,
            "antwoord_link": tokens.answer_url(check),
            "antwoord_voor": check.answer_due_at,
        },
        "sender": check.staff,
        "team": check.team,
        "cause_type": TASK_SOURCE,
        "cause_id": str(check.uuid),
        "now": now,
    }
    for forced in (channel, None):
        try:
            with transaction.atomic():
                return send_to_resident(channel=forced, **kwargs)
        except ValidationError as exc:
            logger.warning("helped check %s not sent on %s: %s", check.uuid, forced, exc.messages)
    return []


def send_check(check, now) -> HelpedCheck:
    """Ask one planned check (inside the caller's transaction, with the check locked)."""
    resident = check.resident
    if resident.helped_check_opt_out:
        return _skip(check, SKIP_OPT_OUT)
    if _asked_recently(resident.pk, check.scheduled_for, exclude_pk=check.pk):
        return _skip(check, SKIP_RECENT)
    channel = choose_channel(resident)
    if not channel:
        return _skip(check, SKIP_UNREACHABLE)
    if channel == AskChannel.CALL:
        return _call_task(check, now)
    config = config_for(check.organisation_id)
    check.nonce = tokens.new_nonce()
    check.answer_due_at = add_working_days(now, config.answer_working_days)
    messages = _send_question(check, resident, channel, now)
    if not messages:  # not reachable on that channel after all: the counter calls
        check.nonce, check.answer_due_at = "", None
        if _phone(resident):
            return _call_task(check, now)
        return _skip(check, SKIP_UNREACHABLE)
    # The outbox may have taken a stated fallback channel (e.g. post when the e-mail is missing).
    used = getattr(messages[0], "channel", channel)
    return _step(
        check,
        "send",
        {SYSTEM},
        channel=used if used in AskChannel.values else channel,
        sent_at=now,
    )


def _locked_due(qs, limit):
    """Ids to work on; each is then locked on its own (skip_locked: concurrent sweeps never take
    the same check)."""
    return list(qs.order_by("id").values_list("pk", flat=True)[:limit])


def _lock(pk, state):
    return (
        HelpedCheck.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("resident", "organisation", "team", "staff", "service")
        .filter(pk=pk, state=state)
        .first()
    )


def send_due_checks(now=None, *, limit: int = 200) -> int:
    """Ask every planned check whose time has come, one transaction per check."""
    now = now or timezone.now()
    done = 0
    due = HelpedCheck.objects.filter(state=CheckState.SCHEDULED, scheduled_for__lte=now)
    with translation.override(settings.LANGUAGE_CODE):  # stored task texts are Dutch
        for pk in _locked_due(due, limit):
            try:
                with transaction.atomic():
                    check = _lock(pk, CheckState.SCHEDULED)
                    if check is None:
                        continue
                    send_check(check, now)
                    done += 1
            except Exception:  # one check's bad data must not stop the others; retried next run
                logger.exception("helped check %s could not be asked", pk)
    return done


# ---- answers -------------------------------------------------------------------------------------
def _follow_up(check, now, *, reason: str) -> None:
    resident = check.resident
    lines = [
        reason,
        _("Over: %(topic)s (contact van %(date)s).")
        % {
            "topic": topic(check),
            "date": long_date(check.source_at),
        },
    ]
    if check.comment:
        lines.append(_("Opmerking van de inwoner: %(comment)s") % {"comment": check.comment})
    with translation.override(settings.LANGUAGE_CODE):
        task = create_task(
            kind=KIND_FOLLOW_UP,
            organisation=check.organisation,
            team=check.team,
            resident=resident,
            title=_("Opvolgen: %(reason)s") % {"reason": reason},
            note="\n".join(str(line) for line in lines),
            phone=_phone(resident),
            source_type=TASK_SOURCE,
            source_id=str(check.uuid),
            now=now,
        )
    check.follow_up_task = task
    check.save(update_fields=["follow_up_task"])


def _clean_answer(helped, rating, comment) -> tuple[bool, int | None, str]:
    errors = {}
    if helped not in (True, False):
        errors["helped"] = [_("Kies Ja of Nee.")]
    if rating in ("", None):
        rating = None
    else:
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            errors["rating"] = [_("Kies een cijfer van 1 tot en met 5.")]
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [
            _("Schrijf hoogstens %(max)s tekens. U schreef er %(count)s.")
            % {"max": COMMENT_MAX, "count": len(comment)}
        ]
    if errors:
        raise ValidationError(errors)
    return helped, rating, comment


def _record(check, *, helped, rating, comment, via, parties, now) -> HelpedCheck:
    action = "helped" if helped else "not-helped"
    _step(
        check,
        action,
        parties,
        helped=helped,
        rating=rating,
        comment=comment,
        answered_at=now,
        answered_via=via,
    )
    if not helped:
        with translation.override(settings.LANGUAGE_CODE):
            _follow_up(check, now, reason=_("inwoner zegt niet geholpen te zijn"))
    return check


def check_for_link(token: str, now=None) -> HelpedCheck:
    """The check a link belongs to, if the link may still be used. LinkInvalid (tampered,
    unknown, replaced), LinkExpired (past its time, or no longer waiting for an answer) or
    AlreadyAnswered."""
    now = now or timezone.now()
    check_uuid, nonce = tokens.read_token(token)
    check = (
        HelpedCheck.objects.select_related("organisation", "team", "service", "resident")
        .filter(uuid=check_uuid)
        .first()
    )
    if check is None or not tokens.nonce_matches(check, nonce):
        raise tokens.LinkInvalid
    if check.used_at is not None:
        raise AlreadyAnswered(check)
    deadline = link_deadline(check)
    if check.state != CheckState.SENT or deadline is None or now > deadline:
        raise tokens.LinkExpired(check)
    return check


def answer_by_link(*, token: str, helped, rating=None, comment: str = "", now=None):
    """The resident's answer through the link (once). ValidationError for bad input (nothing
    written); the link errors of `check_for_link`."""
    now = now or timezone.now()
    helped, rating, comment = _clean_answer(helped, rating, comment)
    check = check_for_link(token, now)
    with transaction.atomic():
        locked = (
            HelpedCheck.objects.select_for_update(of=("self",))
            .select_related("resident", "organisation", "team", "service")
            .get(pk=check.pk)
        )
        if locked.used_at is not None:  # answered in another tab a moment ago
            raise AlreadyAnswered(locked)
        if locked.state != CheckState.SENT:
            raise tokens.LinkExpired(locked)
        locked.used_at = now
        _record(
            locked,
            helped=helped,
            rating=rating,
            comment=comment,
            via=locked.channel,
            parties={states.RESIDENT},
            now=now,
        )
    return locked


def record_call_answer(task, user, outcome, note: str = "") -> HelpedCheck | None:
    """The call task is completed (worklist's on_complete, inside its transaction): the answer is
    recorded on the check. "Geholpen" → helped; "Niet geholpen" → not helped plus a follow-up
    task carrying the note; "Niet bereikt" → no answer (the call was the reaching out)."""
    outcome = getattr(outcome, "code", outcome)
    check = (
        HelpedCheck.objects.select_for_update(of=("self",))
        .select_related("resident", "organisation", "team", "service")
        .filter(task_id=task.pk)
        .first()
    )
    if check is None:
        return None
    now = getattr(task, "completed_at", None) or timezone.now()
    comment = (note or "").strip()[:COMMENT_MAX]
    if outcome == CALL_NOT_REACHED:
        return _step(check, "no-answer", {states.CALLER}, answered_via="")
    _record(
        check,
        helped=outcome == CALL_HELPED,
        rating=None,
        comment=comment,
        via=AskChannel.CALL,
        parties={states.CALLER},
        now=now,
    )
    return check


CALL_HELPED = "geholpen"
CALL_NOT_HELPED = "niet-geholpen"
CALL_NOT_REACHED = "niet-bereikt"


def expire_unanswered(now=None, *, limit: int = 200) -> int:
    """Asked, and no answer by the answer time (plus the link's grace): no answer, and a
    follow-up task for the team that handled it. One transaction per check."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.HELPED_CHECK_LINK_GRACE_HOURS)
    due = HelpedCheck.objects.filter(state=CheckState.SENT, answer_due_at__lt=cutoff)
    done = 0
    with translation.override(settings.LANGUAGE_CODE):
        for pk in _locked_due(due, limit):
            with transaction.atomic():
                check = _lock(pk, CheckState.SENT)
                if check is None:
                    continue
                _step(check, "no-answer", {SYSTEM})
                _follow_up(check, now, reason=_("geen antwoord op 'bent u geholpen?'"))
                done += 1
    return done
