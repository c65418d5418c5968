"""Audit of changes (django-auditlog) of the days equated with a holiday: they move legal terms."""

from auditlog.registry import auditlog

from .models import EquatedDay

auditlog.register(EquatedDay)
