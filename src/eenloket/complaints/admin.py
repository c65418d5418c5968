"""The admin keeps where an organisation's residents can go after its complaint procedure (a
municipal ombudsman instead of the Nationale ombudsman). Complaints themselves are handled on
the complaint screens only (every step through the services)."""

from django.contrib import admin

from eenloket.core.admin import AuditedAdmin

from .models import OmbudsmanSetting


@admin.register(OmbudsmanSetting)
class OmbudsmanSettingAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["organisation", "name", "website", "phone"]
