"""Audit of changes (django-auditlog): consents and mandates are the proof of what was shared
and what was agreed; doorbraak requests and budget spending are accounted for."""

from auditlog.registry import auditlog

from .models import BudgetSpending, Case, Consent, DoorbraakBudget, DoorbraakRequest, Mandate

auditlog.register(Case)
auditlog.register(Consent)
auditlog.register(Mandate)
auditlog.register(DoorbraakRequest, exclude_fields=["escalated_at", "escalation_level"])
auditlog.register(DoorbraakBudget)
auditlog.register(BudgetSpending)
