"""API of appointments (/api/v1/appointments/, /api/v1/appointment-schedules/; OpenAPI via
drf-spectacular). Reads through `selectors` (the appointment's organisations and the location's
counter; anyone else gets 404), steps through `services`. Errors are RFC 7807 problem+json
(core.api): the slot just taken is 409 with `code` slot_taken; a step that does not fit the
state is 409 invalid_transition."""

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response

from eenloket.catalogue.models import Service
from eenloket.contacts.models import ContactMoment
from eenloket.contacts.models import Outcome as ContactOutcome
from eenloket.core import permissions
from eenloket.core.api import (
    ERRORS,
    PROBLEM,
    NewestFirstCursorPagination,
    SafeSlugRelatedField,
    state_errors,
)
from eenloket.organisations.models import Location, Organisation, Team, User
from eenloket.organisations.permissions import CanReadReports, CanWorkWithContacts, IsStaffMember
from eenloket.organisations.selectors import get_scope
from eenloket.referrals.models import LiveConsult, Referral
from eenloket.residents.models import Resident

from . import needs as need_rules
from . import selectors, services, slots
from .models import Appointment, AppointmentPart, Delivery, Desk, Need, Schedule

STATE_ERRORS = state_errors(
    "Kan niet in de huidige stand (`code`: invalid_transition) of de tijd is "
    "net bezet (`code`: slot_taken): problem+json."
)


# ---- output -------------------------------------------------------------------------------------
class PartSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code")
    organisation_name = serializers.CharField(source="organisation.name")
    service = serializers.SerializerMethodField()
    employee = serializers.SerializerMethodField()
    desk = serializers.SerializerMethodField()

    class Meta:
        model = AppointmentPart
        fields = [
            "organisation",
            "organisation_name",
            "service",
            "employee",
            "desk",
            "starts_at",
            "ends_at",
            "needs_met",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "AppointmentService",
            {"uuid": serializers.UUIDField(), "name": serializers.CharField()},
            allow_null=True,
        )
    )
    def get_service(self, part):
        return (
            None
            if part.service is None
            else {"uuid": str(part.service.uuid), "name": part.service.name}
        )

    @extend_schema_field(
        inline_serializer(
            "AppointmentEmployee",
            {"uuid": serializers.UUIDField(), "name": serializers.CharField()},
            allow_null=True,
        )
    )
    def get_employee(self, part):
        return (
            None
            if part.employee is None
            else {"uuid": str(part.employee.uuid), "name": str(part.employee)}
        )

    @extend_schema_field(
        inline_serializer(
            "AppointmentDesk",
            {
                "uuid": serializers.UUIDField(),
                "name": serializers.CharField(),
                "features": serializers.ListField(child=serializers.CharField()),
            },
            allow_null=True,
        )
    )
    def get_desk(self, part):
        return (
            None
            if part.desk is None
            else {
                "uuid": str(part.desk.uuid),
                "name": part.desk.name,
                "features": part.desk.features,
            }
        )


class AppointmentSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    location = serializers.UUIDField(source="location.uuid", read_only=True)
    location_name = serializers.CharField(source="location.name", read_only=True)
    name = serializers.CharField(source="person_name", read_only=True)
    resident = serializers.SerializerMethodField()
    parts = PartSerializer(many=True, read_only=True)
    pickup_location = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "uuid",
            "reference",
            "kind",
            "state",
            "state_label",
            "location",
            "location_name",
            "starts_at",
            "ends_at",
            "title",
            "name",
            "resident",
            "phone",
            "email",
            "needs",
            "needs_note",
            "note",
            "parts",
            "delivery",
            "pickup_location",
            "delivery_address",
            "ready_on",
            "handed_over_at",
            "checked_in_at",
            "created_at",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.UUID)
    def get_resident(self, appointment):
        return str(appointment.resident.uuid) if appointment.resident_id else None

    @extend_schema_field(OpenApiTypes.UUID)
    def get_pickup_location(self, appointment):
        return str(appointment.pickup_location.uuid) if appointment.pickup_location_id else None

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(), help_text="De stappen die u nu kunt zetten."
        )
    )
    def get_available_actions(self, appointment):
        return selectors.available_actions(self.context["request"].user, appointment)


MAX_SLOT_DAYS = 62


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    organisation = serializers.CharField()


# ---- input ------------------------------------------------------------------------------------------
def _needs_field():
    return serializers.ListField(
        child=serializers.ChoiceField(choices=Need.choices),
        required=False,
        default=list,
        help_text="Ondersteuning: " + ", ".join(Need.values) + ".",
    )


class BookSerializer(serializers.Serializer):
    location = SafeSlugRelatedField(slug_field="uuid", queryset=Location.objects.all())
    service = SafeSlugRelatedField(slug_field="uuid", queryset=Service.objects.all())
    starts_at = serializers.DateTimeField(help_text="Begin, een van de vrije tijden (ISO 8601).")
    resident = SafeSlugRelatedField(
        slug_field="uuid", queryset=Resident.objects.all(), required=False, allow_null=True
    )
    contact = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=ContactMoment.objects.all(),
        required=False,
        allow_null=True,
        help_text="Het contactmoment waar de afspraak uit volgt.",
    )
    referral = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=Referral.objects.all(),
        required=False,
        allow_null=True,
        help_text="De warme doorverwijzing (aanmelden zet die op 'inwoner gesproken').",
    )
    consult = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=LiveConsult.objects.all(),
        required=False,
        allow_null=True,
        help_text="Het overleg dat niemand aannam.",
    )
    given_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    surname = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=["nl", "en"], required=False, default="nl")
    needs = _needs_field()
    needs_note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    delivery = serializers.ChoiceField(choices=Delivery.choices, required=False)
    pickup_location = SafeSlugRelatedField(
        slug_field="uuid", queryset=Location.objects.all(), required=False, allow_null=True
    )
    delivery_address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class RescheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ContactOutcome.choices)
    answer = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    referral_helped = serializers.BooleanField(required=False, default=False)
    register_resident = serializers.BooleanField(required=False, default=False)


class MeetingSerializer(serializers.Serializer):
    organisation = SafeSlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    location = SafeSlugRelatedField(slug_field="uuid", queryset=Location.objects.all())
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    participants = serializers.ListField(
        child=SafeSlugRelatedField(slug_field="uuid", queryset=User.objects.filter(is_active=True)),
        min_length=1,
    )
    desk = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=Desk.objects.all(),
        required=False,
        allow_null=True,
        help_text="De ruimte (niet verplicht).",
    )


# Days outside this range have no appointments (and the calendar arithmetic would overflow).
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2199, 12, 31)


def _in_range(day) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def _day(value, name):
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise serializers.ValidationError({name: ["Geef een datum als JJJJ-MM-DD."]}) from None


def _object(model, value, name, *, field="uuid"):
    if not value:
        raise serializers.ValidationError({name: ["Dit veld is verplicht."]})
    try:
        found = model.objects.filter(**{field: value}).first()
    except (DjangoValidationError, ValueError):
        found = None
    if found is None:
        raise serializers.ValidationError(
            {name: [ErrorDetail("Bestaat niet (of u mag het niet zien).", code="does_not_exist")]}
        )
    return found


# ---- the viewset --------------------------------------------------------------------------------------
class AppointmentPagination(NewestFirstCursorPagination):
    ordering = ("starts_at", "id")


class AppointmentViewSet(viewsets.GenericViewSet):
    """Appointments at a location with staff of any organisation."""

    serializer_class = AppointmentSerializer
    pagination_class = AppointmentPagination
    permission_classes = [CanWorkWithContacts]
    filter_backends = []
    lookup_field = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appointment.objects.none()
        return selectors.visible_appointments(self.request.user)

    def _output(self, appointment, status_code=status.HTTP_200_OK):
        appointment = selectors.get_appointment(
            self.request.user, appointment.uuid, via="api", log=False
        )
        data = AppointmentSerializer(appointment, context={"request": self.request}).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="Daglijst: afspraken op een dag",
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, description="De dag (standaard: vandaag)."),
            OpenApiParameter("location", OpenApiTypes.UUID, description="Alleen deze locatie."),
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="Alleen mijn afspraken."),
        ],
        responses={
            200: AppointmentSerializer(many=True),
            400: ERRORS[400],
            401: PROBLEM,
            403: PROBLEM,
        },
    )
    def list(self, request):
        day = request.query_params.get("date")
        day = _day(day, "date") if day else timezone.localdate()
        location = None
        if request.query_params.get("location"):
            location = _object(Location, request.query_params["location"], "location")
        mine = request.query_params.get("mine") in ("1", "true")
        if _in_range(day):
            qs = selectors.day_list(request.user, day, location=location, mine=mine)
        else:
            qs = Appointment.objects.none()
        page = self.paginate_queryset(qs)
        for appointment in page:
            selectors.log_read(request.user, appointment, "api")
        data = AppointmentSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(summary="Eén afspraak", responses={200: AppointmentSerializer, **ERRORS})
    def retrieve(self, request, uuid=None):
        appointment = selectors.get_appointment(request.user, uuid, via="api")
        return Response(AppointmentSerializer(appointment, context={"request": request}).data)

    @extend_schema(
        summary="Vrije tijden",
        parameters=[
            OpenApiParameter("location", OpenApiTypes.UUID, required=True),
            OpenApiParameter("service", OpenApiTypes.UUID, required=True),
            OpenApiParameter("date_from", OpenApiTypes.DATE, required=True),
            OpenApiParameter(
                "date_to",
                OpenApiTypes.DATE,
                required=True,
                description="Er wordt hoogstens 62 dagen gezocht vanaf date_from (of vandaag); "
                "een langere periode wordt daar afgekapt.",
            ),
            OpenApiParameter(
                "needs",
                OpenApiTypes.STR,
                description="Ondersteuning, met komma's: " + ",".join(Need.values),
            ),
        ],
        responses={
            200: inline_serializer(
                "FreeSlots",
                {
                    "slots": SlotSerializer(many=True),
                    "needs_unmet": serializers.BooleanField(
                        help_text="Er zijn tijden, maar niet met deze ondersteuning."
                    ),
                },
            ),
            400: ERRORS[400],
            401: PROBLEM,
            403: PROBLEM,
        },
    )
    @action(detail=False, methods=["get"])
    def slots(self, request):
        params = request.query_params
        location = _object(Location, params.get("location"), "location")
        service = _object(Service, params.get("service"), "service")
        date_from = _day(params.get("date_from"), "date_from")
        date_to = _day(params.get("date_to"), "date_to")
        # Past days and an empty period simply have no free times; a longer period than
        # MAX_SLOT_DAYS is cut off there (as a page size is), said in the schema.
        today = timezone.localdate()
        date_from = max(date_from, today)
        if date_from > LAST_DAY:  # far beyond the horizon: no slots
            return Response({"slots": [], "needs_unmet": False})
        date_to = min(date_to, date_from + dt.timedelta(days=MAX_SLOT_DAYS - 1))
        try:
            needs = need_rules.clean_needs(params.get("needs", ""))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        if date_to < date_from:
            return Response({"slots": [], "needs_unmet": False})
        found = slots.search(
            location=location, service=service, date_from=date_from, date_to=date_to, needs=needs
        )
        if not found.offered:
            message = f"{service.name} kan niet op afspraak bij {location.name}."
            raise serializers.ValidationError(
                {"service": [ErrorDetail(message, code="does_not_exist")]}
            )
        codes = dict(
            Organisation.objects.filter(
                pk__in={s.organisation_id for s in found.slots}
            ).values_list("pk", "code")
        )
        rows = [
            {
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "organisation": codes[s.organisation_id],
            }
            for s in found.slots
        ]
        return Response(
            {"slots": SlotSerializer(rows, many=True).data, "needs_unmet": found.needs_unmet}
        )

    @extend_schema(
        summary="Afspraak maken",
        request=BookSerializer,
        responses={201: AppointmentSerializer, **STATE_ERRORS},
    )
    def create(self, request):
        body = BookSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        source = (
            data.pop("consult", None) or data.pop("referral", None) or data.pop("contact", None)
        )
        for key in ("consult", "referral", "contact"):
            data.pop(key, None)
        resident = data.pop("resident", None)
        if source is not None:
            self._check_source(source)
            resident = (
                resident
                or getattr(source, "resident", None)
                or getattr(getattr(source, "contact", None), "resident", None)
            )
        if resident is not None:
            from eenloket.residents.selectors import get_resident

            resident = get_resident(request.user, resident.uuid, channel="api").resident
        appointment = services.book(
            user=request.user, via="api", source=source, resident=resident, needs_given=True, **data
        )
        return self._output(appointment, status.HTTP_201_CREATED)

    def _check_source(self, source):
        from eenloket.contacts.selectors import get_contact
        from eenloket.referrals.selectors import get_consult, get_referral

        kind = source._meta.model_name
        user = self.request.user
        if kind == "contactmoment":
            get_contact(user, source.uuid, channel="api")
        elif kind == "referral":
            get_referral(user, source.uuid, channel="api")
        else:
            get_consult(user, source.uuid)

    def _step(self, uuid, step, body_class=None):
        appointment = selectors.get_appointment(self.request.user, uuid, via="api", log=False)
        data = {}
        if body_class is not None:
            body = body_class(data=self.request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        result = step(user=self.request.user, appointment=appointment, via="api", **data)
        return self._output(result)

    @extend_schema(
        summary="Aanmelden: de inwoner is er",
        request=None,
        responses={200: AppointmentSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, uuid=None):
        return self._step(uuid, services.check_in)

    @extend_schema(
        summary="Niet gekomen", request=None, responses={200: AppointmentSerializer, **STATE_ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, uuid=None):
        return self._step(uuid, services.no_show)

    @extend_schema(
        summary="Annuleren",
        request=CancelSerializer,
        responses={200: AppointmentSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, uuid=None):
        return self._step(uuid, services.cancel, CancelSerializer)

    @extend_schema(
        summary="Verzetten naar een andere vrije tijd",
        request=RescheduleSerializer,
        responses={200: AppointmentSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request, uuid=None):
        return self._step(uuid, services.reschedule, RescheduleSerializer)

    @extend_schema(
        summary="Afronden met een uitkomst (wordt een contactmoment)",
        request=CompleteSerializer,
        responses={200: AppointmentSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, uuid=None):
        return self._step(uuid, services.complete, CompleteSerializer)

    @extend_schema(
        summary="Intern overleg plannen (meer medewerkers, geen publieke tijd)",
        request=MeetingSerializer,
        responses={201: AppointmentSerializer, **STATE_ERRORS},
    )
    @action(detail=False, methods=["post"])
    def meetings(self, request):
        body = MeetingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appointment = services.plan_meeting(user=request.user, **body.validated_data)
        return self._output(appointment, status.HTTP_201_CREATED)


# ---- schedules (functional admins) --------------------------------------------------------------------
class ScheduleSerializer(serializers.ModelSerializer):
    location = SafeSlugRelatedField(slug_field="uuid", queryset=Location.objects.all())
    organisation = SafeSlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    team = SafeSlugRelatedField(
        slug_field="uuid", queryset=Team.objects.all(), required=False, allow_null=True
    )
    services = SafeSlugRelatedField(slug_field="uuid", queryset=Service.objects.all(), many=True)
    desks = SafeSlugRelatedField(
        slug_field="uuid", queryset=Desk.objects.all(), many=True, required=False
    )
    staff = SafeSlugRelatedField(
        slug_field="uuid", queryset=User.objects.filter(is_active=True), many=True, required=False
    )

    class Meta:
        model = Schedule
        fields = [
            "uuid",
            "location",
            "organisation",
            "team",
            "weekday",
            "starts",
            "ends",
            "valid_from",
            "valid_until",
            "walk_in",
            "services",
            "desks",
            "staff",
        ]
        read_only_fields = ["uuid"]
        extra_kwargs = {"weekday": {"help_text": "0 = maandag … 6 = zondag."}}


class IsFunctionalAdmin(IsStaffMember):
    predicate = staticmethod(permissions.is_functional_admin)
    message = permissions.is_functional_admin.refusal


class ScheduleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Hours of an organisation at a location; each organisation's functional admin manages
    its own (the location's municipality and the guest agency)."""

    serializer_class = ScheduleSerializer
    permission_classes = [IsFunctionalAdmin]
    filter_backends = []
    lookup_field = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Schedule.objects.none()
        scope = get_scope(self.request.user)
        return (
            Schedule.objects.filter(organisation_id__in=scope.organisation_ids)
            .select_related("location", "organisation", "team")
            .prefetch_related("services", "desks", "staff")
            .order_by("id")
        )

    @extend_schema(summary="Spreekuur toevoegen", responses={201: ScheduleSerializer, **ERRORS})
    def create(self, request):
        body = ScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        schedule = services.save_schedule(user=request.user, **data)
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Spreekuur verwijderen (gemaakte afspraken blijven staan)")
    def destroy(self, request, uuid=None):
        schedule = self.get_object()
        services.delete_schedule(user=request.user, schedule=schedule)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---- pilot figures --------------------------------------------------------------------------------
class FiguresView(viewsets.ViewSet):
    permission_classes = [CanReadReports]

    @extend_schema(
        summary="Cijfers van de pilot per organisatie, locatie en week",
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("date_to", OpenApiTypes.DATE, required=True),
        ],
        responses={
            200: inline_serializer(
                "AppointmentWeek",
                {
                    "organisation": serializers.CharField(),
                    "location": serializers.CharField(),
                    "week": serializers.CharField(),
                    "appointments": serializers.IntegerField(),
                    "no_shows": serializers.IntegerField(),
                    "no_show_rate": serializers.FloatField(allow_null=True),
                    "lead_days": serializers.FloatField(allow_null=True),
                    "with_needs": serializers.IntegerField(),
                    "needs_met": serializers.IntegerField(),
                    "needs_met_share": serializers.FloatField(allow_null=True),
                },
                many=True,
            ),
            400: ERRORS[400],
            401: PROBLEM,
            403: PROBLEM,
        },
    )
    def list(self, request):
        date_from = _day(request.query_params.get("date_from"), "date_from")
        date_to = _day(request.query_params.get("date_to"), "date_to")
        if date_to < date_from or (date_to - date_from).days > 400:
            raise serializers.ValidationError(
                {"date_to": ["Kies een periode van hoogstens 400 dagen."]}
            )
        date_from, date_to = max(date_from, FIRST_DAY), min(date_to, LAST_DAY)
        rows = (
            selectors.pilot_figures(request.user, date_from=date_from, date_to=date_to)
            if date_from <= date_to
            else []
        )
        return Response(
            [
                {**r.__dict__, "no_show_rate": r.no_show_rate, "needs_met_share": r.needs_met_share}
                for r in rows
            ]
        )
