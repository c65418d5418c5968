"""Forms of the contact point. They only shape input; the rules are in services.py."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.core.forms import NLDesignFormMixin

from .models import Consent, ReportState, TrustLevel, Urgency


class Form(NLDesignFormMixin, forms.Form):
    """The services check what is required (one Dutch message each); the fields only show it."""

    shown_required: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.shown_required:
            self.fields[name].show_as_required = True


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        if isinstance(data, list | tuple):
            return list(data)
        return [data]


class ReportForm(Form):
    shown_required = ("concern", "urgency", "resident_name", "consent")
    concern = forms.CharField(
        label=_("Wat is er aan de hand?"),
        help_text=_("Schrijf in gewone woorden wat u ziet of hoort. Schrijf geen BSN."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    urgency = forms.ChoiceField(
        label=_("Hoe dringend is het?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    resident_name = forms.CharField(
        label=_("Naam van de inwoner"),
        help_text=_("Zoals u de naam kent. U hoeft niets op te zoeken."),
        required=False,
    )
    resident_address = forms.CharField(label=_("Adres"), required=False)
    resident_phone = forms.CharField(label=_("Telefoonnummer"), required=False)
    consent = forms.ChoiceField(
        label=_("Vindt de inwoner het goed dat u dit meldt?"),
        choices=Consent.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    no_consent_reason = forms.CharField(
        label=_("Waarom kon u het niet vragen?"),
        help_text=_("Alleen invullen als u het de inwoner niet kon vragen."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, may_attach=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["concern", "urgency", "resident_name", "resident_address", "resident_phone"]
        )
        if may_attach:
            self.fields["attachments"] = MultipleFileField(
                label=_("Documenten"),
                help_text=_("PDF, JPG of PNG, hoogstens 5 documenten van elk 5 MB."),
                required=False,
            )
            self.fields["attachments"].widget.attrs.update(
                {
                    "class": "utrecht-textbox utrecht-textbox--html-input",
                    "aria-describedby": "id_attachments_help",
                }
            )


class VerifyForm(Form):
    shown_required = ("code",)
    code = forms.CharField(
        label=_("Code uit uw app"),
        help_text=_("6 cijfers. De code verandert elke 30 seconden."),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class AcceptForm(Form):
    shown_required = ("password", "password_again", "code")
    password = forms.CharField(
        label=_("Kies een wachtwoord"),
        help_text=_("Minstens 12 tekens. Gebruik het nergens anders."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
    )
    password_again = forms.CharField(
        label=_("Typ het wachtwoord nog een keer"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
    )
    code = forms.CharField(
        label=_("Code uit uw app"),
        help_text=_("6 cijfers, die de app laat zien nadat u de sleutel heeft toegevoegd."),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


ANSWER_STATES = [
    (ReportState.IN_PROGRESS.value, ReportState.IN_PROGRESS.label),
    (ReportState.DONE.value, ReportState.DONE.label),
    (ReportState.FORWARDED.value, ReportState.FORWARDED.label),
]


class AnswerForm(Form):
    shown_required = ("state", "answer")
    state = forms.ChoiceField(
        label=_("Status"), choices=ANSWER_STATES, widget=forms.RadioSelect, required=False
    )
    answer = forms.CharField(
        label=_("Kort antwoord voor de intermediair"),
        help_text=_(
            "De intermediair leest dit. Schrijf kort en in gewone woorden, zonder "
            "gegevens uit het dossier van de inwoner."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class LinkForm(Form):
    shown_required = ("resident",)
    resident = forms.UUIDField(
        label=_("Kenmerk van de inwoner in het register"),
        help_text=_("Zoek de inwoner eerst op via Inwoner zoeken en neem het kenmerk over."),
        required=False,
    )


class InviteForm(Form):
    shown_required = ("first_name", "last_name", "email", "organisation", "trust_level")
    first_name = forms.CharField(label=_("Voornaam"), required=False)
    last_name = forms.CharField(label=_("Achternaam"), required=False)
    email = forms.CharField(label=_("E-mailadres"), required=False)
    phone = forms.CharField(label=_("Telefoonnummer"), required=False)
    organisation = forms.ChoiceField(label=_("Partnerorganisatie"), required=False)
    trust_level = forms.ChoiceField(
        label=_("Vertrouwensniveau"),
        choices=TrustLevel.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Vrijwilliger: ziet status en kort antwoord. Semiprofessioneel: ook naam en team "
            "van de behandelaar. Professioneel: ook het directe nummer, en mag documenten "
            "meesturen."
        ),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("Kies…"))] + [
            (str(o.uuid), o.name) for o in organisations
        ]


class NormsForm(Form):
    shown_required = ("acute_working_days", "urgent_working_days", "normal_working_days")
    acute_working_days = forms.IntegerField(
        label=_("Acuut: binnen hoeveel werkdagen?"),
        help_text=_("0 is dezelfde werkdag."),
        required=False,
    )
    urgent_working_days = forms.IntegerField(
        label=_("Spoed: binnen hoeveel werkdagen?"), required=False
    )
    normal_working_days = forms.IntegerField(
        label=_("Normaal: binnen hoeveel werkdagen?"), required=False
    )
    intake_team = forms.ChoiceField(
        label=_("Team voor meldingen zonder duidelijke plek"), required=False
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intake_team"].choices = [("", _("Geen: de gemeente als geheel"))] + [
            (str(t.uuid), t.name) for t in teams
        ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PeriodForm(Form):
    """The overview's period (GET ?van=…&tot=…). Both may be left out (the view fills in the
    default); a date outside FIRST_DAY…LAST_DAY or an end before the start is an error, so the
    view never computes with a date it cannot handle."""

    FIRST_DAY = dt.date(2000, 1, 1)
    LAST_DAY = dt.date(2100, 12, 31)
    shown_required = ("van", "tot")  # a filter: no "(niet verplicht)" next to the dates
    LIMITS = {"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}

    van = forms.DateField(
        label=_("Gemeld vanaf"),
        required=False,
        widget=DateInput(LIMITS),
        error_messages={"invalid": _("Deze datum klopt niet. Kies een dag in de kalender.")},
    )
    tot = forms.DateField(
        label=_("tot en met"),
        required=False,
        widget=DateInput(LIMITS),
        error_messages={"invalid": _("Deze datum klopt niet. Kies een dag in de kalender.")},
    )

    def _in_range(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not self.FIRST_DAY <= value <= self.LAST_DAY:
            raise forms.ValidationError(
                _("Kies een datum tussen 1 januari 2000 en 31 december 2100.")
            )
        return value

    def clean_van(self):
        return self._in_range("van")

    def clean_tot(self):
        return self._in_range("tot")

    def clean(self):
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("Deze datum ligt voor de eerste datum. Kies een latere datum."))
        return data
