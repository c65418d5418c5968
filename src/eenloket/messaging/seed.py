"""The shared (landelijke) letter templates in B1 Dutch and in English: the callback
confirmation, the referral confirmation, "bent u geholpen?" by post, and the appointment's
confirmation, reminder and cancellation, and the two delay notices of a request with a legal
term (Awb 4:14: the decision comes later; an extension the law allows). Written by migration
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
    {
        "key": "afspraak-bevestiging",
        "language": "nl",
        "name": "Bevestiging afspraak",
        "subject": "Uw afspraak op {{ afspraak_datum }}",
        "body": (
            "{{ aanhef }},\n\n"
            "U heeft een afspraak gemaakt voor {{ onderwerp }}.\n\n"
            "# Uw afspraak\n\n"
            "- Wanneer: {{ afspraak_datum }}\n"
            "- Waar: {{ locatie }}\n"
            "- Uw afspraakcode: {{ afspraak_code }}\n"
            "- Wat wij voor u regelen: {{ ondersteuning }}\n\n"
            "Neem een geldig identiteitsbewijs mee.\n\n"
            "# Past het toch niet?\n\n"
            "Verzet of annuleer uw afspraak via {{ beheer_link }}. Of bel ons.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: uw afspraak is op {{ afspraak_datum }}, {{ locatie }}. "
            "Code {{ afspraak_code }}. Verzetten of annuleren: {{ beheer_link }}"
        ),
    },
    {
        "key": "afspraak-bevestiging",
        "language": "en",
        "name": "Appointment confirmation",
        "subject": "Your appointment on {{ afspraak_datum }}",
        "body": (
            "{{ aanhef }},\n\n"
            "You made an appointment about {{ onderwerp }}.\n\n"
            "# Your appointment\n\n"
            "- When: {{ afspraak_datum }}\n"
            "- Where: {{ locatie }}\n"
            "- Your appointment code: {{ afspraak_code }}\n"
            "- What we arrange for you: {{ ondersteuning }}\n\n"
            "Please bring a valid proof of identity.\n\n"
            "# Does the time not suit you?\n\n"
            "Change or cancel your appointment at {{ beheer_link }}. Or call us.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: your appointment is on {{ afspraak_datum }}, {{ locatie }}. "
            "Code {{ afspraak_code }}. Change or cancel: {{ beheer_link }}"
        ),
    },
    {
        "key": "afspraak-herinnering",
        "language": "nl",
        "name": "Herinnering afspraak",
        "subject": "Herinnering: uw afspraak op {{ afspraak_datum }}",
        "body": (
            "{{ aanhef }},\n\n"
            "Wij verwachten u op {{ afspraak_datum }} voor {{ onderwerp }}.\n\n"
            "- Waar: {{ locatie }}\n"
            "- Uw afspraakcode: {{ afspraak_code }}\n\n"
            "Kunt u niet komen? Verzet of annuleer dan via {{ beheer_link }}. "
            "Dan kan iemand anders uw plek krijgen.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: herinnering, uw afspraak is op {{ afspraak_datum }}, "
            "{{ locatie }}. Kunt u niet? {{ beheer_link }}"
        ),
    },
    {
        "key": "afspraak-herinnering",
        "language": "en",
        "name": "Appointment reminder",
        "subject": "Reminder: your appointment on {{ afspraak_datum }}",
        "body": (
            "{{ aanhef }},\n\n"
            "We expect you on {{ afspraak_datum }} about {{ onderwerp }}.\n\n"
            "- Where: {{ locatie }}\n"
            "- Your appointment code: {{ afspraak_code }}\n\n"
            "Can you not come? Please change or cancel at {{ beheer_link }}. "
            "Then someone else can have your place.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: reminder, your appointment is on {{ afspraak_datum }}, "
            "{{ locatie }}. Can you not come? {{ beheer_link }}"
        ),
    },
    {
        "key": "afspraak-geannuleerd",
        "language": "nl",
        "name": "Afspraak geannuleerd",
        "subject": "Uw afspraak op {{ afspraak_datum }} gaat niet door",
        "body": (
            "{{ aanhef }},\n\n"
            "Uw afspraak op {{ afspraak_datum }} voor {{ onderwerp }} gaat niet door. "
            "De afspraak is geannuleerd.\n\n"
            "Wilt u een nieuwe afspraak? Maak die op onze website of bel ons.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: uw afspraak op {{ afspraak_datum }} is geannuleerd. "
            "Een nieuwe afspraak? Bel {{ telefoon }}."
        ),
    },
    {
        "key": "afspraak-geannuleerd",
        "language": "en",
        "name": "Appointment cancelled",
        "subject": "Your appointment on {{ afspraak_datum }} is cancelled",
        "body": (
            "{{ aanhef }},\n\n"
            "Your appointment on {{ afspraak_datum }} about {{ onderwerp }} is cancelled.\n\n"
            "Would you like a new appointment? Make one on our website or call us.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: your appointment on {{ afspraak_datum }} is cancelled. "
            "A new appointment? Call {{ telefoon }}."
        ),
    },
    {
        "key": "vertragingsbericht",
        "language": "nl",
        "name": "Het besluit komt later",
        "subject": "Uw verzoek {{ kenmerk }}: het besluit komt later",
        "body": (
            "{{ aanhef }},\n\n"
            "Op {{ ontvangen_op }} kregen wij uw verzoek over {{ onderwerp }}. "
            "Wij moeten uiterlijk {{ uiterlijke_datum }} beslissen ({{ wetsartikel }}). "
            "Dat lukt niet. Dat spijt ons.\n\n"
            "# Waarom duurt het langer?\n\n"
            "{{ reden }}\n\n"
            "# Wanneer krijgt u het besluit?\n\n"
            "Uiterlijk {{ nieuwe_datum }}.\n\n"
            "# Wat kunt u doen?\n\n"
            "- Heeft u vragen? Bel mij gerust.\n"
            "- Krijgt u het besluit niet op tijd? Dan kunt u ons een brief sturen waarin u vraagt "
            "om alsnog te beslissen (een ingebrekestelling). Soms moeten wij u dan geld betalen.\n\n"
            + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: het besluit op uw verzoek {{ kenmerk }} komt later. "
            "U krijgt het uiterlijk {{ nieuwe_datum }}. Reden: {{ reden }}"
        ),
    },
    {
        "key": "vertragingsbericht",
        "language": "en",
        "name": "The decision will come later",
        "subject": "Your request {{ kenmerk }}: the decision will come later",
        "body": (
            "{{ aanhef }},\n\n"
            "On {{ ontvangen_op }} we received your request about {{ onderwerp }}. "
            "We have to decide by {{ uiterlijke_datum }} ({{ wetsartikel }}). "
            "We cannot do that. We are sorry.\n\n"
            "# Why does it take longer?\n\n"
            "{{ reden }}\n\n"
            "# When will you get the decision?\n\n"
            "By {{ nieuwe_datum }} at the latest.\n\n"
            "# What can you do?\n\n"
            "- Do you have questions? Please call me.\n"
            "- If you do not get the decision in time, you can send us a letter asking us to "
            "decide (a notice of default). Sometimes we then have to pay you money.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: the decision on your request {{ kenmerk }} will come later. "
            "You will get it by {{ nieuwe_datum }}. Reason: {{ reden }}"
        ),
    },
    {
        "key": "hulpaanbod-schulden",
        "language": "nl",
        "name": "Hulp bij geldzorgen",
        "subject": "Wij helpen u graag met uw geldzaken",
        "body": (
            "{{ aanhef }},\n\n"
            "Wij hoorden dat het betalen van uw {{ soort_achterstand }} op dit moment niet lukt. "
            "Dat kan iedereen overkomen. Wij willen u helpen, voordat de problemen groter "
            "worden.\n\n"
            "# Wat kunnen wij doen?\n\n"
            "- Samen kijken naar uw inkomsten en uitgaven.\n"
            "- Een regeling maken met wie u geld moet betalen.\n"
            "- Kijken of u recht heeft op toeslagen of andere regelingen.\n\n"
            "De hulp is gratis. U beslist zelf of u hulp wilt. Nee zeggen heeft geen gevolgen "
            "voor u.\n\n"
            "# Wat moet u doen?\n\n"
            "Bel mij. Dan maken wij een afspraak, bij u thuis of op het stadskantoor.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: wij helpen u graag met uw geldzaken. De hulp is gratis. "
            "Bel {{ contactpersoon }}: {{ telefoon }}."
        ),
    },
    {
        "key": "hulpaanbod-schulden",
        "language": "en",
        "name": "Help with money worries",
        "subject": "We would like to help you with your finances",
        "body": (
            "{{ aanhef }},\n\n"
            "We heard that paying your {{ soort_achterstand }} is difficult right now. "
            "That can happen to anyone. We want to help you before the problems grow.\n\n"
            "# What can we do?\n\n"
            "- Look at your income and expenses together.\n"
            "- Make an arrangement with the people you owe money to.\n"
            "- Check whether you can get allowances or other schemes.\n\n"
            "The help is free. You decide if you want help. Saying no has no consequences "
            "for you.\n\n"
            "# What should you do?\n\n"
            "Call me. We will make an appointment, at your home or at the town hall.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: we would like to help you with your finances. The help is free. "
            "Call {{ contactpersoon }}: {{ telefoon }}."
        ),
    },
    {
        "key": "verlenging",
        "language": "nl",
        "name": "Wij verlengen de termijn",
        "subject": "Uw verzoek {{ kenmerk }}: wij hebben meer tijd nodig",
        "body": (
            "{{ aanhef }},\n\n"
            "Op {{ ontvangen_op }} kregen wij uw verzoek over {{ onderwerp }}. "
            "Wij zouden uiterlijk {{ uiterlijke_datum }} beslissen. "
            "Wij hebben meer tijd nodig. De wet staat dat toe ({{ wetsartikel }}).\n\n"
            "# Waarom duurt het langer?\n\n"
            "{{ reden }}\n\n"
            "# Wanneer krijgt u het besluit?\n\n"
            "Uiterlijk {{ nieuwe_datum }}.\n\n"
            "Heeft u vragen? Bel mij gerust.\n\n" + SIGN_NL
        ),
        "short_text": (
            "{{ organisatie }}: wij hebben meer tijd nodig voor uw verzoek {{ kenmerk }}. "
            "U krijgt het besluit uiterlijk {{ nieuwe_datum }}. Reden: {{ reden }}"
        ),
    },
    {
        "key": "verlenging",
        "language": "en",
        "name": "We extend the term",
        "subject": "Your request {{ kenmerk }}: we need more time",
        "body": (
            "{{ aanhef }},\n\n"
            "On {{ ontvangen_op }} we received your request about {{ onderwerp }}. "
            "We were to decide by {{ uiterlijke_datum }}. "
            "We need more time. The law allows this ({{ wetsartikel }}).\n\n"
            "# Why does it take longer?\n\n"
            "{{ reden }}\n\n"
            "# When will you get the decision?\n\n"
            "By {{ nieuwe_datum }} at the latest.\n\n"
            "Do you have questions? Please call me.\n\n" + SIGN_EN
        ),
        "short_text": (
            "{{ organisatie }}: we need more time for your request {{ kenmerk }}. "
            "You will get the decision by {{ nieuwe_datum }}. Reason: {{ reden }}"
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
