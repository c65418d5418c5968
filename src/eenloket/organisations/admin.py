"""Staff accounts, organisations, teams and locations in the admin ("beheer"). Every change is
recorded with who made it (organisations/auditlog.py): the list's audit-log link shows an
object's history (django-auditlog), and Auditlog › Log entries lists all changes."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from eenloket.core.admin import AuditedAdmin
from eenloket.core.audit import Action, Activity, Channel, log_access

from .models import Location, Membership, OpeningHours, Organisation, Team, User
from .selectors import get_scope


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "team"]


class LogsResidentReads:
    """A detail screen that shows a resident's data (name, question, what was discussed) is a
    read like any other screen: each time it is shown, one access-log row (channel "admin").
    Here, below the apps whose admins show residents (contacts, residents, referrals)."""

    object_type = ""

    def resident_of(self, obj):
        raise NotImplementedError

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Rendered exactly when the screen is shown (not after a save that redirects), with the
        # object the view already loaded.
        resident = self.resident_of(obj) if obj is not None else None
        if resident is not None:
            log_access(
                user=request.user,
                organisation_code=get_scope(request.user).primary_organisation_code,
                residents=[resident],
                activity=Activity.ADMIN_VIEW,
                action=Action.READ,
                channel=Channel.ADMIN,
                object_type=self.object_type,
                object_id=str(obj.uuid),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


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
