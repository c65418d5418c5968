"""API for warm referrals, live consults and on-duty status (OpenAPI via drf-spectacular).

Reads go through `selectors` (the permission filter: sender sees all, the receiving side only what
the resident agreed to share, a third organisation nothing), changes through `services` (every
rule and state transition). This module only parses input, maps errors and shapes output.

Errors are RFC 7807 problem+json (core.api). A step that does not fit the current state (the
services' `invalid_transition`, `already_claimed`, `already_taken`, `not_open`) is a conflict with
the resource's state: 409 with the service's Dutch message as `detail` and its `code`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import JsonResponse
from django.utils.translation import gettext as _
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
from rest_framework.views import APIView

from eenloket.catalogue.models import Service
from eenloket.contacts.models import ContactMoment
from eenloket.contacts.selectors import visible_contacts
from eenloket.core.api import NewestFirstCursorPagination, SafeSlugRelatedField
from eenloket.core.validators import MAX_TEXT
from eenloket.organisations.models import Location, Organisation, Team, User
from eenloket.organisations.permissions import CanReadReports, CanWorkWithContacts
from eenloket.organisations.selectors import get_scope
from eenloket.residents.models import PreferredChannel

from . import selectors, services, states
from .models import (
    ConsultState,
    LiveConsult,
    Reachability,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralState,
    SharedItem,
    Urgency,
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


# ---- shared fields --------------------------------------------------------------------------------
def actions_field(machine, what):
    """`available_actions`: the steps (their API path) this caller may take now, from the
    state machine's table (states.py)."""
    return extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=list(machine.person_actions)),
            help_text=f"De stappen die u nu kunt zetten op {what} (het laatste deel van het pad "
            "van die stap, bijvoorbeeld `accept`), volgens de stand en uw rol daarin.",
        )
    )


PERSON = inline_serializer(
    "Person",
    {"uuid": serializers.UUIDField(), "name": serializers.CharField()},
    allow_null=True,
)


def person(user):
    if user is None:
        return None
    return {"uuid": str(user.uuid), "name": user.get_full_name()}


@extend_schema_field(OpenApiTypes.UUID)
class ContactField(serializers.SlugRelatedField):
    """A contact moment of your own organisation (selectors.visible_contacts)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "uuid")
        kwargs.setdefault("help_text", "Id (uuid) van een contactmoment van uw organisatie.")
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return ContactMoment.objects.none()
        return visible_contacts(request.user).select_related("organisation", "location", "resident")


def text_field(help_text="", **kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(max_length=MAX_TEXT, help_text=help_text, **kwargs)


ORGANISATION = {
    "slug_field": "code",
    "queryset": Organisation.objects.all(),
    "help_text": "Code van de organisatie (bijvoorbeeld `uwv`).",
}


class ReferralFieldsSerializer(serializers.Serializer):
    """What a referral says, apart from where it goes (shared by create, re-refer, consult)."""

    to_team = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=Team.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id van het team bij de ontvangende organisatie (verplicht binnen uw eigen "
        "organisatie).",
    )
    service = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=Service.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id van de dienst uit de catalogus.",
    )
    discussed = text_field("Wat al is besproken.")
    consent_given = serializers.BooleanField(
        required=False, help_text="De inwoner geeft toestemming om gegevens te delen."
    )
    shared = serializers.ListField(
        child=serializers.ChoiceField(choices=SharedItem.choices),
        required=False,
        max_length=len(SharedItem.values),
        help_text="Wat de ontvangende organisatie mag zien. Naam, contactgegevens en BSN "
        "alleen met toestemming.",
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    preferred_channel = serializers.ChoiceField(
        choices=PreferredChannel.choices, help_text="Hoe de inwoner contact wil."
    )
    kind = serializers.ChoiceField(choices=ReferralKind.choices, required=False)


class ReferralCreateSerializer(ReferralFieldsSerializer):
    contact = ContactField()
    to_organisation = SafeSlugRelatedField(**ORGANISATION)
    reason = serializers.CharField(max_length=MAX_TEXT, help_text="Waarom u doorverwijst.")


class RereferSerializer(ReferralFieldsSerializer):
    """Fields left out keep the values of the returned referral."""

    to_organisation = SafeSlugRelatedField(**ORGANISATION)
    reason = serializers.CharField(max_length=MAX_TEXT)
    preferred_channel = serializers.ChoiceField(choices=PreferredChannel.choices, required=False)
    kind = None  # the kind of a re-referral is that of the returned one


class ConsultToReferralSerializer(ReferralFieldsSerializer):
    """The referral goes to the consult's organisation."""

    reason = serializers.CharField(max_length=MAX_TEXT, help_text="Waarom u doorverwijst.")


class NoteSerializer(serializers.Serializer):
    note = text_field("Toelichting.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT)


class AssignSerializer(serializers.Serializer):
    to_user = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=User.objects.filter(is_active=True),
        help_text="Id (uuid) van de collega uit het ontvangende team.",
    )


class HelpedSerializer(serializers.Serializer):
    feedback = text_field("Terugkoppeling voor wie doorverwees.")
    service = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=Service.objects.all(),
        required=False,
        allow_null=True,
        help_text="De dienst die de inwoner hielp (leert de routering).",
    )


# ---- referral output --------------------------------------------------------------------------------
class SharedResidentSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(
        allow_null=True,
        help_text="Alleen voor wie doorverwees, of als ook het BSN gedeeld is.",
    )
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()


class ReferralEventSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ReferralEvent.Action.choices)
    from_state = serializers.CharField(help_text="Leeg bij het versturen.")
    to_state = serializers.CharField()
    actor = PERSON
    actor_name = serializers.CharField(help_text="`Systeem` bij een escalatie.")
    note = serializers.CharField()
    at = serializers.DateTimeField()

    def to_representation(self, event):
        return {
            "action": event.action,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "actor": person(event.actor),
            "actor_name": event.actor.get_full_name() if event.actor_id else _("Systeem"),
            "note": event.note,
            "at": serializers.DateTimeField().to_representation(event.at),
        }


COUNSELLOR = inline_serializer(
    "CounsellorDetails",
    {
        "organisation": serializers.CharField(),
        "phone": serializers.CharField(),
        "location": serializers.CharField(required=False),
        "address": serializers.CharField(required=False),
        "opening_hours": serializers.ListField(child=serializers.CharField(), required=False),
        "counsellor": serializers.CharField(required=False),
        "counsellor_phone": serializers.CharField(required=False),
    },
    allow_null=True,
    help_text="Gegevens van de sociaal raadsman (alleen bij soort `sociaal-raadslieden`).",
)


class DirectoryPersonSerializer(serializers.Serializer):
    name = serializers.CharField(source="user.get_full_name")
    job_title = serializers.CharField(source="user.job_title")
    direct_phone = serializers.CharField(source="user.direct_phone")
    team = serializers.CharField(source="team.name", default="")


class ReferralSerializer(serializers.Serializer):
    """A referral as you may see it. The receiving side gets `resident`, `bsn`, `question` and
    `discussed` only when the resident agreed to share them (otherwise null)."""

    uuid = serializers.UUIDField(source="referral.uuid")
    kind = serializers.ChoiceField(source="referral.kind", choices=ReferralKind.choices)
    state = serializers.ChoiceField(source="referral.state", choices=ReferralState.choices)
    state_label = serializers.CharField(source="referral.get_state_display")
    is_sender = serializers.BooleanField(help_text="U hoort bij de organisatie die doorverwees.")
    is_receiver = serializers.BooleanField(help_text="U hoort bij de ontvangende organisatie.")
    contact = serializers.SerializerMethodField(
        help_text="Id van het contactmoment (alleen voor wie doorverwees)."
    )
    from_organisation = serializers.CharField(source="referral.from_organisation.code")
    from_staff = serializers.SerializerMethodField()
    to_organisation = serializers.CharField(source="referral.to_organisation.code")
    to_team = serializers.UUIDField(source="referral.to_team.uuid", allow_null=True)
    service = serializers.UUIDField(source="referral.service.uuid", allow_null=True)
    reason = serializers.CharField(source="referral.reason")
    question = serializers.CharField(allow_null=True, help_text="De vraag van de inwoner.")
    discussed = serializers.CharField(allow_null=True)
    resident = serializers.SerializerMethodField()
    bsn = serializers.CharField(allow_null=True)
    consent_given = serializers.BooleanField(source="referral.consent_given")
    shared = serializers.ListField(
        source="referral.shared", child=serializers.ChoiceField(choices=SharedItem.choices)
    )
    urgency = serializers.ChoiceField(source="referral.urgency", choices=Urgency.choices)
    preferred_channel = serializers.ChoiceField(
        source="referral.preferred_channel", choices=PreferredChannel.choices
    )
    assigned_to = serializers.SerializerMethodField()
    accept_due_at = serializers.DateTimeField(source="referral.accept_due_at")
    contact_due_at = serializers.DateTimeField(source="referral.contact_due_at")
    overdue = serializers.BooleanField(source="is_overdue")
    accepted_at = serializers.DateTimeField(source="referral.accepted_at", allow_null=True)
    contacted_at = serializers.DateTimeField(source="referral.contacted_at", allow_null=True)
    closed_at = serializers.DateTimeField(source="referral.closed_at", allow_null=True)
    feedback = serializers.CharField(source="referral.feedback")
    return_reason = serializers.CharField(source="referral.return_reason")
    closure_reason = serializers.CharField(source="referral.closure_reason")
    previous = serializers.SerializerMethodField(
        help_text="Id van de eerdere (teruggestuurde) doorverwijzing, als u die mag zien."
    )
    next = serializers.SerializerMethodField(
        help_text="Id van de nieuwe doorverwijzing na terugsturen, als u die mag zien."
    )
    counsellor = serializers.SerializerMethodField()
    events = ReferralEventSerializer(source="referral.events", many=True)
    receiving_contacts = serializers.SerializerMethodField(
        help_text="Contactpersonen van het ontvangende team, met direct telefoonnummer (alleen "
        "bij één doorverwijzing; null in lijsten)."
    )
    created_at = serializers.DateTimeField(source="referral.created_at")
    updated_at = serializers.DateTimeField(source="referral.updated_at")
    available_actions = serializers.SerializerMethodField()

    def get_contact(self, view) -> str | None:
        return str(view.referral.contact.uuid) if view.is_sender else None

    @actions_field(states.REFERRAL, "deze doorverwijzing")
    def get_available_actions(self, view) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return selectors.referral_actions(request.user, view.referral)

    @extend_schema_field(PERSON)
    def get_from_staff(self, view):
        return person(view.referral.from_staff)

    @extend_schema_field(PERSON)
    def get_assigned_to(self, view):
        return person(view.referral.assigned_to) if view.referral.assigned_to_id else None

    @extend_schema_field(SharedResidentSerializer(allow_null=True))
    def get_resident(self, view):
        resident = view.resident
        if resident is None:
            return None
        return {
            "uuid": view.resident_uuid,
            "name": resident.full_name,
            "phone": resident.phone,
            "email": resident.email,
            "address": resident.address,
        }

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_previous(self, view) -> str | None:
        return self.context.get("links", {}).get(("previous", view.referral.pk))

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_next(self, view) -> str | None:
        return self.context.get("links", {}).get(("next", view.referral.pk))

    @extend_schema_field(COUNSELLOR)
    def get_counsellor(self, view):
        return view.referral.counsellor or None

    @extend_schema_field(DirectoryPersonSerializer(many=True, allow_null=True))
    def get_receiving_contacts(self, view):
        if not self.context.get("detail"):
            return None
        people = selectors.receiving_contacts(view.referral)
        return DirectoryPersonSerializer(people, many=True).data


def output_context(user, views, request=None, *, detail=False) -> dict:
    """Load, for a page of referrals, the history (one query) and the ids of the previous and
    next referral — only those this user may see (one query, through the selector)."""
    referrals = [v.referral for v in views]
    prefetch_related_objects(
        referrals,
        Prefetch("events", queryset=ReferralEvent.objects.select_related("actor")),
    )
    ids = [r.pk for r in referrals]
    previous_ids = [r.previous_id for r in referrals if r.previous_id]
    links = {}
    if ids:
        rows = (
            selectors.visible_referrals(user)
            .filter(Q(pk__in=previous_ids) | Q(previous_id__in=ids))
            .values_list("pk", "uuid", "previous_id")
        )
        by_pk = {}
        for pk, uuid, previous_id in rows:
            by_pk[pk] = str(uuid)
            if previous_id in ids:
                links[("next", previous_id)] = str(uuid)
        for r in referrals:
            if r.previous_id in by_pk:
                links[("previous", r.pk)] = by_pk[r.previous_id]
    return {"links": links, "request": request, "detail": detail}


# ---- referrals ----------------------------------------------------------------------------------------
class ReferralPagination(NewestFirstCursorPagination):
    ordering = ("-created_at", "-id")


class WorklistQuerySerializer(serializers.Serializer):
    worklist = serializers.ChoiceField(choices=selectors.WORKLISTS, required=False)
    page_size = serializers.IntegerField(required=False, min_value=1)  # more counts as the max


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


PROBLEM = OpenApiResponse(description="Problem (RFC 7807, application/problem+json).")
ERRORS = {
    400: OpenApiResponse(description="Ongeldige invoer: problem+json met `invalid_params`."),
    401: PROBLEM,
    403: PROBLEM,
    404: PROBLEM,
}
STATE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(
        description="Kan niet in de huidige stand (`code`: invalid_transition, "
        "already_claimed): problem+json."
    ),
}

WORKLIST_PARAM = OpenApiParameter(
    "worklist",
    OpenApiTypes.STR,
    enum=list(selectors.WORKLISTS),
    description="Werklijst: `nieuw` (nog niet opgepakt), `te-laat` (over de norm), `mijn` "
    "(aan mij toegewezen), `open` (alles open bij mijn organisatie), `verstuurd` (door mij "
    "doorverwezen, met de terugkoppeling). Een werklijst staat in werkvolgorde en toont ten "
    "hoogste `page_size` (max 100) doorverwijzingen, zonder volgende pagina. Zonder werklijst: "
    "alles wat u mag zien, nieuwste eerst, per pagina.",
)


def _action_schema(summary, request=None, status_code=200):
    return extend_schema(
        summary=summary,
        request=request,
        responses={status_code: ReferralSerializer, **STATE_ERRORS},
    )


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

    @_action_schema("Oppakken (ontvangende organisatie)")
    @action(detail=True, methods=["post"])
    def claim(self, request, uuid=None):
        return self._step(uuid, services.claim)

    @_action_schema("Overdragen aan een collega van het ontvangende team", AssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, uuid=None):
        return self._step(uuid, services.assign, AssignSerializer)

    @_action_schema("Accepteren", NoteSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, uuid=None):
        return self._step(uuid, services.accept, NoteSerializer)

    @_action_schema("Terugsturen: verkeerde plek (met reden)", ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, uuid=None):
        return self._step(
            uuid, services.return_referral, ReasonSerializer, renames={"return_reason": "reason"}
        )

    @_action_schema("Inwoner gesproken", NoteSerializer)
    @action(detail=True, methods=["post"])
    def contacted(self, request, uuid=None):
        return self._step(uuid, services.mark_contacted, NoteSerializer)

    @_action_schema("Inwoner geholpen (met terugkoppeling)", HelpedSerializer)
    @action(detail=True, methods=["post"])
    def helped(self, request, uuid=None):
        return self._step(uuid, services.mark_helped, HelpedSerializer)

    @_action_schema("Afsluiten met reden", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, uuid=None):
        return self._step(
            uuid, services.close, ReasonSerializer, renames={"closure_reason": "reason"}
        )

    @_action_schema("Opnieuw doorverwijzen na terugsturen", RereferSerializer, status_code=201)
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
class LiveConsultCreateSerializer(serializers.Serializer):
    contact = ContactField()
    to_organisation = SafeSlugRelatedField(**ORGANISATION)
    question = serializers.CharField(max_length=MAX_TEXT, help_text="Waar het over gaat.")
    location = SafeSlugRelatedField(
        slug_field="uuid",
        queryset=Location.objects.all(),
        required=False,
        allow_null=True,
        help_text="Standaard: waar u in dienst bent, anders de locatie van het contact, anders "
        "de enige locatie waar uw organisatie werkt.",
    )


class LiveConsultSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    state = serializers.ChoiceField(choices=ConsultState.choices)
    state_label = serializers.CharField(source="get_state_display")
    expired = serializers.SerializerMethodField(
        help_text="Niemand nam het overleg op tijd aan: maak een doorverwijzing of afspraak."
    )
    contact = serializers.SerializerMethodField(
        help_text="Id van het contactmoment (alleen voor de organisatie die het overleg vroeg)."
    )
    from_organisation = serializers.CharField(source="contact.organisation.code")
    requester = serializers.SerializerMethodField()
    to_organisation = serializers.CharField(source="to_organisation.code")
    location = serializers.UUIDField(source="location.uuid", allow_null=True)
    location_name = serializers.CharField(source="location.name", allow_null=True)
    question = serializers.CharField()
    accepted_by = serializers.SerializerMethodField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()
    referral = serializers.UUIDField(source="referral.uuid", allow_null=True)
    created_at = serializers.DateTimeField()
    available_actions = serializers.SerializerMethodField()

    def get_expired(self, consult) -> bool:
        return selectors.consult_is_expired(consult)

    @actions_field(states.CONSULT, "dit overleg")
    def get_available_actions(self, consult) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        on_duty_ids = self.context.get("on_duty_ids")
        on_duty = None if on_duty_ids is None else consult.pk in on_duty_ids
        return selectors.consult_actions(request.user, consult, on_duty=on_duty)

    def get_contact(self, consult) -> str | None:
        request = self.context.get("request")
        own = request is not None and consult.contact.organisation_id in (
            get_scope(request.user).contact_organisation_ids
        )
        return str(consult.contact.uuid) if own else None

    @extend_schema_field(PERSON)
    def get_requester(self, consult):
        return person(consult.requester)

    @extend_schema_field(PERSON)
    def get_accepted_by(self, consult):
        return person(consult.accepted_by) if consult.accepted_by_id else None


CONSULT_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(
        description="Niet meer open, of al aangenomen door een collega (`code`: already_taken, "
        "not_open): problem+json."
    ),
}


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
class OnDutySerializer(serializers.Serializer):
    location = serializers.UUIDField(source="location.uuid")
    location_name = serializers.CharField(source="location.name")
    organisation = serializers.CharField(source="organisation.code")
    reachable = serializers.ChoiceField(choices=Reachability.choices)
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()


class StartDutySerializer(serializers.Serializer):
    location = SafeSlugRelatedField(
        slug_field="uuid", queryset=Location.objects.all(), help_text="Id van de locatie."
    )
    reachable = serializers.ChoiceField(choices=Reachability.choices, required=False)
    until = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Standaard: vandaag 23.59 uur."
    )
    organisation = SafeSlugRelatedField(
        required=False,
        allow_null=True,
        **{**ORGANISATION, "help_text": "Voor wie u dienst heeft (alleen nodig bij meer dan één)."},
    )


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
