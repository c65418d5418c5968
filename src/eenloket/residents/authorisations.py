"""The register authorisations every installation starts with: which kind of organisation may
search the resident register with which key, and on which legal ground. The functioneel beheerder
keeps them up to date afterwards (admin); the migration and the demo load these defaults once.

- A municipality (gemeente) may find its own residents by BSN, by surname + birth date and by
  address (Wet BRP art. 3.2: the municipality's own tasks), and any resident by BSN (a resident
  of another municipality at the counter shows their ID; Wabb art. 10).
- Government bodies with a BSN basis in their own law find residents by BSN only (Wet algemene
  bepalingen burgerservicenummer art. 10, with the law they carry out).
- Partners (sociaal raadslieden, Het Juridisch Loket) are no government body: they never search
  the register and never see a BSN. They work with what a resident or a referral shares."""

import datetime as dt

WABB = "Wet algemene bepalingen burgerservicenummer, art. 10"
WABB_URL = "https://wetten.overheid.nl/BWBR0022428/#Hoofdstuk2_Artikel10"
BRP_URL = "https://wetten.overheid.nl/BWBR0033715/"

# organisation type → the law it carries out (with the BSN basis of Wabb art. 10)
BSN_LAWS = {
    "uwv": "Wet structuur uitvoeringsorganisatie werk en inkomen (Wet SUWI)",
    "svb": "Wet structuur uitvoeringsorganisatie werk en inkomen (Wet SUWI)",
    "cak": "Wet langdurige zorg en Wet maatschappelijke ondersteuning 2015",
    "duo": "Wet studiefinanciering 2000",
    "belastingdienst": "Algemene wet inzake rijksbelastingen",
    "toeslagen": "Algemene wet inkomensafhankelijke regelingen",
    "cjib": "Wet administratiefrechtelijke handhaving verkeersvoorschriften",
    "ciz": "Wet langdurige zorg",
    "ind": "Vreemdelingenwet 2000",
    "rdw": "Wegenverkeerswet 1994",
    "cbr": "Wegenverkeerswet 1994",
    "justis": "Wet justitiële en strafvorderlijke gegevens",
    "waterschap": "Waterschapswet",
    "huurcommissie": "Uitvoeringswet huurprijzen woonruimte",
    "politie": "Politiewet 2012",
    "kvk": "Handelsregisterwet 2007",
}

VALID_FROM = dt.date(2014, 1, 6)  # Wet BRP in force (the Wabb already since 2007)


def default_authorisations() -> list[dict]:
    rows = [
        {
            "organisation_type": "gemeente",
            "search_key": key,
            "scope": "eigen-inwoners",
            "legal_ground": "Wet basisregistratie personen, art. 3.2 (taken van de eigen gemeente)",
            "legal_ground_url": BRP_URL,
        }
        for key in ("naam-geboortedatum", "adres")
    ]
    rows.append(
        {
            "organisation_type": "gemeente",
            "search_key": "bsn",
            "scope": "alle",
            "legal_ground": f"{WABB}; Wet basisregistratie personen, art. 3.2",
            "legal_ground_url": WABB_URL,
        }
    )
    for org_type, law in BSN_LAWS.items():
        rows.append(
            {
                "organisation_type": org_type,
                "search_key": "bsn",
                "scope": "alle",
                "legal_ground": f"{WABB}; {law}",
                "legal_ground_url": WABB_URL,
            }
        )
    for row in rows:
        row["valid_from"] = VALID_FROM
    return rows


def ensure_default_authorisations(model) -> int:
    """Create the default rows that are missing (never changes a row the beheerder edited).
    `model` is the RegisterAuthorisation model (the historical one inside a migration)."""
    created = 0
    for row in default_authorisations():
        _obj, was_created = model.objects.get_or_create(
            organisation_type=row["organisation_type"],
            search_key=row["search_key"],
            defaults=row,
        )
        created += was_created
    return created
