"""Fixtures of the messaging tests: functional admins, a real SMTP server (aiosmtpd) that can
refuse or hold messages, the NotifyNL fake over a real socket, and letters with a small PDF."""

import asyncio
import socket
import threading
from collections import deque
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from eenloket.core.roles import Role
from eenloket.devtools.notify_fake import NotifyFake
from eenloket.messaging import outbox
from eenloket.messaging.models import Letter, LetterTemplate, LetterTemplateVersion

from ..factories import ResidentFactory, staff


# ---- people ---------------------------------------------------------------------------------------
@pytest.fixture
def admin_enschede(enschede):
    return staff(enschede, Role.FUNCTIONEEL_BEHEERDER, username="beheer.berichten.enschede")


@pytest.fixture
def admin_maastricht(maastricht):
    return staff(maastricht, Role.FUNCTIONEEL_BEHEERDER, username="beheer.berichten.maastricht")


@pytest.fixture
def manual_delivery(settings):
    """No delivery task after commit: the test runs the delivery itself."""
    settings.MESSAGING_DELIVER_ON_COMMIT = False
    settings.MESSAGING_MAX_ATTEMPTS = 5
    settings.MESSAGING_RETRY_BASE_SECONDS = 60
    settings.MESSAGING_RETRY_MAX_SECONDS = 3600
    settings.MESSAGING_CLAIM_SECONDS = 120


def make_message(organisation, n=0, **kwargs):
    values = {
        "organisation": organisation,
        "channel": "email",
        "recipient_name": f"Inwoner {n}",
        "to": f"inwoner{n}@example.org",
        "subject": f"Uw terugbelverzoek {n}",
        "body": f"Wij bellen u terug. Meer: https://www.enschede.nl/terugbellen?n={n}",
    }
    values.update(kwargs)
    return outbox.enqueue(**values)


# ---- a real SMTP server ----------------------------------------------------------------------------
class SmtpHandler:
    """aiosmtpd handler: answers RCPT and DATA from a programmed queue of replies (e.g. "451 …",
    "550 …"), else accepts. `hold_next()` keeps the next DATA waiting until `release()`.
    `received` lists the accepted messages (email.message.Message) in order."""

    def __init__(self):
        self.rcpt_replies = deque()
        self.data_replies = deque()
        self.received = []
        self.held = threading.Event()  # set while a DATA is being held
        self._hold_at = None
        self._release = threading.Event()
        self.lock = threading.Lock()

    def refuse_next(self, n, reply="451 4.3.0 Probeer het later opnieuw", at="data"):
        target = self.data_replies if at == "data" else self.rcpt_replies
        target.extend([reply] * n)

    def hold_next(self, after: int = 0):
        """Hold the DATA of the message after `after` accepted ones until `release()`."""
        self._hold_at = len(self.received) + after + 1

    def release(self):
        self._release.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.rcpt_replies:
            return self.rcpt_replies.popleft()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.data_replies:
            return self.data_replies.popleft()
        if self._hold_at is not None and len(self.received) + 1 == self._hold_at:
            self._hold_at = None
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self._release.wait, 30)
        with self.lock:
            self.received.append(message_from_bytes(envelope.content))
        return "250 OK"

    def message_ids(self):
        with self.lock:
            return [m["Message-ID"] for m in self.received]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    handler = SmtpHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.MESSAGING_EMAIL_VIA = "smtp"
    handler.port = settings.EMAIL_PORT
    yield handler
    handler.release()
    controller.stop()


# ---- the NotifyNL fake ------------------------------------------------------------------------------
NOTIFY_EMAIL_TEMPLATE = "6f1a2b3c-0000-4000-8000-000000000001"
NOTIFY_SMS_TEMPLATE = "6f1a2b3c-0000-4000-8000-000000000002"


@pytest.fixture
def notify_fake(settings):
    fake = NotifyFake().start()
    settings.NOTIFY_BASE_URL = fake.base_url
    settings.NOTIFY_API_KEY = fake.api_key
    settings.NOTIFY_EMAIL_TEMPLATE_ID = NOTIFY_EMAIL_TEMPLATE
    settings.NOTIFY_SMS_TEMPLATE_ID = NOTIFY_SMS_TEMPLATE
    settings.MESSAGING_EMAIL_VIA = "notify"
    settings.MESSAGING_SMS_VIA = "notify"
    settings.MESSAGING_SEND_TIMEOUT_SECONDS = 1
    yield fake
    fake.stop()


# ---- letters (post) ------------------------------------------------------------------------------
_PDF_CACHE = {}


def small_pdf(text: str, pages: int = 1) -> bytes:
    key = (text, pages)
    if key not in _PDF_CACHE:
        from weasyprint import HTML

        body = "".join(
            f'<p style="break-after: page">{text} – blad {i + 1}</p>' for i in range(pages)
        )
        _PDF_CACHE[key] = HTML(string=f"<html lang='nl'><body>{body}</body></html>").write_pdf()
    return _PDF_CACHE[key]


def make_letter(organisation, resident=None, *, pages=1, subject="Uw terugbelverzoek"):
    resident = resident or ResidentFactory(
        given_names="Fatima",
        surname="de Vries",
        street="Oude Markt",
        house_number=12,
        postcode="7511GB",
        city="Enschede",
    )
    template, _ = LetterTemplate.objects.get_or_create(
        key="terugbelverzoek-test",
        language="nl",
        organisation=None,
        defaults={"name": "Terugbelverzoek", "subject": subject, "body": "Wij bellen u."},
    )
    version, _ = LetterTemplateVersion.objects.get_or_create(
        template=template, number=1, defaults={"subject": subject, "body": "Wij bellen u."}
    )
    name = f"{resident.given_names} {resident.surname}"
    return Letter.objects.create(
        organisation=organisation,
        resident=resident,
        template_version=version,
        recipient_name=name,
        address_lines=[name, "Oude Markt 12", "7511 GB  ENSCHEDE"],
        subject=subject,
        body="Wij bellen u terug.",
        contact_name="Sanne Bakker",
        contact_phone="+31534811234",
        pdf=small_pdf(f"Brief aan {name}", pages),
        created_at=timezone.now(),
    )


def make_post_message(organisation, **kwargs):
    letter = make_letter(organisation, **kwargs)
    return outbox.enqueue(
        organisation=organisation,
        channel="post",
        recipient_name=letter.recipient_name,
        subject=letter.subject,
        body=letter.body,
        resident=letter.resident,
        letter=letter,
    )


# ---- letters (H2): fixtures in letters_support.py --------------------------------------------------
from .letters_support import (  # noqa: E402, F401
    consultant,
    income_team,
    letter_admin,
    resident_fixture,
    town_hall,
)
