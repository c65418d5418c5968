from django.contrib import admin

from eenloket.core.admin import AuditedAdmin
from eenloket.organisations.admin import LogsResidentReads

from .models import LiveConsult, OnDuty, Referral, ReferralEvent, ResponseNorm


@admin.register(ResponseNorm)
class ResponseNormAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["organisation", "accept_working_days", "contact_working_days"]


class EventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_state", "to_state", "actor", "note", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(LogsResidentReads, admin.ModelAdmin):
    """Read-only: referrals change through their steps (services), never by hand."""

    object_type = "referral"

    def resident_of(self, obj):
        return obj.resident

    list_display = ["created_at", "from_organisation", "to_organisation", "state", "kind"]
    list_filter = ["state", "kind", "to_organisation"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the history is append-only; a referral ends with a reason instead


@admin.register(LiveConsult)
class LiveConsultAdmin(LogsResidentReads, admin.ModelAdmin):
    object_type = "live-consult"

    def resident_of(self, obj):
        return obj.contact.resident

    list_display = ["created_at", "requester", "to_organisation", "state"]
    list_filter = ["state"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(OnDuty)
class OnDutyAdmin(admin.ModelAdmin):
    list_display = ["staff", "organisation", "location", "reachable", "since", "until"]
