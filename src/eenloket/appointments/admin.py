from django.contrib import admin

from eenloket.core.admin import AuditedAdmin

from .models import BookableService, Closure, Desk, Schedule, StaffSkill


@admin.register(Desk)
class DeskAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "location", "is_active"]
    list_filter = ["location"]


@admin.register(BookableService)
class BookableServiceAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["service", "organisation", "slot_minutes", "kind", "public"]
    list_filter = ["organisation"]
    raw_id_fields = ["service"]


@admin.register(Schedule)
class ScheduleAdmin(AuditedAdmin, admin.ModelAdmin):
    """Hours per organisation and location (also on the screen "Spreekuren")."""

    list_display = ["location", "organisation", "weekday", "starts", "ends", "walk_in"]
    list_filter = ["location", "organisation"]
    filter_horizontal = ["services", "desks", "staff"]


@admin.register(Closure)
class ClosureAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["location", "organisation", "starts_on", "ends_on", "reason"]


@admin.register(StaffSkill)
class StaffSkillAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["user", "skill", "language", "obtained_on"]
    list_filter = ["skill"]
