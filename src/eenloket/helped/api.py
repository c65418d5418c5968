"""API of "bent u geholpen?": `/api/v1/helped-checks/` (read only). Staff with a contact role see
the checks of their own organisations; filter by contact moment, referral or state. The link's
token and nonce are never part of the output. Every read is written to the access log."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from eenloket.core.api import NewestFirstCursorPagination
from eenloket.organisations.permissions import CanWorkWithContacts

from . import selectors, services
from .models import AskChannel, CheckState, HelpedCheck

PROBLEM = OpenApiResponse(description="Problem (RFC 7807, application/problem+json).")


class HelpedCheckSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", help_text="Code.")
    team = serializers.UUIDField(source="team.uuid", allow_null=True, default=None)
    team_name = serializers.CharField(source="team.name", allow_null=True, default=None)
    location = serializers.UUIDField(source="location.uuid", allow_null=True, default=None)
    location_name = serializers.CharField(source="location.name", allow_null=True, default=None)
    resident = serializers.UUIDField(source="resident.uuid")
    contact = serializers.UUIDField(
        source="contact.uuid", allow_null=True, default=None, help_text="Het contactmoment."
    )
    referral = serializers.UUIDField(
        source="referral.uuid", allow_null=True, default=None, help_text="De doorverwijzing."
    )
    state = serializers.ChoiceField(choices=CheckState.choices)
    state_label = serializers.CharField(source="get_state_display")
    channel = serializers.ChoiceField(
        choices=AskChannel.choices, allow_blank=True, help_text="Hoe het gevraagd is (of wordt)."
    )
    channel_label = serializers.CharField(source="get_channel_display")
    skip_reason = serializers.SerializerMethodField(
        help_text="Waarom niet gevraagd (bij `overgeslagen`): `opt-out`, `recent`, `onbereikbaar`."
    )
    skip_reason_label = serializers.SerializerMethodField(help_text="De reden in woorden.")
    task = serializers.UUIDField(
        source="task.uuid", allow_null=True, default=None, help_text="De beltaak (bij bellen)."
    )
    follow_up_task = serializers.UUIDField(
        source="follow_up_task.uuid",
        allow_null=True,
        default=None,
        help_text="De taak om op te volgen (bij nee of geen antwoord).",
    )

    class Meta:
        model = HelpedCheck
        fields = [
            "uuid",
            "organisation",
            "team",
            "team_name",
            "location",
            "location_name",
            "resident",
            "source_type",
            "contact",
            "referral",
            "source_channel",
            "source_at",
            "state",
            "state_label",
            "channel",
            "channel_label",
            "skip_reason",
            "skip_reason_label",
            "scheduled_for",
            "sent_at",
            "answer_due_at",
            "answered_at",
            "helped",
            "rating",
            "comment",
            "answered_via",
            "task",
            "follow_up_task",
            "created_at",
        ]
        read_only_fields = fields

    def get_skip_reason(self, check) -> str:
        return check.skip_reason

    def get_skip_reason_label(self, check) -> str:
        return str(services.SKIP_REASONS.get(check.skip_reason, ""))


class HelpedCheckFilter(filters.FilterSet):
    contact = filters.UUIDFilter(field_name="contact__uuid", help_text="Id van het contactmoment.")
    referral = filters.UUIDFilter(
        field_name="referral__uuid", help_text="Id van de doorverwijzing."
    )
    state = filters.ChoiceFilter(choices=CheckState.choices, help_text="Stand van de vraag.")

    class Meta:
        model = HelpedCheck
        fields = ["contact", "referral", "state"]


class CheckPagination(NewestFirstCursorPagination):
    ordering = ("-scheduled_for", "-id")


ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM}


@extend_schema_view(
    list=extend_schema(
        summary="Vragen 'bent u geholpen?' van uw organisatie",
        responses={200: HelpedCheckSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="Eén vraag 'bent u geholpen?'",
        responses={200: HelpedCheckSerializer, **ERRORS, 404: PROBLEM},
    ),
)
class HelpedCheckViewSet(viewsets.ReadOnlyModelViewSet):
    """Whether residents were helped after a contact or a referral, per check. Only checks of
    your own organisations; a check of another organisation is a 404."""

    serializer_class = HelpedCheckSerializer
    permission_classes = [CanWorkWithContacts]
    pagination_class = CheckPagination
    filterset_class = HelpedCheckFilter
    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{32,36}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HelpedCheck.objects.none()
        return selectors.visible_checks(self.request.user).select_related(
            *selectors.RELATED, "follow_up_task"
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None)
        if page:
            selectors.log_read(request.user, page, channel="api")
        return response

    def retrieve(self, request, *args, **kwargs):
        check = self.get_object()
        selectors.log_read(request.user, [check], channel="api")
        return Response(self.get_serializer(check).data)
