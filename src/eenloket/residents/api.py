from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eenloket.core.api import BirthDateField, SafeSlugRelatedField
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope

from . import selectors, services
from .access import FIELD_DATA, VisibleResident
from .models import DATA_FIELDS, Household, Resident

FIELDS = ["uuid", *DATA_FIELDS]

BASIS = inline_serializer(
    "ResidentAccessBasis",
    {
        "kind": serializers.ChoiceField(
            choices=[
                "woongemeente",
                "opzoeking",
                "zelf-vastgelegd",
                "eigen-contact",
                "doorverwijzing",
                "afspraak",
            ],
            help_text="Soort grondslag.",
        ),
        "organisation": serializers.CharField(help_text="Code van uw organisatie."),
        "label": serializers.CharField(help_text="Wat de grondslag is, in gewone taal."),
        "legal_ground": serializers.CharField(),
        "data": serializers.ListField(
            child=serializers.CharField(), help_text="Welke gegevens deze grondslag opent."
        ),
        "until": serializers.DateTimeField(
            allow_null=True, help_text="Tot wanneer; null: zolang de bron loopt."
        ),
        "until_text": serializers.CharField(),
    },
    many=True,
)


class ResidentSerializer(serializers.ModelSerializer):
    """A resident as your organisation may see them: parts without a basis are null, and
    `access` says on which basis you see the rest, and until when."""

    household = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=Household.objects.all(),
        required=False,
        allow_null=True,
        help_text="Alleen de woongemeente van de inwoner kan een huishouden kiezen.",
    )
    municipality = SafeSlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.filter(type="gemeente"),
        required=False,
        allow_null=True,
        help_text="Woongemeente (code). Alleen een gemeente legt dit vast, en alleen zichzelf.",
    )
    bsn = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=12)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=7)  # "7511 GB"
    birth_date = BirthDateField(required=False, allow_null=True)
    access = serializers.SerializerMethodField(
        help_text="Waarom uw organisatie deze gegevens ziet, en tot wanneer."
    )

    class Meta:
        model = Resident
        fields = [*FIELDS, "access"]
        read_only_fields = ["uuid"]
        extra_kwargs = {
            name: {"allow_null": True}
            for name in FIELDS
            if name in FIELD_DATA and name not in ("bsn", "household", "municipality")
        }

    @extend_schema_field(BASIS)
    def get_access(self, resident):
        if not isinstance(resident, VisibleResident):
            return []
        codes = self.context.get("organisation_codes", {})
        return [
            {
                "kind": b.kind,
                "organisation": codes.get(b.organisation_id, ""),
                "label": b.label,
                "legal_ground": b.legal_ground,
                "data": sorted(b.data),
                "until": serializers.DateTimeField().to_representation(b.until)
                if b.until
                else None,
                "until_text": b.until_text,
            }
            for b in resident.access.bases
        ]


class BsnKeySerializer(serializers.Serializer):
    bsn = serializers.CharField(max_length=12, help_text="BSN (11-proef), spaties mogen.")


class NameKeySerializer(serializers.Serializer):
    surname = serializers.CharField(max_length=200)
    birth_date = BirthDateField()


class AddressKeySerializer(serializers.Serializer):
    postcode = serializers.CharField(max_length=7, help_text="Bijvoorbeeld 7511 GB.")
    house_number = serializers.IntegerField(min_value=1, max_value=99999)


SEARCH_KEYS = (BsnKeySerializer, NameKeySerializer, AddressKeySerializer)


def search_key(data) -> dict:
    """Exactly one search key — a BSN, a surname with birth date, or a postcode with house
    number — validated. In the body, not the URL: a BSN does not belong in web server logs."""
    given = [k for k in SEARCH_KEYS if isinstance(data, dict) and set(k().fields) & set(data)]
    if len(given) != 1 or set(data) - set(given[0]().fields):
        raise DjangoValidationError(
            _(
                "Zoek met één sleutel: BSN, of achternaam met geboortedatum, of postcode met "
                "huisnummer."
            ),
            code="search_key_missing",
        )
    key = given[0](data=data)
    key.is_valid(raise_exception=True)
    return key.validated_data


def _key_schema(properties: dict) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


SEARCH_REQUEST = {
    "application/json": {
        "oneOf": [
            _key_schema({"bsn": {"type": "string", "minLength": 1, "maxLength": 12}}),
            _key_schema(
                {
                    "surname": {"type": "string", "minLength": 1, "maxLength": 200},
                    "birth_date": {"type": "string", "format": "date"},
                }
            ),
            _key_schema(
                {
                    "postcode": {"type": "string", "minLength": 1, "maxLength": 7},
                    "house_number": {"type": "integer", "minimum": 1, "maximum": 99999},
                }
            ),
        ],
        "description": "Eén zoeksleutel: BSN, of achternaam met geboortedatum, of postcode met "
        "huisnummer.",
    }
}
PROBLEM = OpenApiResponse(description="Problem (RFC 7807, application/problem+json).")


class ResidentViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Residents, as far as a recorded basis allows. Searching needs an exact key that your
    organisation is authorised for; every result read is logged."""

    serializer_class = ResidentSerializer
    lookup_field = "uuid"
    queryset = Resident.objects.none()
    pagination_class = None

    @extend_schema(
        request=SEARCH_REQUEST,
        responses={
            200: inline_serializer(
                "ResidentSearchResults", {"results": ResidentSerializer(many=True)}
            ),
            400: PROBLEM,
            401: PROBLEM,
            403: OpenApiResponse(
                description="Uw organisatie mag niet (op deze sleutel) in het register zoeken."
            ),
        },
        summary="Inwoner zoeken op BSN, achternaam + geboortedatum of postcode + huisnummer",
        description="Een gemeente vindt haar eigen inwoners op elke sleutel en iedereen op BSN; "
        "een uitvoeringsorganisatie alleen op BSN; een partnerorganisatie zoekt niet. Elke "
        "gevonden inwoner is een vastgelegde opzoeking (grondslag voor vandaag) en een "
        "logregel.",
    )
    @action(detail=False, methods=["post"], url_name="api-search")  # not the UI's "resident-search"
    def search(self, request):
        key = search_key(request.data)
        try:
            residents = selectors.search_residents(request.user, channel="api", **key)
        except DjangoValidationError as exc:
            if exc.code == "invalid_bsn":
                raise DjangoValidationError({"bsn": exc.error_list}) from exc
            raise
        data = ResidentSerializer(residents, many=True, context=_context(request)).data
        return Response({"results": data})

    @extend_schema(responses={200: ResidentSerializer, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM})
    def retrieve(self, request, uuid=None):
        resident = selectors.get_resident(request.user, uuid, channel="api")
        return Response(ResidentSerializer(resident, context=_context(request)).data)

    @extend_schema(responses={201: ResidentSerializer, 400: PROBLEM, 401: PROBLEM, 403: PROBLEM})
    def create(self, request):
        serializer = ResidentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resident = services.create_resident(
            user=request.user, via="api", **serializer.validated_data
        )
        visible = VisibleResident(resident, selectors.access_for(request.user, resident))
        data = ResidentSerializer(visible, context=_context(request)).data
        return Response(data, status=status.HTTP_201_CREATED)


def _context(request) -> dict:
    scope = get_scope(request.user)
    return {"request": request, "organisation_codes": {pk: c for pk, c, _t in scope.organisations}}
