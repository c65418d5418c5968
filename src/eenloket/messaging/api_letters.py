"""API of letters and letter templates (OpenAPI via drf-spectacular).

`/api/v1/letter-templates/`: staff read the shared (landelijke) templates and those of their own
organisations; the functional admin of an organisation creates and changes its own (every save
is a new version). Variables come from the documented safe set only: anything else is a 400
problem with a Dutch message.

`POST /api/v1/letters/`: staff with a basis for the resident make a letter from a template: it
is rendered, archived (with its PDF, the named contact person and the template version) and
queued on the resident's channel (or the representative's). `GET /api/v1/letters/{uuid}/` and
`/api/v1/letters/{uuid}/pdf` are for the organisation that sent it and staff with a basis for
the resident; anyone else gets 404. Reading a letter is logged."""

import json

from django.db import transaction
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, renderers, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from eenloket.core.api import DefaultPagination, SafeSlugRelatedField
from eenloket.core.errors import NotFound
from eenloket.organisations.models import Organisation
from eenloket.organisations.permissions import CanWorkWithContacts, IsStaffMember
from eenloket.residents import selectors as resident_selectors
from eenloket.residents.services import acting_organisation

from . import letters, selectors, services
from .models import Letter, LetterTemplate, MessageChannel

PROBLEM = OpenApiResponse(description="Problem (RFC 7807, application/problem+json).")
ERRORS = {
    400: OpenApiResponse(description="Ongeldige invoer: problem+json met `invalid_params`."),
    401: PROBLEM,
    403: PROBLEM,
    404: PROBLEM,
}
DATETIME_VARIABLES = {"terugbellen_voor", "contact_voor", "contact_datum", "antwoord_voor"}


# ---- templates -------------------------------------------------------------------------------------
class LetterTemplateSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    shared = serializers.SerializerMethodField()
    variables = serializers.SerializerMethodField()

    class Meta:
        model = LetterTemplate
        fields = [
            "uuid",
            "key",
            "language",
            "organisation",
            "shared",
            "name",
            "subject",
            "body",
            "short_text",
            "version",
            "is_active",
            "updated_at",
            "variables",
        ]
        read_only_fields = fields

    def get_shared(self, template) -> bool:
        return template.organisation_id is None

    def get_variables(self, template) -> list[str]:
        return list(letters.variables_for(template.key))


class LetterTemplateWriteSerializer(serializers.Serializer):
    organisation = SafeSlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Code van de organisatie (standaard: de organisatie waarvan u beheerder bent).",
    )
    key = serializers.SlugField(max_length=60, required=False)
    language = serializers.ChoiceField(choices=["nl", "en"], default="nl")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField()
    short_text = serializers.CharField(max_length=480, required=False, allow_blank=True, default="")


class LetterTemplateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Letter templates: shared ones and those of your organisations."""

    serializer_class = LetterTemplateSerializer
    permission_classes = [IsStaffMember]
    pagination_class = DefaultPagination
    filter_backends = []
    lookup_field = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LetterTemplate.objects.none()
        return selectors.visible_templates(self.request.user).order_by(
            "key", "language", "organisation_id", "id"
        )

    @extend_schema(
        summary="Briefsjablonen (landelijk en van uw organisatie)",
        responses={200: LetterTemplateSerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Eén briefsjabloon", responses={200: LetterTemplateSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Eigen briefsjabloon maken (functioneel beheerder)",
        request=LetterTemplateWriteSerializer,
        responses={201: LetterTemplateSerializer, **ERRORS},
    )
    def create(self, request):
        body = LetterTemplateWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = data.pop("organisation", None)
        if organisation is None:
            admins = selectors.admin_organisations(request.user)
            organisation = admins[0] if admins else None
        if organisation is None:
            raise exceptions.PermissionDenied(_("Alleen een functioneel beheerder mag dit."))
        if not data.get("key"):
            raise exceptions.ValidationError({"key": [_("Kies de soort brief.")]})
        template = services.save_template(user=request.user, organisation=organisation, **data)
        return Response(LetterTemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    def _update(self, request, uuid, partial):
        template = self.get_object()
        body = LetterTemplateWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = {
            k: v
            for k, v in body.validated_data.items()
            if k in ("name", "subject", "body", "short_text")
        }
        current = {
            "name": "",
            "subject": template.subject,
            "body": template.body,
            "short_text": template.short_text,
        }
        template = services.save_template(
            user=request.user, template=template, **{**current, **data}
        )
        return Response(LetterTemplateSerializer(template).data)

    @extend_schema(
        summary="Eigen briefsjabloon wijzigen: een nieuwe versie (functioneel beheerder)",
        request=LetterTemplateWriteSerializer,
        responses={200: LetterTemplateSerializer, **ERRORS},
    )
    def update(self, request, uuid=None):
        return self._update(request, uuid, partial=False)

    @extend_schema(
        summary="Eigen briefsjabloon deels wijzigen: een nieuwe versie",
        request=LetterTemplateWriteSerializer,
        responses={200: LetterTemplateSerializer, **ERRORS},
    )
    def partial_update(self, request, uuid=None):
        return self._update(request, uuid, partial=True)


# ---- letters ---------------------------------------------------------------------------------------
class LetterSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    organisation = serializers.CharField(source="organisation.code")
    resident = serializers.UUIDField(source="resident.uuid")
    representative = serializers.SerializerMethodField()
    template_key = serializers.CharField(source="template_version.template.key")
    template_version = serializers.IntegerField(source="template_version.number")
    language = serializers.CharField()
    recipient_name = serializers.CharField()
    address_lines = serializers.ListField(child=serializers.CharField())
    subject = serializers.CharField()
    body = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    exemption_applied = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    channel = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()

    def _message(self, letter):
        try:
            return letter.message
        except letter.__class__.message.RelatedObjectDoesNotExist:
            return None

    def get_representative(self, letter) -> str | None:
        return str(letter.representative.uuid) if letter.representative_id else None

    def get_channel(self, letter) -> str | None:
        message = self._message(letter)
        return message.channel if message else None

    def get_state(self, letter) -> str | None:
        message = self._message(letter)
        return message.state if message else None

    def get_pdf(self, letter) -> str:
        request = self.context.get("request")
        path = reverse("api-letter-pdf", args=[letter.uuid])
        return request.build_absolute_uri(path) if request else path


class LetterCreateSerializer(serializers.Serializer):
    template_key = serializers.SlugField(max_length=60)
    resident = serializers.UUIDField(help_text="UUID van de inwoner.")
    channel = serializers.ChoiceField(
        choices=[MessageChannel.EMAIL, MessageChannel.SMS, MessageChannel.POST],
        required=False,
        help_text="Zonder kanaal: de voorkeur van de inwoner (met de vaste terugval).",
    )
    context = serializers.DictField(
        child=serializers.CharField(max_length=500),
        required=False,
        default=dict,
        help_text="Waarden voor de variabelen van deze soort brief; tijden in ISO 8601.",
    )

    def validate_context(self, value):
        parsed = {}
        for name, raw in value.items():
            if name in DATETIME_VARIABLES:
                moment = parse_datetime(raw)
                if moment is None or moment.tzinfo is None:
                    raise serializers.ValidationError(
                        _("%(name)s: geef een tijd met tijdzone, zoals 2026-12-07T16:00:00+01:00.")
                        % {"name": name}
                    )
                parsed[name] = moment
            else:
                parsed[name] = raw
        return parsed


class LetterCreatedSerializer(LetterSerializer):
    also_sent_to = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="Andere brieven die tegelijk zijn gemaakt (inwoner én vertegenwoordiger).",
    )


class PDFRenderer(renderers.BaseRenderer):
    """application/pdf for the letter itself; an error (a dict) is still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | bytearray | memoryview):
            return bytes(data)
        return json.dumps(data).encode()


class LetterViewSet(viewsets.GenericViewSet):
    """Letters to residents: make one, read one, its PDF."""

    permission_classes = [CanWorkWithContacts]
    serializer_class = LetterSerializer
    filter_backends = []
    lookup_field = "uuid"
    queryset = Letter.objects.none()  # for the schema's path type only: reads go via selectors

    @extend_schema(
        summary="Brief maken en versturen (naar het kanaal van de inwoner)",
        request=LetterCreateSerializer,
        responses={201: LetterCreatedSerializer, **ERRORS},
    )
    def create(self, request):
        body = LetterCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            resident = resident_selectors.get_resident(
                request.user, data["resident"], channel="api"
            )
        except NotFound as exc:
            raise exceptions.NotFound(str(exc)) from exc
        organisation = acting_organisation(request.user)
        with transaction.atomic():
            made = services.create_letter(
                user=request.user,
                organisation=organisation,
                resident=resident,
                template_key=data["template_key"],
                context=data.get("context") or {},
                channel=data.get("channel"),
                via="api",
            )
        first = selectors.get_letter(request.user, made[0].uuid, channel="api", log=False)
        first.also_sent_to = [letter.uuid for letter in made[1:]]
        out = LetterCreatedSerializer(first, context={"request": request}).data
        return Response(out, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Eén brief", responses={200: LetterSerializer, **ERRORS})
    def retrieve(self, request, uuid=None):
        letter = selectors.get_letter(request.user, uuid, channel="api")
        return Response(LetterSerializer(letter, context={"request": request}).data)


class LetterPdfView(APIView):
    """The letter as PDF/UA: for the organisation that sent it, or staff with a basis for the
    resident (404 for anyone else); the read is logged."""

    permission_classes = [CanWorkWithContacts]
    renderer_classes = [PDFRenderer, renderers.JSONRenderer]

    @extend_schema(
        summary="De brief als PDF (PDF/UA)",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            401: PROBLEM,
            403: PROBLEM,
            404: PROBLEM,
        },
    )
    def get(self, request, uuid=None):
        letter = selectors.get_letter(request.user, uuid, channel="api")
        response = Response(bytes(letter.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="brief-{letter.uuid}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
