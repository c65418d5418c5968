"""Audit of changes (django-auditlog): the register authorisations (which kind of organisation may
search the resident register with which key, on which legal ground). Loaded by
ResidentsConfig.ready()."""

from auditlog.registry import auditlog

from .models import RegisterAuthorisation

auditlog.register(RegisterAuthorisation)
