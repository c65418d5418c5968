"""The shared (landelijke) letter templates in B1 Dutch and in English: the callback
confirmation, the referral confirmation and "bent u geholpen?" by post. Written by migration
0003 and put back by the tests after a database flush; a municipality overrides them in the
editor. Never changes a template that exists already."""

SIGN_NL = "Met vriendelijke groet,\n{{ contactpersoon }}\n{{ organisatie }}"
SIGN_EN = "Kind regards,\n{{ contactpersoon }}\n{{ organisatie }}"

TEMPLATES = [
    {
        "key": "terugbelverzoek",
        "language": "nl",
        "name": "Bevestiging terugbelverzoek",
        "subject": "Wij bellen u terug",
        "body": (
            "{{ aanhef }},\n\n"
            "U had contact met {{ organisatie }} over {{ onderwerp }}. "
            "U wilt dat wij u terugbellen. Dat doen wij.\n\n"
            "# Wat gebeurt er nu?\n\n"
            "- Wij bellen u uiterlijk {{ terugbellen_voor }}.\n"
            "- Wij bellen naar {{ terugbelnummer }}.\n"
            "- Neemt u niet op? Dan bellen wij nog een keer.\n\n"
            "Heeft u een ander nummer? Of past het u niet? Bel ons dan.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: wij bellen u terug over {{ onderwerp }}. "
            "Uiterlijk {{ terugbellen_voor }}, op {{ terugbelnummer }}."
        ),
    },
    {
        "key": "terugbelverzoek",
        "language": "en",
        "name": "Callback confirmation",
        "subject": "We will call you back",
        "body": (
            "{{ aanhef }},\n\n"
            "You were in contact with {{ organisatie }} about {{ onderwerp }}. "
            "You asked us to call you back. We will.\n\n"
            "# What happens next?\n\n"
            "- We will call you by {{ terugbellen_voor }}.\n"
            "- We will call {{ terugbelnummer }}.\n"
            "- If you do not answer, we will call again.\n\n"
            "Do you have another number? Or is this not a good time? Please call us.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: we will call you back about {{ onderwerp }}. "
            "By {{ terugbellen_voor }}, on {{ terugbelnummer }}."
        ),
    },
    {
        "key": "doorverwijzing",
        "language": "nl",
        "name": "Bevestiging doorverwijzing",
        "subject": "Uw vraag gaat naar {{ naar_organisatie }}",
        "body": (
            "{{ aanhef }},\n\n"
            "U had een vraag over {{ onderwerp }}. {{ naar_organisatie }} kan u daar het beste "
            "mee helpen. Daarom hebben wij uw vraag aan hen doorgegeven. "
            "U hoeft uw verhaal niet opnieuw te vertellen.\n\n"
            "# Wat gebeurt er nu?\n\n"
            "- {{ naar_organisatie }} neemt contact met u op.\n"
            "- Dat doen zij uiterlijk {{ contact_voor }}.\n"
            "- Hoort u niets? Bel ons dan. Wij zoeken het voor u uit.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: uw vraag over {{ onderwerp }} is doorgegeven aan "
            "{{ naar_organisatie }}. Zij nemen uiterlijk {{ contact_voor }} contact met u op."
        ),
    },
    {
        "key": "doorverwijzing",
        "language": "en",
        "name": "Referral confirmation",
        "subject": "Your question goes to {{ naar_organisatie }}",
        "body": (
            "{{ aanhef }},\n\n"
            "You had a question about {{ onderwerp }}. {{ naar_organisatie }} can help you best "
            "with this. So we have passed your question on to them. "
            "You do not have to tell your story again.\n\n"
            "# What happens next?\n\n"
            "- {{ naar_organisatie }} will contact you.\n"
            "- They will do so by {{ contact_voor }}.\n"
            "- Have you not heard from them? Please call us. We will look into it.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: your question about {{ onderwerp }} has gone to "
            "{{ naar_organisatie }}. They will contact you by {{ contact_voor }}."
        ),
    },
    {
        "key": "bent-u-geholpen",
        "language": "nl",
        "name": "Vraag: bent u geholpen?",
        "subject": "Bent u goed geholpen?",
        "body": (
            "{{ aanhef }},\n\n"
            "Op {{ contact_datum }} had u contact met {{ organisatie }} over {{ onderwerp }}. "
            "Wij willen graag weten: bent u goed geholpen?\n\n"
            "# Zo geeft u antwoord\n\n"
            "- Ga naar {{ antwoord_link }} en kies ja of nee.\n"
            "- Of bel ons op {{ telefoon }}.\n\n"
            "U kunt antwoorden tot {{ antwoord_voor }}. Het kost u maar een minuut.\n\n"
            "# Wat doen wij met uw antwoord?\n\n"
            "Bent u niet goed geholpen? Dan nemen wij contact met u op. "
            "Samen zoeken wij een oplossing.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: bent u goed geholpen over {{ onderwerp }}? "
            "Antwoord via {{ antwoord_link }} of bel {{ telefoon }}."
        ),
    },
    {
        "key": "bent-u-geholpen",
        "language": "en",
        "name": "Question: were you helped?",
        "subject": "Were you helped well?",
        "body": (
            "{{ aanhef }},\n\n"
            "On {{ contact_datum }} you were in contact with {{ organisatie }} about "
            "{{ onderwerp }}. We would like to know: were you helped well?\n\n"
            "# How to answer\n\n"
            "- Go to {{ antwoord_link }} and choose yes or no.\n"
            "- Or call us on {{ telefoon }}.\n\n"
            "You can answer until {{ antwoord_voor }}. It only takes a minute.\n\n"
            "# What do we do with your answer?\n\n"
            "Were you not helped well? Then we will contact you. "
            "Together we will look for a solution.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: were you helped well with {{ onderwerp }}? "
            "Answer at {{ antwoord_link }} or call {{ telefoon }}."
        ),
    },
]


def ensure_shared_templates(template_model, version_model) -> int:
    """Create the shared templates that are missing, each with its version 1. The models are
    passed in (the historical ones inside a migration)."""
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
