"""What every channel offers the outbox: `send(message, resend=...)` → `Sent`, or an error that
says whether trying again later may help (`TemporaryError`) or not (`PermanentError`)."""

from dataclasses import dataclass


class DeliveryError(Exception):
    """The channel did not take the message. `str(error)` is the reason the functional admin
    reads in the dead-letter list (Dutch where it is ours, the channel's own words otherwise)."""

    permanent = False


class TemporaryError(DeliveryError):
    """Try again later: the server was busy, refused for now (4xx in SMTP), answered 5xx, timed
    out, or could not be reached."""


class PermanentError(DeliveryError):
    """Trying again will not help: the recipient or the request was refused (5xx in SMTP, 4xx
    from Notify or the gateway), or the channel is not set up."""

    permanent = True


@dataclass(frozen=True)
class Sent:
    """The channel took the message. `provider_id`: its id there (for receipts); `already`: it
    had been taken before (found by its reference), so it was not sent again."""

    provider_id: str = ""
    already: bool = False


class Channel:
    """One way out. `resend` is true when the message was claimed before (an earlier attempt,
    or a worker that stopped while sending): a channel that can look the message up by its
    reference does so first, and does not send it twice."""

    name = ""

    def send(self, message, *, resend: bool = False) -> Sent:  # pragma: no cover - interface
        raise NotImplementedError
