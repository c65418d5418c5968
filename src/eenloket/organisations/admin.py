"""Staff accounts, organisations, teams and locations in the admin ("beheer"). Every change is
recorded with who made it (organisations/auditlog.py): the list's audit-log link shows an
object's history (django-auditlog), and Auditlog › Log entries lists all changes."""

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from .models import Location, Membership, OpeningHours, Organisation, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "team"]


@admin.register(User)
class UserAdmin(AuditlogHistoryAdminMixin, BaseUserAdmin):
    show_auditlog_history_link = True
    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Eén Loket", {"fields": ("job_title", "direct_phone")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    show_auditlog_history_link = True
    list_display = ["name", "code", "type", "municipality_code"]
    list_filter = ["type"]
    search_fields = ["name", "code"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Team)
class TeamAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    show_auditlog_history_link = True
    list_display = ["name", "organisation", "phone"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name"]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Location)
class LocationAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    show_auditlog_history_link = True
    list_display = ["name", "organisation", "city"]
    inlines = [OpeningHoursInline]
    filter_horizontal = ["guest_organisations"]
