"""The demo catalogue: local services per municipality and routing lessons."""

from eenloket.catalogue import services as catalogue_services
from eenloket.catalogue.models import Service
from eenloket.catalogue.routing_eval import catalogue_engine


def _demo_catalogue(municipalities, beheer):
    """The national catalogue, a local service and an override for the pilots."""
    catalogue_services.import_catalogue()
    enschede = municipalities["gemeente-enschede"]
    maastricht = municipalities["gemeente-maastricht"]
    catalogue_services.create_local_service(
        user=beheer["gemeente-enschede"],
        tenant=enschede,
        name="Meedoenpas Enschede",
        description=(
            "Met de Meedoenpas krijgen inwoners met een laag inkomen korting op sport, "
            "cultuur en zwemles voor de kinderen."
        ),
        how_to_apply="Aanvragen bij de balie van het stadhuis of online met DigiD.",
        channels=["online", "balie"],
        keywords=["meedoen", "sportclub betalen", "zwemles", "korting", "laag inkomen", "pas"],
    )
    waste = Service.objects.filter(code="upl-afvalinzameling-grofvuil").first()
    if waste is not None:
        catalogue_services.save_override(
            user=beheer["gemeente-maastricht"],
            tenant=maastricht,
            service=waste,
            description=(
                "In Maastricht haalt de gemeente het afval op. Grofvuil: maak online een "
                "afspraak, het ophalen is gratis tot 2 kuub per keer."
            ),
            keywords=["grofvuil afspraak", "ophaaldag"],
        )


def _service_per_question(questions):
    """The service counter staff picked for each demo question: the best suggestion of the
    organisation that helped."""
    engine = catalogue_engine()
    picked = {}
    for kind, question, _answer, _outcome in questions:
        for s in engine.suggest(question, limit=8):
            if s.organisation == kind:
                picked[question] = s.service["code"]
                break
    codes = Service.objects.in_bulk(list(picked.values()), field_name="code")
    return {q: codes[c] for q, c in picked.items() if c in codes}
