from django.contrib import admin

from eenloket.core.admin import AuditedAdmin

from .models import RoutingOutcome, Service, ServiceOverride


@admin.register(Service)
class ServiceAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "organisation_type", "tenant", "upl_name", "is_active"]
    list_filter = ["organisation_type", "is_active", "tenant"]
    search_fields = ["name", "code", "upl_name", "description"]
    readonly_fields = ["uuid", "updated_at"]


@admin.register(ServiceOverride)
class ServiceOverrideAdmin(AuditedAdmin, admin.ModelAdmin):
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
