"""What the OpenAPI schema says about errors and parameters of these endpoints."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)

from .. import selectors
from .serializers import ReferralSerializer

PROBLEM = OpenApiResponse(description="Problem (RFC 7807, application/problem+json).")
ERRORS = {
    400: OpenApiResponse(description="Ongeldige invoer: problem+json met `invalid_params`."),
    401: PROBLEM,
    403: PROBLEM,
    404: PROBLEM,
}
STATE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(
        description="Kan niet in de huidige stand (`code`: invalid_transition, "
        "already_claimed): problem+json."
    ),
}

WORKLIST_PARAM = OpenApiParameter(
    "worklist",
    OpenApiTypes.STR,
    enum=list(selectors.WORKLISTS),
    description="Werklijst: `nieuw` (nog niet opgepakt), `te-laat` (over de norm), `mijn` "
    "(aan mij toegewezen), `open` (alles open bij mijn organisatie), `verstuurd` (door mij "
    "doorverwezen, met de terugkoppeling). Een werklijst staat in werkvolgorde en toont ten "
    "hoogste `page_size` (max 100) doorverwijzingen, zonder volgende pagina. Zonder werklijst: "
    "alles wat u mag zien, nieuwste eerst, per pagina.",
)


def action_schema(summary, request=None, status_code=200):
    return extend_schema(
        summary=summary,
        request=request,
        responses={status_code: ReferralSerializer, **STATE_ERRORS},
    )


CONSULT_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(
        description="Niet meer open, of al aangenomen door een collega (`code`: already_taken, "
        "not_open): problem+json."
    ),
}
