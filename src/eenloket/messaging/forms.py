"""Forms of messaging: the letter-template editor and the naming exemptions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.core.forms import NLDesignFormMixin
from eenloket.organisations.models import User

from . import letters


class TemplateForm(NLDesignFormMixin, forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(
        label=_("Tekst van de brief"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Een lege regel begint een nieuwe alinea. Een regel met '# ' ervoor is een kopje, "
            "een regel met '- ' ervoor een opsomming. Variabelen schrijft u zo: {{ naam }}."
        ),
    )
    short_text = forms.CharField(
        label=_("Korte tekst (sms)"),
        required=False,
        max_length=480,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Voor een sms. Zonder korte tekst gaat de hele tekst mee."),
    )

    def __init__(self, *args, key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    def clean(self):
        data = super().clean()
        for name in ("subject", "body", "short_text"):
            if name in data:
                for error in letters.template_errors(data[name] or "", key=self.key):
                    self.add_error(name, error)
        return data


class ExemptionForm(NLDesignFormMixin, forms.Form):
    employee = forms.ModelChoiceField(
        label=_("Medewerker"), queryset=User.objects.none(), empty_label=_("Kies een medewerker")
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=300,
        help_text=_("Bijvoorbeeld: de veiligheid van de medewerker."),
    )
    valid_until = forms.DateField(
        label=_("Geldig tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leeg laten als er geen einddatum is."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = (
            User.objects.filter(memberships__organisation=organisation, is_active=True)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["employee"].label_from_instance = lambda u: u.get_full_name() or u.username
