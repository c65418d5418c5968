"""Audit of changes (django-auditlog): the response norms of organisations (how fast a referral
is accepted and the resident spoken to). Loaded by ReferralsConfig.ready()."""

from auditlog.registry import auditlog

from .models import ResponseNorm

auditlog.register(ResponseNorm)
