"""The transactional outbox: writing a message (in the caller's transaction), delivering it after
commit with retries, exponential backoff with jitter and a maximum number of attempts, the
dead-letter list (retry, cancel), delivery receipts, and print batches for the post.

Delivery, step by step (states.py has the table):

1. `enqueue` writes the Message (QUEUED, due now) in the caller's transaction. After commit the
   Celery task `messaging.deliver` is asked to send it; when the broker is down that is only
   logged: the sweep `messaging.deliver_due` (every 30 s) takes whatever is due anyway.
2. `deliver_due` claims due messages in a short transaction with
   `SELECT … FOR UPDATE SKIP LOCKED` (concurrent workers never take the same one) and gives each
   a lease: state SENDING until `claimed_until`. It sends them outside that transaction. A worker
   that stops while sending leaves a SENDING message whose lease runs out: it is due again (the
   attempt is logged as broken off).
3. The channel answers: sent (SENT), a temporary error (QUEUED again, after backoff), or a
   permanent error (DEAD at once). After MESSAGING_MAX_ATTEMPTS attempts it is DEAD too. Every
   attempt is a DeliveryAttempt row with the answer.
4. At least once, without doubles where the channel allows it: the message's uuid travels with
   it (the e-mail's Message-ID, Notify's `reference`, the sms gateway's Idempotency-Key). A
   message that was claimed before is a resend: the Notify channel looks its reference up first
   and does not send it again when Notify already has it.

The `claimed_until` a worker set is its claim: it renews it just before each send (a batch may
take longer than one lease; MESSAGING_CLAIM_SECONDS must exceed MESSAGING_SEND_TIMEOUT_SECONDS)
and records the outcome only while the message is still SENDING with that very lease (after a
lost lease another worker owns the message)."""

import csv
import datetime as dt
import io
import logging
import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader, PdfWriter

from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.states import SYSTEM
from eenloket.organisations.selectors import get_scope

from .channels import DeliveryError, get_channel
from .models import DeliveryAttempt, Message, MessageChannel, MessageState, PrintBatch
from .states import ADMIN, MESSAGE

logger = logging.getLogger(__name__)
S = MessageState
Result = DeliveryAttempt.Result


# ---- writing --------------------------------------------------------------------------------------
def enqueue(
    *,
    organisation,
    channel: str,
    recipient_name: str,
    to: str = "",
    subject: str = "",
    body: str = "",
    resident=None,
    representative=None,
    letter=None,
    template_key: str = "",
    language: str = "nl",
    cause_type: str = "",
    cause_id: str = "",
    fallback_reason: str = "",
    attachments: list | None = None,
    now=None,
):
    """Write one Message in state QUEUED, due now, in the caller's transaction; returns it.
    After commit the delivery task is asked to send it (never failing the caller).
    `fallback_reason` says why it is not on the resident's preferred channel."""
    if channel not in MessageChannel.values:
        raise ValidationError(_("Onbekend kanaal."), code="invalid")
    now = now or timezone.now()
    message = Message.objects.create(
        organisation=organisation,
        channel=channel,
        recipient_name=recipient_name[:200],
        to=to,
        subject=subject[:200],
        body=body,
        resident=resident,
        representative=representative,
        letter=letter,
        template_key=template_key,
        language=language,
        cause_type=cause_type,
        cause_id=cause_id,
        fallback_reason=fallback_reason[:300],
        attachments=list(attachments or []),
        state=S.QUEUED,
        next_attempt_at=now,
    )
    if channel != MessageChannel.POST:
        _deliver_after_commit(message.pk)
    return message


def _deliver_after_commit(message_id: int) -> None:
    if settings.MESSAGING_DELIVER_ON_COMMIT:
        transaction.on_commit(lambda: request_delivery(message_id))


def request_delivery(message_id: int) -> None:
    """Ask Celery to deliver one message now. Never raises: without a broker the sweep
    delivers it within its interval."""
    from .tasks import deliver  # tasks imports this module

    try:
        # No retries when the broker is down (kombu would retry for seconds, in the request).
        with deliver.app.connection_for_write(transport_options={"max_retries": 0}) as conn:
            deliver.apply_async((message_id,), retry=False, connection=conn)
    except Exception as exc:  # noqa: BLE001 - the broker is down; the sweep takes it
        # Without the traceback: rendering one costs seconds, and the reason says enough.
        logger.warning(
            "messaging.deliver not queued (%s: %s); the sweep will deliver it",
            type(exc).__name__,
            exc,
        )


# ---- delivery -------------------------------------------------------------------------------------
def due_q(now) -> Q:
    """Due now: queued and its time has come, or claimed by a worker whose lease ran out."""
    return Q(state=S.QUEUED, next_attempt_at__lte=now) | Q(state=S.SENDING, claimed_until__lt=now)


def backoff(attempts: int, *, rng=random) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: base × 2^(attempts-1), capped, with
    jitter (between half and all of it), so failed messages do not all come back together."""
    base = settings.MESSAGING_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    delay = min(base, settings.MESSAGING_RETRY_MAX_SECONDS)
    return dt.timedelta(seconds=delay * rng.uniform(0.5, 1.0))


def _claim(now, limit: int, only=None) -> list[tuple[Message, bool]]:
    """Claim up to `limit` due messages (skipping those another worker holds): SENDING with a
    lease. Returns (message, resend) pairs; `resend` when it was claimed before."""
    lease = now + dt.timedelta(seconds=settings.MESSAGING_CLAIM_SECONDS)
    claimed = []
    with transaction.atomic():
        qs = (
            Message.objects.filter(due_q(now))
            .exclude(channel=MessageChannel.POST)
            .annotate(tried=Exists(DeliveryAttempt.objects.filter(message_id=OuterRef("pk"))))
        )
        if only is not None:
            qs = qs.filter(pk__in=only)
        rows = list(
            qs.select_for_update(skip_locked=True, of=("self",)).order_by("next_attempt_at", "id")[
                :limit
            ]
        )
        for message in rows:
            resend = message.tried or message.attempts > 0 or message.state == S.SENDING
            if message.state == S.SENDING:  # its worker stopped while sending
                stopped = _("De verzending werd afgebroken (de verwerker stopte).")
                DeliveryAttempt.objects.create(
                    message=message, at=now, result=Result.TEMPORARY, detail=stopped
                )
                if message.attempts >= settings.MESSAGING_MAX_ATTEMPTS:
                    _give_up(message, stopped, now)
                    continue
            MESSAGE.check("claim", message.state, {SYSTEM})
            message.state = S.SENDING
            message.claimed_until = lease
            message.attempts += 1
            message.save(update_fields=["state", "claimed_until", "attempts", "updated_at"])
            claimed.append((message, resend))
    return claimed


def _give_up(message, reason: str, now) -> None:
    MESSAGE.check("give_up", message.state, {SYSTEM})
    message.state = S.DEAD
    message.claimed_until = None
    message.next_attempt_at = None
    message.last_error = reason
    message.save(
        update_fields=["state", "claimed_until", "next_attempt_at", "last_error", "updated_at"]
    )


def deliver_due(now=None, *, limit: int | None = None, only=None) -> int:
    """Deliver what is due (only the messages with ids in `only`, when given), a batch at a
    time, until nothing is due or `limit` messages were handled. Returns how many were tried."""
    now = now or timezone.now()
    limit = limit or settings.MESSAGING_BATCH_SIZE * 20
    done = 0
    while done < limit:
        batch = _claim(now, min(settings.MESSAGING_BATCH_SIZE, limit - done), only)
        if not batch:
            break
        for message, resend in batch:
            # A fresh lease for each send: a batch may take longer than one lease.
            if _renew(message, max(now, timezone.now())):
                deliver_claimed(message, resend=resend, now=now)
        done += len(batch)
    return done


def _renew(message, now) -> bool:
    """Extend this worker's claim just before sending (False: the claim was lost, another
    worker owns the message now, so this one leaves it alone)."""
    lease = now + dt.timedelta(seconds=settings.MESSAGING_CLAIM_SECONDS)
    renewed = Message.objects.filter(
        pk=message.pk, state=S.SENDING, claimed_until=message.claimed_until
    ).update(claimed_until=lease)
    if renewed:
        message.claimed_until = lease
    return bool(renewed)


def deliver_claimed(message, *, resend: bool, now=None) -> Message:
    """Hand one claimed message to its channel and record the answer."""
    try:
        outcome = get_channel(message).send(message, resend=resend)
    except DeliveryError as exc:
        outcome = exc
    except Exception as exc:  # noqa: BLE001 - a bug or a library error: retry, and show it
        logger.exception("sending message %s failed", message.uuid)
        outcome = DeliveryError(f"{type(exc).__name__}: {exc}")
    return _record(message, outcome, now or timezone.now())


def _record(message, outcome, now) -> Message:
    with transaction.atomic():
        current = Message.objects.select_for_update().get(pk=message.pk)
        failed = isinstance(outcome, Exception)
        detail = str(outcome) if failed else outcome.provider_id
        if failed:
            result = Result.PERMANENT if outcome.permanent else Result.TEMPORARY
        else:
            result = Result.ALREADY_SENT if outcome.already else Result.OK
        DeliveryAttempt.objects.create(message=current, at=now, result=result, detail=detail)
        if current.state != S.SENDING or current.claimed_until != message.claimed_until:
            # A receipt overtook us, or the lease ran out and another worker owns it now.
            if not failed and current.state in (S.DELIVERED, S.BOUNCED):
                current.sent_at = current.sent_at or now
                current.provider_id = current.provider_id or outcome.provider_id
                current.save(update_fields=["sent_at", "provider_id", "updated_at"])
            return current
        current.claimed_until = None
        if not failed:
            MESSAGE.check("sent", current.state, {SYSTEM})
            current.state = S.SENT
            current.sent_at = now
            current.provider_id = outcome.provider_id[:100]
            current.next_attempt_at = None
            current.last_error = ""
        elif outcome.permanent or current.attempts >= settings.MESSAGING_MAX_ATTEMPTS:
            MESSAGE.check("give_up", current.state, {SYSTEM})
            current.state = S.DEAD
            current.next_attempt_at = None
            current.last_error = detail
        else:
            MESSAGE.check("postpone", current.state, {SYSTEM})
            current.state = S.QUEUED
            current.next_attempt_at = now + backoff(current.attempts)
            current.last_error = detail
        current.save()
    return current


# ---- receipts -------------------------------------------------------------------------------------
NOTIFY_STATUSES = {
    "delivered": "delivered",
    "permanent-failure": "bounced",
    "temporary-failure": "bounced",
    "technical-failure": "bounced",
}
RECEIPT_REASONS = {
    "permanent-failure": gettext_lazy("Het adres of nummer bestaat niet of weigert het bericht."),
    "temporary-failure": gettext_lazy(
        "Het bericht kwam niet aan: de inbox was vol of de telefoon stond uit."
    ),
    "technical-failure": gettext_lazy(
        "Het bericht kwam niet aan door een technische fout bij de verzender."
    ),
}


def apply_receipt(*, reference: str = "", provider_id: str = "", status: str, at=None):
    """A delivery receipt from the channel (Notify's callback): delivered → DELIVERED, a failure
    → BOUNCED (in the dead-letter list). Returns the message (None when unknown); a receipt that
    no longer fits the state (e.g. cancelled) changes nothing."""
    action = NOTIFY_STATUSES.get(status)
    if action is None:  # created, sending, pending: nothing to record
        return _find_receipt_message(reference, provider_id, lock=False)
    at = at or timezone.now()
    with transaction.atomic():
        message = _find_receipt_message(reference, provider_id, lock=True)
        if message is None:
            return None
        row = MESSAGE.row_for(action, message.state, {SYSTEM})
        if row is None:
            return message
        message.state = row.target
        message.provider_id = message.provider_id or provider_id[:100]
        if action == "delivered":
            message.delivered_at = at
        else:
            reason = str(RECEIPT_REASONS[status])
            message.last_error = f"{reason} (NotifyNL: {status})"
        message.save()
    return message


def _find_receipt_message(reference, provider_id, *, lock):
    qs = Message.objects.select_for_update() if lock else Message.objects.all()
    if reference:
        try:
            found = qs.filter(uuid=reference).first()
        except ValidationError:
            found = None
        if found is not None:
            return found
    if provider_id:
        return qs.filter(provider_id=provider_id).first()
    return None


# ---- the functional admin: dead letters -----------------------------------------------------------
def parties(user, message) -> set[str]:
    scope = get_scope(user)
    return {ADMIN} if permissions.is_functional_admin(scope, message.organisation_id) else set()


def _locked(message) -> Message:
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("organisation", "resident")
        .get(pk=message.pk)
    )


def _log(user, message, via):
    if message.resident_id:
        log_access(
            user=user,
            organisation_code=message.organisation.code,
            residents=[message.resident],
            activity=Activity.MESSAGE_MANAGE,
            action=Action.UPDATE,
            channel=via,
            object_type="message",
            object_id=str(message.uuid),
        )


def retry(*, user, message, now=None, via: str = "ui") -> Message:
    """A dead (or bounced) message back in the queue, due now, with a fresh set of attempts."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(message)
        MESSAGE.check("retry", current.state, parties(user, current))
        current.state = S.QUEUED
        current.attempts = 0
        current.next_attempt_at = now
        current.claimed_until = None
        current.save()
        _log(user, current, via)
        if current.channel != MessageChannel.POST:
            _deliver_after_commit(current.pk)
    return current


def cancel(*, user, message, now=None, via: str = "ui") -> Message:
    """Not sent after all (queued, dead or bounced)."""
    with transaction.atomic():
        current = _locked(message)
        MESSAGE.check("cancel", current.state, parties(user, current))
        current.state = S.CANCELLED
        current.next_attempt_at = None
        current.claimed_until = None
        current.save()
        _log(user, current, via)
    return current


# ---- post: print batches --------------------------------------------------------------------------
MANIFEST_HEADER = [
    "bericht",
    "naam",
    "adresregel_1",
    "adresregel_2",
    "adresregel_3",
    "adresregel_4",
    "paginas",
    "organisatie",
]


def export_print_batch(*, user, organisation, now=None) -> PrintBatch:
    """Every queued letter of `organisation` into one print batch: one PDF with all letters (in
    order) and a CSV manifest (message, name, address lines, pages, organisation). The messages
    go to PRINTING. A ValidationError when no letter waits."""
    now = now or timezone.now()
    permissions.require(permissions.is_functional_admin, get_scope(user), organisation)
    with transaction.atomic():
        messages = list(
            Message.objects.filter(
                organisation=organisation,
                channel=MessageChannel.POST,
                state=S.QUEUED,
                letter__isnull=False,
            )
            .select_related("letter")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("created_at", "id")
        )
        if not messages:
            raise ValidationError(
                _("Er staan geen brieven klaar voor de drukker."), code="nothing_to_print"
            )
        writer = PdfWriter()
        out = io.StringIO()
        manifest = csv.writer(out, lineterminator="\n")
        manifest.writerow(MANIFEST_HEADER)
        for message in messages:
            MESSAGE.check("export", message.state, {ADMIN})
            reader = PdfReader(io.BytesIO(bytes(message.letter.pdf)))
            for page in reader.pages:
                writer.add_page(page)
            lines = [*list(message.letter.address_lines)[:4], "", "", "", ""][:4]
            manifest.writerow(
                [
                    str(message.uuid),
                    message.letter.recipient_name or message.recipient_name,
                    *lines,
                    len(reader.pages),
                    organisation.name,
                ]
            )
        pdf = io.BytesIO()
        writer.write(pdf)
        batch = PrintBatch.objects.create(
            organisation=organisation,
            created_at=now,
            created_by=user,
            letter_count=len(messages),
            pdf=pdf.getvalue(),
            manifest=out.getvalue(),
        )
        Message.objects.filter(pk__in=[m.pk for m in messages]).update(
            state=S.PRINTING, print_batch=batch, next_attempt_at=None, updated_at=now
        )
        _log_batch(user, organisation, messages, batch)
    return batch


def _log_batch(user, organisation, messages, batch):
    log_access(
        user=user,
        organisation_code=organisation.code,
        residents=[m.letter.resident for m in messages if m.letter_id],
        activity=Activity.MESSAGE_MANAGE,
        action=Action.CREATE,
        channel="ui",
        object_type="print-batch",
        object_id=str(batch.uuid),
    )


def mark_batch_sent(*, user, batch, now=None) -> PrintBatch:
    """The print shop has the batch: its letters are SENT."""
    now = now or timezone.now()
    permissions.require(permissions.is_functional_admin, get_scope(user), batch.organisation_id)
    with transaction.atomic():
        batch = PrintBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.sent_at is not None:
            raise ValidationError(
                _("Deze batch is al als verstuurd gemarkeerd."), code="invalid_transition"
            )
        messages = list(batch.messages.select_for_update())
        for message in messages:
            MESSAGE.check("mark_sent", message.state, {ADMIN})
        batch.messages.update(state=S.SENT, sent_at=now, updated_at=now)
        batch.sent_at = now
        batch.sent_by = user
        batch.save(update_fields=["sent_at", "sent_by"])
    return batch
