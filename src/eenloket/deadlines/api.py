"""API of legal terms: the term arithmetic (/api/v1/deadlines/due-date), the request types, and
tracked requests with their steps (suspend, resume, extend with notice, delay notice,
ingebrekestelling, decide, withdraw). Reads through `selectors` (the request's organisation;
anyone else gets 404), steps through `services`. Errors are RFC 7807 problem+json (core.api); a
step that does not fit the state is 409 invalid_transition, an extension after the term ended
409 term_expired, an extension the law does not allow 409 no_extension."""

import datetime as dt
import uuid

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from eenloket.contacts.models import ContactMoment
from eenloket.core.api import (
    ERRORS,
    PROBLEM,
    NewestFirstCursorPagination,
    SafeSlugRelatedField,
    state_errors,
)
from eenloket.core.terms import ISO_PATTERN, Regime, TermError, compute_due_date
from eenloket.organisations.models import Organisation, Team, User
from eenloket.organisations.permissions import CanWorkWithContacts, IsStaffMember
from eenloket.referrals.models import Referral
from eenloket.residents.models import Resident

from . import selectors, services
from .models import DelayNotice, RequestType, TrackedRequest

STATE_ERRORS = state_errors(
    "Kan niet in de huidige stand (`code`: invalid_transition), de termijn is "
    "al verlopen (term_expired) of de wet staat geen verlenging toe (no_extension)."
)
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2199, 12, 31)


def _bad(field, message):
    return serializers.ValidationError({field: [message]})


# ---- the arithmetic -------------------------------------------------------------------------------
class DueDateView(APIView):
    """The due date of a legal term, counted as the law counts it, with its explanation."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        summary="Einddatum van een termijn (Awb, Algemene termijnenwet, EU 1182/71)",
        parameters=[
            OpenApiParameter(
                "start",
                {"type": "string", "format": "date", "pattern": r"^2[01]\d\d-"},
                required=True,
                description="De dag van de gebeurtenis (ontvangst of verzending); de termijn "
                "begint de dag erna.",
            ),
            OpenApiParameter(
                "term",
                {"type": "string", "pattern": ISO_PATTERN},
                required=True,
                description="ISO 8601-duur in dagen, weken, maanden of jaren: P10D, P6W, P1M.",
            ),
            OpenApiParameter(
                "regime",
                OpenApiTypes.STR,
                enum=list(Regime.values),
                description="atw (standaard): wettelijke termijn; eu: EU-recht (1182/71); "
                "kalender: geen verschuiving.",
            ),
        ],
        responses={
            200: inline_serializer(
                "DueDate",
                {
                    "due_date": serializers.DateField(),
                    "explanation": serializers.CharField(),
                    "rules": serializers.ListField(child=serializers.CharField()),
                    "regime": serializers.CharField(),
                },
            ),
            400: ERRORS[400],
            401: PROBLEM,
            403: PROBLEM,
        },
    )
    def get(self, request):
        params = request.query_params
        try:
            start = dt.date.fromisoformat(params.get("start", ""))
        except ValueError:
            raise _bad("start", _("Geef de begindatum als JJJJ-MM-DD.")) from None
        if not FIRST_DAY <= start <= LAST_DAY:
            raise _bad("start", _("Kies een datum tussen 2000 en 2199."))
        regime = params.get("regime") or Regime.ATW
        if regime not in Regime.values:
            raise _bad("regime", _("Kies atw, eu of kalender."))
        try:
            result = compute_due_date(start=start, term=params.get("term", ""), regime=regime)
        except TermError as exc:
            raise _bad("term", str(exc)) from None
        return Response(
            {
                "due_date": result.due_date.isoformat(),
                "explanation": result.explanation,
                "rules": list(result.rules),
                "regime": regime,
            }
        )


# ---- output ---------------------------------------------------------------------------------------
class RequestTypeSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Leeg: uit de wet, voor allen.",
    )

    class Meta:
        model = RequestType
        fields = [
            "uuid",
            "code",
            "name",
            "organisation",
            "regime",
            "term",
            "term_with_committee",
            "article",
            "starts",
            "extension",
            "extension_article",
            "further_with_consent",
            "penalty_applies",
            "notice_sets_term",
            "warn_working_days",
        ]
        read_only_fields = fields


class SuspensionSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    respond_by = serializers.DateField(
        allow_null=True, help_text="De laatste dag die de inwoner kreeg om aan te vullen."
    )
    reason = serializers.CharField()
    days = serializers.IntegerField()


class NoticeSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    sent_on = serializers.DateField()
    timely = serializers.BooleanField(help_text="Verstuurd op of voor de einddatum.")
    due_date_then = serializers.DateField()
    expected_on = serializers.DateField()
    reason = serializers.CharField()
    channel = serializers.CharField()
    extension = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_extension(self, notice):
        return hasattr(notice, "extension")


class ExtensionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    term = serializers.CharField()
    article = serializers.CharField()
    reason = serializers.CharField()
    due_date_before = serializers.DateField()
    due_date_after = serializers.DateField()


class RequestSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    request_type = RequestTypeSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    resident = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    handler = serializers.SerializerMethodField()
    suspensions = SuspensionSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    notices = NoticeSerializer(many=True, read_only=True)
    penalty = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    due_explanation = serializers.SerializerMethodField(
        help_text="Hoe de termijn is geteld, met de wetsartikelen (in de taal van de lezer)."
    )
    zaak_url = serializers.CharField(
        read_only=True, help_text="Link naar de zaak in het zaaksysteem, of leeg."
    )

    class Meta:
        model = TrackedRequest
        fields = [
            "uuid",
            "reference",
            "organisation",
            "organisation_name",
            "request_type",
            "subject",
            "resident",
            "team",
            "handler",
            "zaak_url",
            "received_on",
            "decision_published_on",
            "advisory_committee",
            "state",
            "state_label",
            "original_due_date",
            "due_date",
            "due_explanation",
            "days_left",
            "expected_on",
            "decided_on",
            "decided_in_time",
            "default_notice_on",
            "suspensions",
            "extensions",
            "notices",
            "penalty",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.UUID)
    def get_resident(self, obj):
        return str(obj.resident.uuid) if obj.resident_id else None

    @extend_schema_field(
        inline_serializer(
            "RequestTeam", {"uuid": serializers.UUIDField(), "name": serializers.CharField()}
        )
    )
    def get_team(self, obj):
        return {"uuid": str(obj.team.uuid), "name": obj.team.name}

    @extend_schema_field(
        inline_serializer(
            "RequestHandler",
            {"uuid": serializers.UUIDField(), "name": serializers.CharField()},
            allow_null=True,
        )
    )
    def get_handler(self, obj):
        if obj.handler_id is None:
            return None
        return {"uuid": str(obj.handler.uuid), "name": obj.handler.get_full_name()}

    @extend_schema_field(OpenApiTypes.STR)
    def get_due_explanation(self, obj):
        return services.count(obj).explanation

    @extend_schema_field(
        inline_serializer(
            "RequestPenalty",
            {"days": serializers.IntegerField(), "euros": serializers.IntegerField()},
        )
    )
    def get_penalty(self, obj):
        days, euros = services.penalty(obj)
        return {"days": days, "euros": euros}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, obj):
        return selectors.available_actions(self.context["request"].user, obj)


# ---- input ----------------------------------------------------------------------------------------
class DateInput(serializers.DateField):
    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise serializers.ValidationError(_("Kies een datum tussen 2000 en 2199."))
        return day


class RegisterSerializer(serializers.Serializer):
    organisation = SafeSlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    request_type = serializers.SlugField(help_text="Code van de soort verzoek (request-types).")
    subject = serializers.CharField(max_length=200)
    team = SafeSlugRelatedField(slug_field="uuid", queryset=Team.objects.all())
    received_on = DateInput()
    resident = SafeSlugRelatedField(
        slug_field="uuid", queryset=Resident.objects.all(), required=False, allow_null=True
    )
    handler = SafeSlugRelatedField(
        slug_field="uuid", queryset=User.objects.all(), required=False, allow_null=True
    )
    contact = SafeSlugRelatedField(
        slug_field="uuid", queryset=ContactMoment.objects.all(), required=False, allow_null=True
    )
    referral = SafeSlugRelatedField(
        slug_field="uuid", queryset=Referral.objects.all(), required=False, allow_null=True
    )
    zaak_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    decision_published_on = DateInput(required=False, allow_null=True)
    advisory_committee = serializers.BooleanField(required=False, default=False)


class SuspendInput(serializers.Serializer):
    starts_on = DateInput(help_text="De dag waarop de inwoner is gevraagd het aan te vullen.")
    reason = serializers.CharField(max_length=300)
    respond_by = DateInput(
        required=False,
        allow_null=True,
        help_text="De laatste dag die de inwoner kreeg om aan te vullen (Awb 4:15 lid 1 "
        "onder a). Daarna loopt de termijn vanzelf weer. Leeg bij uitstel met instemming.",
    )


class ResumeInput(serializers.Serializer):
    ends_on = DateInput(help_text="De dag waarop de aanvulling binnenkwam.")


class ExtendInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    term = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Standaard: wat de wet toestaat."
    )
    consent_note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class NoticeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    expected_on = DateInput(
        help_text="De nieuwe datum. Bij een soort met `notice_sets_term` (Awb 4:14 lid 3) is "
        "dit, als het bericht op tijd is, de nieuwe einddatum."
    )


class DefaultInput(serializers.Serializer):
    received_on = DateInput()


class DecideInput(serializers.Serializer):
    decided_on = DateInput()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class WithdrawInput(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


# ---- viewsets ---------------------------------------------------------------------------------------
class RequestTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Request types: the shared ones from the law and the organisations' own."""

    serializer_class = RequestTypeSerializer
    permission_classes = [IsStaffMember]
    lookup_field = "uuid"
    pagination_class = None

    def get_queryset(self):
        from eenloket.organisations.selectors import get_scope

        ids = get_scope(self.request.user).organisation_ids
        return (
            RequestType.objects.filter(active=True)
            .filter(Q(organisation__isnull=True) | Q(organisation_id__in=ids))
            .select_related("organisation")
            .order_by("name", "id")
        )


class RequestPagination(NewestFirstCursorPagination):
    ordering = ("due_date", "id")


class TrackedRequestViewSet(viewsets.GenericViewSet):
    """Requests with a legal term, of the user's organisations."""

    serializer_class = RequestSerializer
    pagination_class = RequestPagination
    permission_classes = [CanWorkWithContacts]
    filter_backends = []
    lookup_field = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TrackedRequest.objects.none()
        return selectors.visible_requests(self.request.user)

    def _output(self, request_obj, status_code=status.HTTP_200_OK):
        fresh = selectors.get_request(self.request.user, request_obj.uuid, via="api", log=False)
        return Response(
            RequestSerializer(fresh, context={"request": self.request}).data, status=status_code
        )

    @extend_schema(
        summary="Verzoeken met een termijn (eerst de vroegste einddatum)",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, description="open, opgeschort, …"),
            OpenApiParameter("team", OpenApiTypes.UUID),
            OpenApiParameter("due_before", OpenApiTypes.DATE, description="Einddatum voor."),
        ],
        responses={200: RequestSerializer(many=True), 400: ERRORS[400], 401: PROBLEM, 403: PROBLEM},
    )
    def list(self, request):
        qs = self.get_queryset().prefetch_related(
            "suspensions",
            "extensions",
            Prefetch("notices", DelayNotice.objects.select_related("extension")),
        )
        params = request.query_params
        if params.get("state"):
            qs = qs.filter(state=params["state"])
        if params.get("team"):
            qs = qs.filter(team__uuid=_uuid(params["team"], "team"))
        if params.get("due_before"):
            try:
                qs = qs.filter(due_date__lt=dt.date.fromisoformat(params["due_before"]))
            except ValueError:
                raise _bad("due_before", _("Geef een datum als JJJJ-MM-DD.")) from None
        page = self.paginate_queryset(qs)
        selectors.log_list(request.user, page, "api")
        return self.get_paginated_response(
            RequestSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(summary="Eén verzoek", responses={200: RequestSerializer, **ERRORS})
    def retrieve(self, request, uuid=None):
        obj = selectors.get_request(request.user, uuid, via="api")
        return Response(RequestSerializer(obj, context={"request": request}).data)

    @extend_schema(
        summary="Verzoek vastleggen (de termijn wordt meteen berekend)",
        request=RegisterSerializer,
        responses={201: RequestSerializer, **ERRORS},
    )
    def create(self, request):
        body = RegisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = data["organisation"]
        rtype = services.usable_types(organisation).filter(code=data.pop("request_type")).first()
        if rtype is None:
            raise _bad("request_type", _("Onbekende soort verzoek voor deze organisatie."))
        if data.get("resident") is not None:
            from eenloket.residents.selectors import get_resident

            data["resident"] = get_resident(
                request.user, data["resident"].uuid, channel="api"
            ).resident
        # Only a contact or referral the user may see (else: 404, as for any unknown id).
        if data.get("contact") is not None:
            from eenloket.contacts.selectors import get_contact

            data["contact"] = get_contact(request.user, data["contact"].uuid, channel="api")
        if data.get("referral") is not None:
            from eenloket.referrals.selectors import get_referral

            data["referral"] = get_referral(
                request.user, data["referral"].uuid, channel="api"
            ).referral
        obj = services.register(user=request.user, request_type=rtype, **data)
        return self._output(obj, status.HTTP_201_CREATED)

    def _step(self, uuid, step, body_class):
        obj = selectors.get_request(self.request.user, uuid, via="api", log=False)
        body = body_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        extra = {"via": "api"} if step in (services.extend, services.send_delay_notice) else {}
        step(user=self.request.user, request=obj, **body.validated_data, **extra)
        return self._output(obj)

    @extend_schema(
        summary="Opschorten (Awb 4:15): de termijn staat stil",
        request=SuspendInput,
        responses={200: RequestSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request, uuid=None):
        return self._step(uuid, services.suspend, SuspendInput)

    @extend_schema(
        summary="Hervatten: de termijn loopt verder met de dagen die over waren",
        request=ResumeInput,
        responses={200: RequestSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, uuid=None):
        return self._step(uuid, services.resume, ResumeInput)

    @extend_schema(
        summary="Verlengen, altijd met een bericht aan de inwoner, voor de einddatum",
        request=ExtendInput,
        responses={200: RequestSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, uuid=None):
        return self._step(uuid, services.extend, ExtendInput)

    @extend_schema(
        summary="Bericht: het besluit komt later (Awb 4:14; de wettelijke termijn blijft, "
        "behalve bij een soort zonder wettelijke termijn: 4:14 lid 3)",
        request=NoticeInput,
        responses={200: RequestSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="delay-notice")
    def delay_notice(self, request, uuid=None):
        return self._step(uuid, services.send_delay_notice, NoticeInput)

    @extend_schema(
        summary="Ingebrekestelling ontvangen (Awb 4:17)",
        request=DefaultInput,
        responses={200: RequestSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="default-notice")
    def default_notice(self, request, uuid=None):
        return self._step(uuid, services.record_default_notice, DefaultInput)

    @extend_schema(
        summary="Besluit vastleggen",
        request=DecideInput,
        responses={200: RequestSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, uuid=None):
        return self._step(uuid, services.decide, DecideInput)

    @extend_schema(
        summary="Ingetrokken door de inwoner",
        request=WithdrawInput,
        responses={200: RequestSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, uuid=None):
        return self._step(uuid, services.withdraw, WithdrawInput)


def _uuid(value, field):
    try:
        return uuid.UUID(value)
    except ValueError:
        raise _bad(field, _("Geen geldige uuid.")) from None
