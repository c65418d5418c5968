from django.contrib import admin

from eenloket.core.admin import AuditedAdmin
from eenloket.organisations.admin import LogsResidentReads

from .models import DelayNotice, Extension, RequestType, Suspension, TrackedRequest


@admin.register(RequestType)
class RequestTypeAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "organisation", "term", "article", "regime", "extension", "active"]
    list_filter = ["regime", "active", "penalty_applies"]
    search_fields = ["name", "code", "article"]


class SuspensionInline(admin.TabularInline):
    model = Suspension
    extra = 0
    readonly_fields = ["starts_on", "ends_on", "reason", "article", "created_by", "created_at"]
    can_delete = False


class NoticeInline(admin.TabularInline):
    model = DelayNotice
    extra = 0
    fields = ["sent_on", "timely", "due_date_then", "expected_on", "channel", "reason"]
    readonly_fields = fields
    can_delete = False


@admin.register(TrackedRequest)
class TrackedRequestAdmin(LogsResidentReads, AuditedAdmin, admin.ModelAdmin):
    """Read-only: every step goes through the services (and the resident hears of it)."""

    object_type = "tracked_request"

    def resident_of(self, obj):
        return obj.resident

    list_display = ["reference", "request_type", "organisation", "state", "due_date", "decided_on"]
    list_filter = ["state", "request_type", "organisation"]
    search_fields = ["reference", "subject"]
    inlines = [SuspensionInline, NoticeInline]
    raw_id_fields = ["resident", "contact", "referral", "handler", "team"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A tracked request is a record of what the law required and what happened: kept.
        return False


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["request", "kind", "term", "due_date_before", "due_date_after"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
