from django.contrib import admin

from .models import LiveConsult, OnDuty, Referral, ReferralEvent, ResponseNorm


@admin.register(ResponseNorm)
class ResponseNormAdmin(admin.ModelAdmin):
    list_display = ["organisation", "accept_working_days", "contact_working_days"]


class EventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_state", "to_state", "actor", "note", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Read-only: referrals change through their steps (services), never by hand."""

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
class LiveConsultAdmin(admin.ModelAdmin):
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
