"""API of cases for households with stacked problems: cases with their parties, problems, plan,
updates and timeline; consents and legal grounds; doorbraak requests with their steps (and a
pause under mandate); early signals of payment arrears from partners; the resident's inzage.

Reads go through `selectors` (and `access`: another organisation sees only the parts and life
domains an active consent opens; without one it gets 404, as for a case that does not exist),
changes through `services`. Errors are RFC 7807 problem+json (core.api): bad input 400 with the
Dutch reason per field, no permission 403, unknown or hidden 404, a step that does not fit the
state 409 (`invalid_transition`, and this app's own state codes in CASE_CONFLICTS).

The lists come from selectors that return at most 200 rows, oldest answer date or newest case
first: they are answered whole (no pagination), as the screens show them."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import StreamingHttpResponse
from django.utils.translation import get_language
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

from eenloket.core.api import (
    ERRORS,
    PROBLEM,
    SafeSlugRelatedField,
    register_conflict_codes,
    state_errors,
)
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.errors import NotFound
from eenloket.organisations.models import Organisation, User
from eenloket.organisations.permissions import CanWorkWithContacts, IsStaffMember
from eenloket.organisations.selectors import get_scope

from . import access, inzage, selectors, services, states
from .models import (
    ArrearsKind,
    ArrearsSignal,
    Case,
    CaseAction,
    CasePart,
    CaseStatus,
    ClosureReason,
    Consent,
    ConsentBasis,
    ConsentForm,
    DoorbraakKind,
    DoorbraakRequest,
    LegalGround,
    LifeDomain,
    OfferHow,
    RefusalReason,
    SignalOutcome,
)

# A service's ValidationError with one of these codes is a step that does not fit the state of
# the case, consent, action or signal: a 409 problem, as core.api does for CONFLICT_CODES.
CASE_CONFLICTS = frozenset(
    {"case_closed", "already_revoked", "action_finished", "signal_done", "overturn_expired"}
)
register_conflict_codes(CASE_CONFLICTS)  # answered as 409 by core.api's exception handler
STATE_ERRORS = state_errors(
    "Kan niet in de huidige stand (`code`: invalid_transition), de casus is gesloten "
    "(case_closed), de toestemming is al ingetrokken (already_revoked), de actie is al afgerond "
    "(action_finished), de uitkomst van het signaal is al vastgelegd (signal_done) of de termijn "
    "om terug te draaien is voorbij (overturn_expired)."
)
LIST_ERRORS = {400: ERRORS[400], 401: PROBLEM, 403: PROBLEM}


def _bad(field, message):
    return serializers.ValidationError({field: [message]})


def _flag(request, name, default):
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    if raw not in ("true", "false"):
        raise _bad(name, _("Kies true of false."))
    return raw == "true"


# ---- output: shared pieces ------------------------------------------------------------------
PERSON = inline_serializer(
    "CasePerson",
    {"uuid": serializers.UUIDField(), "name": serializers.CharField()},
    allow_null=True,
)
ORGANISATION = inline_serializer(
    "CaseOrganisation", {"code": serializers.CharField(), "name": serializers.CharField()}
)


def person(user):
    if user is None:
        return None
    return {"uuid": str(user.uuid), "name": user.get_full_name()}


def organisation(org):
    return {"code": org.code, "name": org.name}


def domain_list_field(**kwargs):
    """A list of life domains; the items refer to the `domain` enum (one name for one set)."""

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/DomainEnum"}})
    class DomainList(serializers.ListField):
        pass

    return DomainList(child=serializers.CharField(), **kwargs)


def actions_field():
    return extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=list(states.DOORBRAAK.person_actions)),
            help_text="De stappen die u nu kunt zetten op dit verzoek (het laatste deel van "
            "het pad van die stap, bijvoorbeeld `grant`), volgens de stand en uw rol daarin.",
        )
    )


# ---- output: the case ---------------------------------------------------------------------------
class PartySerializer(serializers.Serializer):
    organisation = serializers.SerializerMethodField()
    contact_person = serializers.SerializerMethodField()
    role_in_case = serializers.CharField()
    joined_at = serializers.DateTimeField()

    @extend_schema_field(ORGANISATION)
    def get_organisation(self, party):
        return organisation(party.organisation)

    @extend_schema_field(PERSON)
    def get_contact_person(self, party):
        return person(party.contact_person)


class ConsentSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    case = serializers.UUIDField(source="case.uuid")
    organisation = serializers.SerializerMethodField()
    parts = serializers.ListField(child=serializers.CharField())
    domains = domain_list_field(help_text="Leeg: alle leefgebieden.")
    purpose = serializers.CharField()
    basis = serializers.CharField(help_text="toestemming of wettelijk")
    basis_text = serializers.CharField(help_text="De grondslag in woorden (met wet en artikel).")
    legal_ground = serializers.CharField()
    legal_article = serializers.CharField()
    given_on = serializers.DateField(allow_null=True)
    given_how = serializers.CharField()
    given_by = serializers.CharField()
    in_interest = serializers.BooleanField()
    own_request = serializers.BooleanField()
    no_disadvantage = serializers.BooleanField()
    informed = serializers.BooleanField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    recorded_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_reason = serializers.CharField()
    active = serializers.SerializerMethodField(
        help_text="Geldt vandaag: niet ingetrokken en binnen de data."
    )

    @extend_schema_field(ORGANISATION)
    def get_organisation(self, consent):
        return organisation(consent.organisation)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_active(self, consent):
        return consent.is_active(access.today_local())


class ProblemSerializer(serializers.Serializer):
    domain = serializers.CharField()
    description = serializers.CharField()
    urgent = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()
    solved_at = serializers.DateTimeField(allow_null=True)


class CaseActionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    case = serializers.UUIDField(source="case.uuid")
    domain = serializers.CharField()
    description = serializers.CharField()
    owner = serializers.SerializerMethodField()
    due_on = serializers.DateField()
    status = serializers.CharField(help_text="open, klaar of vervallen")
    result = serializers.CharField()
    finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(ORGANISATION)
    def get_owner(self, obj):
        return organisation(obj.owner)


class UpdateSerializer(serializers.Serializer):
    organisation = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    domain = serializers.CharField(help_text="Leeg: geen bepaald leefgebied.")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(ORGANISATION)
    def get_organisation(self, update):
        return organisation(update.organisation)

    @extend_schema_field(PERSON)
    def get_author(self, update):
        return person(update.author)


class DoorbraakSummarySerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    to_organisation = serializers.CharField(source="to_organisation.code")
    kind = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    answer_by = serializers.DateField()


class ConferenceSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    with_resident = serializers.BooleanField()
    organisations = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_organisations(self, conference):
        return [o.code for o in conference.organisations.all()]


class SpendingSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    amount = serializers.DecimalField(max_digits=9, decimal_places=2)
    paid_to = serializers.CharField()
    justification = serializers.CharField()
    spent_on = serializers.DateField()


class CaseResidentSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField(source="full_name")
    street = serializers.CharField()
    house_number = serializers.IntegerField(allow_null=True)
    house_number_addition = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class CaseSummarySerializer(serializers.Serializer):
    """One row of the list: no personal data beyond the title and reference."""

    uuid = serializers.UUIDField(source="case.uuid")
    reference = serializers.CharField(source="case.reference")
    title = serializers.CharField(source="case.title")
    status = serializers.CharField(source="case.status", help_text="open of gesloten")
    municipality = serializers.SerializerMethodField()
    case_manager = serializers.SerializerMethodField()
    opened_at = serializers.DateTimeField(source="case.opened_at")
    owner = serializers.BooleanField(help_text="Uw organisatie voert de regie (de gemeente).")
    parts = serializers.SerializerMethodField()
    open_actions = serializers.SerializerMethodField(
        help_text="Open acties; leeg als het plan niet met uw organisatie gedeeld is."
    )
    open_doorbraak = serializers.IntegerField(source="case.open_doorbraak")

    @extend_schema_field(ORGANISATION)
    def get_municipality(self, view):
        return organisation(view.case.municipality)

    @extend_schema_field(PERSON)
    def get_case_manager(self, view):
        return person(view.case.case_manager)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_parts(self, view):
        return sorted(view.parts)

    @extend_schema_field(OpenApiTypes.INT)
    def get_open_actions(self, view):
        return view.case.open_actions if view.shows(CasePart.PLAN) else None


class CaseSerializer(serializers.Serializer):
    """One case as far as the caller's organisation may see it (`parts`, `domains`)."""

    uuid = serializers.UUIDField(source="view.case.uuid")
    reference = serializers.CharField(source="view.case.reference")
    title = serializers.CharField(source="view.case.title")
    goal = serializers.CharField(source="view.case.goal")
    status = serializers.CharField(source="view.case.status", help_text="open of gesloten")
    opened_at = serializers.DateTimeField(source="view.case.opened_at")
    closed_at = serializers.DateTimeField(source="view.case.closed_at", allow_null=True)
    closure_reason = serializers.CharField(source="view.case.closure_reason")
    municipality = serializers.SerializerMethodField()
    case_manager = serializers.SerializerMethodField()
    owner = serializers.BooleanField(source="view.owner")
    parts = serializers.SerializerMethodField(
        help_text="Welke onderdelen van de casus uw organisatie ziet."
    )
    domains = serializers.SerializerMethodField(
        help_text="Welke leefgebieden uw organisatie ziet; leeg (null): alle."
    )
    purpose = serializers.CharField(
        source="view.purpose", help_text="Het doel van de toestemming(en) waarmee u dit ziet."
    )
    resident = serializers.SerializerMethodField(
        help_text="Leeg (null) als de persoonsgegevens niet met uw organisatie gedeeld zijn."
    )
    parties = PartySerializer(many=True)
    consents = ConsentSerializer(many=True)
    problems = serializers.SerializerMethodField(
        help_text="Alleen de gedeelde leefgebieden; leeg (null) als de problemen niet met uw "
        "organisatie gedeeld zijn."
    )
    actions = serializers.SerializerMethodField(
        help_text="Leeg (null) als het plan niet met uw organisatie gedeeld is."
    )
    updates = UpdateSerializer(many=True)
    doorbraak_requests = DoorbraakSummarySerializer(many=True, source="doorbraak")
    conferences = ConferenceSerializer(many=True)
    spending = SpendingSerializer(many=True, help_text="Alleen voor de gemeente.")

    @extend_schema_field(ORGANISATION)
    def get_municipality(self, detail):
        return organisation(detail.view.case.municipality)

    @extend_schema_field(PERSON)
    def get_case_manager(self, detail):
        return person(detail.view.case.case_manager)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_parts(self, detail):
        return sorted(detail.view.parts)

    @extend_schema_field(
        {
            "type": "array",
            "items": {"$ref": "#/components/schemas/DomainEnum"},
            "nullable": True,
        }
    )
    def get_domains(self, detail):
        domains = detail.view.domains
        return None if detail.view.owner or domains is None else sorted(domains)

    @extend_schema_field(CaseResidentSerializer(allow_null=True))
    def get_resident(self, detail):
        if not detail.view.shows(CasePart.PERSONAL):
            return None
        return CaseResidentSerializer(detail.view.case.resident).data

    @extend_schema_field(ProblemSerializer(many=True, allow_null=True))
    def get_problems(self, detail):
        if not detail.view.shows(CasePart.PROBLEMS):
            return None
        return ProblemSerializer(detail.problems, many=True).data

    @extend_schema_field(CaseActionSerializer(many=True, allow_null=True))
    def get_actions(self, detail):
        if not detail.view.shows(CasePart.PLAN):
            return None
        return CaseActionSerializer(detail.actions, many=True).data


# ---- output: doorbraak and signals -------------------------------------------------------------------
class DoorbraakSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    case = serializers.UUIDField(source="case.uuid")
    case_reference = serializers.CharField(source="case.reference")
    municipality = serializers.SerializerMethodField()
    to_organisation = serializers.SerializerMethodField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    motivation = serializers.CharField()
    subject_reference = serializers.CharField()
    amount = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    pause_days = serializers.IntegerField(allow_null=True)
    answer_by = serializers.DateField()
    state = serializers.CharField(help_text="gevraagd, gepauzeerd, toegekend, deels, …")
    state_label = serializers.CharField(source="get_state_display")
    requested_at = serializers.DateTimeField()
    mandate = serializers.SerializerMethodField()
    paused_until = serializers.DateField(allow_null=True)
    overturn_until = serializers.DateField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField()
    refusal_reason = serializers.ChoiceField(choices=RefusalReason.choices, allow_blank=True)
    obstructing_rule = serializers.CharField()
    escalation_level = serializers.IntegerField()
    available_actions = serializers.SerializerMethodField()

    @extend_schema_field(ORGANISATION)
    def get_municipality(self, obj):
        return organisation(obj.case.municipality)

    @extend_schema_field(ORGANISATION)
    def get_to_organisation(self, obj):
        return organisation(obj.to_organisation)

    @extend_schema_field(
        inline_serializer(
            "DoorbraakMandate",
            {"uuid": serializers.UUIDField(), "agreement": serializers.CharField()},
            allow_null=True,
        )
    )
    def get_mandate(self, obj):
        if obj.mandate_id is None:
            return None
        return {"uuid": str(obj.mandate.uuid), "agreement": obj.mandate.agreement}

    @actions_field()
    def get_available_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        parties = services.doorbraak_parties(request.user, obj)
        return states.DOORBRAAK.available_actions(obj.state, parties, obj)


class SignalReceiptSerializer(serializers.Serializer):
    """What the reporting partner gets back: what it sent, and when it was received."""

    uuid = serializers.UUIDField()
    reference = serializers.CharField(source="reporter_reference")
    kind = serializers.CharField()
    amount = serializers.DecimalField(max_digits=9, decimal_places=2)
    months = serializers.IntegerField()
    surname = serializers.CharField()
    postcode = serializers.CharField()
    house_number = serializers.IntegerField()
    house_number_addition = serializers.CharField()
    received_at = serializers.DateTimeField()
    municipality = serializers.SerializerMethodField()

    @extend_schema_field(ORGANISATION)
    def get_municipality(self, signal):
        return organisation(signal.municipality)


class SignalSerializer(serializers.Serializer):
    """A signal as the municipality's team sees it."""

    uuid = serializers.UUIDField()
    reporter = serializers.SerializerMethodField()
    reporter_reference = serializers.CharField()
    kind = serializers.CharField()
    amount = serializers.DecimalField(max_digits=9, decimal_places=2)
    months = serializers.IntegerField()
    surname = serializers.CharField()
    postcode = serializers.CharField()
    house_number = serializers.IntegerField()
    house_number_addition = serializers.CharField()
    resident = serializers.SerializerMethodField()
    received_at = serializers.DateTimeField()
    offer_due_on = serializers.DateField()
    offered_at = serializers.DateTimeField(allow_null=True)
    offered_how = serializers.CharField()
    outcome = serializers.CharField()
    outcome_note = serializers.CharField()
    joined = serializers.SerializerMethodField(
        help_text="Hoeveel latere signalen over hetzelfde huishouden bij dit signaal horen."
    )

    @extend_schema_field(ORGANISATION)
    def get_reporter(self, signal):
        return organisation(signal.reporter)

    @extend_schema_field(OpenApiTypes.UUID)
    def get_resident(self, signal):
        return str(signal.resident.uuid) if signal.resident_id else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_joined(self, signal):
        count = getattr(signal, "joined_count", None)
        return signal.joined.count() if count is None else count


class TimelineItemSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    organisation = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()


# ---- input -------------------------------------------------------------------------------------
def optional_choice(choices, **kwargs):
    """A choice that may be left empty: the service then says in Dutch what to choose."""
    return serializers.ChoiceField(
        choices=choices, required=False, allow_blank=True, default="", **kwargs
    )


class OpenCaseInput(serializers.Serializer):
    resident = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    goal = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    signal = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Het signaal waaruit de casus voortkomt.",
    )


class CloseInput(serializers.Serializer):
    reason = optional_choice(ClosureReason.choices)
    evaluation = serializers.CharField(
        max_length=3000, required=False, allow_blank=True, default=""
    )
    obstacles = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


class PartyInput(serializers.Serializer):
    organisation = SafeSlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    contact_person = SafeSlugRelatedField(
        slug_field="uuid", queryset=User.objects.all(), required=False, allow_null=True
    )
    role_in_case = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class ProblemInput(serializers.Serializer):
    domain = optional_choice(LifeDomain.choices)
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    urgent = serializers.BooleanField(required=False, default=False)


class ActionInput(serializers.Serializer):
    domain = optional_choice(LifeDomain.choices)
    description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    owner = SafeSlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    due_on = serializers.DateField()


class FinishInput(serializers.Serializer):
    done = serializers.BooleanField(
        required=False, default=True, help_text="false: de actie vervalt (geef dan een reden)."
    )
    result = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class UpdateInput(serializers.Serializer):
    text = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    domain = optional_choice(LifeDomain.choices)


class ConsentInput(serializers.Serializer):
    case = serializers.UUIDField()
    organisation = SafeSlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    parts = serializers.ListField(
        child=serializers.ChoiceField(choices=CasePart.choices), max_length=len(CasePart.values)
    )
    domains = domain_list_field(
        required=False, max_length=len(LifeDomain.values), help_text="Leeg: alle leefgebieden."
    )
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    basis = optional_choice(ConsentBasis.choices)
    legal_ground = optional_choice(LegalGround.choices)
    legal_article = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    given_on = serializers.DateField(required=False, allow_null=True, default=None)
    given_how = optional_choice(ConsentForm.choices)
    given_by = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    in_interest = serializers.BooleanField(required=False, default=False)
    own_request = serializers.BooleanField(required=False, default=False)
    no_disadvantage = serializers.BooleanField(required=False, default=False)
    informed = serializers.BooleanField(required=False, default=False)
    valid_from = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Standaard: vandaag."
    )
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class RevokeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DoorbraakInput(serializers.Serializer):
    case = serializers.UUIDField()
    to_organisation = SafeSlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    kind = optional_choice(DoorbraakKind.choices)
    motivation = serializers.CharField(
        max_length=3000, required=False, allow_blank=True, default=""
    )
    subject_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    amount = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        allow_null=True,
        help_text='Bedrag in euro\'s als tekst, bijvoorbeeld "125.50".',
    )
    pause_days = serializers.IntegerField(required=False, allow_null=True, default=None)
    answer_by = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Niet bij een pauze met mandaat."
    )
    mandate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: meteen pauzeren met het mandaat dat de gemeente met de organisatie "
        "afsprak (binnen de soort, het bedrag en de dagen daarvan).",
    )


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    refusal_reason = optional_choice(RefusalReason.choices, help_text="Alleen bij weigeren.")
    obstructing_rule = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class OverturnInput(serializers.Serializer):
    answer = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


class SignalInput(serializers.Serializer):
    reference = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", help_text="Uw eigen kenmerk."
    )
    kind = optional_choice(ArrearsKind.choices)
    amount = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text='Bijvoorbeeld "450.00".',
    )
    months = serializers.IntegerField(required=False, allow_null=True, default=None)
    surname = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    house_number = serializers.IntegerField(required=False, allow_null=True, default=None)
    house_number_addition = serializers.CharField(
        max_length=10, required=False, allow_blank=True, default=""
    )
    municipality = serializers.SlugField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text="Code van de gemeente; nodig als het adres niet in het register staat.",
    )


class OfferInput(serializers.Serializer):
    how = optional_choice(OfferHow.choices)
    outcome = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="Een van: " + ", ".join(SignalOutcome.values) + ".",
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


INZAGE = inline_serializer(
    "Inzage",
    {
        "titel": serializers.CharField(),
        "gemaakt_op": serializers.DateTimeField(),
        "gemaakt_door_organisatie": serializers.CharField(),
        "casus": serializers.CharField(allow_null=True),
        "uitleg": serializers.CharField(),
        "regels": inline_serializer(
            "InzageRegel",
            {
                "tijdstip": serializers.DateTimeField(),
                "organisatie": serializers.CharField(),
                "rol": serializers.CharField(),
                "gegevens": serializers.CharField(),
                "doel": serializers.CharField(),
                "handeling": serializers.CharField(),
                "kanaal": serializers.CharField(),
                "verwerkingsactiviteit": serializers.CharField(),
            },
            many=True,
        ),
    },
)


def _stream(user, made) -> StreamingHttpResponse:
    inzage.log_export(user, made, fmt="json", channel="api")
    response = StreamingHttpResponse(
        inzage.stream_json(made, language=get_language() or "nl"),
        content_type="application/json",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ---- viewsets ----------------------------------------------------------------------------------
def _case_view(user, case_uuid) -> access.CaseView | None:
    """The case as the user sees it now, without a new line in the access log (the step that
    came before already wrote one, or the read that follows will); None when it is unknown."""
    case = (
        Case.objects.select_related("municipality", "case_manager", "resident")
        .prefetch_related("consents__organisation", "parties__organisation")
        .filter(uuid=case_uuid)
        .first()
    )
    return access.view_for(get_scope(user), case) if case is not None else None


class ViaApi:
    """Changes made through the API are logged with channel "api" (services._log)."""

    def dispatch(self, request, *args, **kwargs):
        with services.via("api"):
            return super().dispatch(request, *args, **kwargs)


class CaseViewSet(ViaApi, viewsets.GenericViewSet):
    """Cases of the caller's municipality, and those another organisation shared with theirs."""

    permission_classes = [CanWorkWithContacts]
    pagination_class = None
    filter_backends = []
    lookup_field = "uuid"
    serializer_class = CaseSerializer

    def get_queryset(self):
        return Case.objects.none()

    def _case(self, uuid):
        return selectors.get_case(self.request.user, uuid, channel="api")

    def _detail(self, uuid, status_code=status.HTTP_200_OK):
        view = _case_view(self.request.user, uuid)
        return Response(CaseSerializer(selectors.detail(view)).data, status=status_code)

    @extend_schema(
        summary="Casussen (de nieuwste eerst, ten hoogste 200)",
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=["open", "gesloten", "alle"],
                description="Standaard: open.",
            ),
            OpenApiParameter(
                "mine", OpenApiTypes.BOOL, description="Alleen waarvan ik casemanager ben."
            ),
        ],
        responses={200: CaseSummarySerializer(many=True), **LIST_ERRORS},
    )
    def list(self, request):
        wanted = request.query_params.get("status", "") or CaseStatus.OPEN
        if wanted not in ("open", "gesloten", "alle"):
            raise _bad("status", _("Kies open, gesloten of alle."))
        views = selectors.case_list(
            request.user,
            status="" if wanted == "alle" else wanted,
            mine=_flag(request, "mine", False),
        )
        return Response(CaseSummarySerializer(views, many=True).data)

    @extend_schema(
        summary="Eén casus (wat met uw organisatie gedeeld is)",
        responses={200: CaseSerializer, **ERRORS},
    )
    def retrieve(self, request, uuid=None):
        view = self._case(uuid)
        return Response(CaseSerializer(selectors.detail(view)).data)

    @extend_schema(
        summary="Casus openen (casemanager van de gemeente)",
        request=OpenCaseInput,
        responses={201: CaseSerializer, **ERRORS},
    )
    def create(self, request):
        from eenloket.residents.selectors import get_resident

        body = OpenCaseInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        resident = get_resident(request.user, data["resident"], channel="api").resident
        signal = None
        if data.get("signal"):
            signal = selectors.get_signal(request.user, data["signal"], channel="api")
        case = services.open_case(
            user=request.user,
            resident=resident,
            title=data["title"],
            goal=data.get("goal", ""),
            signal=signal,
        )
        return self._detail(case.uuid, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Casus sluiten, met wat heeft geholpen",
        request=CloseInput,
        responses={200: CaseSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, uuid=None):
        body = CloseInput(data=request.data)
        body.is_valid(raise_exception=True)
        view = self._case(uuid)
        services.close_case(user=request.user, case=view.case, **body.validated_data)
        return self._detail(uuid)

    @extend_schema(
        summary="Organisatie betrekken, met haar contactpersoon (opent nog niets)",
        request=PartyInput,
        responses={201: PartySerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def parties(self, request, uuid=None):
        body = PartyInput(data=request.data)
        body.is_valid(raise_exception=True)
        view = self._case(uuid)
        party = services.add_party(user=request.user, case=view.case, **body.validated_data)
        return Response(PartySerializer(party).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Probleem vastleggen",
        request=ProblemInput,
        responses={201: ProblemSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def problems(self, request, uuid=None):
        body = ProblemInput(data=request.data)
        body.is_valid(raise_exception=True)
        view = self._case(uuid)
        problem = services.add_problem(user=request.user, case=view.case, **body.validated_data)
        return Response(ProblemSerializer(problem).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Actie in het plan (wordt een taak bij de organisatie)",
        request=ActionInput,
        responses={201: CaseActionSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def actions(self, request, uuid=None):
        body = ActionInput(data=request.data)
        body.is_valid(raise_exception=True)
        view = self._case(uuid)
        made = services.add_action(user=request.user, case=view.case, **body.validated_data)
        return Response(CaseActionSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Bericht in de casus (wat uw organisatie deed of wat veranderde)",
        request=UpdateInput,
        responses={201: UpdateSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def updates(self, request, uuid=None):
        body = UpdateInput(data=request.data)
        body.is_valid(raise_exception=True)
        view = self._case(uuid)
        update = services.add_update(user=request.user, case=view.case, **body.validated_data)
        return Response(UpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Tijdlijn: contacten, verwijzingen, afspraken, berichten en termijnen",
        responses={200: TimelineItemSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def timeline(self, request, uuid=None):
        # The part is checked before the read is logged: a refusal is no read.
        seen = _case_view(request.user, uuid) if selectors.is_uuid(uuid) else None
        if seen and not seen.shows(CasePart.TIMELINE):
            raise PermissionDenied(
                _("De tijdlijn van deze casus is niet met uw organisatie gedeeld.")
            )
        items = selectors.timeline(self._case(uuid))
        return Response(TimelineItemSerializer(items, many=True).data)

    @extend_schema(
        summary="Inzage: wie heeft deze casus gebruikt (JSON, per regel)",
        responses={200: INZAGE, **ERRORS},
    )
    @action(detail=True, methods=["get"], permission_classes=[IsStaffMember])
    def inzage(self, request, uuid=None):
        if not selectors.is_uuid(uuid):
            raise NotFound(_("Deze casus bestaat niet of uw organisatie mag hem niet zien."))
        return _stream(request.user, inzage.for_case(request.user, uuid))


class CaseActionViewSet(ViaApi, viewsets.GenericViewSet):
    """An action of a case's plan: its organisation (or the case manager) finishes it."""

    permission_classes = [CanWorkWithContacts]
    pagination_class = None
    filter_backends = []
    lookup_field = "uuid"
    serializer_class = CaseActionSerializer

    def get_queryset(self):
        return CaseAction.objects.none()

    @extend_schema(
        summary="Actie afronden (klaar, of vervallen met een reden)",
        request=FinishInput,
        responses={200: CaseActionSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def finish(self, request, uuid=None):
        body = FinishInput(data=request.data)
        body.is_valid(raise_exception=True)
        found = None
        if selectors.is_uuid(uuid):
            found = CaseAction.objects.select_related("case", "owner").filter(uuid=uuid).first()
        if found is None or not services.may_finish_action(request.user, found):
            raise NotFound(_("Deze actie bestaat niet of u mag hem niet zien."))
        done = services.finish_action(user=request.user, action=found, **body.validated_data)
        done.owner = found.owner
        return Response(CaseActionSerializer(done).data)


class ConsentViewSet(ViaApi, viewsets.GenericViewSet):
    """Consents and legal grounds: which organisation sees which parts of a case."""

    permission_classes = [CanWorkWithContacts]
    pagination_class = None
    filter_backends = []
    lookup_field = "uuid"
    serializer_class = ConsentSerializer

    def get_queryset(self):
        return Consent.objects.none()

    @extend_schema(
        summary="Toestemming of wettelijke grondslag vastleggen (casemanager)",
        request=ConsentInput,
        responses={201: ConsentSerializer, **STATE_ERRORS},
    )
    def create(self, request):
        body = ConsentInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        view = selectors.get_case(request.user, data.pop("case"), channel="api")
        consent = services.record_consent(user=request.user, case=view.case, **data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Toestemming intrekken: vanaf nu ziet de organisatie niets meer",
        request=RevokeInput,
        responses={200: ConsentSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, uuid=None):
        body = RevokeInput(data=request.data)
        body.is_valid(raise_exception=True)
        consent = None
        if selectors.is_uuid(uuid):
            consent = (
                Consent.objects.select_related("case", "organisation").filter(uuid=uuid).first()
            )
        if consent is None:
            raise NotFound(_("Deze toestemming bestaat niet of u mag hem niet zien."))
        selectors.get_case(request.user, consent.case.uuid, channel="api")
        done = services.revoke_consent(
            user=request.user, consent=consent, reason=body.validated_data.get("reason", "")
        )
        done.organisation = consent.organisation
        return Response(ConsentSerializer(done).data)


class DoorbraakViewSet(ViaApi, viewsets.GenericViewSet):
    """Doorbraak requests: the case manager asks an involved organisation to pause or change a
    decision (or pauses at once under a mandate); that organisation answers."""

    permission_classes = [CanWorkWithContacts]
    pagination_class = None
    filter_backends = []
    lookup_field = "uuid"
    serializer_class = DoorbraakSerializer

    def get_queryset(self):
        return DoorbraakRequest.objects.none()

    def _out(self, obj, status_code=status.HTTP_200_OK):
        fresh = DoorbraakRequest.objects.select_related(
            "case__municipality", "to_organisation", "mandate"
        ).get(pk=obj.pk)
        data = DoorbraakSerializer(fresh, context={"request": self.request}).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="Doorbraakverzoeken aan uw organisatie (eerst de vroegste antwoorddatum)",
        parameters=[
            OpenApiParameter(
                "open_only",
                OpenApiTypes.BOOL,
                description="Standaard true: alleen verzoeken die op antwoord wachten.",
            )
        ],
        responses={200: DoorbraakSerializer(many=True), **LIST_ERRORS},
    )
    def list(self, request):
        rows = selectors.doorbraak_inbox(request.user, open_only=_flag(request, "open_only", True))
        return Response(DoorbraakSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(summary="Eén doorbraakverzoek", responses={200: DoorbraakSerializer, **ERRORS})
    def retrieve(self, request, uuid=None):
        obj, _parties = selectors.get_doorbraak(request.user, uuid, channel="api")
        return Response(DoorbraakSerializer(obj, context={"request": request}).data)

    @extend_schema(
        summary="Doorbraakverzoek sturen, of met `mandate` meteen pauzeren",
        request=DoorbraakInput,
        responses={201: DoorbraakSerializer, **STATE_ERRORS},
    )
    def create(self, request):
        body = DoorbraakInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        view = selectors.get_case(request.user, data.pop("case"), channel="api")
        common = {
            "user": request.user,
            "case": view.case,
            "to_organisation": data["to_organisation"],
            "kind": data.get("kind", ""),
            "motivation": data.get("motivation", ""),
            "amount": data.get("amount"),
            "pause_days": data.get("pause_days"),
            "subject_reference": data.get("subject_reference", ""),
        }
        if data.get("mandate"):
            made = services.pause_with_mandate(**common)
        else:
            made = services.send_doorbraak(**common, answer_by=data.get("answer_by"))
        return self._out(made, status.HTTP_201_CREATED)

    def _step(self, uuid, body_class, run):
        body = body_class(data=self.request.data) if body_class else None
        if body is not None:
            body.is_valid(raise_exception=True)
        obj, _parties = selectors.get_doorbraak(self.request.user, uuid, channel="api")
        run(obj, body.validated_data if body is not None else {})
        return self._out(obj)

    def _answer(self, uuid, step):
        return self._step(
            uuid,
            AnswerInput,
            lambda obj, data: services.answer_doorbraak(
                user=self.request.user, request=obj, action=step, **data
            ),
        )

    @extend_schema(
        summary="Toekennen",
        request=AnswerInput,
        responses={200: DoorbraakSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def grant(self, request, uuid=None):
        return self._answer(uuid, "grant")

    @extend_schema(
        summary="Deels toekennen (schrijf op wat wel en wat niet kan)",
        request=AnswerInput,
        responses={200: DoorbraakSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def partly(self, request, uuid=None):
        return self._answer(uuid, "partly")

    @extend_schema(
        summary="Weigeren, met de reden en de regel die in de weg staat",
        request=AnswerInput,
        responses={200: DoorbraakSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, uuid=None):
        return self._answer(uuid, "refuse")

    @extend_schema(
        summary="Pauze met mandaat bevestigen",
        request=None,
        responses={200: DoorbraakSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, uuid=None):
        return self._step(
            uuid,
            None,
            lambda obj, _data: services.confirm_pause(user=request.user, request=obj),
        )

    @extend_schema(
        summary="Pauze met mandaat terugdraaien (binnen de afgesproken werkdagen)",
        request=OverturnInput,
        responses={200: DoorbraakSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def overturn(self, request, uuid=None):
        return self._step(
            uuid,
            OverturnInput,
            lambda obj, data: services.overturn_pause(
                user=request.user, request=obj, answer=data.get("answer", "")
            ),
        )

    @extend_schema(
        summary="Intrekken (casemanager)",
        request=None,
        responses={200: DoorbraakSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, uuid=None):
        return self._step(
            uuid,
            None,
            lambda obj, _data: services.withdraw_doorbraak(user=request.user, request=obj),
        )


class SignalViewSet(ViaApi, viewsets.GenericViewSet):
    """Early signals of payment arrears: partners (landlords, energy and drinking-water
    companies, health insurers) report them; the municipality's team offers help."""

    permission_classes = [IsStaffMember]
    pagination_class = None
    filter_backends = []
    lookup_field = "uuid"
    serializer_class = SignalSerializer

    def get_queryset(self):
        return ArrearsSignal.objects.none()

    @extend_schema(
        summary="Signalen van betalingsachterstanden voor uw gemeente (eerst de vroegste "
        "datum om hulp aan te bieden)",
        parameters=[
            OpenApiParameter(
                "open_only",
                OpenApiTypes.BOOL,
                description="Standaard true: alleen signalen zonder uitkomst.",
            )
        ],
        responses={200: SignalSerializer(many=True), **LIST_ERRORS},
    )
    def list(self, request):
        rows = selectors.signal_list(request.user, open_only=_flag(request, "open_only", True))
        scope = get_scope(request.user)
        for municipality_id in {s.municipality_id for s in rows}:
            code = next((c for pk, c, _t in scope.organisations if pk == municipality_id), "")
            log_access(
                user=request.user,
                organisation_code=code,
                residents=[s.resident for s in rows if s.municipality_id == municipality_id],
                activity=Activity.EARLY_SIGNAL,
                action=Action.READ,
                channel="api",
                object_type="arrears-signal",
            )
        return Response(SignalSerializer(rows, many=True).data)

    @extend_schema(summary="Eén signaal", responses={200: SignalSerializer, **ERRORS})
    def retrieve(self, request, uuid=None):
        signal = selectors.get_signal(request.user, uuid, channel="api")
        return Response(SignalSerializer(signal).data)

    @extend_schema(
        summary="Betalingsachterstand melden (partner); hetzelfde kenmerk nog eens geeft "
        "hetzelfde signaal terug (200)",
        request=SignalInput,
        responses={
            201: SignalReceiptSerializer,
            200: OpenApiResponse(
                SignalReceiptSerializer, description="Dit kenmerk was al gemeld: niets nieuws."
            ),
            **ERRORS,
        },
    )
    def create(self, request):
        body = SignalInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        signal, created = services.receive_signal(
            user=request.user,
            kind=data.get("kind", ""),
            amount=data.get("amount"),
            months=data.get("months"),
            surname=data.get("surname", ""),
            postcode=data.get("postcode", ""),
            house_number=data.get("house_number"),
            reference=data.get("reference", ""),
            house_number_addition=data.get("house_number_addition", ""),
            municipality_code=data.get("municipality", ""),
        )
        return Response(
            SignalReceiptSerializer(signal).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Hulp aangeboden: hoe, en wat eruit kwam",
        request=OfferInput,
        responses={200: SignalSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def offer(self, request, uuid=None):
        body = OfferInput(data=request.data)
        body.is_valid(raise_exception=True)
        signal = selectors.get_signal(request.user, uuid, channel="api")
        done = services.record_offer(user=request.user, signal=signal, **body.validated_data)
        fresh = ArrearsSignal.objects.select_related("reporter", "resident").get(pk=done.pk)
        return Response(SignalSerializer(fresh).data)


class InzageView(APIView):
    """The resident's inzage for the privacy officer: every use of their data, by every
    organisation, as JSON (streamed); the export itself is logged."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        summary="Inzage voor een inwoner (privacyfunctionaris): wie heeft de gegevens gebruikt",
        parameters=[
            OpenApiParameter(
                "bsn",
                {"type": "string", "pattern": r"^[0-9 .]{8,11}$"},
                required=True,
                description="Het BSN van de inwoner (elfproef).",
            )
        ],
        responses={200: INZAGE, 400: ERRORS[400], 401: PROBLEM, 403: PROBLEM},
    )
    def get(self, request):
        bsn = request.query_params.get("bsn", "")
        if "\x00" in bsn:
            bsn = ""
        try:
            made = inzage.for_resident(request.user, bsn)
        except DjangoValidationError as exc:
            raise _bad("bsn", " ".join(exc.messages)) from None
        return _stream(request.user, made)
