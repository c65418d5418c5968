"""Messages and letters to residents: choosing the channel and the recipients (representation),
rendering templates, letters as PDF, exemptions. The outbox itself (delivery, retries, the
dead-letter list, print batches) is outbox.py."""


def send_to_resident(
    *,
    organisation,
    resident,
    template_key: str,
    context: dict | None = None,
    sender=None,
    team=None,
    channel: str | None = None,
    cause_type: str = "",
    cause_id: str = "",
    now=None,
) -> list:
    """Write the message(s) for `template_key` to the resident (and/or their representative, as
    the representation's scope says) into the outbox, in the caller's transaction.

    The channel follows the resident's preference (e-mail, sms, post; portal → e-mail), with a
    stated fallback when the address or number is missing (→ post when there is an address).
    `channel` forces one. Post makes a Letter (PDF) with the named contact person: `sender`'s
    name and direct number, or the team's direct number when `sender` has an exemption. Returns
    the Message rows (empty when the resident cannot be reached on any channel)."""
    raise NotImplementedError
