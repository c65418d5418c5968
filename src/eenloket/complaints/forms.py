"""Forms of the complaint screens (the services check the rules; these only parse)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.core.forms import NLDesignFormMixin
from eenloket.organisations.models import PARTNER_TYPES, Location, Organisation, Team, User

from .models import ComplaintChannel, Finding, LessonCategory, WaiveReason

REQUIRED = {"required": _("Dit veld is verplicht.")}


class ShownRequired:
    """Fields the service requires (it names every missing one at once, in Dutch): shown
    without "(niet verplicht)"."""

    shown_required: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.shown_required:
            self.fields[name].show_as_required = True


class RegisterForm(ShownRequired, NLDesignFormMixin, forms.Form):
    shown_required = ("description",)

    channel = forms.ChoiceField(
        label=_("Hoe kwam de klacht binnen?"), choices=ComplaintChannel.choices
    )
    received_on = forms.DateField(
        label=_("Ontvangen op"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Geef een datum, bijvoorbeeld 4-12-2026.")},
    )
    name = forms.CharField(
        label=_("Naam van de inwoner"),
        required=False,
        help_text=_("Alleen als de inwoner niet gekozen is."),
    )
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    phone = forms.CharField(label=_("Telefoonnummer"), required=False)
    description = forms.CharField(
        label=_("Waar gaat de klacht over?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    desired_outcome = forms.CharField(
        label=_("Wat wil de inwoner bereiken?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    organisation = forms.ModelChoiceField(
        label=_("Over welke organisatie?"),
        queryset=Organisation.objects.exclude(type__in=PARTNER_TYPES).order_by("name"),
        to_field_name="uuid",
        error_messages={"required": _("Kies de organisatie waar de klacht over gaat.")},
    )
    team = forms.ModelChoiceField(
        label=_("Over welk team? (als bekend)"),
        queryset=Team.objects.select_related("organisation").order_by("organisation__name", "name"),
        to_field_name="uuid",
        required=False,
    )
    employee = forms.ModelChoiceField(
        label=_("Over welke medewerker? (als bekend)"),
        queryset=User.objects.filter(is_active=True, memberships__isnull=False)
        .distinct()
        .order_by("first_name", "last_name"),
        to_field_name="uuid",
        required=False,
    )
    about_body = forms.BooleanField(
        label=_("De klacht gaat over het bestuur zelf (bijvoorbeeld het college of de directie)"),
        required=False,
    )
    also = forms.ModelMultipleChoiceField(
        label=_("Gaat de klacht ook over een andere organisatie?"),
        queryset=Organisation.objects.exclude(type__in=PARTNER_TYPES).order_by("name"),
        to_field_name="uuid",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("De klachtcoördinatoren werken dan samen. De inwoner krijgt één antwoord."),
    )


class ContactComplaintForm(ShownRequired, NLDesignFormMixin, forms.Form):
    shown_required = ("description",)

    description = forms.CharField(
        label=_("Waar gaat de klacht over?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )


class PublicForm(ShownRequired, NLDesignFormMixin, forms.Form):
    shown_required = ("organisation", "description", "name")

    organisation = forms.ModelChoiceField(
        label=_("Over welke organisatie gaat uw klacht?"),
        queryset=Organisation.objects.exclude(type__in=PARTNER_TYPES).order_by("name"),
        to_field_name="code",
        required=False,  # the service names every missing field at once
        empty_label=_("Kies een organisatie"),
    )
    description = forms.CharField(
        label=_("Wat is er gebeurd?"),
        help_text=_("Schrijf op wat er gebeurde, wanneer, en met wie u contact had."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    desired_outcome = forms.CharField(
        label=_("Wat wilt u bereiken met uw klacht?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    name = forms.CharField(label=_("Uw naam"), required=False, max_length=200)
    email = forms.CharField(label=_("Uw e-mailadres"), required=False, max_length=254)
    phone = forms.CharField(label=_("Uw telefoonnummer"), required=False, max_length=30)


class ResolveForm(ShownRequired, NLDesignFormMixin, forms.Form):
    shown_required = ("note",)

    note = forms.CharField(
        label=_("Wat is er gedaan? Is de inwoner tevreden?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    lesson_category = forms.ChoiceField(
        label=_("Soort les"), choices=[("", "—"), *LessonCategory.choices], required=False
    )
    lesson_improvement = forms.CharField(label=_("Wat verbeteren we?"), required=False)


class FormalForm(NLDesignFormMixin, forms.Form):
    advisory_committee = forms.BooleanField(
        label=_("Een adviescommissie geeft advies (termijn 10 weken in plaats van 6)"),
        required=False,
    )


class AssignForm(NLDesignFormMixin, forms.Form):
    handler = forms.UUIDField(error_messages=REQUIRED)
    override_reason = forms.CharField(
        label=_("Reden om toch iemand uit het team te kiezen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class HearForm(NLDesignFormMixin, forms.Form):
    hearing_at = forms.DateTimeField(
        label=_("Datum en tijd van het horen"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Geef een datum en tijd."), **REQUIRED},
    )
    location = forms.ModelChoiceField(
        label=_("Plannen als afspraak op locatie"),
        help_text=_(
            "Kies een locatie om het horen in de agenda te zetten (u en de medewerker worden "
            "ingepland). Was het horen al, of elders? Laat dit leeg en vul de plaats in."
        ),
        queryset=Location.objects.none(),
        to_field_name="uuid",
        required=False,
    )
    place = forms.CharField(label=_("Plaats"), required=False)
    note = forms.CharField(
        label=_("Verslag (mag later)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, part=None, **kwargs):
        super().__init__(*args, **kwargs)
        if part is not None:
            self.fields["location"].queryset = hearing_locations(part.organisation)


def hearing_locations(organisation):
    """Where the organisation can plan a hearing: its own locations and where it is a guest."""
    return (
        (
            Location.objects.filter(organisation=organisation)
            | Location.objects.filter(guest_organisations=organisation)
        )
        .distinct()
        .order_by("name")
    )


class WaiveForm(NLDesignFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Waarom wordt er niet gehoord?"),
        choices=WaiveReason.choices,
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )


class PostponeForm(ShownRequired, NLDesignFormMixin, forms.Form):
    shown_required = ("reason",)

    weeks = forms.TypedChoiceField(
        label=_("Hoeveel weken later?"),
        choices=[(str(n), str(n)) for n in range(1, 5)],
        coerce=int,
        initial="4",
    )
    reason = forms.CharField(
        label=_("Waarom is meer tijd nodig? De inwoner en de medewerker lezen dit."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class DecideForm(ShownRequired, NLDesignFormMixin, forms.Form):
    shown_required = ("findings",)

    finding = forms.ChoiceField(
        label=_("Oordeel"),
        choices=Finding.choices,
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    findings = forms.CharField(
        label=_("Bevindingen: wat heeft u onderzocht en gevonden?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    conclusions = forms.CharField(
        label=_("Conclusies: wat doen wij nu?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    lesson_category = forms.ChoiceField(
        label=_("Soort les"), choices=[("", "—"), *LessonCategory.choices], required=False
    )
    lesson_cause = forms.CharField(label=_("Oorzaak"), required=False)
    lesson_improvement = forms.CharField(label=_("Wat verbeteren we?"), required=False)


class MessageForm(ShownRequired, NLDesignFormMixin, forms.Form):
    shown_required = ("text",)

    text = forms.CharField(
        label=_("Bericht aan de andere klachtcoördinatoren"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class NoteForm(ShownRequired, NLDesignFormMixin, forms.Form):
    shown_required = ("text",)

    text = forms.CharField(
        label=_("Notitie (alleen voor behandelaar en coördinator)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class WithdrawForm(NLDesignFormMixin, forms.Form):
    note = forms.CharField(label=_("Toelichting"), required=False)
