"""Audit of changes (django-auditlog): the request types (they set legal terms) and requests."""

from auditlog.registry import auditlog

from .models import RequestType, TrackedRequest

auditlog.register(RequestType)
auditlog.register(TrackedRequest, exclude_fields=["warned_at", "escalated_at"])
