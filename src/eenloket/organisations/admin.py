"""Staff accounts, organisations, teams and locations in the admin ("beheer"). Every change is
recorded with who made it (organisations/auditlog.py): the list's audit-log link shows an
object's history (django-auditlog), and Auditlog › Log entries lists all changes."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from eenloket.core.admin import AuditedAdmin

from .models import Location, Membership, OpeningHours, Organisation, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "team"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Eén Loket", {"fields": ("job_title", "direct_phone")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "type", "municipality_code"]
    list_filter = ["type"]
    search_fields = ["name", "code"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "organisation", "phone"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name"]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Location)
class LocationAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "organisation", "city"]
    inlines = [OpeningHoursInline]
    filter_horizontal = ["guest_organisations"]
