"""Audit of changes (django-auditlog): services of the catalogue, the national ones changed in the
admin and the local ones a municipality creates or adjusts in the catalogue screens, and the
municipality's own wording of a national service. The national import writes in bulk (no
entries): its source is the versioned catalogue files. Loaded by CatalogueConfig.ready()."""

from auditlog.registry import auditlog

from .models import Service, ServiceOverride

auditlog.register(Service, exclude_fields=["updated_at"])
auditlog.register(ServiceOverride, exclude_fields=["updated_at"])
