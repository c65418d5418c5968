from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Location, Membership, OpeningHours, Organisation, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "team"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Eén Loket", {"fields": ("job_title", "direct_phone")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "type", "municipality_code"]
    list_filter = ["type"]
    search_fields = ["name", "code"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "phone"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name"]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "city"]
    inlines = [OpeningHoursInline]
    filter_horizontal = ["guest_organisations"]
