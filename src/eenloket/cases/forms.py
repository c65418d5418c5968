"""Forms of the case screens. They only shape input; the rules are in services.py."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.core.forms import NLDesignFormMixin

from .models import (
    ArrearsKind,
    CasePart,
    ClosureReason,
    ConsentBasis,
    ConsentForm,
    DoorbraakKind,
    LegalGround,
    LifeDomain,
    OfferHow,
    RefusalReason,
    SignalOutcome,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _blank(choices, label=None):
    return [("", label or _("Kies…")), *choices]


class OpenCaseForm(NLDesignFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Waar heeft de inwoner hulp bij nodig?"),
        max_length=200,
        help_text=_("Kort, bijvoorbeeld: schulden en dreigende ontruiming. Schrijf geen BSN."),
    )
    goal = forms.CharField(
        label=_("Wat wil de inwoner bereiken?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PartyForm(NLDesignFormMixin, forms.Form):
    party = forms.ChoiceField(
        label=_("Organisatie en contactpersoon"),
        help_text=_("Betrekken opent nog niets: leg daarna toestemming of een grondslag vast."),
    )
    role_in_case = forms.CharField(
        label=_("Wat doet deze organisatie in de casus?"), max_length=200, required=False
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = _blank(list(choices))


class ConsentRecordForm(NLDesignFormMixin, forms.Form):
    organisation = forms.ChoiceField(label=_("Met welke organisatie?"))
    basis = forms.ChoiceField(
        label=_("Op welke grondslag?"), choices=ConsentBasis.choices, widget=forms.RadioSelect
    )
    parts = forms.MultipleChoiceField(
        label=_("Wat mag de organisatie zien?"),
        choices=CasePart.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    domains = forms.MultipleChoiceField(
        label=_("Alleen deze leefgebieden"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Kies niets voor alle leefgebieden. Deel zo weinig als nodig is."),
    )
    purpose = forms.CharField(
        label=_("Waarvoor gebruikt de organisatie het?"),
        max_length=200,
        help_text=_("Bijvoorbeeld: een betalingsregeling voor de boetes treffen."),
    )
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DateInput())
    valid_until = forms.DateField(label=_("Geldig tot en met"), widget=DateInput())
    given_on = forms.DateField(
        label=_("Toestemming gegeven op"), widget=DateInput(), required=False
    )
    given_how = forms.ChoiceField(
        label=_("Hoe gaf de inwoner toestemming?"),
        choices=_blank(ConsentForm.choices),
        required=False,
    )
    given_by = forms.CharField(
        label=_("Wie gaf toestemming?"),
        max_length=200,
        required=False,
        help_text=_("De inwoner zelf, of de naam van de wettelijk vertegenwoordiger."),
    )
    in_interest = forms.BooleanField(
        label=_("Delen is in het belang van de inwoner"), required=False
    )
    own_request = forms.BooleanField(label=_("De inwoner vroeg zelf om hulp"), required=False)
    no_disadvantage = forms.BooleanField(
        label=_("Ik heb gezegd: nee zeggen mag en heeft geen nadeel"), required=False
    )
    informed = forms.BooleanField(
        label=_("Ik heb uitgelegd wat wij delen, waarom en met wie"), required=False
    )
    legal_ground = forms.ChoiceField(
        label=_("Welke wet?"), choices=_blank(LegalGround.choices), required=False
    )
    legal_article = forms.CharField(label=_("Welk artikel?"), max_length=100, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = _blank(list(organisations))


class RevokeForm(NLDesignFormMixin, forms.Form):
    consent = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Waarom stopt het delen?"), max_length=300, required=False)


class ProblemForm(NLDesignFormMixin, forms.Form):
    domain = forms.ChoiceField(label=_("Leefgebied"), choices=_blank(LifeDomain.choices))
    description = forms.CharField(
        label=_("Wat is het probleem?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    urgent = forms.BooleanField(label=_("Spoed: er dreigt iets ergs"), required=False)


class SolveForm(forms.Form):
    problem = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(NLDesignFormMixin, forms.Form):
    domain = forms.ChoiceField(label=_("Leefgebied"), choices=_blank(LifeDomain.choices))
    description = forms.CharField(label=_("Wat moet er gebeuren?"), max_length=300)
    owner = forms.ChoiceField(label=_("Wie doet het?"))
    due_on = forms.DateField(label=_("Klaar op"), widget=DateInput())

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _blank(list(owners))


class FinishActionForm(NLDesignFormMixin, forms.Form):
    action = forms.UUIDField(widget=forms.HiddenInput)
    done = forms.ChoiceField(
        label=_("Hoe is het afgelopen?"),
        choices=[("1", _("Gedaan")), ("0", _("Vervalt"))],
        widget=forms.RadioSelect,
        initial="1",
    )
    result = forms.CharField(
        label=_("Resultaat"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UpdateForm(NLDesignFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Wat heeft u gedaan of wat is er veranderd?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    domain = forms.ChoiceField(
        label=_("Leefgebied"), choices=_blank(LifeDomain.choices, _("Geen")), required=False
    )

    def __init__(self, *args, domains=None, **kwargs):
        super().__init__(*args, **kwargs)
        if domains is not None:
            self.fields["domain"].choices = _blank(
                [c for c in LifeDomain.choices if c[0] in domains], _("Geen")
            )


class DoorbraakForm(NLDesignFormMixin, forms.Form):
    to_organisation = forms.ChoiceField(label=_("Aan welke organisatie?"))
    kind = forms.ChoiceField(label=_("Wat vraagt u?"), choices=_blank(DoorbraakKind.choices))
    motivation = forms.CharField(
        label=_("Waarom is dit nodig?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Schrijf wat er gebeurt als het niet lukt, en wat de inwoner zelf al doet."),
    )
    subject_reference = forms.CharField(
        label=_("Kenmerk bij de organisatie"), max_length=100, required=False
    )
    amount = forms.CharField(label=_("Bedrag in euro"), max_length=20, required=False)
    pause_days = forms.IntegerField(
        label=_("Hoeveel dagen pauze?"), min_value=1, max_value=366, required=False
    )
    answer_by = forms.DateField(label=_("Antwoord nodig op"), widget=DateInput(), required=False)
    use_mandate = forms.BooleanField(
        label=_("Meteen pauzeren met ons mandaat (de organisatie kan het terugdraaien)"),
        required=False,
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].choices = _blank(list(organisations))


class ConferenceForm(NLDesignFormMixin, forms.Form):
    day = forms.DateField(label=_("Datum"), widget=DateInput())
    starts = forms.TimeField(label=_("Begintijd"), widget=TimeInput())
    ends = forms.TimeField(label=_("Eindtijd"), widget=TimeInput())
    place = forms.CharField(label=_("Waar?"), max_length=200)
    organisations = forms.MultipleChoiceField(
        label=_("Wie doen er mee?"), widget=forms.CheckboxSelectMultiple
    )
    with_resident = forms.BooleanField(label=_("De inwoner is erbij"), required=False, initial=True)
    agenda = forms.CharField(
        label=_("Onderwerpen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = list(organisations)


class SpendForm(NLDesignFormMixin, forms.Form):
    amount = forms.CharField(label=_("Bedrag in euro"), max_length=20)
    paid_to = forms.CharField(label=_("Betaald aan"), max_length=200)
    justification = forms.CharField(
        label=_("Waarom helpt dit geld?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    spent_on = forms.DateField(label=_("Datum"), widget=DateInput())


class CloseForm(NLDesignFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Waarom sluit de casus?"), choices=_blank(ClosureReason.choices)
    )
    evaluation = forms.CharField(
        label=_("Wat heeft geholpen?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    obstacles = forms.CharField(
        label=_("Wat stond in de weg?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Regels of werkwijzen die het moeilijk maakten. Dit helpt om ze te veranderen."
        ),
    )


class AnswerForm(NLDesignFormMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("Uw antwoord"),
        choices=[
            ("grant", _("Toekennen")),
            ("partly", _("Deels toekennen")),
            ("refuse", _("Weigeren")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    refusal_reason = forms.ChoiceField(
        label=_("Reden van weigeren"), choices=_blank(RefusalReason.choices), required=False
    )
    obstructing_rule = forms.CharField(
        label=_("Welke regel staat in de weg?"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: artikel 4:93 Awb, of het beleid dat u volgt."),
    )


class OverturnForm(NLDesignFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Waarom kan de pauze niet blijven?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class OfferForm(NLDesignFormMixin, forms.Form):
    how = forms.ChoiceField(label=_("Hoe bood u hulp aan?"), choices=_blank(OfferHow.choices))
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=_blank(SignalOutcome.choices))
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InzageForm(NLDesignFormMixin, forms.Form):
    bsn = forms.CharField(label=_("BSN van de inwoner"), max_length=11)


class PeriodForm(NLDesignFormMixin, forms.Form):
    since = forms.DateField(label=_("Van"), widget=DateInput())
    until = forms.DateField(label=_("Tot en met"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError(_("De einddatum ligt voor de begindatum."))
        if data.get("since") and data["since"] < dt.date(2000, 1, 1):
            raise forms.ValidationError(_("Kies een datum na 2000."))
        return data


SIGNAL_KINDS = ArrearsKind.choices
