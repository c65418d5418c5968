"""The complaints API: list, register, one complaint (with each part's `available_actions` from
the state table), and the steps: make formal, resolve informally, the handler candidates with
the verdict, assign, hear, waive the hearing, postpone, decide, send the one answer, and the
coordinators' thread. Every change goes through services.py, every read through selectors.py;
errors as problem+json (core.api), a step that does not fit the state as 409."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eenloket.catalogue.models import Service
from eenloket.core.api import ERRORS, PROBLEM, register_conflict_codes, state_errors
from eenloket.organisations.models import Location, Organisation, Team, User
from eenloket.organisations.permissions import IsStaffMember
from eenloket.residents.selectors import get_resident

from . import selectors, services, states
from .models import ComplaintChannel, Finding, LessonCategory, WaiveReason

COMPLAINT_CONFLICTS = frozenset({"parts_open"})
register_conflict_codes(COMPLAINT_CONFLICTS)  # answered as 409 by core.api's exception handler
STATE_ERRORS = state_errors(
    "Kan niet in de huidige stand (`code`: invalid_transition), al een keer verdaagd "
    "(no_extension), de termijn liep al af (term_expired) of nog niet elke organisatie gaf haar "
    "oordeel (parts_open)."
)
LIST_ERRORS = {400: ERRORS[400], 401: PROBLEM, 403: PROBLEM}


# ---- output --------------------------------------------------------------------------------------
class ComplaintPersonSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField(source="get_full_name")


class ComplaintPartSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    organisation = serializers.CharField(source="organisation.code")
    organisation_name = serializers.CharField(source="organisation.name")
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    employee = ComplaintPersonSerializer(allow_null=True)
    service = serializers.CharField(source="service.code", allow_null=True, default=None)
    about_body = serializers.BooleanField()
    state = serializers.CharField()
    handler = ComplaintPersonSerializer(allow_null=True)
    override_reason = serializers.CharField()
    advisory_committee = serializers.BooleanField()
    due_date = serializers.DateField(
        source="tracked_request.due_date", allow_null=True, default=None
    )
    hearing_at = serializers.DateTimeField(allow_null=True)
    hearing_place = serializers.CharField()
    hearing_waived = serializers.CharField()
    finding = serializers.CharField()
    findings = serializers.CharField()
    conclusions = serializers.CharField()
    lesson_category = serializers.CharField()
    available_actions = serializers.SerializerMethodField()

    def get_available_actions(self, part) -> list[str]:
        return [s.action for s in self.context["actions"].get(part.pk, [])]


class ComplaintMessageSerializer(serializers.Serializer):
    author = serializers.CharField(source="author.get_full_name")
    organisation = serializers.CharField(source="organisation.code")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ComplaintSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    channel = serializers.CharField()
    received_on = serializers.DateField()
    description = serializers.CharField()
    desired_outcome = serializers.CharField()
    complainant = serializers.CharField()
    resident = serializers.UUIDField(source="resident.uuid", allow_null=True, default=None)
    lead_organisation = serializers.CharField(source="lead_organisation.code")
    answered_at = serializers.DateTimeField(allow_null=True)
    parts = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    thread = serializers.SerializerMethodField()

    def get_parts(self, complaint) -> list[dict]:
        view = self.context["view_obj"]
        actions = {pv.part.pk: pv.actions for pv in view.parts}
        return ComplaintPartSerializer(
            [pv.part for pv in view.parts], many=True, context={"actions": actions}
        ).data

    def get_available_actions(self, complaint) -> list[str]:
        return self.context["view_obj"].available_actions

    def get_thread(self, complaint) -> list[dict]:
        return ComplaintMessageSerializer(
            selectors.thread(self.context["view_obj"]), many=True
        ).data


class ComplaintListSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    channel = serializers.CharField()
    received_on = serializers.DateField()
    lead_organisation = serializers.CharField(source="lead_organisation.code")
    states = serializers.SerializerMethodField()

    def get_states(self, complaint) -> dict:
        return {p.organisation.code: p.state for p in complaint.parts.all()}


# ---- input ---------------------------------------------------------------------------------------
class ComplaintPartInput(serializers.Serializer):
    organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all()
    )
    team = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Team.objects.all(), required=False, allow_null=True
    )
    employee = serializers.SlugRelatedField(
        slug_field="uuid", queryset=User.objects.all(), required=False, allow_null=True
    )
    service = serializers.SlugRelatedField(
        slug_field="code", queryset=Service.objects.all(), required=False, allow_null=True
    )
    about_body = serializers.BooleanField(required=False, default=False)


class ComplaintInput(serializers.Serializer):
    channel = serializers.ChoiceField(choices=ComplaintChannel.choices)
    description = serializers.CharField(allow_blank=True, max_length=5000)
    desired_outcome = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )
    received_on = serializers.DateField(required=False)
    resident = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    parts = ComplaintPartInput(many=True, allow_empty=False)


class ComplaintStepInput(serializers.Serializer):
    organisation = serializers.CharField(
        required=False, help_text="Code van de organisatie van het deel (standaard: uw deel)."
    )


class ComplaintFormalInput(ComplaintStepInput):
    advisory_committee = serializers.BooleanField(required=False, default=False)


class ComplaintResolveInput(ComplaintStepInput):
    note = serializers.CharField(allow_blank=True, max_length=2000)
    lesson_category = serializers.ChoiceField(
        choices=LessonCategory.choices, required=False, allow_blank=True, default=""
    )
    lesson_improvement = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintAssignInput(ComplaintStepInput):
    handler = serializers.SlugRelatedField(slug_field="uuid", queryset=User.objects.all())
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintHearInput(ComplaintStepInput):
    hearing_at = serializers.DateTimeField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    location = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Location.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Plan het horen als afspraak op deze locatie (uuid); leeg: alleen vastleggen.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintWaiveInput(ComplaintStepInput):
    reason = serializers.ChoiceField(choices=WaiveReason.choices)


class ComplaintPostponeInput(ComplaintStepInput):
    weeks = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(allow_blank=True, max_length=1000)


class ComplaintDecideInput(ComplaintStepInput):
    finding = serializers.ChoiceField(choices=Finding.choices)
    findings = serializers.CharField(allow_blank=True, max_length=5000)
    conclusions = serializers.CharField(required=False, allow_blank=True, default="")
    lesson_category = serializers.ChoiceField(
        choices=LessonCategory.choices, required=False, allow_blank=True, default=""
    )
    lesson_cause = serializers.CharField(required=False, allow_blank=True, default="")
    lesson_improvement = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintTextInput(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=2000)


class ComplaintCandidateSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    allowed = serializers.BooleanField()
    overridable = serializers.BooleanField(help_text="Alleen met een reden te kiezen (besluit XI).")
    reason = serializers.CharField()


# ---- the viewset ---------------------------------------------------------------------------------
class ComplaintViewSet(viewsets.GenericViewSet):
    """Complaints (Awb hoofdstuk 9) of the organisations the caller coordinates complaints for,
    and those the caller handles."""

    permission_classes = [IsStaffMember]
    pagination_class = None
    filter_backends = []
    lookup_field = "uuid"
    serializer_class = ComplaintSerializer

    def dispatch(self, request, *args, **kwargs):
        with services.via("api"):
            return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.Complaint.objects.none()

    def _view(self, uuid):
        return selectors.get_complaint(self.request.user, uuid, channel="api")

    def _out(self, uuid, status_code=status.HTTP_200_OK):
        view = self._view(uuid)
        data = ComplaintSerializer(view.complaint, context={"view_obj": view}).data
        return Response(data, status=status_code)

    def _part(self, view, action_name, code=""):
        if code:
            pv = next((p for p in view.parts if p.part.organisation.code == code), None)
            if pv is None:
                raise serializers.ValidationError(
                    {"organisation": [_("Deze organisatie heeft geen deel in deze klacht.")]}
                )
            return pv.part
        for pv in view.parts:
            if states.PART.row_for(action_name, pv.part.state, pv.parties):
                return pv.part
        mine = [pv for pv in view.parts if pv.parties]
        return (mine or view.parts)[0].part

    @extend_schema(
        summary="Klachten die u coördineert of behandelt (nieuwste eerst, ten hoogste 200)",
        parameters=[
            OpenApiParameter(
                "state",
                OpenApiTypes.STR,
                enum=["open", "gesloten", "alle"],
                description="Standaard open.",
            )
        ],
        responses={200: ComplaintListSerializer(many=True), **LIST_ERRORS},
    )
    def list(self, request):
        state = request.query_params.get("state") or "open"
        if state not in ("open", "gesloten", "alle"):
            raise serializers.ValidationError({"state": [_("Kies open, gesloten of alle.")]})
        rows = selectors.complaint_list(request.user, state=state)
        return Response(ComplaintListSerializer(rows, many=True).data)

    @extend_schema(
        summary="Eén klacht met de delen per organisatie",
        responses={200: ComplaintSerializer, **ERRORS},
    )
    def retrieve(self, request, uuid=None):
        return self._out(uuid)

    @extend_schema(
        summary="Klacht vastleggen",
        request=ComplaintInput,
        responses={201: ComplaintSerializer, **ERRORS},
    )
    def create(self, request):
        body = ComplaintInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        resident = None
        if data.get("resident"):
            resident = get_resident(request.user, data["resident"], channel="api")
        complaint = services.register_complaint(
            user=request.user,
            channel=data["channel"],
            description=data["description"],
            desired_outcome=data["desired_outcome"],
            received_on=data.get("received_on"),
            resident=resident,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            parts=[dict(p) for p in data["parts"]],
        )
        try:
            return self._out(complaint.uuid, status.HTTP_201_CREATED)
        except selectors.NotFound:
            data = {"uuid": str(complaint.uuid), "reference": complaint.reference}
            return Response(data, status=status.HTTP_201_CREATED)

    def _step(self, uuid, body_class, action_name, run):
        body = body_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        view = self._view(uuid)
        part = self._part(view, action_name, data.pop("organisation", ""))
        run(part, data)
        return self._out(uuid)

    @extend_schema(
        summary="Formeel behandelen (ontvangstbevestiging, kopie, termijn)",
        request=ComplaintFormalInput,
        responses={200: ComplaintSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="make-formal")
    def make_formal(self, request, uuid=None):
        return self._step(
            uuid,
            ComplaintFormalInput,
            "make-formal",
            lambda part, d: services.make_formal(user=request.user, part=part, **d),
        )

    @extend_schema(
        summary="Informeel opgelost (Awb 9:5)",
        request=ComplaintResolveInput,
        responses={200: ComplaintSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, uuid=None):
        return self._step(
            uuid,
            ComplaintResolveInput,
            "resolve",
            lambda part, d: services.resolve_informally(user=request.user, part=part, **d),
        )

    @extend_schema(
        summary="Wie mag de klacht behandelen, en zo niet: waarom",
        parameters=[
            OpenApiParameter(
                "organisation",
                OpenApiTypes.STR,
                description="Code van de organisatie van het deel.",
            )
        ],
        responses={200: ComplaintCandidateSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="handler-candidates")
    def handler_candidates(self, request, uuid=None):
        view = self._view(uuid)
        part = self._part(view, "assign", request.query_params.get("organisation", ""))
        if not services.parties(request.user, part) & {states.COORDINATOR}:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Alleen de klachtcoördinator van deze organisatie mag dit."))
        rows = [
            {
                "uuid": user.uuid,
                "name": user.get_full_name(),
                "allowed": verdict.allowed,
                "overridable": verdict.overridable,
                "reason": verdict.reason,
            }
            for user, verdict in services.handler_candidates(part)
        ]
        return Response(ComplaintCandidateSerializer(rows, many=True).data)

    @extend_schema(
        summary="Behandelaar kiezen (onafhankelijk; anders met reden)",
        request=ComplaintAssignInput,
        responses={200: ComplaintSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, uuid=None):
        return self._step(
            uuid,
            ComplaintAssignInput,
            "assign",
            lambda part, d: services.assign_handler(user=request.user, part=part, **d),
        )

    @extend_schema(
        summary="Horen vastleggen (Awb 9:10)",
        request=ComplaintHearInput,
        responses={200: ComplaintSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def hear(self, request, uuid=None):
        return self._step(
            uuid,
            ComplaintHearInput,
            "hear",
            lambda part, d: services.record_hearing(user=request.user, part=part, **d),
        )

    @extend_schema(
        summary="Afzien van horen (Awb 9:10 lid 2)",
        request=ComplaintWaiveInput,
        responses={200: ComplaintSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="waive-hearing")
    def waive_hearing(self, request, uuid=None):
        return self._step(
            uuid,
            ComplaintWaiveInput,
            "waive-hearing",
            lambda part, d: services.waive_hearing(user=request.user, part=part, **d),
        )

    @extend_schema(
        summary="Verdagen, ten hoogste vier weken, één keer (Awb 9:11 lid 2)",
        request=ComplaintPostponeInput,
        responses={200: ComplaintSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def postpone(self, request, uuid=None):
        return self._step(
            uuid,
            ComplaintPostponeInput,
            "postpone",
            lambda part, d: services.postpone(user=request.user, part=part, **d),
        )

    @extend_schema(
        summary="Oordeel vastleggen",
        request=ComplaintDecideInput,
        responses={200: ComplaintSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, uuid=None):
        return self._step(
            uuid,
            ComplaintDecideInput,
            "decide",
            lambda part, d: services.decide(user=request.user, part=part, **d),
        )

    @extend_schema(
        summary="De ene antwoordbrief versturen (organisatie die antwoordt)",
        request=None,
        responses={200: ComplaintSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="send-answer")
    def send_answer(self, request, uuid=None):
        view = self._view(uuid)
        services.send_answer(user=request.user, complaint=view.complaint)
        return self._out(uuid)

    @extend_schema(
        summary="Bericht in het overleg van de klachtcoördinatoren",
        request=ComplaintTextInput,
        responses={200: ComplaintSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def messages(self, request, uuid=None):
        body = ComplaintTextInput(data=request.data)
        body.is_valid(raise_exception=True)
        view = self._view(uuid)
        services.post_message(
            user=request.user, complaint=view.complaint, text=body.validated_data["text"]
        )
        return self._out(uuid)
