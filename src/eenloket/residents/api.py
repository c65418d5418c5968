from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from eenloket.core.api import SafeSlugRelatedField

from . import selectors, services
from .models import Household, Resident


class ResidentSerializer(serializers.ModelSerializer):
    household = SafeSlugRelatedField(
        slug_field="uuid", queryset=Household.objects.all(), required=False, allow_null=True
    )
    bsn = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=12)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=7)  # "7511 GB"

    class Meta:
        model = Resident
        fields = [
            "uuid",
            "bsn",
            "given_names",
            "surname_prefix",
            "surname",
            "birth_date",
            "street",
            "house_number",
            "house_number_addition",
            "postcode",
            "city",
            "phone",
            "email",
            "preferred_channel",
            "language",
            "household",
            "needs_mobility",
            "needs_visual",
            "needs_hearing",
            "needs_cognitive",
            "needs_other",
            "needs_notes",
        ]
        read_only_fields = ["uuid"]


class ResidentSearchSerializer(serializers.Serializer):
    bsn = serializers.CharField(required=False, max_length=12)
    surname = serializers.CharField(required=False, max_length=200)
    birth_date = serializers.DateField(required=False)
    postcode = serializers.CharField(required=False, max_length=7)
    house_number = serializers.IntegerField(required=False, min_value=1)


class ResidentViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Residents. Listing needs an exact search key; every result read is logged."""

    serializer_class = ResidentSerializer
    lookup_field = "uuid"
    queryset = Resident.objects.none()
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("bsn", OpenApiTypes.STR),
            OpenApiParameter("surname", OpenApiTypes.STR),
            OpenApiParameter("birth_date", OpenApiTypes.DATE),
            OpenApiParameter("postcode", OpenApiTypes.STR),
            OpenApiParameter("house_number", OpenApiTypes.INT),
        ],
        responses=ResidentSerializer(many=True),
        summary="Inwoner zoeken op BSN, achternaam + geboortedatum of postcode + huisnummer",
    )
    def list(self, request):
        params = ResidentSearchSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            residents = selectors.search_residents(
                request.user, channel="api", **params.validated_data
            )
        except DjangoValidationError as exc:
            if exc.code == "invalid_bsn":
                raise DjangoValidationError({"bsn": exc.error_list}) from exc
            raise
        return Response({"results": ResidentSerializer(residents, many=True).data})

    def retrieve(self, request, uuid=None):
        resident = selectors.get_resident(request.user, uuid, channel="api")
        return Response(ResidentSerializer(resident).data)

    def create(self, request):
        serializer = ResidentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resident = services.create_resident(
            user=request.user, via="api", **serializer.validated_data
        )
        return Response(ResidentSerializer(resident).data, status=status.HTTP_201_CREATED)
