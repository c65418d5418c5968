from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from eenloket.core.api import LocalTimeField, OptionalURLField

from . import selectors
from .models import Location, Membership, OpeningHours, Organisation, Team


class OrganisationSerializer(serializers.ModelSerializer):
    website = OptionalURLField(required=False, allow_blank=True)

    class Meta:
        model = Organisation
        fields = ["uuid", "code", "type", "name", "municipality_code", "phone", "website"]


class TeamSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Team
        fields = ["uuid", "organisation", "name", "description", "phone", "email"]


class OpeningHoursSerializer(serializers.ModelSerializer):
    opens = LocalTimeField()
    closes = LocalTimeField()

    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]


class LocationSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    guest_organisations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    opening_hours = OpeningHoursSerializer(many=True, read_only=True)

    class Meta:
        model = Location
        fields = [
            "uuid",
            "organisation",
            "name",
            "street",
            "house_number",
            "postcode",
            "city",
            "phone",
            "opening_hours",
            "guest_organisations",
        ]


class DirectoryEntrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name")
    job_title = serializers.CharField(source="user.job_title")
    direct_phone = serializers.CharField(source="user.direct_phone")
    email = serializers.EmailField(source="user.email")
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name")
    team = serializers.CharField(source="team.name", default="")
    team_uuid = serializers.UUIDField(source="team.uuid", default=None)

    class Meta:
        model = Membership
        fields = [
            "uuid",
            "name",
            "job_title",
            "direct_phone",
            "email",
            "organisation",
            "organisation_name",
            "team",
            "team_uuid",
            "role",
        ]


class OrganisationFilter(filters.FilterSet):
    type = filters.ChoiceFilter(choices=Organisation._meta.get_field("type").choices)

    class Meta:
        model = Organisation
        fields = ["type", "code"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """All organisations with their canonical code."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return selectors.organisation_list()


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    lookup_field = "uuid"
    filterset_fields = {"organisation__code": ["exact"]}

    def get_queryset(self):
        return selectors.team_list()


class LocationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LocationSerializer
    lookup_field = "uuid"
    filterset_fields = {"organisation__code": ["exact"], "city": ["iexact"]}

    def get_queryset(self):
        return selectors.location_list()


class DirectoryFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Zoekterm (naam, team, onderwerp)")
    organisation = filters.CharFilter(field_name="organisation__code")

    class Meta:
        model = Membership
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset & selectors.staff_directory(query=value)


@extend_schema_view(
    list=extend_schema(summary="Medewerkersgids: vaste aanspreekpunten per team"),
)
class StaffDirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DirectoryEntrySerializer
    filterset_class = DirectoryFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return selectors.staff_directory()
