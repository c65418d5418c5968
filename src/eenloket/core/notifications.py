"""Notifications to staff: written by services and sweeps, read on the start page."""

from django.utils import timezone

from .models import Notification


def notify(users, text: str, link: str = "") -> list[Notification]:
    """One notification per distinct user (None and duplicates are skipped)."""
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, text=text[:500], link=link[:300]))
    return Notification.objects.bulk_create(rows)


def unread(user, limit: int = 20):
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:limit])


def mark_read(user, notification_uuid) -> int:
    return Notification.objects.filter(
        user=user, uuid=notification_uuid, read_at__isnull=True
    ).update(read_at=timezone.now())
