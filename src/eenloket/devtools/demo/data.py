"""The demo's people, places and questions: invented names, real-looking addresses,
fake but valid."""

import datetime as dt

from eenloket.contacts.models import Channel, Outcome
from eenloket.core.roles import Role

DEMO_PASSWORD = "demo-loket-2026"  # noqa: S105 - printed on purpose for the local demo

NATIONAL = [
    ("uwv", "UWV", "0800 2003", "Werk en uitkering", "WW, WIA, Ziektewet en werk zoeken"),
    ("svb", "SVB", "030 264 9000", "AOW en kinderbijslag", "AOW, Anw, kinderbijslag, pgb"),
    (
        "cak",
        "CAK",
        "0800 0087",
        "Eigen bijdrage",
        "eigen bijdrage Wmo en Wlz, wanbetalers zorgverzekering",
    ),
    (
        "duo",
        "DUO",
        "050 599 7755",
        "Studiefinanciering",
        "studiefinanciering, studieschuld, lerarenbeurs",
    ),
    (
        "belastingdienst",
        "Belastingdienst",
        "0800 0543",
        "Particulieren",
        "aangifte inkomstenbelasting, betalingsregeling",
    ),
    (
        "toeslagen",
        "Dienst Toeslagen",
        "0800 0543",
        "Toeslagen",
        "huurtoeslag, zorgtoeslag, kinderopvangtoeslag, herstel",
    ),
    (
        "cjib",
        "CJIB",
        "058 233 8888",
        "Boetes en betalingsregelingen",
        "verkeersboetes, betalingsregeling, maatwerk",
    ),
    (
        "juridisch-loket",
        "Het Juridisch Loket",
        "0900 8020",
        "Juridisch advies",
        "gratis juridisch advies, bezwaar, huur, werk",
    ),
    (
        "waterschap",
        "Waterschap Vechtstromen",
        "088 220 3333",
        "Belastingen",
        "waterschapsbelasting, kwijtschelding",
    ),
    ("rdw", "RDW", "0900 0739", "Kentekens", "kenteken, APK, voertuig"),
    ("cbr", "CBR", "088 227 7700", "Rijbewijs", "rijexamen, gezondheidsverklaring"),
    ("ind", "IND", "088 043 0430", "Verblijf", "verblijfsvergunning, naturalisatie"),
    ("justis", "Justis", "070 370 7080", "VOG", "verklaring omtrent het gedrag"),
    (
        "huurcommissie",
        "Huurcommissie",
        "070 375 1700",
        "Huurgeschillen",
        "huurverhoging, servicekosten, gebreken",
    ),
    ("politie", "Politie", "0900 8844", "Aangifte", "aangifte, verlies van documenten"),
    (
        "kvk",
        "KVK",
        "0800 2117",
        "Ondernemers",
        "inschrijving, uitschrijving, ondernemen met uitkering",
    ),
    ("ciz", "CIZ", "088 789 1000", "Indicaties", "Wlz-indicatie"),
    (
        "sociaal-raadslieden",
        "Sociaal raadslieden",
        "053 480 4800",
        "Sociaal raadslieden",
        "gratis hulp bij brieven, bezwaar en regelingen",
    ),
]

MUNICIPALITIES = [
    {
        "code": "gemeente-enschede",
        "name": "Gemeente Enschede",
        "cbs": "0153",
        "phone": "14 053",
        "city": "Enschede",
        "postcodes": [
            "7511",
            "7512",
            "7513",
            "7521",
            "7522",
            "7523",
            "7531",
            "7541",
            "7544",
            "7545",
        ],
        "streets": [
            "Oude Markt",
            "Langestraat",
            "Hengelosestraat",
            "Haaksbergerstraat",
            "Lasondersingel",
            "Gronausestraat",
            "Boulevard 1945",
            "Pathmossingel",
        ],
        "locations": [
            ("Stadhuis Enschede", "Langestraat", "24", "7511HC", True),
            ("Wijkcentrum Enschede-Zuid", "Wesselerbrinklaan", "40", "7544GR", False),
        ],
    },
    {
        "code": "gemeente-maastricht",
        "name": "Gemeente Maastricht",
        "cbs": "0935",
        "phone": "14 043",
        "city": "Maastricht",
        "postcodes": [
            "6211",
            "6212",
            "6213",
            "6214",
            "6215",
            "6216",
            "6217",
            "6221",
            "6222",
            "6224",
        ],
        "streets": [
            "Markt",
            "Boschstraat",
            "Wycker Brugstraat",
            "Tongerseweg",
            "Akersteenweg",
            "Scharnerweg",
            "Via Regia",
            "Brusselseweg",
        ],
        "locations": [
            ("Stadhuis Maastricht (Mosae Forum)", "Mosae Forum", "10", "6211DW", True),
            ("Servicepunt Maastricht-West", "Brusselseweg", "150", "6217HB", False),
        ],
    },
]

MUNICIPAL_TEAMS = [
    ("Publiekszaken", "paspoort, id-kaart, rijbewijs, verhuizing, uittreksel"),
    ("Contactcentrum", "14 0xx telefoon, algemene vragen"),
    ("Werk en inkomen", "bijstand, bijzondere bijstand, re-integratie"),
    ("Schuldhulpverlening", "schulden, budgetbeheer, beslag"),
    ("Wmo en jeugd", "huishoudelijke hulp, hulpmiddelen, jeugdhulp"),
    ("Kwaliteit en klachten", "klachten, bezwaar"),
]

MUNICIPAL_STAFF = [
    # username suffix, role, team, contact person, title (names per town: STAFF_NAMES)
    ("balie", Role.BALIEMEDEWERKER, "Publiekszaken", True, "Baliemedewerker"),
    ("kcc", Role.KCC_MEDEWERKER, "Contactcentrum", True, "Medewerker contactcentrum"),
    ("casemanager", Role.CASEMANAGER, "Werk en inkomen", True, "Casemanager"),
    ("teamleider", Role.TEAMLEIDER, "Werk en inkomen", True, "Teamleider"),
    ("schulden", Role.CASEMANAGER, "Schuldhulpverlening", True, "Schuldhulpverlener"),
    ("wmo", Role.BALIEMEDEWERKER, "Wmo en jeugd", True, "Wmo-consulent"),
    ("klachten", Role.KLACHTCOORDINATOR, "Kwaliteit en klachten", True, "Klachtcoördinator"),
    (
        "klachtbehandelaar",
        Role.KLACHTBEHANDELAAR,
        "Kwaliteit en klachten",
        False,
        "Klachtbehandelaar",
    ),
    ("beheer", Role.FUNCTIONEEL_BEHEERDER, None, False, "Functioneel beheerder"),
    ("privacy", Role.PRIVACYFUNCTIONARIS, None, False, "Privacyfunctionaris"),
    ("management", Role.MANAGEMENT, None, False, "Directeur Dienstverlening"),
]

# Invented names, one set per town (Twente, Zuid-Limburg): no two demo staff share a name.
STAFF_NAMES = {
    "gemeente-enschede": {
        "balie": ("Sanne", "Bakker"),
        "kcc": ("Ahmed", "El Amrani"),
        "casemanager": ("Ingrid", "Kamphuis"),
        "teamleider": ("Peter", "ter Horst"),
        "schulden": ("Noor", "Vermeulen"),
        "wmo": ("Kees", "Lansink"),
        "klachten": ("Mirjam", "Haverkate"),
        "klachtbehandelaar": ("Youssef", "Ouali"),
        "beheer": ("Els", "Brinkhuis"),
        "privacy": ("Robert", "Pierik"),
        "management": ("Marieke", "Olthof"),
    },
    "gemeente-maastricht": {
        "balie": ("Lieke", "Houben"),
        "kcc": ("Karim", "Bouzid"),
        "casemanager": ("Anja", "Crombach"),
        "teamleider": ("Jos", "Vroemen"),
        "schulden": ("Chantal", "Bemelmans"),
        "wmo": ("Ruud", "Ramakers"),
        "klachten": ("Ellen", "Dassen"),
        "klachtbehandelaar": ("Bart", "Frissen"),
        "beheer": ("Yvonne", "Smeets"),
        "privacy": ("Guido", "Notermans"),
        "management": ("Monique", "Lardinois"),
    },
}

# The agencies' staff in the demo: (adviser, team lead), invented names.
AGENCY_STAFF = {
    "uwv": (("Lisa", "Hermans"), ("Frank", "Koster")),
    "svb": (("Joke", "Postma"), ("Marcel", "van Dam")),
    "cak": (("Priya", "Ramdin"), ("Erik", "Hofman")),
    "duo": (("Tim", "Bosma"), ("Annelies", "Hoogeveen")),
    "toeslagen": (("Samira", "Benali"), ("Gert-Jan", "Vos")),
    "cjib": (("Wietske", "Dijkstra"), ("Sjoerd", "Hoekstra")),
    "juridisch-loket": (("Maarten", "Verhoef"), ("Esther", "Kok")),
}

# The walkthrough's resident (README: BSN 999990007) and her household in Enschede: given name,
# birth date, what the counter should know. Nobody else in the demo is called Fatima Yilmaz.
WALKTHROUGH_HOUSEHOLD = [
    ("Fatima", dt.date(1979, 3, 14), "Leest liever niet zelf; brief samen doorlopen."),
    ("Emre", dt.date(2005, 9, 2), ""),
    ("Elif", dt.date(2011, 5, 21), ""),
]

GIVEN = [
    "Fatima",
    "Jan",
    "Anna",
    "Mohamed",
    "Sophie",
    "Daan",
    "Emma",
    "Lucas",
    "Julia",
    "Sem",
    "Mila",
    "Noah",
    "Zeynep",
    "Piotr",
    "Lotte",
    "Bram",
    "Aisha",
    "Thijs",
    "Iris",
    "Mehmet",
    "Wilma",
    "Henk",
    "Greet",
    "Ricardo",
    "Anouk",
    "Kofi",
    "Yara",
    "Tom",
    "Marja",
    "Johan",
]
SURNAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("", "Yilmaz"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("", "El Idrissi"),
    ("", "Kowalski"),
    ("", "Nijenhuis"),
    ("", "Oude Geerdink"),
    ("", "Scholten"),
    ("", "Willems"),
    ("", "Janssen"),
    ("", "Houben"),
    ("", "Lemmens"),
    ("", "Pinas"),
    ("", "Gerritsen"),
    ("van der", "Linden"),
]

QUESTIONS = [
    (
        "gemeente",
        "Ik wil een nieuw paspoort aanvragen, wat moet ik meenemen?",
        "Uitgelegd: pasfoto, oud paspoort. Afspraak gemaakt.",
        Outcome.APPOINTMENT,
    ),
    (
        "gemeente",
        "Mijn bijstandsuitkering is niet op tijd betaald.",
        "Betaling nagekeken: gaat morgen de deur uit.",
        Outcome.ANSWERED,
    ),
    (
        "gemeente",
        "Ik heb schulden en kan de huur niet meer betalen.",
        "Aanmelding schuldhulpverlening gedaan, casemanager belt terug.",
        Outcome.CALLBACK,
    ),
    (
        "gemeente",
        "Kan ik bijzondere bijstand krijgen voor een nieuwe wasmachine?",
        "Aanvraag ingenomen.",
        Outcome.REQUEST_TAKEN,
    ),
    (
        "gemeente",
        "Ik heb hulp nodig in het huishouden na mijn operatie.",
        "Wmo-melding gedaan.",
        Outcome.REQUEST_TAKEN,
    ),
    (
        "gemeente",
        "Ik ben verhuisd en wil mijn adres doorgeven.",
        "Verhuizing verwerkt.",
        Outcome.ANSWERED,
    ),
    (
        "uwv",
        "Ik ben mijn baan kwijt, hoe vraag ik WW aan?",
        "Doorverwezen naar UWV-collega op locatie.",
        Outcome.REFERRED,
    ),
    (
        "uwv",
        "Mijn WIA-uitkering is lager dan verwacht.",
        "Uitgelegd hoe de hoogte wordt berekend.",
        Outcome.ANSWERED,
    ),
    (
        "svb",
        "Wanneer krijg ik AOW en hoeveel?",
        "AOW-datum opgezocht en uitgelegd.",
        Outcome.ANSWERED,
    ),
    ("svb", "De kinderbijslag is gestopt.", "Terugbelverzoek voor SVB-collega.", Outcome.CALLBACK),
    (
        "cak",
        "Ik snap de rekening van het CAK niet.",
        "Eigen bijdrage Wmo uitgelegd.",
        Outcome.ANSWERED,
    ),
    (
        "duo",
        "Ik kan mijn studieschuld niet terugbetalen.",
        "Draagkrachtmeting uitgelegd, aanvraag samen gedaan.",
        Outcome.REQUEST_TAKEN,
    ),
    (
        "toeslagen",
        "Mijn huurtoeslag is gestopt en ik weet niet waarom.",
        "Doorverwezen naar Dienst Toeslagen.",
        Outcome.REFERRED,
    ),
    (
        "cjib",
        "Ik heb een boete en kan die niet in één keer betalen.",
        "Betalingsregeling aangevraagd.",
        Outcome.REQUEST_TAKEN,
    ),
    (
        "juridisch-loket",
        "Ik wil bezwaar maken tegen een besluit maar weet niet hoe.",
        "Afspraak bij het Juridisch Loket op locatie.",
        Outcome.APPOINTMENT,
    ),
    (
        "gemeente",
        "Ik begrijp de brief over de gemeentelijke belastingen niet.",
        "Brief samen doorgelezen; sociaal raadsman genoemd.",
        Outcome.ANSWERED,
    ),
    (
        "gemeente",
        "Mijn zoon heeft jeugdhulp nodig.",
        "Wordt uitgezocht door team jeugd.",
        Outcome.FOLLOW_UP,
    ),
    (
        "gemeente",
        "Ik heb mijn rijbewijs verloren.",
        "Uitgelegd: eerst aangifte van vermissing, dan afspraak.",
        Outcome.APPOINTMENT,
    ),
]


# Questions where the free sociaal raadsman can help (decision VI): staff mention them often.
COUNSELLOR_TOPICS = {  # question → why the counter referred the resident to the counsellor
    "Ik begrijp de brief over de gemeentelijke belastingen niet.": (
        "Brieven van meerdere instanties; inwoner wil hulp bij bezwaar maken."
    ),
    "Ik heb schulden en kan de huur niet meer betalen.": (
        "Betalingsachterstanden bij meerdere instanties; inwoner wil hulp bij een betalingsregeling."
    ),
    "Ik wil bezwaar maken tegen een besluit maar weet niet hoe.": (
        "Inwoner wil bezwaar maken tegen een besluit en hulp bij de brief."
    ),
}

# The walkthrough resident's history with her municipality: days ago, channel, staff, question.
FATIMA_HISTORY = [
    (
        290,
        Channel.DESK,
        "enschede.balie",
        "Ik wil een nieuw paspoort aanvragen, wat moet ik meenemen?",
    ),
    (
        205,
        Channel.HOME_VISIT,
        "enschede.wmo",
        "Ik heb hulp nodig in het huishouden na mijn operatie.",
    ),
    (
        150,
        Channel.DESK,
        "enschede.balie",
        "Ik begrijp de brief over de gemeentelijke belastingen niet.",
    ),
    (
        95,
        Channel.PHONE,
        "enschede.kcc",
        "Kan ik bijzondere bijstand krijgen voor een nieuwe wasmachine?",
    ),
    (60, Channel.PHONE, "enschede.kcc", "Mijn zoon heeft jeugdhulp nodig."),
]
# … and with UWV's adviser at the town hall (UWV's own contacts: UWV sees her on that basis).
FATIMA_AT_UWV = [
    (
        36,
        "Ik ben mijn baan kwijt, hoe vraag ik WW aan?",
        "WW-aanvraag uitgelegd; inwoner vraagt thuis online aan met DigiD.",
    ),
    (
        15,
        "Ik heb een brief gekregen dat mijn WW-aanvraag niet compleet is.",
        "Samen gekeken welke gegevens ontbreken; inwoner stuurt de jaaropgave na.",
    ),
]


# Colloquial questions the catalogue's words do not cover, and the service Enschede's counter
# staff chose for them: the routing engine learns these (see "eerder gekozen" in suggestions).
LEARNED_IN_ENSCHEDE = [
    ("Ik zit krap bij kas deze maand.", "upl-schuldhulpverlening"),
    ("Het lukt me niet meer rond te komen, alles is zo duur.", "upl-schuldhulpverlening"),
    ("Ik kom niet rond en zit krap.", "upl-schuldhulpverlening"),
]


# ---- plausible moments ---------------------------------------------------------------------------
# Desk contacts fall in the locations' opening hours (see `_hours`: weekdays 9:00-17:00, Thursday
# evening 18:00-20:00), phone calls in the phone hours (8:30-17:00), letters are registered and
# home visits made in office hours, on working days; digital questions come in at any day, mostly
# by day and in the evening. Minutes after midnight, local time.

COUNSELLOR_OFFICES = [
    ("Sociaal raadslieden Enschede", "Hengelosestraat", "61", "7514AE", "Enschede", "053 480 4800"),
    (
        "Sociaal raadslieden Maastricht",
        "Statensingel",
        "40",
        "6217KG",
        "Maastricht",
        "043 350 6200",
    ),
]
