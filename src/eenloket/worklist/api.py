"""API of the one work list (/api/v1/tasks/, OpenAPI via drf-spectacular).

Reads go through `selectors` (the permission filter: the task's team, its organisation's team
leads and the assignee; anyone else gets 404), steps through `services` (every rule, checked
against the state table states.TASK). Errors are RFC 7807 problem+json (core.api): a step that
does not fit the task's state is 409 with the service's Dutch message and its `code`.

A task of a kind is made by the app that owns the kind (worklist does not import it): the kind
offers `extra["api_create"]`, a function (user, data, via) → task; the callback request of
contacts is the one so far."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eenloket.core.api import NewestFirstCursorPagination, SafeSlugRelatedField
from eenloket.core.audit import Action
from eenloket.core.validators import MAX_TEXT
from eenloket.organisations.models import Team, User
from eenloket.organisations.permissions import CanWorkWithContacts

from . import selectors, services, states
from .kinds import kinds
from .models import Task, TaskAttempt

# ---- schema: errors --------------------------------------------------------------------------------
PROBLEM = OpenApiResponse(description="Problem (RFC 7807, application/problem+json).")
ERRORS = {
    400: OpenApiResponse(description="Ongeldige invoer: problem+json met `invalid_params`."),
    401: PROBLEM,
    403: PROBLEM,
    404: OpenApiResponse(
        description="Bestaat niet, of hoort bij een ander team of een andere organisatie: "
        "problem+json."
    ),
}
STATE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(
        description="Kan niet in de huidige stand van de taak (`code`: invalid_transition, "
        "already_claimed): problem+json."
    ),
}
WORKLIST_PARAM = OpenApiParameter(
    "worklist",
    OpenApiTypes.STR,
    enum=list(selectors.WORKLISTS),
    description="Werklijst: `team` (standaard: open taken van mijn teams en van mijn "
    "organisaties zonder team), `mine` (open, aan mij toegewezen), `overdue` (open en over de "
    "termijn). De taak die het eerst af moet, staat bovenaan.",
)


# ---- output ----------------------------------------------------------------------------------------
PERSON = inline_serializer(
    "TaskPerson",
    {"uuid": serializers.UUIDField(), "name": serializers.CharField()},
    allow_null=True,
)


def _person(user):
    return None if user is None else {"uuid": str(user.uuid), "name": user.get_full_name()}


class TaskAttemptSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = TaskAttempt
        fields = ["at", "by", "result", "result_label", "note"]

    @extend_schema_field(PERSON)
    def get_by(self, attempt):
        return _person(attempt.by)


class TaskSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    team = serializers.SerializerMethodField()
    assigned_to = serializers.SerializerMethodField()
    resident = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    outcomes = serializers.SerializerMethodField()
    attempts = TaskAttemptSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "uuid",
            "kind",
            "kind_label",
            "title",
            "note",
            "phone",
            "state",
            "state_label",
            "due_at",
            "overdue",
            "organisation",
            "team",
            "assigned_to",
            "resident",
            "source_type",
            "source_id",
            "created_at",
            "completed_at",
            "outcome",
            "outcome_note",
            "outcomes",
            "attempts",
            "available_actions",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "phone": {"help_text": "Het nummer om te bellen (E.164), bij een belopdracht."},
            "source_type": {"help_text": "Waar de taak over gaat, bijv. `contact-moment`."},
        }

    def get_kind_label(self, task) -> str:
        kind = kinds().get(task.kind)
        return str(kind.label) if kind else task.kind

    @extend_schema_field(
        inline_serializer(
            "TaskTeam",
            {"uuid": serializers.UUIDField(), "name": serializers.CharField()},
            allow_null=True,
        )
    )
    def get_team(self, task):
        return None if task.team is None else {"uuid": str(task.team.uuid), "name": task.team.name}

    @extend_schema_field(PERSON)
    def get_assigned_to(self, task):
        return _person(task.assigned_to)

    @extend_schema_field(PERSON)
    def get_resident(self, task):
        if task.resident is None:
            return None
        return {"uuid": str(task.resident.uuid), "name": task.resident.full_name}

    def get_overdue(self, task) -> bool:
        return states.is_overdue(task, self.context["now"])

    @extend_schema_field(
        inline_serializer(
            "TaskOutcome",
            {"code": serializers.CharField(), "label": serializers.CharField()},
            many=True,
        )
    )
    def get_outcomes(self, task):
        kind = kinds().get(task.kind)
        return [{"code": o.code, "label": str(o.label)} for o in (kind.outcomes if kind else ())]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=list(states.TASK.person_actions)),
            help_text="De stappen die u nu kunt zetten (het laatste deel van het pad, "
            "bijvoorbeeld `claim`), volgens de stand en uw rol.",
        )
    )
    def get_available_actions(self, task):
        return selectors.available_actions(self.context["request"].user, task)


# ---- input -----------------------------------------------------------------------------------------
def _text(help_text, *, required=False):
    return serializers.CharField(
        max_length=MAX_TEXT,
        required=required,
        allow_blank=not required,
        default=serializers.empty if required else "",
        help_text=help_text,
    )


class TaskCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[],
        default="terugbellen",
        help_text="Soort taak; via de API: `terugbellen` (terugbelverzoek).",
    )
    contact = serializers.UUIDField(help_text="Id (uuid) van het contactmoment.")
    team = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=Team.objects.all(),
        help_text="Id (uuid) van het team dat terugbelt (van de organisatie van het contact).",
    )
    phone = serializers.CharField(max_length=40, help_text="Het nummer om te bellen.")
    note = _text("Toelichting voor wie terugbelt.")
    assignee = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Id (uuid) van de collega uit dat team die terugbelt (niet verplicht).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        creatable = [code for code, kind in kinds().items() if kind.extra.get("api_create")]
        self.fields["kind"].choices = creatable


class TaskAssignSerializer(serializers.Serializer):
    to_user = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=User.objects.filter(is_active=True),
        help_text="Id (uuid) van de collega uit het team van de taak.",
    )


class TaskAttemptCreateSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=TaskAttempt.Result.choices)
    note = _text("Notitie bij de belpoging.")


class TaskCompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(
        max_length=40, help_text="Een van de `outcomes` van de taak (code)."
    )
    note = _text("Wat is er gedaan of afgesproken.")


class TaskCancelSerializer(serializers.Serializer):
    reason = _text("Waarom de taak vervalt.", required=True)


# ---- the viewset -----------------------------------------------------------------------------------
class TaskPagination(NewestFirstCursorPagination):
    ordering = ("due_at", "id")


def _step_schema(summary, request=None):
    return extend_schema(
        summary=summary, request=request, responses={200: TaskSerializer, **STATE_ERRORS}
    )


class TaskViewSet(viewsets.GenericViewSet):
    """Tasks (callback requests, follow-ups, …) of your team and organisation."""

    serializer_class = TaskSerializer
    pagination_class = TaskPagination
    permission_classes = [CanWorkWithContacts]
    filter_backends = []
    lookup_field = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Task.objects.none()
        return selectors.visible_tasks(self.request.user)

    def _context(self):
        return {"request": self.request, "now": timezone.now()}

    def _output(self, task, status_code=status.HTTP_200_OK):
        """The task as it is now. Not through the visibility filter: after handing a task to
        someone of another team, the answer to that very step still shows it."""
        task = (
            Task.objects.select_related(*selectors.RELATED)
            .prefetch_related(_attempts())
            .get(pk=task.pk)
        )
        return Response(TaskSerializer(task, context=self._context()).data, status=status_code)

    def _step(self, uuid, step, body_class=None, *, renames=None):
        task = selectors.task_for_step(self.request.user, uuid)
        data = {}
        if body_class is not None:
            body = body_class(data=self.request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        try:
            step(user=self.request.user, task=task, **data)
        except DjangoValidationError as exc:
            if renames and hasattr(exc, "error_dict"):
                exc = DjangoValidationError(
                    {renames.get(k, k): v for k, v in exc.error_dict.items()}
                )
            raise exc from None
        selectors.log_task_work(self.request.user, task, channel="api", action=Action.UPDATE)
        return self._output(task)

    @extend_schema(
        summary="Taken van een werklijst",
        parameters=[WORKLIST_PARAM],
        responses={200: TaskSerializer(many=True), 400: ERRORS[400], 401: PROBLEM, 403: PROBLEM},
    )
    def list(self, request):
        name = request.query_params.get("worklist") or selectors.DEFAULT_WORKLIST
        if name not in selectors.WORKLISTS:
            raise serializers.ValidationError(
                {"worklist": ["Kies een werklijst: " + ", ".join(selectors.WORKLISTS) + "."]}
            )
        qs = (
            selectors.worklist_queryset(request.user, name)
            .select_related(*selectors.RELATED)
            .prefetch_related(_attempts())
        )
        page = self.paginate_queryset(qs)
        selectors.log_list_shown(request.user, page, channel="api")
        data = TaskSerializer(page, many=True, context=self._context()).data
        return self.get_paginated_response(data)

    @extend_schema(summary="Eén taak", responses={200: TaskSerializer, **ERRORS})
    def retrieve(self, request, uuid=None):
        task = selectors.get_task(request.user, uuid, channel="api")
        return self._output(task)

    @extend_schema(
        summary="Terugbelverzoek maken bij een contactmoment",
        request=TaskCreateSerializer,
        responses={201: TaskSerializer, **ERRORS},
    )
    def create(self, request):
        body = TaskCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        creator = kinds()[data.pop("kind")].extra["api_create"]
        data["assigned_to"] = data.pop("assignee", None)
        try:
            task = creator(user=request.user, via="api", **data)
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = DjangoValidationError(
                    {{"assigned_to": "assignee"}.get(k, k): v for k, v in exc.error_dict.items()}
                )
            raise exc from None
        return self._output(task, status.HTTP_201_CREATED)

    @_step_schema("Oppakken")
    @action(detail=True, methods=["post"])
    def claim(self, request, uuid=None):
        return self._step(uuid, services.claim)

    @_step_schema("Toewijzen aan een collega van het team", TaskAssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, uuid=None):
        return self._step(uuid, services.assign, TaskAssignSerializer)

    @_step_schema("Belpoging vastleggen", TaskAttemptCreateSerializer)
    @action(detail=True, methods=["post"])
    def attempts(self, request, uuid=None):
        return self._step(uuid, services.log_attempt, TaskAttemptCreateSerializer)

    @_step_schema("Afronden met een uitkomst", TaskCompleteSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, uuid=None):
        return self._step(
            uuid, services.complete, TaskCompleteSerializer, renames={"outcome_note": "note"}
        )

    @_step_schema("Laten vervallen (met reden)", TaskCancelSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, uuid=None):
        return self._step(uuid, services.cancel, TaskCancelSerializer)


def _attempts():
    return Prefetch("attempts", queryset=TaskAttempt.objects.select_related("by"))
