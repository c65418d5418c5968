"""API for warm referrals, live consults and on-duty status (OpenAPI via drf-spectacular).

Reads go through `selectors` (the permission filter: sender sees all, the receiving side only what
the resident agreed to share, a third organisation nothing), changes through `services` (every
rule and state transition). This module only parses input, maps errors and shapes output.

Errors are RFC 7807 problem+json (core.api). A step that does not fit the current state (the
services' `invalid_transition`, `already_claimed`, `already_taken`, `not_open`) is a conflict with
the resource's state: 409 with the service's Dutch message as `detail` and its `code`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from eenloket.core.api import NewestFirstCursorPagination
from eenloket.organisations.permissions import CanReadReports, CanWorkWithContacts

from .. import selectors, services
from ..models import (
    LiveConsult,
    Referral,
)
from .schema import CONSULT_ERRORS, ERRORS, PROBLEM, WORKLIST_PARAM, action_schema
from .serializers import (
    AssignSerializer,
    ConsultToReferralSerializer,
    HelpedSerializer,
    LiveConsultCreateSerializer,
    LiveConsultSerializer,
    NoteSerializer,
    OnDutySerializer,
    ReasonSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    RereferSerializer,
    StartDutySerializer,
    WorklistQuerySerializer,
    YearQuerySerializer,
    output_context,
)

# ---- errors and permissions ---------------------------------------------------------------------


class ProblemMixin:
    """Renames service error fields to the names of this API's request bodies
    (`return_reason` → `reason`). State conflicts become 409 problems in core.api's handler."""

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError) and hasattr(exc, "error_dict"):
            renames = getattr(self, "_field_names", {})
            if renames:
                exc = DjangoValidationError(
                    {renames.get(k, k): v for k, v in exc.error_dict.items()}
                )
        return super().handle_exception(exc)

    def rename_errors(self, **names):
        self._field_names = names


# ---- referrals ------------------------------------------------------------------------------------


class ReferralPagination(NewestFirstCursorPagination):
    ordering = ("-created_at", "-id")


class ReferralViewSet(ProblemMixin, viewsets.GenericViewSet):
    """Warm referrals of your organisation: sent by it, or received by it."""

    serializer_class = ReferralSerializer
    pagination_class = ReferralPagination
    permission_classes = [CanWorkWithContacts]
    filter_backends = []
    lookup_field = "uuid"

    def get_permissions(self):
        if self.action == "counsellor_counts":
            return [CanReadReports()]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        return selectors.visible_referrals(self.request.user).select_related(*selectors.RELATED)

    def _output(self, view, status_code=status.HTTP_200_OK):
        context = output_context(self.request.user, [view], self.request, detail=True)
        data = ReferralSerializer(view, context=context).data
        return Response(data, status=status_code)

    def _find(self, uuid) -> Referral:
        """The referral a step works on, without logging a read: a step that is refused shows
        nothing. The step's answer is read (and logged) with `selectors.get_referral`."""
        return selectors.referral_for_step(self.request.user, uuid)

    def _step(self, uuid, step, body_class=None, *, renames=None):
        """Find (404 for a third organisation), parse the body (400), let the service decide
        (403, 400, 409), answer with the referral as it is now."""
        referral = self._find(uuid)
        data = {}
        if body_class is not None:
            body = body_class(data=self.request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
        self.rename_errors(**(renames or {}))
        result = step(user=self.request.user, referral=referral, **data)
        return self._output(selectors.get_referral(self.request.user, result.uuid, channel="api"))

    @extend_schema(
        summary="Doorverwijzingen (of één werklijst)",
        parameters=[WORKLIST_PARAM],
        responses={
            200: ReferralSerializer(many=True),
            400: ERRORS[400],
            401: PROBLEM,
            403: PROBLEM,
        },
    )
    def list(self, request):
        params = WorklistQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        name = params.validated_data.get("worklist")
        if name:
            self.paginator.decode_cursor(request)  # ignored by a worklist, but must be well formed
            size = min(
                params.validated_data.get("page_size") or ReferralPagination.page_size,
                ReferralPagination.max_page_size,
            )
            views = selectors.worklist(request.user, name, limit=size)
        else:
            page = self.paginate_queryset(self.get_queryset())
            views = [selectors.view_of(request.user, r) for r in page]
        selectors.log_list_shown(
            request.user, views, channel="api", object_type="referral-list", with_bsn=True
        )
        context = output_context(request.user, views, request)
        data = ReferralSerializer(views, many=True, context=context).data
        if name:
            return Response({"next": None, "previous": None, "results": data})
        return self.get_paginated_response(data)

    @extend_schema(summary="Eén doorverwijzing", responses={200: ReferralSerializer, **ERRORS})
    def retrieve(self, request, uuid=None):
        return self._output(selectors.get_referral(request.user, uuid, channel="api"))

    @extend_schema(
        summary="Warm doorverwijzen vanuit een contactmoment",
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, **ERRORS},
    )
    def create(self, request):
        body = ReferralCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        referral = services.create_referral(user=request.user, via="api", **body.validated_data)
        return self._output(selectors.view_of(request.user, referral), status.HTTP_201_CREATED)

    @action_schema("Oppakken (ontvangende organisatie)")
    @action(detail=True, methods=["post"])
    def claim(self, request, uuid=None):
        return self._step(uuid, services.claim)

    @action_schema("Overdragen aan een collega van het ontvangende team", AssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, uuid=None):
        return self._step(uuid, services.assign, AssignSerializer)

    @action_schema("Accepteren", NoteSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, uuid=None):
        return self._step(uuid, services.accept, NoteSerializer)

    @action_schema("Terugsturen: verkeerde plek (met reden)", ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, uuid=None):
        return self._step(
            uuid, services.return_referral, ReasonSerializer, renames={"return_reason": "reason"}
        )

    @action_schema("Inwoner gesproken", NoteSerializer)
    @action(detail=True, methods=["post"])
    def contacted(self, request, uuid=None):
        return self._step(uuid, services.mark_contacted, NoteSerializer)

    @action_schema("Inwoner geholpen (met terugkoppeling)", HelpedSerializer)
    @action(detail=True, methods=["post"])
    def helped(self, request, uuid=None):
        return self._step(uuid, services.mark_helped, HelpedSerializer)

    @action_schema("Afsluiten met reden", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, uuid=None):
        return self._step(
            uuid, services.close, ReasonSerializer, renames={"closure_reason": "reason"}
        )

    @action_schema("Opnieuw doorverwijzen na terugsturen", RereferSerializer, status_code=201)
    @action(detail=True, methods=["post"])
    def rerefer(self, request, uuid=None):
        previous = self._find(uuid)
        body = RereferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.rerefer(user=request.user, referral=previous, **body.validated_data)
        return self._output(selectors.view_of(request.user, referral), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Aantal doorverwijzingen naar de sociaal raadsman per gemeente per jaar",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Jaar, bijv. 2026.")],
        responses={
            200: inline_serializer(
                "CounsellorCount",
                {
                    "year": serializers.IntegerField(),
                    "municipality": serializers.CharField(help_text="Code van de gemeente."),
                    "municipality_name": serializers.CharField(),
                    "count": serializers.IntegerField(help_text="Doorverwijzingen."),
                    "mentioned": serializers.IntegerField(
                        help_text="Contacten waarin de sociaal raadsman is genoemd."
                    ),
                },
                many=True,
            ),
            400: ERRORS[400],
            401: PROBLEM,
            403: PROBLEM,
        },
    )
    @action(detail=False, methods=["get"], url_path="counsellor-counts", pagination_class=None)
    def counsellor_counts(self, request):
        params = YearQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.counsellor_counts(params.validated_data.get("year"))
        return Response(rows)


# ---- live consults ------------------------------------------------------------------------------------


class LiveConsultViewSet(ProblemMixin, viewsets.GenericViewSet):
    """Live consults ("collega erbij halen"): ask an on-duty colleague of another organisation
    to join an open contact; the first to accept gets it."""

    serializer_class = LiveConsultSerializer
    permission_classes = [CanWorkWithContacts]
    pagination_class = None
    filter_backends = []
    lookup_field = "uuid"

    def get_queryset(self):  # reads go through selectors; this only serves schema generation
        return LiveConsult.objects.none()

    def _context(self, consults) -> dict:
        """Which of these consults the caller is on duty for: one query for the whole page."""
        on_duty = selectors.consults_on_duty_for(self.request.user, consults)
        return {"request": self.request, "on_duty_ids": on_duty}

    def _out(self, consult, status_code=status.HTTP_200_OK):
        data = LiveConsultSerializer(consult, context=self._context([consult])).data
        return Response(data, status=status_code)

    def _get(self, uuid):
        return selectors.get_consult(self.request.user, uuid)

    @extend_schema(
        summary="Open verzoeken voor mij (volgens mijn dienst)",
        responses={200: LiveConsultSerializer(many=True), 401: PROBLEM, 403: PROBLEM},
    )
    def list(self, request):
        consults = selectors.open_consults_for(request.user)
        # Each shows the resident's question: a read of their data.
        selectors.log_consults_shown(request.user, consults, channel="api")
        data = LiveConsultSerializer(consults, many=True, context=self._context(consults)).data
        return Response(data)

    @extend_schema(summary="Eén overleg", responses={200: LiveConsultSerializer, **ERRORS})
    def retrieve(self, request, uuid=None):
        consult = self._get(uuid)
        selectors.log_consults_shown(request.user, [consult], channel="api")
        return self._out(consult)

    @extend_schema(
        summary="Een collega van een andere organisatie erbij vragen",
        request=LiveConsultCreateSerializer,
        responses={201: LiveConsultSerializer, **ERRORS},
    )
    def create(self, request):
        body = LiveConsultCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        consult = services.request_consult(user=request.user, **body.validated_data)
        return self._out(selectors.get_consult(request.user, consult.uuid), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Aannemen (wie het eerst aanneemt, krijgt het)",
        request=None,
        responses={200: LiveConsultSerializer, **CONSULT_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, uuid=None):
        consult = services.accept_consult(user=request.user, consult=self._get(uuid))
        return self._out(self._get(consult.uuid))

    @extend_schema(
        summary="Intrekken (alleen wie het vroeg)",
        request=None,
        responses={200: LiveConsultSerializer, **CONSULT_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, uuid=None):
        consult = services.cancel_consult(user=request.user, consult=self._get(uuid))
        return self._out(self._get(consult.uuid))

    @extend_schema(
        summary="Omzetten in een warme doorverwijzing",
        request=ConsultToReferralSerializer,
        responses={201: ReferralSerializer, **CONSULT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="to-referral")
    def to_referral(self, request, uuid=None):
        consult = self._get(uuid)
        body = ConsultToReferralSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        referral = services.consult_to_referral(
            user=request.user, consult=consult, **body.validated_data
        )
        view = selectors.view_of(request.user, referral)
        context = output_context(request.user, [view], request, detail=True)
        data = ReferralSerializer(view, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Omzetten in een afspraak (met toelichting)",
        request=inline_serializer("ConsultAppointment", {"note": serializers.CharField()}),
        responses={200: LiveConsultSerializer, **CONSULT_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="to-appointment")
    def to_appointment(self, request, uuid=None):
        consult = self._get(uuid)
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        consult = services.consult_to_appointment(
            user=request.user, consult=consult, note=body.validated_data.get("note", "")
        )
        return self._out(self._get(consult.uuid))


# ---- on duty --------------------------------------------------------------------------------------------


class OnDutyView(ProblemMixin, APIView):
    """Your on-duty status for live consults: present at a location, or by phone or video."""

    permission_classes = [CanWorkWithContacts]

    @extend_schema(
        summary="Mijn huidige dienst (of null)",
        responses={
            200: OpenApiResponse(
                response={"allOf": [{"$ref": "#/components/schemas/OnDuty"}], "nullable": True},
                description="Uw dienst, of null als u nu niet in dienst bent.",
            ),
            401: PROBLEM,
            403: PROBLEM,
        },
    )
    def get(self, request):
        duty = selectors.current_duty(request.user)
        if duty is None:  # DRF renders None as an empty body; the contract says JSON null
            return JsonResponse(None, safe=False)
        return Response(OnDutySerializer(duty).data)

    @extend_schema(
        summary="In dienst gaan (vervangt een lopende dienst)",
        request=StartDutySerializer,
        responses={201: OnDutySerializer, 400: ERRORS[400], 401: PROBLEM, 403: PROBLEM},
    )
    def post(self, request):
        body = StartDutySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if v is not None}
        services.start_duty(user=request.user, **data)
        duty = selectors.current_duty(request.user)
        return Response(OnDutySerializer(duty).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Uit dienst gaan",
        request=None,
        responses={204: None, 401: PROBLEM, 403: PROBLEM},
    )
    def delete(self, request):
        services.end_duty(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
