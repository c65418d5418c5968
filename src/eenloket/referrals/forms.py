"""Forms for the referral and live-consult screens. The rules live in services.py; these forms
only check the shape of the input (and the NL Design System markup)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eenloket.catalogue.models import Service
from eenloket.core.forms import NLDesignFormMixin
from eenloket.core.validators import MAX_TEXT
from eenloket.organisations.models import Location, Organisation, OrganisationType, Team, User
from eenloket.residents.models import PreferredChannel

from .models import Reachability, ReferralKind, SharedItem, Urgency


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Checkboxes whose group has an id, so the error summary can link to it."""

    def id_for_label(self, id_, index=None):
        if index is None:
            return id_
        return super().id_for_label(id_, index)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organisation.name}: {obj.name}"


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        try:
            organisation = OrganisationType(obj.organisation_type).label
        except ValueError:
            organisation = obj.organisation_type
        return f"{obj.name} ({organisation})"


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class _DestinationForm(NLDesignFormMixin, forms.Form):
    """Where a referral goes: an organisation, optionally one of its teams."""

    to_organisation = OrganisationChoiceField(
        label=_("Naar organisatie"),
        queryset=Organisation.objects.all(),
        to_field_name="uuid",
        empty_label=_("Kies een organisatie"),
        error_messages={
            "required": _("Kies de organisatie waar u naar doorverwijst."),
            "invalid_choice": _("Kies een organisatie uit de lijst."),
        },
    )
    to_team = TeamChoiceField(
        label=_("Naar team"),
        queryset=Team.objects.select_related("organisation"),
        to_field_name="uuid",
        required=False,
        empty_label=_("Geen team: de organisatie verdeelt het zelf"),
        help_text=_(
            "Kies een team van de gekozen organisatie. Binnen uw eigen organisatie moet dat."
        ),
        error_messages={"invalid_choice": _("Kies een team uit de lijst.")},
    )

    def chosen_organisation(self):
        """The organisation chosen (posted) or prefilled, if it is one of the choices."""
        field = self.fields["to_organisation"]
        if self.is_bound:
            value = self.data.get(self.add_prefix("to_organisation"))
        else:
            value = self.get_initial_for_field(field, "to_organisation")
        if isinstance(value, Organisation):
            value = value.uuid
        try:
            return field.to_python(value)
        except forms.ValidationError:
            return None

    def limit_to_organisation(self, organisation) -> None:
        """Only the teams of the chosen organisation. Without a choice (no JavaScript to ask
        again) all of them stay; the service checks the pair anyway."""
        if organisation is None:
            return
        team = self.fields["to_team"]
        team.queryset = team.queryset.filter(organisation=organisation)
        team.error_messages["invalid_choice"] = _("Dit team hoort niet bij de gekozen organisatie.")


class ReferralForm(_DestinationForm):
    """A warm referral (or one to the social counsellor) from a contact moment."""

    service = ServiceChoiceField(
        label=_("Dienst"),
        queryset=Service.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("Geen dienst gekozen"),
        error_messages={"invalid_choice": _("Kies een dienst uit de lijst.")},
    )
    reason = forms.CharField(
        label=_("Reden van de doorverwijzing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Schrijf op waarom u doorverwijst.")},
    )
    discussed = forms.CharField(
        label=_("Wat al is besproken met de inwoner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        required=False,
    )
    consent_given = forms.BooleanField(
        label=_("De inwoner geeft toestemming om gegevens te delen"), required=False
    )
    shared = forms.MultipleChoiceField(
        label=_("Wat deelt u met de andere organisatie"),
        choices=SharedItem.choices,
        widget=CheckboxGroup,
        required=False,
        help_text=_("Naam, contactgegevens en BSN deelt u alleen met toestemming."),
        error_messages={"invalid_choice": _("Kies uit de lijst wat u deelt.")},
    )
    urgency = forms.ChoiceField(
        label=_("Urgentie"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        error_messages={"invalid_choice": _("Kies een urgentie uit de lijst.")},
    )
    preferred_channel = forms.ChoiceField(
        label=_("Hoe wil de inwoner contact"),
        choices=PreferredChannel.choices,
        error_messages={"invalid_choice": _("Kies hoe de inwoner contact wil.")},
    )

    def __init__(
        self,
        *args,
        contact,
        kind=ReferralKind.WARM,
        organisations=None,
        services=None,
        **kwargs,
    ):
        initial = kwargs.setdefault("initial", {})
        resident = contact.resident
        initial.setdefault(
            "preferred_channel",
            resident.preferred_channel if resident is not None else PreferredChannel.PHONE,
        )
        if contact.service_id:
            initial.setdefault("service", contact.service.uuid)
        super().__init__(*args, **kwargs)
        self.kind = kind
        if organisations is None:
            organisations = Organisation.objects.all()
            if kind == ReferralKind.COUNSELLOR:
                organisations = organisations.filter(type=OrganisationType.SOCIAAL_RAADSLIEDEN)
        self.fields["to_organisation"].queryset = organisations
        self.fields["to_team"].queryset = Team.objects.filter(
            organisation__in=organisations
        ).select_related("organisation")
        self.fields["service"].queryset = (
            services if services is not None else Service.objects.none()
        )
        self.limit_to_organisation(self.chosen_organisation())
        if kind == ReferralKind.COUNSELLOR:
            self.fields["consent_given"].required = True
            self.fields["consent_given"].label = _(
                "De inwoner geeft toestemming om de gegevens van de sociaal raadsman door te geven"
            )
            self.fields["consent_given"].error_messages["required"] = _(
                "Vraag de inwoner om toestemming. Zonder toestemming geeft u de gegevens niet door."
            )
            self.fields["reason"].label = _("Waarmee kan de sociaal raadsman helpen")
        if resident is None:  # anonymous: there is no name or BSN to share
            self.fields["shared"].choices = [
                (value, label)
                for value, label in SharedItem.choices
                if value not in (SharedItem.IDENTITY, SharedItem.BSN)
            ]
            self.fields["shared"].help_text = _(
                "Dit contact is anoniem: u kunt alleen de vraag en het gesprek delen."
            )
        self.fields["shared"].widget.attrs["class"] = (
            "utrecht-checkbox utrecht-checkbox--html-input"
        )

    def limit_to_organisation(self, organisation) -> None:
        """Also only the services of the chosen organisation."""
        super().limit_to_organisation(organisation)
        if organisation is None:
            return
        service = self.fields["service"]
        service.queryset = service.queryset.filter(
            Q(tenant__isnull=True) | Q(tenant=organisation),
            organisation_type=organisation.type,
        )
        service.error_messages["invalid_choice"] = _(
            "Deze dienst hoort bij een andere organisatie."
        )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["consent_given"] = bool(data.get("consent_given"))
        data["shared"] = list(data.get("shared") or [])
        return data


class ReReferForm(_DestinationForm):
    """A returned referral goes to the right place."""

    reason = forms.CharField(
        label=_("Reden van de nieuwe doorverwijzing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Schrijf op waarom u doorverwijst.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_to_organisation(self.chosen_organisation())


class ConsultForm(NLDesignFormMixin, forms.Form):
    """Ask for an on-duty colleague of another organisation, for a location: the organisations
    show how many colleagues are on duty for it (present there, or by phone or video)."""

    location = forms.ModelChoiceField(
        label=_("Waar bent u nu"),
        queryset=Location.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("Geen locatie (alleen via telefoon of video)"),
        help_text=_("Een collega die hier in dienst is, komt naar u toe."),
        error_messages={"invalid_choice": _("Kies een locatie uit de lijst.")},
    )
    to_organisation = OrganisationChoiceField(
        label=_("Collega van organisatie"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        empty_label=_("Kies een organisatie"),
        error_messages={
            "required": _("Kies een organisatie."),
            "invalid_choice": _("Kies een organisatie uit de lijst."),
        },
    )
    question = forms.CharField(
        label=_("Waar gaat het over"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        error_messages={"required": _("Schrijf op waar het over gaat.")},
    )

    def __init__(
        self, *args, organisations, locations, default_location=None, count_on_duty=None, **kwargs
    ):
        kwargs.setdefault("initial", {}).setdefault("location", default_location)
        super().__init__(*args, **kwargs)
        place = self.fields["location"]
        place.queryset = locations
        if default_location is not None:
            # Known where the requester is: no "no location" choice (the service would take
            # the same default for it).
            place.empty_label = None
        field = self.fields["to_organisation"]
        field.queryset = organisations
        self.chosen_location = self._chosen_location(default_location)
        counts = count_on_duty(self.chosen_location) if count_on_duty else {}

        def label(obj):
            n = counts.get(obj.pk, 0)
            if n == 0:
                return _("%(org)s – niemand in dienst") % {"org": obj.name}
            if n == 1:
                return _("%(org)s – 1 collega in dienst") % {"org": obj.name}
            return _("%(org)s – %(n)s collega's in dienst") % {"org": obj.name, "n": n}

        field.label_from_instance = label

    def _chosen_location(self, default):
        """The location the on-duty counts are for: the one posted (or asked for), else the
        default."""
        field = self.fields["location"]
        if self.is_bound:
            value = self.data.get(self.add_prefix("location"))
        else:
            value = self.get_initial_for_field(field, "location")
        if isinstance(value, Location):
            return value
        if value in field.empty_values:
            return default
        try:
            return field.to_python(value)
        except forms.ValidationError:
            return default


class DutyForm(NLDesignFormMixin, forms.Form):
    """Start a duty period for live consults."""

    location = forms.ModelChoiceField(
        label=_("Locatie"),
        queryset=Location.objects.none(),
        to_field_name="uuid",
        empty_label=_("Kies een locatie"),
        error_messages={
            "required": _("Kies de locatie waar u werkt."),
            "invalid_choice": _("Kies een locatie uit de lijst."),
        },
    )
    reachable = forms.ChoiceField(
        label=_("Hoe bent u bereikbaar"),
        choices=Reachability.choices,
        initial=Reachability.ON_SITE,
        error_messages={"invalid_choice": _("Kies hoe u bereikbaar bent.")},
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations


class AssignForm(NLDesignFormMixin, forms.Form):
    to_user = ColleagueChoiceField(
        label=_("Collega"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        empty_label=_("Kies een collega"),
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = colleagues
