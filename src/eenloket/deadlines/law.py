"""The shared request types, from the law: one table, seeded by a migration (and kept in step
by `ensure_shared_types`). An organisation adds its own types for terms its own rules set.

Woo: the Awb penalty for not deciding in time (4:17) does not apply to a Woo request; a
complaint (Awb 9) and a Wmo melding are no decisions on an application, so neither has one."""

from django.utils.translation import gettext_noop

# The names are Dutch in the database and translated when shown (RequestType.label).
SHARED_TYPES = [
    {
        "code": "aanvraag",
        "name": gettext_noop("Aanvraag"),
        "regime": "atw",
        "term": "P8W",
        "article": "Awb 4:13",
        "penalty_applies": True,
        # No statutory term: a timely notice names the new one (Awb 4:14 lid 3).
        "notice_sets_term": True,
    },
    {
        "code": "wmo-melding",
        "name": gettext_noop("Wmo-melding (onderzoek)"),
        "regime": "atw",
        "term": "P6W",
        "article": "Wmo 2015 art. 2.3.2 lid 1",
    },
    {
        "code": "wmo-aanvraag",
        "name": gettext_noop("Wmo-aanvraag"),
        "regime": "atw",
        "term": "P2W",
        "article": "Wmo 2015 art. 2.3.5 lid 1",
        "penalty_applies": True,
    },
    {
        "code": "bezwaar",
        "name": gettext_noop("Bezwaar"),
        "regime": "atw",
        "term": "P6W",
        "term_with_committee": "P12W",
        "article": "Awb 7:10 lid 1",
        "starts": "einde-bezwaartermijn",
        "extension": "P6W",
        "extension_article": "Awb 7:10 lid 3",
        "further_with_consent": True,
        "penalty_applies": True,
    },
    {
        "code": "klacht",
        "name": gettext_noop("Klacht"),
        "regime": "atw",
        "term": "P6W",
        "term_with_committee": "P10W",
        "article": "Awb 9:11 lid 1",
        "extension": "P4W",
        "extension_article": "Awb 9:11 lid 2",
    },
    {
        "code": "woo-verzoek",
        "name": gettext_noop("Woo-verzoek"),
        "regime": "atw",
        "term": "P4W",
        "article": "Woo art. 4.4 lid 1",
        "extension": "P2W",
        "extension_article": "Woo art. 4.4 lid 2",
    },
    {
        "code": "avg-inzage",
        "name": gettext_noop("AVG-verzoek om inzage"),
        "regime": "eu",
        "term": "P1M",
        "article": "AVG art. 12 lid 3",
        "extension": "P2M",
        "extension_article": "AVG art. 12 lid 3",
    },
]


def ensure_shared_types(RequestType) -> None:
    """Create or update the shared types (migrations pass their historical model)."""
    for row in SHARED_TYPES:
        values = {
            "term_with_committee": "",
            "starts": "ontvangst",
            "extension": "",
            "extension_article": "",
            "further_with_consent": False,
            "penalty_applies": False,
            "notice_sets_term": False,
            **row,
        }
        # An older migration's model lacks the fields added later: leave those out.
        known = {field.name for field in RequestType._meta.get_fields()}
        values = {key: value for key, value in values.items() if key in known}
        code = values.pop("code")
        RequestType.objects.update_or_create(organisation=None, code=code, defaults=values)
