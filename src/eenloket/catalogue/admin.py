from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.db import models

from .models import RoutingOutcome, Service, ServiceOverride


@admin.register(Service)
class ServiceAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    show_auditlog_history_link = True
    list_display = ["name", "organisation_type", "tenant", "upl_name", "is_active"]
    list_filter = ["organisation_type", "is_active", "tenant"]
    search_fields = ["name", "code", "upl_name", "description"]
    readonly_fields = ["uuid", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ServiceOverride)
class ServiceOverrideAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    show_auditlog_history_link = True
    list_display = ["service", "tenant", "is_offered", "updated_by", "updated_at"]
    list_filter = ["tenant", "is_offered"]
    autocomplete_fields = ["service"]


@admin.register(RoutingOutcome)
class RoutingOutcomeAdmin(admin.ModelAdmin):
    """Read-only: outcomes are recorded by contacts and referrals."""

    list_display = ["service", "tenant", "source", "created_at"]
    list_filter = ["source", "tenant"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
