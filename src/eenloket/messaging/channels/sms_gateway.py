"""A plain SMS gateway: `POST <url>` with JSON `{"to", "text", "reference"}` and the header
`Idempotency-Key: <message uuid>` (the same on every attempt, so the gateway can drop a resend).
`Authorization: Bearer <token>` when SMS_GATEWAY_TOKEN is set. 2xx: taken (`id` in the answer
when the gateway gives one); 4xx (except 429): permanent; 5xx, 429, timeout, no connection:
temporary."""

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from .base import Channel, PermanentError, Sent, TemporaryError


class SmsGatewayChannel(Channel):
    name = "sms_gateway"

    def __init__(self, url: str = ""):
        self.url = url or settings.SMS_GATEWAY_URL

    def send(self, message, *, resend: bool = False) -> Sent:
        if not self.url:
            raise PermanentError(_("De sms-gateway is niet ingesteld: het adres ontbreekt."))
        if not message.to:
            raise PermanentError(_("Er is geen telefoonnummer."))
        headers = {"Idempotency-Key": str(message.uuid)}
        if settings.SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
        try:
            response = requests.post(
                self.url,
                json={"to": message.to, "text": message.body, "reference": str(message.uuid)},
                headers=headers,
                timeout=settings.MESSAGING_SEND_TIMEOUT_SECONDS,
            )
        except requests.RequestException as exc:
            raise TemporaryError(
                _("De sms-gateway is niet bereikbaar: %(error)s") % {"error": type(exc).__name__}
            ) from exc
        text = f"sms-gateway {response.status_code}: {response.text[:200]}"
        if 400 <= response.status_code < 500 and response.status_code != 429:
            raise PermanentError(text)
        if not response.ok:
            raise TemporaryError(text)
        try:
            provider_id = str(response.json().get("id", ""))
        except (ValueError, AttributeError):
            provider_id = ""
        return Sent(provider_id=provider_id)
