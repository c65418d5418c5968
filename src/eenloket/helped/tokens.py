"""The answer link: `/geholpen/<token>/`, signed with its own salt (django.core.signing), holding
the check's uuid and a random nonce that is stored on the check. It is single-use (the check's
`used_at`), and it expires: after the check's `answer_due_at` plus a small grace, and never later
than HELPED_CHECK_LINK_MAX_DAYS after it was made (the signature's own timestamp).

A new nonce (the question asked again) makes every earlier link invalid."""

import hmac
import secrets
import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "eenloket.helped.answer-link"
# The signature's own ceiling, whatever the check says (defence in depth).
MAX_AGE_DAYS = 60


class LinkInvalid(Exception):
    """Tampered, unknown, or replaced by a newer link."""


class LinkExpired(Exception):
    """Past its time (signature ceiling or the check's answer time plus grace)."""


def _signer():
    return signing.TimestampSigner(salt=SALT)


def new_nonce() -> str:
    return secrets.token_hex(16)  # 32 characters: HelpedCheck.nonce


def make_token(check) -> str:
    return _signer().sign(f"{check.uuid.hex}.{check.nonce}")


def read_token(token: str) -> tuple[uuid.UUID, str]:
    """(check uuid, nonce) from a token; LinkInvalid or LinkExpired."""
    signer = _signer()
    try:
        value = signer.unsign(token, max_age=MAX_AGE_DAYS * 24 * 3600)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    hex_uuid, _, nonce = value.partition(".")
    try:
        return uuid.UUID(hex=hex_uuid), nonce
    except ValueError as exc:
        raise LinkInvalid from exc


def nonce_matches(check, nonce: str) -> bool:
    return bool(check.nonce) and hmac.compare_digest(check.nonce, nonce)


def answer_path(check) -> str:
    return reverse("helped:answer", kwargs={"token": make_token(check)})


def answer_url(check) -> str:
    """The absolute link for the message (sent by a sweep: no request to build it from)."""
    return settings.HELPED_CHECK_BASE_URL.rstrip("/") + answer_path(check)
