"""Nothing lost, nothing doubled: a worker killed (SIGKILL) in the middle of a batch, against a
real SMTP server and against the Notify fake; two workers delivering at the same moment."""

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from eenloket.messaging import outbox
from eenloket.messaging.models import DeliveryAttempt, Message, MessageState

from ..concurrency import race
from .conftest import make_message

S = MessageState
ROOT = Path(__file__).resolve().parents[2]
WORKER = """
import django
django.setup()
from eenloket.messaging import outbox
outbox.deliver_due()
"""

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("manual_delivery"),
]


def start_worker(settings, **env):
    """A delivery worker in its own process, on the test database."""
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eenloket.conf.settings.test",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MESSAGING_CLAIM_SECONDS": str(settings.MESSAGING_CLAIM_SECONDS),
        "MESSAGING_DELIVER_ON_COMMIT": "0",
        "LOG_LEVEL": "ERROR",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill(worker):
    os.kill(worker.pid, signal.SIGKILL)
    assert worker.wait(timeout=10) == -signal.SIGKILL


def after_the_lease(settings):
    return timezone.now() + dt.timedelta(seconds=settings.MESSAGING_CLAIM_SECONDS + 1)


@pytest.mark.slow  # a Django process of its own: about 6 s
def test_worker_killed_mid_batch_smtp(enschede, smtp_server, settings):
    messages = [make_message(enschede, n) for n in range(5)]
    smtp_server.hold_next(after=1)  # the second message hangs at DATA
    worker = start_worker(
        settings,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
        MESSAGING_EMAIL_VIA="smtp",
    )
    try:
        assert smtp_server.held.wait(timeout=30), worker.stderr.read1().decode()
        kill(worker)
    finally:
        smtp_server.release()  # the server had the held message: it counts as received
    states = Counter(Message.objects.values_list("state", flat=True))
    assert states == {S.SENT: 1, S.SENDING: 4}  # the rest was claimed: nobody else takes it

    assert outbox.deliver_due() == 0  # the lease still holds
    assert outbox.deliver_due(after_the_lease(settings)) == 4

    ids = Counter(smtp_server.message_ids())
    assert set(ids) == {f"<{m.uuid}@eenloket.nl>" for m in messages}  # every message arrived
    repeated = [mid for mid, n in ids.items() if n > 1]
    assert repeated in ([], [f"<{messages[1].uuid}@eenloket.nl>"])  # at most the one in flight
    assert set(Message.objects.values_list("state", flat=True)) == {S.SENT}
    broken = DeliveryAttempt.objects.filter(detail__contains="afgebroken").count()
    assert broken == 4  # the lost claims are logged


@pytest.mark.slow
def test_worker_killed_mid_batch_notify_never_repeats(enschede, notify_fake, settings):
    messages = [make_message(enschede, n) for n in range(5)]
    notify_fake.hang_next(1, seconds=60, record=True, after=1)  # Notify took #2, no answer
    worker = start_worker(
        settings,
        MESSAGING_EMAIL_VIA="notify",
        NOTIFY_BASE_URL=notify_fake.base_url,
        NOTIFY_API_KEY=notify_fake.api_key,
        NOTIFY_EMAIL_TEMPLATE_ID=settings.NOTIFY_EMAIL_TEMPLATE_ID,
        MESSAGING_SEND_TIMEOUT_SECONDS="60",
    )
    try:
        assert notify_fake.hanging.wait(timeout=30), worker.stderr.read1().decode()
        kill(worker)
    finally:
        notify_fake.release()
    assert outbox.deliver_due(after_the_lease(settings)) == 4

    references = Counter(n["reference"] for n in notify_fake.sent())
    assert references == Counter(str(m.uuid) for m in messages)  # each exactly once
    assert len(notify_fake.sends()) == 5  # and #2 was not even posted again
    second = Message.objects.get(pk=messages[1].pk)
    assert second.state == S.SENT
    assert list(second.delivery_attempts.values_list("result", flat=True)) == [
        DeliveryAttempt.Result.TEMPORARY,
        DeliveryAttempt.Result.ALREADY_SENT,
    ]


def test_two_workers_at_once_never_send_the_same_message(enschede, smtp_server, settings):
    settings.MESSAGING_BATCH_SIZE = 3  # small batches: the workers take turns
    messages = [make_message(enschede, n) for n in range(12)]
    results = race([outbox.deliver_due, outbox.deliver_due])
    assert all(kind == "ok" for kind, _ in results), results
    assert sum(count for _, count in results) == 12
    ids = smtp_server.message_ids()
    assert sorted(ids) == sorted(f"<{m.uuid}@eenloket.nl>" for m in messages)  # no doubles
    assert Message.objects.filter(attempts=1, state=S.SENT).count() == 12


def test_a_message_held_by_another_worker_is_skipped_not_waited_for(enschede, smtp_server):
    from django.db import transaction

    held, free = make_message(enschede, 1), make_message(enschede, 2)
    with transaction.atomic():
        Message.objects.select_for_update().get(pk=held.pk)  # another worker has it
        [(kind, count)] = race([outbox.deliver_due])
    assert (kind, count) == ("ok", 1)
    assert smtp_server.message_ids() == [f"<{free.uuid}@eenloket.nl>"]
    assert outbox.deliver_due() == 1  # released: now it goes
