"""Beheer of the contact point: settings per municipality and the accounts (no report: a report
holds a resident's data, read through the screens with the access log)."""

from django.contrib import admin

from eenloket.core.admin import AuditedAdmin

from .models import ContactPointSettings, Intermediary, Invitation


@admin.register(ContactPointSettings)
class ContactPointSettingsAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = [
        "municipality",
        "acute_working_days",
        "urgent_working_days",
        "normal_working_days",
        "intake_team",
    ]


class InvitationInline(admin.TabularInline):
    model = Invitation
    fields = ["created_at", "expires_at", "accepted_at", "revoked_at", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Intermediary)
class IntermediaryAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["user", "organisation", "municipality", "trust_level", "is_active"]
    list_filter = ["municipality", "organisation", "trust_level", "is_active"]
    readonly_fields = [
        "uuid",
        "user",
        "invited_by",
        "created_at",
        "deactivated_at",
        "deactivated_by",
    ]
    inlines = [InvitationInline]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the reports keep their reporter
