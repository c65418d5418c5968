"""The register authorisations in the admin: the functioneel beheerder keeps them up to date
(which kind of organisation may search the resident register with which key, on which legal
ground). Every change is recorded with who made it (residents/auditlog.py). Residents themselves
are not in the admin: their data is read through the screens that log every read."""

from django.contrib import admin

from eenloket.core.admin import AuditedAdmin

from .models import RegisterAuthorisation


@admin.register(RegisterAuthorisation)
class RegisterAuthorisationAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["organisation_type", "search_key", "scope", "valid_from", "valid_until"]
    list_filter = ["organisation_type", "search_key", "scope"]
    search_fields = ["organisation_type", "legal_ground"]
