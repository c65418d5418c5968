"""The transactional outbox: writing a message (in the caller's transaction), delivering it after
commit with retries, exponential backoff with jitter and a maximum number of attempts, the
dead-letter list (retry, cancel), delivery receipts, and print batches for the post."""


def enqueue(
    *,
    organisation,
    channel: str,
    recipient_name: str,
    to: str = "",
    subject: str = "",
    body: str = "",
    resident=None,
    representative=None,
    letter=None,
    template_key: str = "",
    language: str = "nl",
    cause_type: str = "",
    cause_id: str = "",
    now=None,
):
    """Write one Message in state QUEUED, due now, in the caller's transaction; returns it."""
    raise NotImplementedError
