"""The outbox against a real SMTP server (aiosmtpd on a real socket): refusals and retries with
backoff, permanent refusals, the maximum number of attempts, the dead-letter list's retry and
cancel, a stable Message-ID, and delivery after commit (also when the broker is down)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from eenloket.messaging import outbox
from eenloket.messaging.models import DeliveryAttempt, Message, MessageState

from .conftest import make_message

S = MessageState
T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.usefixtures("manual_delivery")


def results(message):
    return list(DeliveryAttempt.objects.filter(message=message).values_list("result", flat=True))


@pytest.mark.django_db
def test_refused_then_accepted_every_message_once_with_stable_message_id(enschede, smtp_server):
    with time_machine.travel(T0, tick=False) as clock:
        messages = [make_message(enschede, n) for n in range(3)]
        smtp_server.refuse_next(4)  # 451 for the first four DATA commands
        assert outbox.deliver_due() == 3  # all three refused
        assert smtp_server.received == []
        for m in messages:
            m.refresh_from_db()
            assert m.state == S.QUEUED and m.attempts == 1
            assert "451" in m.last_error
            # backoff with jitter: between half and all of the base delay (60 s)
            assert (
                T0 + dt.timedelta(seconds=30) <= m.next_attempt_at <= T0 + dt.timedelta(seconds=60)
            )
        clock.shift(dt.timedelta(seconds=29))
        assert outbox.deliver_due() == 0  # nothing due before the backoff
        clock.shift(dt.timedelta(seconds=31))
        assert outbox.deliver_due() == 3  # one refused (the 4th 451), two accepted
        clock.shift(dt.timedelta(minutes=5))
        assert outbox.deliver_due() == 1
        assert outbox.deliver_due() == 0

    ids = smtp_server.message_ids()
    assert sorted(ids) == sorted(f"<{m.uuid}@eenloket.nl>" for m in messages)  # each once
    for m in messages:
        m.refresh_from_db()
        assert m.state == S.SENT and m.sent_at is not None and m.last_error == ""
        assert m.provider_id == f"<{m.uuid}@eenloket.nl>"
    assert sum(len(results(m)) for m in messages) == 7  # 4 refused + 3 accepted, all logged
    mail = smtp_server.received[0]
    assert mail["Subject"].startswith("Uw terugbelverzoek")
    text = mail.get_payload(0).get_payload(decode=True).decode()
    assert "https://www.enschede.nl/terugbellen?n=" in text  # the link kept as it is
    html = mail.get_payload(1).get_payload(decode=True).decode()
    assert '<a href="https://www.enschede.nl/terugbellen?n=' in html


@pytest.mark.django_db
def test_backoff_doubles_per_attempt_and_is_capped(settings):
    settings.MESSAGING_RETRY_BASE_SECONDS = 60
    settings.MESSAGING_RETRY_MAX_SECONDS = 600

    class Top:
        @staticmethod
        def uniform(a, b):
            return b

    class Bottom:
        @staticmethod
        def uniform(a, b):
            return a

    assert [outbox.backoff(n, rng=Top).total_seconds() for n in range(1, 6)] == [
        60,
        120,
        240,
        480,
        600,
    ]
    assert outbox.backoff(3, rng=Bottom).total_seconds() == 120


@pytest.mark.django_db
def test_permanent_refusal_goes_to_dead_letters_at_once(enschede, smtp_server):
    message = make_message(enschede)
    smtp_server.refuse_next(1, "550 5.1.1 Mailbox bestaat niet", at="rcpt")
    outbox.deliver_due()
    message.refresh_from_db()
    assert message.state == S.DEAD and message.attempts == 1
    assert "550" in message.last_error
    assert results(message) == [DeliveryAttempt.Result.PERMANENT]
    assert outbox.deliver_due() == 0
    assert smtp_server.received == []


@pytest.mark.django_db
def test_data_refused_permanently(enschede, smtp_server):
    message = make_message(enschede)
    smtp_server.refuse_next(1, "554 5.7.1 Geweigerd")
    outbox.deliver_due()
    message.refresh_from_db()
    assert message.state == S.DEAD and "554" in message.last_error


@pytest.mark.django_db
def test_max_attempts_then_dead_then_retry_delivers(
    enschede, smtp_server, admin_enschede, settings
):
    settings.MESSAGING_MAX_ATTEMPTS = 3
    message = make_message(enschede)
    smtp_server.refuse_next(3, "421 4.7.0 Even niet", at="rcpt")
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(3):
            assert outbox.deliver_due() == 1
            clock.shift(dt.timedelta(hours=2))
        message.refresh_from_db()
        assert message.state == S.DEAD and message.attempts == 3
        assert "421" in message.last_error
        assert results(message) == [DeliveryAttempt.Result.TEMPORARY] * 3
        assert outbox.deliver_due() == 0

        outbox.retry(user=admin_enschede, message=message)
        message.refresh_from_db()
        assert message.state == S.QUEUED and message.attempts == 0
        assert outbox.deliver_due() == 1
    message.refresh_from_db()
    assert message.state == S.SENT
    assert smtp_server.message_ids() == [f"<{message.uuid}@eenloket.nl>"]


@pytest.mark.django_db
def test_cancel_and_wrong_state(enschede, smtp_server, admin_enschede, admin_maastricht):
    message = make_message(enschede)
    with pytest.raises(PermissionDenied):
        outbox.cancel(user=admin_maastricht, message=message)
    with pytest.raises(ValidationError) as refused:
        outbox.retry(user=admin_enschede, message=message)  # queued: nothing to retry
    assert refused.value.code == "invalid_transition"
    outbox.cancel(user=admin_enschede, message=message)
    message.refresh_from_db()
    assert message.state == S.CANCELLED
    assert outbox.deliver_due() == 0
    assert smtp_server.received == []
    with pytest.raises(ValidationError):
        outbox.cancel(user=admin_enschede, message=message)


@pytest.mark.django_db
def test_unreachable_mail_server_is_temporary(enschede, settings, smtp_server):
    settings.EMAIL_PORT = 1  # nothing listens there
    message = make_message(enschede)
    outbox.deliver_due()
    message.refresh_from_db()
    assert message.state == S.QUEUED and message.attempts == 1
    assert message.last_error.startswith("De mailserver is niet bereikbaar")


@pytest.mark.django_db
def test_no_address_is_permanent(enschede, smtp_server):
    message = make_message(enschede, to="")
    outbox.deliver_due()
    message.refresh_from_db()
    assert message.state == S.DEAD and message.last_error == "Er is geen e-mailadres."


@pytest.mark.django_db(transaction=True)
def test_delivered_after_commit_not_before(enschede, smtp_server, settings):
    settings.MESSAGING_DELIVER_ON_COMMIT = True  # the Celery task, eager in the tests
    with transaction.atomic():
        message = make_message(enschede)
        assert smtp_server.received == []  # nothing leaves before the commit
    message.refresh_from_db()
    assert message.state == S.SENT
    assert smtp_server.message_ids() == [f"<{message.uuid}@eenloket.nl>"]

    with pytest.raises(RuntimeError), transaction.atomic():
        make_message(enschede, 2)
        raise RuntimeError("the change that caused it fails")
    assert Message.objects.count() == 1  # rolled back together: nothing sent
    assert len(smtp_server.received) == 1


@pytest.mark.django_db(transaction=True)
def test_broker_down_never_fails_the_caller_and_the_sweep_delivers(enschede, smtp_server, settings):
    from eenloket.conf.celery import app
    from eenloket.core.sweeps import registry

    settings.MESSAGING_DELIVER_ON_COMMIT = True
    old = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        with transaction.atomic():
            message = make_message(enschede)  # publishing fails: logged, not raised
    finally:
        app.conf.task_always_eager, app.conf.broker_url = old
    message.refresh_from_db()
    assert message.state == S.QUEUED and smtp_server.received == []
    assert registry()["messaging.deliver_due"].function() == 1
    message.refresh_from_db()
    assert message.state == S.SENT


@pytest.mark.django_db
def test_a_worker_that_lost_its_lease_leaves_the_message_alone(enschede, smtp_server, settings):
    message = make_message(enschede)
    [(slow, _resend)] = outbox._claim(T0, 10)  # worker A claims it, then stalls
    later = T0 + dt.timedelta(seconds=settings.MESSAGING_CLAIM_SECONDS + 1)
    assert outbox.deliver_due(later) == 1  # worker B takes over after the lease
    assert not outbox._renew(slow, later)  # A wakes up: its claim is gone, it does not send
    outbox.deliver_claimed(slow, resend=False, now=later)  # even if it did: B's outcome stays
    message.refresh_from_db()
    assert message.state == S.SENT and message.attempts == 2
    assert len(smtp_server.received) == 2  # (A's late send is the one SMTP cannot suppress)
    assert [a.result for a in message.delivery_attempts.all()] == [
        DeliveryAttempt.Result.TEMPORARY,  # A's claim, logged as broken off by B
        DeliveryAttempt.Result.OK,  # B
        DeliveryAttempt.Result.OK,  # A, recorded, state unchanged
    ]


@pytest.mark.django_db
def test_the_task_delivers_only_its_own_message(enschede, smtp_server):
    from eenloket.messaging.tasks import deliver

    mine, other = make_message(enschede, 1), make_message(enschede, 2)
    assert deliver(mine.pk) == 1
    assert deliver(mine.pk) == 0  # already sent: nothing to do
    assert smtp_server.message_ids() == [f"<{mine.uuid}@eenloket.nl>"]
    other.refresh_from_db()
    assert other.state == S.QUEUED
