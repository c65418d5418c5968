"""Audit of changes (django-auditlog): where residents are sent after a complaint."""

from auditlog.registry import auditlog

from .models import OmbudsmanSetting

auditlog.register(OmbudsmanSetting)
