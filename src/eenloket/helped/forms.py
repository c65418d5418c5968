"""The resident's answer on the public page (the service checks it again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import COMMENT_MAX

RATINGS = [
    ("1", _("1 – Heel slecht")),
    ("2", _("2 – Slecht")),
    ("3", _("3 – Gewoon")),
    ("4", _("4 – Goed")),
    ("5", _("5 – Heel goed")),
]


class AnswerForm(forms.Form):
    helped = forms.ChoiceField(
        label=_("Bent u geholpen?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        error_messages={
            "required": _("Kies Ja of Nee."),
            "invalid_choice": _("Kies Ja of Nee."),
        },
    )
    rating = forms.ChoiceField(
        label=_("Cijfer voor het contact"),
        choices=RATINGS,
        required=False,
        error_messages={"invalid_choice": _("Kies een cijfer van 1 tot en met 5.")},
    )
    comment = forms.CharField(
        label=_("Wilt u nog iets zeggen?"),
        required=False,
        max_length=COMMENT_MAX,
        error_messages={
            "max_length": _(
                "Schrijf hoogstens %(limit_value)d tekens. U schreef er %(show_value)d."
            )
        },
    )

    def answer(self) -> dict:
        data = self.cleaned_data
        return {
            "helped": data["helped"] == "ja",
            "rating": int(data["rating"]) if data.get("rating") else None,
            "comment": data.get("comment", ""),
        }
