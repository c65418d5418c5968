from django.contrib import admin

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = [
        "start_time",
        "actor_name",
        "actor_organisation",
        "processing_activity_id",
        "action",
    ]
    list_filter = ["processing_activity_id", "action", "channel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
