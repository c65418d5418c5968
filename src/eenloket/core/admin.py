from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.db import models

from .models import AccessLog, EquatedDay


class AuditedAdmin(AuditlogHistoryAdminMixin):
    """Admin of a model whose changes django-auditlog records: its history in the admin. URL
    fields without a scheme are taken as https (Django 6's default, without the warning)."""

    show_auditlog_history_link = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


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


@admin.register(EquatedDay)
class EquatedDayAdmin(AuditedAdmin, admin.ModelAdmin):
    """Days equated with a holiday by royal decree, per year (Atw art. 3 lid 3)."""

    list_display = ["day", "reason", "decree"]
    date_hierarchy = "day"
    search_fields = ["reason", "decree"]
