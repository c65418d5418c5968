"""The admin keeps what a functioneel beheerder agrees with partners: mandates and the yearly
doorbraak budget. Cases, consents and doorbraak requests are read-only here (every step goes
through the services, with its checks and notifications); none is ever deleted."""

from django.contrib import admin

from eenloket.core.admin import AuditedAdmin
from eenloket.organisations.admin import LogsResidentReads

from .models import BudgetSpending, Case, Consent, DoorbraakBudget, DoorbraakRequest, Mandate


@admin.register(Mandate)
class MandateAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = [
        "municipality",
        "organisation",
        "max_days",
        "max_amount",
        "overturn_days",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["municipality"]


@admin.register(DoorbraakBudget)
class DoorbraakBudgetAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["municipality", "year", "amount"]


class ReadOnly(AuditedAdmin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(LogsResidentReads, ReadOnly):
    object_type = "case"

    def resident_of(self, obj):
        return obj.resident

    list_display = ["reference", "municipality", "case_manager", "status", "opened_at"]
    list_filter = ["status", "municipality"]
    fields = [
        "reference",
        "municipality",
        "case_manager",
        "status",
        "opened_at",
        "closed_at",
        "closure_reason",
    ]


@admin.register(Consent)
class ConsentAdmin(ReadOnly):
    list_display = ["case", "organisation", "basis", "valid_from", "valid_until", "revoked_at"]
    fields = [
        "case",
        "organisation",
        "parts",
        "domains",
        "purpose",
        "basis",
        "legal_ground",
        "legal_article",
        "given_on",
        "given_how",
        "valid_from",
        "valid_until",
        "revoked_at",
        "revoked_reason",
    ]


@admin.register(DoorbraakRequest)
class DoorbraakRequestAdmin(ReadOnly):
    list_display = ["case", "to_organisation", "kind", "state", "answer_by", "escalation_level"]
    list_filter = ["state", "kind"]
    fields = [
        "case",
        "to_organisation",
        "kind",
        "state",
        "answer_by",
        "requested_at",
        "answered_at",
        "refusal_reason",
        "obstructing_rule",
        "escalation_level",
    ]


@admin.register(BudgetSpending)
class BudgetSpendingAdmin(ReadOnly):
    list_display = ["budget", "case", "amount", "paid_to", "spent_on"]
