"""Audit of changes (django-auditlog) of messaging: how an organisation sends (channel
settings). Loaded by MessagingConfig.ready()."""

from auditlog.registry import auditlog

from .models import ChannelSettings

auditlog.register(ChannelSettings)
