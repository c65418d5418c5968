from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from eenloket.core.forms import NLDesignFormMixin
from eenloket.core.validators import MAX_TEXT
from eenloket.organisations.models import Location, Organisation, Team, User

from .models import Channel, Outcome


class ContactForm(NLDesignFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Namens organisatie"), queryset=Organisation.objects.none(), empty_label=None
    )
    channel = forms.ChoiceField(label=_("Kanaal"), choices=Channel.choices)
    location = forms.ModelChoiceField(
        label=_("Locatie"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Geen locatie (bijvoorbeeld telefoon)"),
    )
    question = forms.CharField(
        label=_("Vraag van de inwoner"),
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "autofocus": True,
                # Routing suggestions while typing (htmx, debounced); the pick is kept.
                "hx-get": reverse_lazy("routing-suggestions"),
                "hx-trigger": "input changed delay:250ms, load",
                "hx-target": "#routing-suggestions",
                "hx-include": "#routing-suggestions",  # the picked service (only a checked radio counts)
                "hx-sync": "this:replace",
                "aria-controls": "routing-suggestions",
            }
        ),
        max_length=MAX_TEXT,
        error_messages={"required": _("Schrijf de vraag van de inwoner op.")},
    )
    # Rendered as radio buttons by the suggestions under the question.
    service = forms.UUIDField(
        label=_("Dienst"),
        required=False,
        error_messages={"invalid": _("Kies een dienst uit de suggesties.")},
    )
    answer = forms.CharField(
        label=_("Antwoord of wat u heeft gedaan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT,
    )
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=Outcome.choices)
    extra_help_needed = forms.BooleanField(
        label=_("Extra hulpvraag: de inwoner heeft meer hulp nodig"), required=False
    )
    counsellor_mentioned = forms.BooleanField(
        label=_("Sociaal raadsman genoemd: de inwoner weet dat die gratis kan helpen"),
        required=False,
    )

    def __init__(self, *args, organisations, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["location"].queryset = locations
        if organisations.count() == 1:
            self.fields["organisation"].widget = forms.HiddenInput()


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.name})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class CallbackForm(NLDesignFormMixin, forms.Form):
    """Who calls the resident back, on which number (a callback request: terugbelverzoek).
    The service (services.request_callback / register_contact) checks everything; its errors
    come back on these fields (callback_team, callback_phone, …)."""

    callback_team = TeamChoiceField(
        label=_("Team dat terugbelt"),
        queryset=Team.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("Kies een team"),
        error_messages={"invalid_choice": _("Kies het team dat terugbelt.")},
    )
    callback_assigned_to = PersonChoiceField(
        label=_("Collega die terugbelt"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("Iemand van het team"),
        error_messages={"invalid_choice": _("Kies een collega uit de lijst.")},
    )
    callback_phone = forms.CharField(
        label=_("Terugbellen op nummer"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    callback_note = forms.CharField(
        label=_("Toelichting voor wie terugbelt"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, teams, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["callback_team"].queryset = teams
        self.fields["callback_assigned_to"].queryset = colleagues

    def callback(self) -> dict:
        """The service's `callback` argument."""
        data = self.cleaned_data
        return {
            "team": data.get("callback_team"),
            "assigned_to": data.get("callback_assigned_to"),
            "phone": data.get("callback_phone", ""),
            "note": data.get("callback_note", ""),
        }
