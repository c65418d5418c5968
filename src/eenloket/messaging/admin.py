"""Django admin of messaging. The outbox is read-only here: messages change through their steps
(outbox.py: retry, cancel on the "Berichten" screen or the API), never by hand. Channel
settings are edited here (secrets stay in the environment: only the variable's name is stored)."""

from django.contrib import admin

from eenloket.core.admin import AuditedAdmin
from eenloket.organisations.admin import LogsResidentReads

from .models import ChannelSettings, DeliveryAttempt, Message, PrintBatch


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---- the outbox ---------------------------------------------------------------------------------
class DeliveryAttemptInline(ReadOnly, admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    fields = ["at", "result", "detail"]
    readonly_fields = fields


@admin.register(Message)
class MessageAdmin(LogsResidentReads, ReadOnly, admin.ModelAdmin):
    object_type = "message"

    def resident_of(self, obj):
        return obj.resident

    list_display = ["created_at", "organisation", "channel", "recipient_name", "state", "attempts"]
    list_filter = ["state", "channel", "organisation"]
    list_select_related = ["organisation"]
    show_full_result_count = False
    inlines = [DeliveryAttemptInline]
    exclude = ["resident", "representative", "letter", "print_batch"]


@admin.register(ChannelSettings)
class ChannelSettingsAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["organisation", "email_via", "sms_via"]
    autocomplete_fields = ["organisation"]


@admin.register(PrintBatch)
class PrintBatchAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["created_at", "organisation", "letter_count", "sent_at"]
    list_filter = ["organisation"]
    exclude = ["pdf", "manifest"]
