"""Post: no network. A letter (its PDF, made by letters.py) waits in the print queue (state
QUEUED, channel post) until the functional admin makes a print batch (outbox.export_print_batch):
one PDF and a CSV manifest for the print shop; the messages are then PRINTING, and SENT when the
batch is marked as handed to the print shop. The delivery sweep never takes post."""

from django.utils.translation import gettext as _

from .base import Channel, PermanentError, Sent


class PostChannel(Channel):
    name = "post"

    def send(self, message, *, resend: bool = False) -> Sent:
        raise PermanentError(_("Brieven gaan via een drukwerkbatch, niet via de verzending."))
