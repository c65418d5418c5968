"""API of the Intermediairen Contact Punt.

`/api/v1/my-concern-reports/`: an intermediary (signed in with a verified second factor: a
session, never a bare token) reports a concern and lists their own reports, each with only what
their trust level allows (the rest null). `/api/v1/concern-reports/`: staff of the routed team
list and read reports (each read in the access log) and answer them.

Reads go through `selectors`, changes through `services`. Errors are RFC 7807 problem+json
(core.api): bad input 400 with the Dutch reason per field, no permission 403, another's or an
unknown report 404, an answer that does not fit the state 409. Documents are added on the
screen only (this API takes JSON)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from eenloket.core.api import ERRORS, PROBLEM
from eenloket.organisations.permissions import CanWorkWithContacts

from . import selectors, services
from .models import Consent, ReportState, Urgency


class IsVerifiedIntermediary(BasePermission):
    """An active intermediary whose login passed the second factor (django-otp)."""

    message = _("Alleen een intermediair die met de code uit de app is ingelogd, mag dit.")

    def has_permission(self, request, view):
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        check = getattr(user, "is_verified", None)
        return bool(check and check()) and services.intermediary_of(user) is not None


# ---- the intermediary's reports ------------------------------------------------------------------
class MyReportSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    urgency = serializers.CharField(
        read_only=True, help_text=f"One of {', '.join(Urgency.values)}."
    )
    resident_name = serializers.CharField(read_only=True)
    concern = serializers.CharField(read_only=True)
    state = serializers.CharField(
        read_only=True, help_text=f"One of {', '.join(ReportState.values)}."
    )
    state_label = serializers.CharField(read_only=True)
    answer = serializers.CharField(read_only=True)
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    handler_name = serializers.CharField(
        read_only=True, allow_null=True, help_text="Semi-professional and professional only."
    )
    team_name = serializers.CharField(
        read_only=True, allow_null=True, help_text="Semi-professional and professional only."
    )
    handler_phone = serializers.CharField(
        read_only=True, allow_null=True, help_text="Professional only."
    )


class NewReportSerializer(serializers.Serializer):
    concern = serializers.CharField(allow_blank=True, help_text="What is going on.")
    urgency = serializers.CharField(allow_blank=True, help_text="acuut, spoed or normaal.")
    resident_name = serializers.CharField(allow_blank=True)
    resident_address = serializers.CharField(required=False, allow_blank=True, default="")
    resident_phone = serializers.CharField(required=False, allow_blank=True, default="")
    consent = serializers.CharField(
        allow_blank=True, help_text=f"One of {', '.join(Consent.values)}."
    )
    no_consent_reason = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["intermediairen"])
class MyConcernReportViewSet(viewsets.ViewSet):
    permission_classes = [IsVerifiedIntermediary]
    lookup_field = "uuid"
    lookup_value_regex = "[^/]+"

    @extend_schema(responses={200: MyReportSerializer(many=True), **ERRORS})
    def list(self, request):
        """My own reports, newest first (at most 200)."""
        rows = selectors.my_reports(request.user)
        return Response(MyReportSerializer(rows, many=True).data)

    @extend_schema(responses={200: MyReportSerializer, **ERRORS})
    def retrieve(self, request, uuid=None):
        """One of my reports; another's (or a guessed id) is 404."""
        return Response(MyReportSerializer(selectors.my_report(request.user, uuid)).data)

    @extend_schema(request=NewReportSerializer, responses={201: MyReportSerializer, **ERRORS})
    def create(self, request):
        """Report a concern: routed to a team of the municipality (or an agency)."""
        data = NewReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.create_report(user=request.user, **data.validated_data)
        return Response(
            MyReportSerializer(selectors.my_report(request.user, report.uuid)).data,
            status=status.HTTP_201_CREATED,
        )


# ---- staff -------------------------------------------------------------------------------------
class StaffReportSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    due_at = serializers.DateTimeField(read_only=True)
    urgency = serializers.CharField(read_only=True)
    concern = serializers.CharField(read_only=True)
    resident_name = serializers.CharField(read_only=True)
    resident_address = serializers.CharField(read_only=True)
    resident_phone = serializers.CharField(read_only=True)
    consent = serializers.CharField(read_only=True)
    no_consent_reason = serializers.CharField(read_only=True)
    partner_organisation = serializers.CharField(source="partner_organisation.code", read_only=True)
    intermediary_name = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    team = serializers.SerializerMethodField()
    state = serializers.CharField(read_only=True)
    answer = serializers.CharField(read_only=True)
    first_answered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    escalated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    resident = serializers.SerializerMethodField()

    def get_intermediary_name(self, report) -> str:
        return report.intermediary.user.get_full_name()

    def get_team(self, report) -> str | None:
        return str(report.team.uuid) if report.team_id else None

    def get_resident(self, report) -> str | None:
        """The resident in the register, when a colleague linked it."""
        return str(report.resident.uuid) if report.resident_id else None


class AnswerSerializer(serializers.Serializer):
    state = serializers.CharField(
        allow_blank=True, help_text="in-behandeling, afgerond or doorgezet."
    )
    answer = serializers.CharField(allow_blank=True, help_text="A short answer (at most 1000).")


@extend_schema(tags=["intermediairen"])
class ConcernReportViewSet(viewsets.ViewSet):
    permission_classes = [CanWorkWithContacts]
    lookup_field = "uuid"
    lookup_value_regex = "[^/]+"

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["open", "closed"], description="Default: open.")
        ],
        responses={200: StaffReportSerializer(many=True), **ERRORS},
    )
    def list(self, request):
        """The reports of my team(s), soonest deadline first (at most 200); reads are logged."""
        state = request.query_params.get("status") or "open"
        if state not in ("open", "closed"):
            raise serializers.ValidationError({"status": [_("Kies open of closed.")]})
        rows = list(
            selectors.staff_reports(request.user, state=state).select_related("resident")[
                : selectors.LIST_LIMIT
            ]
        )
        selectors.log_report_reads(request.user, rows, channel="api")
        return Response(StaffReportSerializer(rows, many=True).data)

    @extend_schema(responses={200: StaffReportSerializer, **ERRORS})
    def retrieve(self, request, uuid=None):
        report = selectors.get_staff_report(request.user, uuid, channel="api")
        return Response(StaffReportSerializer(report).data)

    @extend_schema(
        request=AnswerSerializer,
        responses={200: StaffReportSerializer, 409: PROBLEM, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, uuid=None):
        """Give a status and a short answer for the intermediary."""
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = selectors.get_staff_report(request.user, uuid, channel="api")
        report = services.answer_report(user=request.user, report=report, **data.validated_data)
        return Response(StaffReportSerializer(report).data)
