"""E-mail through Django's mail backends (SMTP in production: EMAIL_HOST, EMAIL_PORT, …).

Every e-mail carries `Message-ID: <message uuid@MESSAGING_MESSAGE_ID_DOMAIN>`, the same on every
attempt, so a mail server or the resident's mail program recognises a resend after a crash. The
text keeps its links as they are; an HTML part shows the same text with the links clickable."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.html import linebreaks, urlize
from django.utils.translation import gettext as _

from .base import Channel, PermanentError, Sent, TemporaryError


def message_id(message) -> str:
    return f"<{message.uuid}@{settings.MESSAGING_MESSAGE_ID_DOMAIN}>"


def html_body(text: str) -> str:
    """The text as HTML: everything escaped, links clickable, paragraphs kept."""
    return linebreaks(urlize(text, autoescape=True), autoescape=False)


def _smtp_error(code: int, detail) -> Exception:
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    text = f"SMTP {code}: {detail}"
    return PermanentError(text) if 500 <= code < 600 else TemporaryError(text)


class EmailChannel(Channel):
    name = "email_smtp"

    def __init__(self, from_email: str = ""):
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL

    def build(self, message) -> EmailMultiAlternatives:
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=self.from_email,
            to=[message.to],
            headers={"Message-ID": message_id(message)},
        )
        mail.attach_alternative(html_body(message.body), "text/html")
        for item in message.attachments or ():
            mail.attach(item["filename"], item["content"], item.get("mimetype") or "text/plain")
        return mail

    def send(self, message, *, resend: bool = False) -> Sent:
        if not message.to:
            raise PermanentError(_("Er is geen e-mailadres."))
        connection = get_connection(timeout=settings.MESSAGING_SEND_TIMEOUT_SECONDS)
        try:
            connection.send_messages([self.build(message)])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _detail in exc.recipients.values()]
            detail = "; ".join(
                f"{to}: {code} {d.decode('utf-8', 'replace') if isinstance(d, bytes) else d}"
                for to, (code, d) in exc.recipients.items()
            )
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentError(f"SMTP {detail}") from exc
            raise TemporaryError(f"SMTP {detail}") from exc
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, 421 …
            raise _smtp_error(exc.smtp_code, exc.smtp_error) from exc
        except (smtplib.SMTPException, OSError) as exc:  # OSError: refused, timeout
            raise TemporaryError(
                _("De mailserver is niet bereikbaar: %(error)s")
                % {"error": exc or type(exc).__name__}
            ) from exc
        return Sent(provider_id=message_id(message))
