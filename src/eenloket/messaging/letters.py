"""Letter texts: the documented safe set of variables, a small renderer, the B1 readability
indication, the contact block (decision III: a named employee with a direct number) and the
accessible PDF.

Templates are plain text written by a functional admin. Variables are written `{{ naam }}` and
come from `VARIABLES` only; nothing else is executed: no Django template tags, no filters. A
paragraph is a block of lines separated by an empty line; a line starting with "- " is a bullet.

    errors = template_errors(body, key="terugbelverzoek")      # [] when fine
    text = render_text(body, values)                             # values from `variable_values`
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eenloket.core import formatting

# ---- the safe set of variables -----------------------------------------------------------------
# Always available in every template (computed by send_to_resident).
COMMON_VARIABLES = {
    "inwoner_naam": gettext_lazy("Naam van de inwoner"),
    "aanhef": gettext_lazy("Aanhef, bijvoorbeeld 'Beste Jan Jansen'"),
    "organisatie": gettext_lazy("Naam van de organisatie die de brief stuurt"),
    "contactpersoon": gettext_lazy(
        "Naam van de medewerker (of het team) die de inwoner kan bellen"
    ),
    "telefoon": gettext_lazy("Direct telefoonnummer van die medewerker of dat team"),
    "team": gettext_lazy("Naam van het team"),
    "datum": gettext_lazy("Datum van vandaag"),
}
# Per kind of letter: what the caller passes.
KEY_VARIABLES = {
    "terugbelverzoek": {
        "onderwerp": gettext_lazy("Waar de vraag over gaat"),
        "terugbellen_voor": gettext_lazy("Uiterlijk wanneer wij terugbellen"),
        "terugbelnummer": gettext_lazy("Het nummer waarop wij de inwoner bellen"),
    },
    "doorverwijzing": {
        "onderwerp": gettext_lazy("Waar de vraag over gaat"),
        "naar_organisatie": gettext_lazy("Naam van de organisatie waar de inwoner heen gaat"),
        "contact_voor": gettext_lazy("Uiterlijk wanneer die organisatie contact opneemt"),
    },
    "bent-u-geholpen": {
        "onderwerp": gettext_lazy("Waar het contact over ging"),
        "contact_datum": gettext_lazy("Wanneer het contact was"),
        "antwoord_link": gettext_lazy("Link naar de pagina om te antwoorden"),
        "antwoord_voor": gettext_lazy("Uiterlijk wanneer de inwoner kan antwoorden"),
    },
    "afspraak-bevestiging": {
        "onderwerp": gettext_lazy("Waar de afspraak over gaat"),
        "afspraak_datum": gettext_lazy("Datum en tijd van de afspraak"),
        "locatie": gettext_lazy("Naam en adres van de locatie"),
        "afspraak_code": gettext_lazy("De afspraakcode"),
        "beheer_link": gettext_lazy("Link om de afspraak te bekijken, verzetten of annuleren"),
        "ondersteuning": gettext_lazy("Welke ondersteuning is geregeld"),
    },
    "afspraak-herinnering": {
        "onderwerp": gettext_lazy("Waar de afspraak over gaat"),
        "afspraak_datum": gettext_lazy("Datum en tijd van de afspraak"),
        "locatie": gettext_lazy("Naam en adres van de locatie"),
        "afspraak_code": gettext_lazy("De afspraakcode"),
        "beheer_link": gettext_lazy("Link om de afspraak te bekijken, verzetten of annuleren"),
        "ondersteuning": gettext_lazy("Welke ondersteuning is geregeld"),
    },
    "afspraak-geannuleerd": {
        "onderwerp": gettext_lazy("Waar de afspraak over gaat"),
        "afspraak_datum": gettext_lazy("Datum en tijd van de afspraak"),
        "locatie": gettext_lazy("Naam en adres van de locatie"),
        "afspraak_code": gettext_lazy("De afspraakcode"),
        "beheer_link": gettext_lazy("Link om de afspraak te bekijken, verzetten of annuleren"),
        "ondersteuning": gettext_lazy("Welke ondersteuning is geregeld"),
    },
    "vertragingsbericht": {
        "onderwerp": gettext_lazy("Waar het verzoek over gaat"),
        "kenmerk": gettext_lazy("Het kenmerk van het verzoek"),
        "ontvangen_op": gettext_lazy("Wanneer het verzoek binnenkwam"),
        "uiterlijke_datum": gettext_lazy("De datum waarop wij uiterlijk hadden moeten beslissen"),
        "nieuwe_datum": gettext_lazy("De nieuwe datum waarop de inwoner het besluit krijgt"),
        "reden": gettext_lazy("Waarom het langer duurt"),
        "wetsartikel": gettext_lazy("Het wetsartikel van de termijn"),
    },
    "verlenging": {
        "onderwerp": gettext_lazy("Waar het verzoek over gaat"),
        "kenmerk": gettext_lazy("Het kenmerk van het verzoek"),
        "ontvangen_op": gettext_lazy("Wanneer het verzoek binnenkwam"),
        "uiterlijke_datum": gettext_lazy("De einddatum voor de verlenging"),
        "nieuwe_datum": gettext_lazy("De nieuwe einddatum na de verlenging"),
        "reden": gettext_lazy("Waarom het langer duurt"),
        "wetsartikel": gettext_lazy("Het wetsartikel dat de verlenging toestaat"),
    },
    "hulpaanbod-schulden": {
        "soort_achterstand": gettext_lazy("Waar de achterstand is: huur, energie, …"),
    },
    "klacht-ontvangst": {
        "kenmerk": gettext_lazy("Het kenmerk van de klacht"),
        "ontvangen_op": gettext_lazy("Wanneer de klacht binnenkwam"),
        "uiterlijke_datum": gettext_lazy("Uiterlijk wanneer de inwoner ons oordeel krijgt"),
    },
    "klacht-uitkomst": {
        "kenmerk": gettext_lazy("Het kenmerk van de klacht"),
        "ontvangen_op": gettext_lazy("Wanneer de klacht binnenkwam"),
        "oordeel": gettext_lazy("Per organisatie: het oordeel, de bevindingen en conclusies"),
        "ombudsman": gettext_lazy("Naar wie de inwoner daarna kan (de ombudsman)"),
        "ombudsman_voor": gettext_lazy("Uiterlijk wanneer de inwoner naar de ombudsman kan"),
        "ombudsman_website": gettext_lazy("Website van de ombudsman"),
        "ombudsman_telefoon": gettext_lazy("Telefoonnummer van de ombudsman"),
    },
    "klacht-horen": {
        "kenmerk": gettext_lazy("Het kenmerk van de klacht"),
        "datum_tijd": gettext_lazy("Wanneer het gesprek over de klacht is"),
        "plaats": gettext_lazy("Waar het gesprek is"),
    },
}
KNOWN_KEYS = {
    "terugbelverzoek": gettext_lazy("Bevestiging terugbelverzoek"),
    "doorverwijzing": gettext_lazy("Bevestiging doorverwijzing"),
    "bent-u-geholpen": gettext_lazy("Vraag: bent u geholpen?"),
    "afspraak-bevestiging": gettext_lazy("Bevestiging afspraak"),
    "afspraak-herinnering": gettext_lazy("Herinnering afspraak"),
    "afspraak-geannuleerd": gettext_lazy("Afspraak geannuleerd"),
    "vertragingsbericht": gettext_lazy("Bericht: het besluit komt later"),
    "verlenging": gettext_lazy("Bericht: wij verlengen de termijn"),
    "hulpaanbod-schulden": gettext_lazy("Aanbod: hulp bij geldzorgen (vroegsignalering)"),
    "klacht-ontvangst": gettext_lazy("Bevestiging klacht (Awb 9:6)"),
    "klacht-uitkomst": gettext_lazy("Oordeel over een klacht (Awb 9:12)"),
    "klacht-horen": gettext_lazy("Uitnodiging: gesprek over uw klacht (Awb 9:10)"),
}
PHONE_VARIABLES = {"telefoon", "terugbelnummer"}

# Example values for the editor's preview.
EXAMPLES = {
    "inwoner_naam": "Fatima de Vries",
    "organisatie": "Gemeente Enschede",
    "contactpersoon": "Sanne Bakker",
    "telefoon": "+31534811234",
    "team": "Team Inkomen",
    "onderwerp": "bijzondere bijstand",
    "terugbelnummer": "+31612345678",
    "naar_organisatie": "UWV",
    "antwoord_link": "https://eenloket.example.nl/geholpen/voorbeeld",
    "locatie": "Stadhuis, Langestraat 24, 7511 HC Enschede",
    "afspraak_code": "K7M4-Q2PX",
    "beheer_link": "https://eenloket.example.nl/afspraak/voorbeeld",
    "ondersteuning": "ringleiding",
    "kenmerk": "BZ-2026-0042",
    "reden": "Wij wachten op een advies van de bezwaarcommissie.",
    "wetsartikel": "Awb 7:10 lid 3",
}


def variables_for(key: str) -> dict:
    """The variables a template of this kind may use: name → description."""
    return {**COMMON_VARIABLES, **KEY_VARIABLES.get(key, {})}


VARIABLE_RE = re.compile(r"\{\{(.*?)\}\}", re.S)
NAME_RE = re.compile(r"^\s*([a-z_]+)\s*$")


def template_errors(text: str, *, key: str) -> list[str]:
    """What is wrong with a template text, in Dutch ([] when it can be used)."""
    errors = []
    if "{%" in text or "%}" in text or "{#" in text:
        errors.append(_("Gebruik geen {% %} of {# #}. Alleen variabelen als {{ naam }} mogen."))
    allowed = variables_for(key)
    unknown, bad = [], []
    for inner in VARIABLE_RE.findall(text):
        match = NAME_RE.match(inner)
        if match is None:
            bad.append("{{" + inner + "}}")
        elif match.group(1) not in allowed:
            unknown.append(match.group(1))
    if bad:
        errors.append(
            _("Deze tekst kan niet: %(bad)s. Schrijf een variabele zo: {{ naam }}, zonder filters.")
            % {"bad": ", ".join(dict.fromkeys(bad))}
        )
    if unknown:
        errors.append(
            _("Onbekende variabele: %(names)s. U kunt kiezen uit: %(allowed)s.")
            % {
                "names": ", ".join(dict.fromkeys(unknown)),
                "allowed": ", ".join(allowed),
            }
        )
    rest = VARIABLE_RE.sub("", text)
    if not errors and ("{{" in rest or "}}" in rest):
        errors.append(_("Er staat een losse {{ of }} in de tekst. Sluit elke variabele af."))
    return errors


def check_template(*, key: str, subject: str, body: str, short_text: str = "") -> None:
    """ValidationError (per field, in Dutch) unless all three texts are fine."""
    errors = {}
    for field, text in (("subject", subject), ("body", body), ("short_text", short_text)):
        problems = template_errors(text or "", key=key)
        if problems:
            errors[field] = problems
    if not (subject or "").strip():
        errors.setdefault("subject", []).append(_("Vul een onderwerp in."))
    if not (body or "").strip():
        errors.setdefault("body", []).append(_("Vul de tekst van de brief in."))
    if errors:
        raise ValidationError(errors)


def format_value(name: str, value) -> str:
    """A value as the resident reads it, in the active language."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return formatting.long_datetime(value)
    if isinstance(value, dt.date):
        return formatting.long_date(value)
    if name in PHONE_VARIABLES:
        return formatting.phone_display(value)
    return str(value)


def render_text(text: str, values: dict) -> str:
    """Substitute `{{ naam }}` with the formatted value (unknown names become empty)."""

    def substitute(match):
        found = NAME_RE.match(match.group(1))
        if found is None:
            return ""
        name = found.group(1)
        return format_value(name, values.get(name))

    return VARIABLE_RE.sub(substitute, text or "")


def example_values(key: str, now=None) -> dict:
    """Example values for every variable of this kind (the editor's preview)."""
    now = now or timezone.now()
    values = dict(EXAMPLES)
    values["aanhef"] = _("Beste %(name)s") % {"name": EXAMPLES["inwoner_naam"]}
    values["datum"] = timezone.localdate(now)
    for name in ("terugbellen_voor", "contact_voor", "antwoord_voor"):
        values[name] = now + dt.timedelta(days=2)
    values["contact_datum"] = now - dt.timedelta(days=2)
    values["afspraak_datum"] = now + dt.timedelta(days=3)
    today = timezone.localdate(now)
    values["ontvangen_op"] = today - dt.timedelta(weeks=5)
    values["uiterlijke_datum"] = today + dt.timedelta(weeks=1)
    values["nieuwe_datum"] = today + dt.timedelta(weeks=7)
    return {name: values.get(name, name) for name in variables_for(key)}


# ---- paragraphs ------------------------------------------------------------------------------
@dataclass
class Block:
    kind: str  # "h2", "p" or "ul"
    lines: list


def blocks(text: str) -> list[Block]:
    """Paragraphs (separated by an empty line; a line break inside stays one), headings (a
    line starting with "# ") and bullet lists (lines starting with "- ")."""
    result = []
    for chunk in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0].startswith("# "):
            result.append(Block("h2", [lines[0][2:].strip()]))
        elif all(line.startswith("- ") for line in lines):
            result.append(Block("ul", [line[2:].strip() for line in lines]))
        else:
            result.append(Block("p", lines))
    return result


def plain_text(text: str) -> str:
    """The text for an e-mail or sms: headings without their "# "."""
    return "\n".join(
        line[2:] if line.startswith("# ") else line for line in (text or "").splitlines()
    )


# ---- readability (B1) --------------------------------------------------------------------------
LONG_SENTENCE_WORDS = 15


def readability(text: str) -> dict:
    """A B1 indication for Dutch text: the Flesch-Douma reading ease (textstat with the Dutch
    constants) as a plain label, plus the sentences longer than 15 words."""
    import textstat

    plain = VARIABLE_RE.sub("X", text or "")
    plain = "\n".join(line.removeprefix("- ").removeprefix("# ") for line in plain.splitlines())
    sentences = [
        s.strip() for s in re.split(r"(?<=[.!?])\s+|\n\s*\n", plain) if len(s.strip().split()) > 0
    ]
    long = [s for s in sentences if len(s.split()) > LONG_SENTENCE_WORDS]
    if not sentences:
        return {"score": None, "label": _("Nog geen tekst"), "level": "none", "long": []}
    textstat.set_lang("nl")
    score = round(textstat.flesch_reading_ease(plain), 1)
    if score >= 60:
        label, level = _("Makkelijk te lezen (B1)"), "b1"
    elif score >= 40:
        label, level = _("Wat moeilijk"), "medium"
    else:
        label, level = _("Moeilijk"), "hard"
    return {"score": score, "label": label, "level": level, "long": long}


# ---- contact block (decision III) -------------------------------------------------------------
@dataclass
class ContactBlock:
    name: str
    job_title: str
    phone: str
    exemption_applied: bool

    def text(self) -> str:
        """ "Heeft u vragen? Bel Sanne Bakker, consulent, op 053 481 1234." """
        who = f"{self.name}, {self.job_title}" if self.job_title else self.name
        return _("Heeft u vragen? Bel %(who)s, op %(phone)s.") % {
            "who": who,
            "phone": formatting.phone_display(self.phone),
        }


def is_general_number(value: str) -> bool:
    """14 + area code (14 053) or another short general number: not a direct number."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and (value or "").strip().startswith("+"):
        digits = "0" + digits[2:]
    return digits.startswith("14") and len(digits) <= 6


def _direct(value: str) -> str:
    value = (value or "").strip()
    return "" if not value or is_general_number(value) else value


# ---- PDF ---------------------------------------------------------------------------------------
def render_pdf(
    *,
    language: str,
    organisation,
    letterhead_lines: list,
    address_lines: list,
    date,
    subject: str,
    body: str,
    contact: ContactBlock,
    about_line: str = "",
) -> bytes:
    """The letter as an accessible, tagged PDF (PDF/UA-1): language, title, real headings."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "messaging/letter_pdf.html",
            {
                "language": language,
                "organisation": organisation,
                "letterhead_lines": letterhead_lines,
                "address_lines": address_lines,
                "date": formatting.long_date(date),
                "subject": subject,
                "blocks": blocks(body),
                "contact_text": contact.text(),
                "about_line": about_line,
            },
        )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
