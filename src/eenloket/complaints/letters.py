"""The complaint letters (shared templates, nl and en): the acknowledgement of a formal complaint
(Awb 9:6), the invitation to be heard (Awb 9:10) and the one answer with the findings and where
to go next (Awb 9:12, Wet Nationale ombudsman art. 12 lid 2). Written by migrations 0002 and 0004;
the tests put them back after a flush."""

SIGN_NL = "Met vriendelijke groet,\n{{ contactpersoon }}\n{{ organisatie }}"
SIGN_EN = "Kind regards,\n{{ contactpersoon }}\n{{ organisatie }}"

ACKNOWLEDGEMENT = "klacht-ontvangst"
OUTCOME = "klacht-uitkomst"
HEARING = "klacht-horen"

TEMPLATES = [
    {
        "key": ACKNOWLEDGEMENT,
        "language": "nl",
        "name": "Bevestiging klacht",
        "subject": "Wij hebben uw klacht ontvangen ({{ kenmerk }})",
        "body": (
            "{{ aanhef }},\n\n"
            "Op {{ ontvangen_op }} kregen wij uw klacht. Dank u wel dat u dit aan ons laat weten. "
            "Uw klacht heeft het kenmerk {{ kenmerk }}.\n\n"
            "# Wat gebeurt er nu?\n\n"
            "- Iemand die niet betrokken was bij wat er gebeurde, behandelt uw klacht.\n"
            "- Wij nodigen u uit om uw klacht toe te lichten.\n"
            "- De medewerker over wie de klacht gaat, krijgt een kopie van uw klacht.\n"
            "- U krijgt uiterlijk {{ uiterlijke_datum }} een brief met ons oordeel.\n\n"
            "Heeft u vragen? Bel mij gerust.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: wij hebben uw klacht {{ kenmerk }} ontvangen. U krijgt "
            "uiterlijk {{ uiterlijke_datum }} ons oordeel."
        ),
    },
    {
        "key": ACKNOWLEDGEMENT,
        "language": "en",
        "name": "Complaint received",
        "subject": "We have received your complaint ({{ kenmerk }})",
        "body": (
            "{{ aanhef }},\n\n"
            "On {{ ontvangen_op }} we received your complaint. Thank you for telling us. "
            "Your complaint has reference {{ kenmerk }}.\n\n"
            "# What happens next?\n\n"
            "- Someone who was not involved in what happened handles your complaint.\n"
            "- We will invite you to explain your complaint.\n"
            "- The employee the complaint is about receives a copy of your complaint.\n"
            "- You will receive our decision by {{ uiterlijke_datum }}.\n\n"
            "Do you have questions? Please call me.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: we have received your complaint {{ kenmerk }}. You will hear "
            "our decision by {{ uiterlijke_datum }}."
        ),
    },
    {
        "key": OUTCOME,
        "language": "nl",
        "name": "Oordeel over uw klacht",
        "subject": "Ons oordeel over uw klacht ({{ kenmerk }})",
        "body": (
            "{{ aanhef }},\n\n"
            "Op {{ ontvangen_op }} kregen wij uw klacht. In deze brief leest u wat wij hebben "
            "onderzocht en wat ons oordeel is.\n\n"
            "{{ oordeel }}\n\n"
            "# Bent u het niet eens met ons oordeel?\n\n"
            "Dan kunt u naar {{ ombudsman }}. Dat is gratis. Doe dit uiterlijk "
            "{{ ombudsman_voor }}: binnen een jaar na deze brief (Wet Nationale ombudsman, "
            "artikel 12). Kijk op {{ ombudsman_website }} of bel {{ ombudsman_telefoon }}.\n\n"
            "Heeft u vragen over deze brief? Bel mij gerust.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: ons oordeel over uw klacht {{ kenmerk }} staat in een brief. "
            "Niet eens? U kunt tot {{ ombudsman_voor }} naar {{ ombudsman }}."
        ),
    },
    {
        "key": OUTCOME,
        "language": "en",
        "name": "Decision on your complaint",
        "subject": "Our decision on your complaint ({{ kenmerk }})",
        "body": (
            "{{ aanhef }},\n\n"
            "On {{ ontvangen_op }} we received your complaint. In this letter you can read what "
            "we looked into and what we decided.\n\n"
            "{{ oordeel }}\n\n"
            "# Do you disagree with our decision?\n\n"
            "Then you can go to {{ ombudsman }}. This is free. Do this by {{ ombudsman_voor }}: "
            "within one year after this letter (Wet Nationale ombudsman, article 12). See "
            "{{ ombudsman_website }} or call {{ ombudsman_telefoon }}.\n\n"
            "Do you have questions about this letter? Please call me.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: our decision on your complaint {{ kenmerk }} is in a letter. "
            "Disagree? You can go to {{ ombudsman }} until {{ ombudsman_voor }}."
        ),
    },
]


TEMPLATES += [
    {
        "key": HEARING,
        "language": "nl",
        "name": "Uitnodiging gesprek over uw klacht",
        "subject": "Wij willen graag met u praten over uw klacht ({{ kenmerk }})",
        "body": (
            "{{ aanhef }},\n\n"
            "U heeft een klacht bij ons ingediend. Wij willen graag van u horen wat er is "
            "gebeurd. Daarom nodigen wij u uit voor een gesprek.\n\n"
            "- Wanneer: {{ datum_tijd }}\n"
            "- Waar: {{ plaats }}\n\n"
            "Gaat uw klacht over een medewerker? Dan is die medewerker ook bij het gesprek, als "
            "u dat goed vindt. U mag iemand meenemen.\n\n"
            "Kunt u niet, of wilt u liever niet komen? Bel mij dan. Dan zoeken we samen een "
            "andere tijd, of u vertelt het ons op een andere manier.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: wij willen met u praten over uw klacht {{ kenmerk }}, op "
            "{{ datum_tijd }} in {{ plaats }}. Kunt u niet? Bel ons."
        ),
    },
    {
        "key": HEARING,
        "language": "en",
        "name": "Invitation: a talk about your complaint",
        "subject": "We would like to talk with you about your complaint ({{ kenmerk }})",
        "body": (
            "{{ aanhef }},\n\n"
            "You made a complaint to us. We would like to hear from you what happened. So we "
            "invite you to a talk.\n\n"
            "- When: {{ datum_tijd }}\n"
            "- Where: {{ plaats }}\n\n"
            "Is your complaint about an employee? Then that employee will also be there, if "
            "you agree. You may bring someone with you.\n\n"
            "Can you not come, or would you rather not? Please call me. We will find another "
            "time together, or you can tell us in another way.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: we would like to talk with you about your complaint "
            "{{ kenmerk }}, on {{ datum_tijd }} at {{ plaats }}. Can you not come? Call us."
        ),
    },
]


def ensure_templates(template_model, version_model) -> int:
    """Create the complaint templates that are missing, each with version 1 (the models are
    passed in: the historical ones inside a migration). Never changes an existing one."""
    created = 0
    for row in TEMPLATES:
        template, was_created = template_model.objects.get_or_create(
            organisation=None,
            key=row["key"],
            language=row["language"],
            defaults={**row, "version": 1},
        )
        if was_created:
            version_model.objects.create(
                template=template,
                number=1,
                subject=template.subject,
                body=template.body,
                short_text=template.short_text,
            )
            created += 1
    return created
