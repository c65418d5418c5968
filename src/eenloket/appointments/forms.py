from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.contacts.models import Outcome
from eenloket.core.forms import NLDesignFormMixin

from .models import Delivery, DeskFeature, Need, Skill


class NeedsForm(NLDesignFormMixin, forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("Heeft u ondersteuning nodig?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Kies wat voor u geldt. Dan zorgen wij dat het klaarstaat."),
    )


class PersonForm(NLDesignFormMixin, forms.Form):
    given_name = forms.CharField(label=_("Voornaam"), max_length=200, required=False)
    surname = forms.CharField(label=_("Achternaam"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=30,
        required=False,
        help_text=_("Een mobiel nummer: dan krijgt u de bevestiging ook per sms."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mailadres"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    needs_note = forms.CharField(
        label=_("Toelichting bij de ondersteuning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld welke hulp u nodig heeft. Schrijf geen BSN."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["surname"].widget.attrs["autocomplete"] = "family-name"
        # The service requires them (all errors at once, in Dutch); the label must not say
        # "niet verplicht".
        for name in ("given_name", "surname"):
            self.fields[name].show_as_required = True


class DeliveryForm(NLDesignFormMixin, forms.Form):
    delivery = forms.ChoiceField(
        label=_("Waar haalt u het reisdocument op?"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    pickup_location = forms.ChoiceField(label=_("Ophalen bij"), required=False, choices=[])
    delivery_address = forms.CharField(
        label=_("Bezorgadres"),
        required=False,
        max_length=300,
        help_text=_("Straat, huisnummer, postcode en plaats."),
    )

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pickup_location"].choices = [("", _("Kies een locatie"))] + [
            (str(loc.uuid), f"{loc.name}, {loc.address}") for loc in locations
        ]


class CallbackForm(NLDesignFormMixin, forms.Form):
    given_name = forms.CharField(label=_("Voornaam"), max_length=200, required=False)
    surname = forms.CharField(label=_("Achternaam"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    needs_note = forms.CharField(
        label=_("Wat moeten wij weten?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("given_name", "surname", "phone"):
            self.fields[name].show_as_required = True


class CompleteForm(NLDesignFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[
            (Outcome.ANSWERED, Outcome.ANSWERED.label),
            (Outcome.REQUEST_TAKEN, Outcome.REQUEST_TAKEN.label),
            (Outcome.FOLLOW_UP, Outcome.FOLLOW_UP.label),
            (Outcome.REFERRED, Outcome.REFERRED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een uitkomst.")},
    )
    answer = forms.CharField(
        label=_("Wat is er besproken of geregeld?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    referral_helped = forms.BooleanField(
        label=_("De inwoner is geholpen: sluit de doorverwijzing af"), required=False
    )
    register_resident = forms.BooleanField(
        label=_("Leg de inwoner vast (dan vragen wij later of de inwoner geholpen is)"),
        required=False,
        initial=True,
    )


class CancelForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reden"), required=False, max_length=300)


class DeskForm(NLDesignFormMixin, forms.Form):
    name = forms.CharField(label=_("Naam van de balie of spreekkamer"), max_length=100)
    features = forms.MultipleChoiceField(
        label=_("Voorzieningen"),
        choices=DeskFeature.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ClosureForm(NLDesignFormMixin, forms.Form):
    starts_on = forms.DateField(
        label=_("Eerste dag"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Laatste dag"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reden"), max_length=200)


class SkillForm(NLDesignFormMixin, forms.Form):
    skill = forms.ChoiceField(label=_("Vaardigheid of training"), choices=Skill.choices)
    language = forms.CharField(
        label=_("Taal"),
        max_length=40,
        required=False,
        help_text=_("Alleen bij ‘spreekt een andere taal’."),
    )
    training = forms.CharField(label=_("Training"), max_length=200, required=False)
    obtained_on = forms.DateField(
        label=_("Behaald op"), widget=forms.DateInput(attrs={"type": "date"})
    )


class LearningNeedForm(NLDesignFormMixin, forms.Form):
    skill = forms.ChoiceField(
        label=_("Onderwerp"), choices=[("", _("Anders"))] + Skill.choices, required=False
    )
    description = forms.CharField(
        label=_("Wat wil de medewerker leren?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class BookableForm(NLDesignFormMixin, forms.Form):
    service = forms.ChoiceField(label=_("Dienst"), choices=[])
    slot_minutes = forms.TypedChoiceField(
        label=_("Duur van een afspraak"),
        coerce=int,
        choices=[(m, _("%(m)d minuten") % {"m": m}) for m in (15, 30, 45, 60, 90, 120)],
        initial=30,
    )
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=[("bezoek", _("Afspraak")), ("reisdocument", _("Aanvraag reisdocument"))],
    )
    public = forms.BooleanField(
        label=_("Inwoners kunnen zelf online boeken"), required=False, initial=True
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("Kies een dienst"))] + [
            (str(s.uuid), s.name) for s in services
        ]


class ScheduleForm(NLDesignFormMixin, forms.Form):
    weekday = forms.TypedChoiceField(label=_("Dag"), coerce=int, choices=[])
    starts = forms.TimeField(label=_("Van"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Tot"), widget=forms.TimeInput(attrs={"type": "time"}))
    valid_from = forms.DateField(
        label=_("Geldig vanaf"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Geldig tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    walk_in = forms.BooleanField(label=_("Inloopspreekuur (zonder afspraak)"), required=False)
    services = forms.MultipleChoiceField(
        label=_("Diensten"), choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )
    desks = forms.MultipleChoiceField(
        label=_("Balies"), choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )
    staff = forms.MultipleChoiceField(
        label=_("Medewerkers"), choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, services=(), desks=(), staff=(), **kwargs):
        from eenloket.organisations.models import OpeningHours

        super().__init__(*args, **kwargs)
        self.fields["weekday"].choices = OpeningHours.Weekday.choices
        self.fields["services"].choices = [(str(s.uuid), s.name) for s in services]
        self.fields["desks"].choices = [(str(d.uuid), d.name) for d in desks]
        self.fields["staff"].choices = [(str(u.uuid), str(u)) for u in staff]
