"""Reads of the outbox, with the permission filter applied and the access log written: the
functional admin (functioneel beheerder) of an organisation sees its messages and print batches;
nobody else does. Every read of messages to residents is logged (MESSAGE_MANAGE)."""

from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.errors import NotFound
from eenloket.core.roles import BEHEER_ROLES
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope

from .models import Message, MessageChannel, MessageState, PrintBatch
from .states import ADMIN, DEAD_STATES, MESSAGE, SENT_STATES

RELATED = ("organisation", "resident", "letter", "print_batch")


def admin_organisation_ids(user) -> set[int]:
    scope = get_scope(user)
    return {pk for pk, role in scope.organisation_roles if role in BEHEER_ROLES}


def require_admin(user) -> None:
    permissions.require(permissions.is_functional_admin, get_scope(user))


def managed_organisations(user):
    """The organisations whose messages `user` manages (functional admin there)."""
    return Organisation.objects.filter(pk__in=admin_organisation_ids(user)).order_by("name")


def visible_messages(user):
    """Messages of the organisations where `user` is functional admin (PermissionDenied for
    anyone else)."""
    require_admin(user)
    return Message.objects.filter(organisation_id__in=admin_organisation_ids(user))


def dead_letters(user, organisation=None):
    qs = visible_messages(user).filter(state__in=DEAD_STATES)
    return qs.filter(organisation=organisation) if organisation else qs


def sent_messages(user, organisation=None):
    """What residents would have received (and what is on its way to the print shop)."""
    qs = visible_messages(user).filter(state__in=SENT_STATES)
    return qs.filter(organisation=organisation) if organisation else qs


def print_queue_count(user, organisation) -> int:
    return (
        visible_messages(user)
        .filter(
            organisation=organisation,
            channel=MessageChannel.POST,
            state=MessageState.QUEUED,
            letter__isnull=False,
        )
        .count()
    )


def print_batches(user, organisation=None):
    require_admin(user)
    qs = PrintBatch.objects.filter(organisation_id__in=admin_organisation_ids(user)).defer(
        "pdf", "manifest"
    )
    return qs.filter(organisation=organisation) if organisation else qs


def get_print_batch(user, uuid) -> PrintBatch:
    found = print_batches(user).filter(uuid=uuid).defer(None).first()
    if found is None:
        raise NotFound()
    return found


def find_message(user, uuid) -> Message:
    """The message for a step (retry, cancel): 404 outside the user's organisations. No read is
    logged here: the step logs what it changed."""
    found = visible_messages(user).filter(uuid=uuid).select_related(*RELATED).first()
    if found is None:
        raise NotFound()
    return found


def get_message(user, uuid, *, channel="ui") -> Message:
    message = find_message(user, uuid)
    log_shown(user, [message], channel=channel, object_type="message")
    return message


def log_shown(user, messages, *, channel, object_type="message-list") -> None:
    """One access-log row per resident whose messages were shown, per organisation."""
    by_org = {}
    for message in messages:
        if message.resident_id:
            by_org.setdefault(message.organisation.code, []).append(message)
    for code, rows in by_org.items():
        log_access(
            user=user,
            organisation_code=code,
            residents=[m.resident for m in rows],
            activity=Activity.MESSAGE_MANAGE,
            action=Action.READ,
            channel=channel,
            object_type=object_type,
            object_id=str(rows[0].uuid) if object_type == "message" else "",
        )


def available_actions(user, message) -> list[str]:
    mine = {ADMIN} if message.organisation_id in admin_organisation_ids(user) else set()
    return [a for a in MESSAGE.available_actions(message.state, mine) if a in ("retry", "cancel")]
