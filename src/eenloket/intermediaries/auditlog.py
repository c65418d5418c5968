"""Audit of changes (django-auditlog): who may report (the accounts, their trust level and
deactivation) and the municipality's norms are accounted for."""

from auditlog.registry import auditlog

from .models import ContactPointSettings, Intermediary

auditlog.register(Intermediary)
auditlog.register(ContactPointSettings)
