"""NotifyNL (GOV.UK Notify-compatible) through `notifications-python-client`: e-mail and sms by
template id, with the subject and text as personalisation (`((subject))`, `((body))` in the
template at Notify).

Every notification carries `reference=<message uuid>`. Before a resend of a message that was
claimed before, the reference is looked up (`get_all_notifications(reference=…)`): when Notify
already has it, the message counts as sent with that id, and is not sent again.

Errors: a 4xx answer (bad key, bad address, unknown template) is permanent, except 429 (too many
requests); a 5xx answer, a timeout or no connection is temporary."""

import os

from django.conf import settings
from django.utils.translation import gettext as _
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from .base import Channel, PermanentError, Sent, TemporaryError


def _error(exc: APIError) -> Exception:
    code = exc.status_code
    text = f"NotifyNL {code}: {exc.message}"
    if 400 <= code < 500 and code != 429:
        return PermanentError(text)
    return TemporaryError(text)


class NotifyChannel(Channel):
    name = "notify"

    def __init__(self, *, kind: str, base_url: str, api_key_env: str, template_id: str):
        self.kind = kind  # "email" or "sms"
        self.base_url = base_url or settings.NOTIFY_BASE_URL
        self.api_key_env = api_key_env
        self.template_id = template_id

    def api_key(self) -> str:
        if self.api_key_env:
            return os.environ.get(self.api_key_env, "")
        return settings.NOTIFY_API_KEY

    def client(self) -> NotificationsAPIClient:
        key = self.api_key()
        if len(key) < 74 or not self.base_url:
            raise PermanentError(
                _("NotifyNL is niet ingesteld: de API-sleutel of het adres ontbreekt.")
            )
        return NotificationsAPIClient(
            key, base_url=self.base_url, timeout=settings.MESSAGING_SEND_TIMEOUT_SECONDS
        )

    def find(self, client, message) -> dict | None:
        """The notification Notify already has for this message, if any."""
        try:
            found = client.get_all_notifications(reference=str(message.uuid))
        except APIError as exc:
            raise TemporaryError(
                _("NotifyNL kon niet zeggen of het bericht al verstuurd is: %(error)s")
                % {"error": exc}
            ) from exc
        notifications = (found or {}).get("notifications") or []
        return notifications[0] if notifications else None

    def send(self, message, *, resend: bool = False) -> Sent:
        if not self.template_id:
            raise PermanentError(_("NotifyNL is niet ingesteld: het sjabloon-id ontbreekt."))
        if not message.to:
            raise PermanentError(_("Er is geen adres of telefoonnummer."))
        client = self.client()
        if resend:
            known = self.find(client, message)
            if known is not None:
                return Sent(provider_id=str(known.get("id", "")), already=True)
        reference = str(message.uuid)
        try:
            if self.kind == "sms":
                answer = client.send_sms_notification(
                    phone_number=message.to,
                    template_id=self.template_id,
                    personalisation={"body": message.body},
                    reference=reference,
                )
            else:
                answer = client.send_email_notification(
                    email_address=message.to,
                    template_id=self.template_id,
                    personalisation={"subject": message.subject, "body": message.body},
                    reference=reference,
                )
        except APIError as exc:
            raise _error(exc) from exc
        return Sent(provider_id=str((answer or {}).get("id", "")))
