from django.contrib import admin

from eenloket.organisations.admin import LogsResidentReads

from .models import CheckSettings, HelpedCheck


@admin.register(CheckSettings)
class CheckSettingsAdmin(admin.ModelAdmin):
    list_display = ("organisation", "enabled", "delay_working_days", "answer_working_days")
    list_select_related = ("organisation",)


@admin.register(HelpedCheck)
class HelpedCheckAdmin(LogsResidentReads, admin.ModelAdmin):
    """Read only: checks change through the sweeps, the answer page and the call tasks. No
    resident name in the list; the detail screen logs the read."""

    object_type = "helped-check"

    def resident_of(self, obj):
        return obj.resident

    list_display = ("uuid", "organisation", "state", "channel", "scheduled_for", "answered_at")
    list_filter = ("state", "channel")
    list_select_related = ("organisation",)
    exclude = ("nonce",)
    raw_id_fields = ("resident", "contact", "referral", "task", "follow_up_task", "service")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
