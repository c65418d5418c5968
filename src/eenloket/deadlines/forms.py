import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.core.forms import NLDesignFormMixin
from eenloket.core.terms import Regime, TermError, parse_term

# The calculator counts within the calendar the API accepts (a later start overflows a date).
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2199, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RegisterForm(NLDesignFormMixin, forms.Form):
    request_type = forms.ChoiceField(label=_("Soort verzoek"))
    subject = forms.CharField(
        label=_("Waar gaat het verzoek over?"),
        max_length=200,
        help_text=_("Bijvoorbeeld: bijzondere bijstand voor een wasmachine. Schrijf geen BSN."),
    )
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput())
    decision_published_on = forms.DateField(
        label=_("Alleen bij bezwaar: datum van het besluit waartegen bezwaar is gemaakt"),
        required=False,
        widget=DateInput(),
        help_text=_("De bezwaartermijn van 6 weken begint de dag na deze datum."),
    )
    advisory_committee = forms.BooleanField(
        label=_("Een adviescommissie geeft advies (langere termijn)"), required=False
    )
    team = forms.ChoiceField(label=_("Team"))
    handler = forms.ChoiceField(label=_("Behandelaar"), required=False)
    zaak_url = forms.URLField(
        label=_("Link naar de zaak in het zaaksysteem"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, types=(), teams=(), handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_type"].choices = [("", _("Kies…"))] + [
            (str(t.uuid), f"{t.label} ({t.article})") for t in types
        ]
        self.fields["team"].choices = [("", _("Kies…"))] + [(str(t.uuid), t.name) for t in teams]
        self.fields["handler"].choices = [("", _("Nog niemand"))] + [
            (str(u.uuid), u.get_full_name() or u.username) for u in handlers
        ]


class SuspendForm(NLDesignFormMixin, forms.Form):
    starts_on = forms.DateField(
        label=_("Gevraagd om aan te vullen op"),
        widget=DateInput(),
        help_text=_("De termijn staat stil vanaf de dag erna (Awb 4:15)."),
    )
    reason = forms.CharField(label=_("Reden"), max_length=300)
    respond_by = forms.DateField(
        label=_("Aanvullen uiterlijk op"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "De datum die de inwoner kreeg om de aanvraag aan te vullen (Awb 4:15). Is er dan "
            "niets binnen, dan loopt de termijn de dag erna vanzelf weer. Leeg als de inwoner "
            "zelf met uitstel instemde."
        ),
    )


class ResumeForm(NLDesignFormMixin, forms.Form):
    ends_on = forms.DateField(label=_("Aanvulling ontvangen op"), widget=DateInput())


class ExtendForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarom duurt het langer?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De inwoner leest dit in de brief. Schrijf in gewone woorden."),
    )
    weeks = forms.IntegerField(
        label=_("Hoeveel weken langer?"),
        min_value=1,
        max_value=52,
        required=False,
        help_text=_("Leeg: zo lang als de wet toestaat."),
    )
    consent_note = forms.CharField(
        label=_("Alleen bij verder uitstel: hoe stemde de inwoner in?"),
        max_length=300,
        required=False,
    )


class NoticeForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarom duurt het langer?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De inwoner leest dit in het bericht. Schrijf in gewone woorden."),
    )
    expected_on = forms.DateField(
        label=_("Het besluit komt uiterlijk op"),
        widget=DateInput(),
        help_text=_(
            "Kies een zo kort mogelijke termijn. Geldt er geen wettelijke termijn (een "
            "aanvraag), dan is deze datum de nieuwe einddatum als u het bericht op tijd stuurt "
            "(Awb 4:14 lid 3)."
        ),
    )


class DefaultForm(NLDesignFormMixin, forms.Form):
    received_on = forms.DateField(label=_("Ingebrekestelling ontvangen op"), widget=DateInput())


class DecideForm(NLDesignFormMixin, forms.Form):
    decided_on = forms.DateField(label=_("Besluit verstuurd op"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(NLDesignFormMixin, forms.Form):
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=1000)


class CalculatorForm(NLDesignFormMixin, forms.Form):
    start = forms.DateField(
        label=_("Dag van ontvangst of verzending"),
        widget=DateInput(),
        help_text=_("De termijn begint de dag erna."),
    )
    amount = forms.IntegerField(label=_("Hoe lang?"), min_value=1, max_value=999, required=False)
    unit = forms.ChoiceField(
        label=_("Eenheid"),
        choices=[("D", _("dagen")), ("W", _("weken")), ("M", _("maanden")), ("Y", _("jaar"))],
        initial="W",
        required=False,
    )
    # A link may give the term as an ISO 8601 duration, as the API takes it (?term=P1M2W).
    term = forms.CharField(required=False, widget=forms.HiddenInput)
    regime = forms.ChoiceField(label=_("Telling"), choices=Regime.choices, initial=Regime.ATW)

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not FIRST_DAY <= start <= LAST_DAY:
            raise forms.ValidationError(_("Kies een datum tussen 2000 en 2199."))
        return start

    def clean(self):
        data = super().clean()
        amount, unit, term = data.get("amount"), data.get("unit") or "W", data.get("term")
        if amount and not self.errors.get("amount"):
            term = f"P{amount}{unit}"
        if not term:
            if "amount" not in self.errors:
                self.add_error("amount", _("Vul in hoe lang de termijn is."))
            return data
        try:
            data["iso"] = parse_term(term).iso
        except TermError as exc:
            self.add_error("amount", str(exc))
        return data


class PeriodForm(NLDesignFormMixin, forms.Form):
    van = forms.DateField(label=_("Van"), widget=DateInput(), required=False)
    tot = forms.DateField(label=_("Tot en met"), widget=DateInput(), required=False)


class EquatedDayForm(NLDesignFormMixin, forms.Form):
    day = forms.DateField(label=_("Datum"), widget=DateInput())
    reason = forms.CharField(
        label=_("Welke dag is het?"),
        max_length=200,
        help_text=_("Bijvoorbeeld: vrijdag na Hemelvaartsdag."),
    )
    decree = forms.CharField(
        label=_("Besluit"),
        max_length=200,
        required=False,
        help_text=_("Waar het koninklijk besluit staat, bijvoorbeeld: Stb. 2026, 123."),
    )
