from django import forms
from django.utils.translation import gettext_lazy as _

from eenloket.core.forms import NLDesignFormMixin
from eenloket.organisations.models import User

from .models import TaskAttempt


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class AssignForm(NLDesignFormMixin, forms.Form):
    to_user = ColleagueChoiceField(
        label=_("Collega"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        empty_label=_("Kies een collega"),
        error_messages={
            "required": _("Kies een collega uit de lijst."),
            "invalid_choice": _("Kies een collega uit de lijst."),
        },
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = colleagues


class AttemptForm(NLDesignFormMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("Wat leverde het gesprek op?"),
        choices=TaskAttempt.Result.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wat de belpoging opleverde."),
            "invalid_choice": _("Kies wat de belpoging opleverde."),
        },
    )
    note = forms.CharField(
        label=_("Notitie"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class CompleteForm(NLDesignFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een uitkomst uit de lijst."),
            "invalid_choice": _("Kies een uitkomst uit de lijst."),
        },
    )
    note = forms.CharField(
        label=_("Wat is er gedaan of afgesproken?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o.code, o.label) for o in kind.outcomes]


class CancelForm(NLDesignFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarom vervalt de taak?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Schrijf op waarom de taak vervalt.")},
    )
