from django import forms
from django.core.validators import ProhibitNullCharactersValidator as ProhibitNull
from django.utils.translation import gettext_lazy as _

from eenloket.core.forms import NLDesignFormMixin

from .access import bsn_user_types
from .models import DATA_FIELDS, Representative, RepresentativeKind, Resident, SearchKey


class ResidentSearchForm(NLDesignFormMixin, forms.Form):
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    surname = forms.CharField(label=_("Achternaam"), required=False, max_length=200)
    birth_date = forms.DateField(
        label=_("Geboortedatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    house_number = forms.IntegerField(
        label=_("Huisnummer"), required=False, min_value=1, max_value=99999
    )

    KEYS = {
        SearchKey.BSN: ("bsn",),
        SearchKey.NAME_BIRTH_DATE: ("surname", "birth_date"),
        SearchKey.ADDRESS: ("postcode", "house_number"),
    }

    def __init__(self, *args, allowed=frozenset(SearchKey.values), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = [key for key in SearchKey.values if key in allowed]
        for key, names in self.KEYS.items():
            if key not in allowed:
                for name in names:
                    del self.fields[name]

    def has_key(self) -> bool:
        d = self.cleaned_data
        return bool(
            d.get("bsn")
            or (d.get("surname") and d.get("birth_date"))
            or (d.get("postcode") and d.get("house_number"))
        )

    def missing_key_text(self) -> str:
        if self.allowed == [SearchKey.BSN]:
            return str(_("Vul het BSN in."))
        return str(
            _("Zoek op BSN, op achternaam met geboortedatum, of op postcode met huisnummer.")
        )


class ResidentForm(NLDesignFormMixin, forms.ModelForm):
    class Meta:
        model = Resident
        # Set elsewhere: the municipality (from the address), the language and the household.
        fields = [f for f in DATA_FIELDS if f not in ("municipality", "language", "household")]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "needs_notes": forms.Textarea(attrs={"rows": 3}),
        }

    lives_here = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if organisation is not None and organisation.is_municipality:
            self.fields["lives_here"].label = _("Woont in %(municipality)s") % {
                "municipality": organisation.name
            }
            order = list(self.fields)
            order.remove("lives_here")
            order.insert(order.index("city") + 1, "lives_here")
            self.order_fields(order)
        else:
            del self.fields["lives_here"]
        if organisation is None or organisation.type not in bsn_user_types():
            del self.fields["bsn"]  # partners do not record a BSN (Wabb art. 10)
        # Rules (BSN check, postcode, phone) are applied once, in services.create_resident.
        for field in self.fields.values():  # keep only the NUL-byte guard (PostgreSQL refuses NUL)
            field.validators = [v for v in field.validators if isinstance(v, ProhibitNull)]
        if "bsn" in self.fields:
            self.fields["bsn"].max_length = 12
            self.fields["bsn"].widget.attrs["maxlength"] = "12"  # "111 222 333" must fit
        self.fields["postcode"].widget.attrs["maxlength"] = "7"  # "7511 GB" must fit
        # Names are required by the service; checking them here too would show those errors
        # first and the BSN/postcode/phone errors only after the next submit.
        for name in ("given_names", "surname"):
            self.fields[name].required = False
            self.fields[name].show_as_required = True
            self.fields[name].widget.attrs["aria-required"] = "true"

    def _post_clean(self):
        pass  # no model validation here; the service validates

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if data.pop("lives_here", False):
            data["municipality"] = self.organisation
        return data


class RepresentativeForm(NLDesignFormMixin, forms.ModelForm):
    """Record a representative (the service checks the rules; this form shows the fields)."""

    class Meta:
        model = Representative
        fields = [
            "kind",
            "name",
            "organisation_name",
            "street",
            "house_number",
            "postcode",
            "city",
            "email",
            "phone",
            "scope",
            "subject",
            "valid_from",
            "valid_until",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    # "7511 AE" is fine here: the service normalises it (the model stores "7511AE").
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Kies een soort")), *RepresentativeKind.choices]
        self.fields["valid_until"].help_text = _("Leeg laten als er geen einddatum is.")

    def _post_clean(self):
        # The service validates (one place for the rules); the model's own checks would refuse
        # a postcode with a space before the service normalises it.
        pass


class EndRepresentativeForm(NLDesignFormMixin, forms.Form):
    valid_until = forms.DateField(
        label=_("Laatste dag van de vertegenwoordiging"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
