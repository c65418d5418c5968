from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.core.forms import NLDesignFormMixin

from .models import ApplyChannel


class _TextsForm(NLDesignFormMixin, forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=120)
    description = forms.CharField(
        label=_("Uitleg in eenvoudige taal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    how_to_apply = forms.CharField(
        label=_("Zo regelt de inwoner het"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
    keywords = forms.CharField(
        label=_("Zoekwoorden"),
        help_text=_("Woorden die inwoners gebruiken, gescheiden door komma's."),
        max_length=2000,
        required=False,
    )


class LocalServiceForm(_TextsForm):
    channels = forms.MultipleChoiceField(
        label=_("Zo kan de inwoner het regelen"),
        choices=ApplyChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één kanaal.")},
    )


class OverrideForm(_TextsForm):
    is_offered = forms.BooleanField(label=_("Onze gemeente biedt deze dienst aan"), required=False)

    def __init__(self, *args, municipal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "description"):
            self.fields[name].required = False
        if not municipal:
            del self.fields["is_offered"]
