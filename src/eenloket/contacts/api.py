from django.utils import timezone
from django_filters import rest_framework as filters
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from eenloket.catalogue.models import Service
from eenloket.core.api import (
    BooleanFilter,
    DateTimeFilter,
    MomentField,
    NewestFirstCursorPagination,
    SafeSlugRelatedField,
)
from eenloket.core.validators import MAX_TEXT
from eenloket.organisations.models import Location, Organisation, Team, User
from eenloket.residents.models import Resident

from . import selectors, services
from .models import Channel, ContactMoment, Outcome


class CallbackSerializer(serializers.Serializer):
    """A callback request made with the contact (required with the outcome terugbelverzoek)."""

    team = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=Team.objects.all(),
        help_text="Id (uuid) van het team dat terugbelt (van de organisatie van het contact).",
    )
    phone = serializers.CharField(max_length=40, help_text="Het nummer om te bellen.")
    note = serializers.CharField(
        max_length=MAX_TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Toelichting voor wie terugbelt.",
    )
    assignee = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Id (uuid) van de collega uit dat team die terugbelt (niet verplicht).",
    )


class ContactMomentSerializer(serializers.ModelSerializer):
    organisation = SafeSlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False
    )
    location = SafeSlugRelatedField(
        slug_field="uuid", queryset=Location.objects.all(), required=False, allow_null=True
    )
    resident = SafeSlugRelatedField(
        slug_field="uuid", queryset=Resident.objects.all(), required=False, allow_null=True
    )
    service = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=Service.objects.all(),
        required=False,
        allow_null=True,
        help_text="De dienst uit de catalogus waar de vraag over ging (id uit de routering).",
    )
    staff = SafeSlugRelatedField(slug_field="uuid", read_only=True)
    staff_name = serializers.CharField(source="staff.get_full_name", read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    question = serializers.CharField(max_length=MAX_TEXT)
    answer = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    started_at = MomentField(required=False)
    ended_at = MomentField(required=False, allow_null=True)
    callback = CallbackSerializer(
        required=False,
        write_only=True,
        help_text="Bij de uitkomst `terugbelverzoek` verplicht: wie terugbelt en op welk nummer "
        "(de taak staat daarna in /api/v1/tasks/).",
    )

    class Meta:
        model = ContactMoment
        fields = [
            "uuid",
            "organisation",
            "location",
            "staff",
            "staff_name",
            "resident",
            "service",
            "channel",
            "question",
            "answer",
            "outcome",
            "extra_help_needed",
            "counsellor_mentioned",
            "started_at",
            "ended_at",
            "callback",
        ]
        read_only_fields = ["uuid", "staff", "staff_name"]
        extra_kwargs = {"started_at": {"required": False}, "ended_at": {"required": False}}

    def to_representation(self, contact):
        """Output built directly from the (select_related) instance: the same fields and formats
        as the declared serializer fields, without DRF's per-field machinery, which was the
        largest CPU cost of the history endpoint (bench/README.md)."""
        return {
            "uuid": str(contact.uuid),
            "organisation": contact.organisation.code,
            "location": str(contact.location.uuid) if contact.location_id else None,
            "staff": str(contact.staff.uuid),
            "staff_name": contact.staff.get_full_name(),
            "resident": str(contact.resident.uuid) if contact.resident_id else None,
            "service": str(contact.service.uuid) if contact.service_id else None,
            "channel": contact.channel,
            "question": contact.question,
            "answer": contact.answer,
            "outcome": contact.outcome,
            "extra_help_needed": contact.extra_help_needed,
            "counsellor_mentioned": contact.counsellor_mentioned,
            "started_at": _iso(contact.started_at),
            "ended_at": _iso(contact.ended_at),
        }


def _iso(value):
    """DRF's DateTimeField output: ISO 8601 in the current time zone, 'Z' for UTC."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class ContactMomentFilter(filters.FilterSet):
    resident = filters.UUIDFilter(field_name="resident__uuid")
    channel = filters.ChoiceFilter(choices=Channel.choices)
    outcome = filters.ChoiceFilter(choices=Outcome.choices)
    organisation = filters.CharFilter(field_name="organisation__code")
    started_after = DateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = DateTimeFilter(field_name="started_at", lookup_expr="lt")
    extra_help_needed = BooleanFilter()

    class Meta:
        model = ContactMoment
        fields = []


class ContactMomentViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Contact moments of your own organisations, newest first (cursor pagination)."""

    serializer_class = ContactMomentSerializer
    filterset_class = ContactMomentFilter
    pagination_class = NewestFirstCursorPagination
    lookup_field = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return ContactMoment.objects.none()
        return selectors.visible_contacts(self.request.user).select_related(
            "organisation", "location", "staff", "resident", "service"
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None) or []
        selectors.log_contacts_read(request.user, page, channel="api", object_type="contact-list")
        return response

    def retrieve(self, request, uuid=None):
        contact = selectors.get_contact(request.user, uuid, channel="api")
        return Response(self.get_serializer(contact).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "callback" in data:
            callback = dict(data["callback"])
            callback["assigned_to"] = callback.pop("assignee", None)
            data["callback"] = callback
        contact = services.register_contact(user=request.user, via="api", **data)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)
