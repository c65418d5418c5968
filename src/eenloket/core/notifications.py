"""Notifications to staff: written by services and sweeps, read on the start page.

A notification is stored as a message id with parameters and translated when it is shown, so
each reader sees it in their own language, whoever (or whichever sweep) wrote it:

    notify(
        [referral.from_staff],
        gettext_lazy("%(org)s heeft uw doorverwijzing geaccepteerd."),
        reverse("referrals:detail", args=[referral.uuid]),
        params={"org": referral.to_organisation.name},
    )

The message is the Dutch source text (mark it with gettext_lazy or gettext_noop so that
`make messages` finds it). The link comes from `reverse()`: a link that is no page of this site is
refused. Services write notifications inside their transaction, with the change they belong to. Parameters are stored as JSON: plain values as text; a translatable
label (a gettext_lazy value, e.g. a choice label) as its message id, translated when shown; a
date or a moment as a date, shown in the long form of the reader's language."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext

from . import formatting
from .models import Notification

# Unread notifications looked at to build the groups (the count is always the true count).
GROUPING_WINDOW = 500
# Groups on the start page; the rest behind "meer meldingen tonen".
START_PAGE_GROUPS = 5


def _msgid(value) -> str:
    """The source text (message id) of a lazy translation; a plain text as it is."""
    if isinstance(value, Promise):
        with translation.override(None):
            return str(value)
    return str(value)


def _param(value):
    if isinstance(value, Promise):
        return {"msgid": _msgid(value)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if value is None:
        return ""
    return str(value)


def _resolve(value) -> str:
    if isinstance(value, dict):
        if "msgid" in value:
            return gettext(value["msgid"])
        if "datetime" in value:
            return formatting.long_datetime(parse_datetime(value["datetime"]))
        if "date" in value:
            return formatting.long_date(parse_date(value["date"]))
    return str(value)


def _render(message_id: str, params: dict) -> str:
    # Always through %: a message whose places are not all filled raises (KeyError) and the
    # stored text is shown instead of "%(org)s". A literal percent sign is written %%.
    return gettext(message_id) % {key: _resolve(value) for key, value in params.items()}


def render(notification: Notification) -> str:
    """The notification's text in the active language. Rows from before message ids (and any
    row whose message no longer fits its parameters) show the text stored when written."""
    if not notification.message_id:
        return notification.text
    try:
        return _render(notification.message_id, notification.params or {})
    except (KeyError, TypeError, ValueError):
        return notification.text


def notify(users, message, link: str = "", *, params: dict | None = None) -> list[Notification]:
    """One notification per distinct user (None and duplicates are skipped). `message` is the
    Dutch source text (gettext_lazy / gettext_noop), `params` fill its %(name)s places."""
    link = str(link or "")
    if link:
        parts = urlsplit(link)
        try:
            if parts.scheme or parts.netloc:
                raise Resolver404(link)
            resolve(parts.path)
        except Resolver404 as exc:
            raise ValueError(
                f"{link!r} is no page of this site: build links with reverse()."
            ) from exc
    message_id = _msgid(message)
    stored = {key: _param(value) for key, value in (params or {}).items()}
    try:
        with translation.override("nl"):
            text = _render(message_id, stored)
    except (KeyError, TypeError, ValueError):
        text = message_id  # a message that does not fit its parameters: kept as written
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                user=user,
                text=text[:500],
                message_id=message_id[:500],
                params=stored,
                link=link[:300],
            )
        )
    return Notification.objects.bulk_create(rows)


def _unread(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)


def unread_count(user) -> int:
    return _unread(user).count()


@dataclass
class NotificationGroup:
    """Unread notifications of one kind about the same organisations (same message and the same
    parameters, moments left out), newest first."""

    items: list = field(default_factory=list)

    @property
    def newest(self):
        return self.items[0]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def text(self) -> str:
        return self.newest.display

    @property
    def link(self) -> str:
        """The one link of the group when all its notifications point to the same page."""
        links = {item.link for item in self.items}
        return links.pop() if len(links) == 1 else ""

    @property
    def uuids(self) -> list:
        return [item.uuid for item in self.items]


def _group_key(notification) -> tuple:
    if not notification.message_id:
        return ("", notification.text)
    params = notification.params or {}
    kept = tuple(
        sorted(
            (key, str(value))
            for key, value in params.items()
            if not (isinstance(value, dict) and ({"datetime", "date"} & value.keys()))
        )
    )
    return (notification.message_id, kept)


def unread_groups(
    user, window: int = GROUPING_WINDOW, *, shown: int | None = None
) -> list[NotificationGroup]:
    """The user's unread notifications grouped, the group with the newest first. Only the first
    `shown` groups (all when None) get their text rendered: the rest are only counted."""
    groups: dict[tuple, NotificationGroup] = {}
    for notification in _unread(user)[:window]:
        groups.setdefault(_group_key(notification), NotificationGroup()).items.append(notification)
    result = list(groups.values())  # rows come newest first, so do the groups
    for group in result if shown is None else result[:shown]:
        for notification in group.items:
            notification.display = render(notification)
    return result


def mark_read(user, notification_uuid) -> int:
    return Notification.objects.filter(
        user=user, uuid=notification_uuid, read_at__isnull=True
    ).update(read_at=timezone.now())


def mark_many_read(user, notification_uuids) -> int:
    """Mark a group read: only the user's own, unread notifications among the given ids."""
    return _unread(user).filter(uuid__in=list(notification_uuids)).update(read_at=timezone.now())


def mark_all_read(user) -> int:
    """ "Alles gelezen": every unread notification of the user."""
    return _unread(user).update(read_at=timezone.now())
