from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from eenloket.core.api import OptionalURLField
from eenloket.core.errors import NotFound
from eenloket.organisations.models import OrganisationType

from . import engine, selectors
from .models import Service

NO_NUL = r"^[^\x00]*$"
MUNICIPALITY = OpenApiParameter(
    "municipality",
    {"type": "string", "pattern": NO_NUL},
    description="Code van de gemeente waarvan eigen diensten en teksten gelden "
    "(standaard: uw eigen gemeente). Een onbekende code geeft 400 (`does_not_exist`).",
)


class ServiceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organisation = serializers.CharField(source="organisation_type")
    municipality = serializers.SlugRelatedField(
        source="tenant",
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Code van de gemeente bij een eigen dienst; null bij een landelijke dienst.",
    )
    legal_basis_url = OptionalURLField(read_only=True)
    upl_uri = OptionalURLField(read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "code",
            "name",
            "description",
            "how_to_apply",
            "channels",
            "legal_basis",
            "legal_basis_url",
            "upl_uri",
            "organisation",
            "municipality",
            "keywords",
            "english",
        ]
        read_only_fields = fields


class ServiceFilter(filters.FilterSet):
    organisation = filters.ChoiceFilter(
        field_name="organisation_type", choices=OrganisationType.choices
    )

    class Meta:
        model = Service
        fields = []


@extend_schema(parameters=[MUNICIPALITY])
class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    """The service catalogue: national services plus the municipality's own, with its texts."""

    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    lookup_field = "uuid"

    def tenant(self):
        if not hasattr(self, "_tenant"):
            self._tenant = selectors.tenant_for(
                self.request.user, self.request.query_params.get("municipality")
            )
        return self._tenant

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Service.objects.none()
        return selectors.services_for(self.tenant())

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = selectors.with_overrides(self.paginate_queryset(queryset), self.tenant())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        try:
            service = selectors.get_service(kwargs["uuid"], self.tenant())
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        return Response(self.get_serializer(service).data)


SUGGESTION = inline_serializer(
    "RoutingSuggestion",
    {
        "service": inline_serializer(
            "RoutingService",
            {
                "id": serializers.UUIDField(),
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "description": serializers.CharField(),
                "how_to_apply": serializers.CharField(),
                "channels": serializers.ListField(child=serializers.CharField()),
                "legal_basis": serializers.CharField(),
                "legal_basis_url": serializers.CharField(),
                "upl_uri": serializers.CharField(),
                "organisation": serializers.CharField(),
                "local": serializers.BooleanField(),
            },
        ),
        "organisation": serializers.ChoiceField(choices=OrganisationType.choices),
        "score": serializers.FloatField(),
        "reason": serializers.CharField(),
        "matched_terms": serializers.ListField(child=serializers.CharField()),
        "learned_from_outcomes": inline_serializer(
            "LearnedFromOutcomes",
            {"municipality": serializers.IntegerField(), "national": serializers.IntegerField()},
        ),
    },
)


class RoutingSuggestView(APIView):
    """Which services, of which organisations, can help with this question? Ranked; the reason
    names the matched words and whether earlier outcomes support the suggestion."""

    @extend_schema(
        operation_id="routing_suggest",
        parameters=[
            OpenApiParameter(
                "q",
                {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": engine.MAX_QUERY_CHARS,
                    # at least one character that is not a space; no NUL characters
                    "pattern": r"^[^\x00]*[^\s\x00][^\x00]*$",
                },
                required=True,
                description="De vraag (niet leeg).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": engine.MAX_LIMIT},
                description=f"Hoeveel suggesties, 1 tot en met {engine.MAX_LIMIT} (standaard "
                f"{selectors.DEFAULT_LIMIT}).",
            ),
            MUNICIPALITY,
        ],
        responses=inline_serializer(
            "RoutingSuggestions", {"results": serializers.ListField(child=SUGGESTION)}
        ),
    )
    def get(self, request):
        params = request.query_params
        tenant = selectors.tenant_for(request.user, params.get("municipality"))
        suggestions = selectors.suggest(
            params.get("q"), limit=params.get("limit") or selectors.DEFAULT_LIMIT, tenant=tenant
        )
        return Response({"results": [suggestion_json(s) for s in suggestions]})


def suggestion_json(s):
    return {
        "service": s.service,
        "organisation": s.organisation,
        "score": s.score,
        "reason": s.reason,
        "matched_terms": s.matched_terms,
        "learned_from_outcomes": {"municipality": s.learned_local, "national": s.learned_national},
    }
