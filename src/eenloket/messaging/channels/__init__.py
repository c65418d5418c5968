"""The channels behind one interface: `get_channel(message).send(message, resend=…)`.

Which channel takes a message follows its `channel` and the organisation's `ChannelSettings`
(defaults from settings when the organisation has none: MESSAGING_EMAIL_VIA, MESSAGING_SMS_VIA):

| message channel | ChannelSettings                | channel                              |
|-----------------|--------------------------------|--------------------------------------|
| email           | email_via = smtp               | `email_smtp` (Django mail backends)   |
| email           | email_via = notify             | `notify` (NotifyNL, e-mail template)  |
| sms             | sms_via = notify               | `notify` (NotifyNL, sms template)     |
| sms             | sms_via = gateway              | `sms_gateway` (HTTP JSON POST)        |
| sms             | sms_via = geen                 | none: permanent error (dead letter)   |
| portaal         | as e-mail                      | there is no portal yet: the message goes to the e-mail address in `to` |
| post            | –                              | `post` (print batches, never sent by the sweep) |
"""

from django.conf import settings
from django.utils.translation import gettext as _

from ..models import ChannelSettings, MessageChannel
from .base import Channel, DeliveryError, PermanentError, Sent, TemporaryError
from .email import EmailChannel
from .notify import NotifyChannel
from .post import PostChannel
from .sms_gateway import SmsGatewayChannel

__all__ = [
    "Channel",
    "DeliveryError",
    "PermanentError",
    "Sent",
    "TemporaryError",
    "get_channel",
    "settings_for",
]


class _Unavailable(Channel):
    name = "none"

    def __init__(self, reason):
        self.reason = reason

    def send(self, message, *, resend: bool = False) -> Sent:
        raise PermanentError(self.reason)


def settings_for(organisation_id) -> ChannelSettings:
    """The organisation's channel settings, or the defaults from settings (not saved)."""
    found = ChannelSettings.objects.filter(organisation_id=organisation_id).first()
    if found is not None:
        return found
    return ChannelSettings(
        organisation_id=organisation_id,
        email_via=settings.MESSAGING_EMAIL_VIA,
        sms_via=settings.MESSAGING_SMS_VIA,
        notify_email_template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
        notify_sms_template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
    )


def get_channel(message, channel_settings: ChannelSettings | None = None) -> Channel:
    cs = channel_settings or settings_for(message.organisation_id)
    kind = message.channel
    if kind == MessageChannel.POST:
        return PostChannel()
    if kind in (MessageChannel.EMAIL, MessageChannel.PORTAL):
        if cs.email_via == ChannelSettings.EmailVia.NOTIFY:
            return NotifyChannel(
                kind="email",
                base_url=cs.notify_base_url,
                api_key_env=cs.notify_api_key_env,
                template_id=cs.notify_email_template_id or settings.NOTIFY_EMAIL_TEMPLATE_ID,
            )
        return EmailChannel(from_email=cs.from_email)
    if kind == MessageChannel.SMS:
        if cs.sms_via == ChannelSettings.SmsVia.NOTIFY:
            return NotifyChannel(
                kind="sms",
                base_url=cs.notify_base_url,
                api_key_env=cs.notify_api_key_env,
                template_id=cs.notify_sms_template_id or settings.NOTIFY_SMS_TEMPLATE_ID,
            )
        if cs.sms_via == ChannelSettings.SmsVia.GATEWAY:
            return SmsGatewayChannel(url=cs.sms_gateway_url)
        return _Unavailable(_("Deze organisatie verstuurt geen sms: stel een sms-kanaal in."))
    return _Unavailable(_("Onbekend kanaal."))
