"""The shapes of the referral, live-consult and on-duty API: input and output serializers."""

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers

from eenloket.catalogue.models import Service
from eenloket.contacts.models import ContactMoment
from eenloket.contacts.selectors import visible_contacts
from eenloket.core.api import SafeSlugRelatedField
from eenloket.core.validators import MAX_TEXT
from eenloket.organisations.models import Location, Organisation, Team, User
from eenloket.organisations.selectors import get_scope
from eenloket.residents.models import PreferredChannel

from .. import selectors, states
from ..models import (
    ConsultState,
    Reachability,
    ReferralEvent,
    ReferralKind,
    ReferralState,
    SharedItem,
    Urgency,
)

# ---- shared fields ------------------------------------------------------------------------------


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


# ---- query parameters -------------------------------------------------------------------------


class WorklistQuerySerializer(serializers.Serializer):
    worklist = serializers.ChoiceField(choices=selectors.WORKLISTS, required=False)
    page_size = serializers.IntegerField(required=False, min_value=1)  # more counts as the max


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


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
