from django.contrib import admin

from eenloket.core.admin import AuditedAdmin
from eenloket.organisations.admin import LogsResidentReads

from .models import Task, TaskAttempt, TaskNorm


@admin.register(TaskNorm)
class TaskNormAdmin(AuditedAdmin, admin.ModelAdmin):
    """When a kind of task must be done, per organisation (else the kind's default)."""

    list_display = ["organisation", "kind", "cutoff", "days_before_cutoff", "days_after_cutoff"]
    list_filter = ["organisation"]


class AttemptInline(admin.TabularInline):
    model = TaskAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "result", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(LogsResidentReads, admin.ModelAdmin):
    """Read-only: tasks change through their steps (services), never by hand."""

    object_type = "task"
    list_display = ["due_at", "kind", "title", "organisation", "team", "state", "assigned_to"]
    list_filter = ["state", "kind", "organisation"]
    inlines = [AttemptInline]

    def resident_of(self, obj):
        return obj.resident

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
