"""Reads of the catalogue and routing suggestions. The catalogue is public work information:
every staff member may read it; a municipality's own services and texts show only there."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from eenloket.core import permissions
from eenloket.core.errors import NotFound
from eenloket.core.validators import clean_texts
from eenloket.organisations.models import Organisation, OrganisationType
from eenloket.organisations.selectors import get_scope

from . import engine, text
from .models import Service, ServiceOverride

DEFAULT_LIMIT = 5


def can_manage_catalogue(user, tenant: Organisation | None) -> bool:
    """A functional admin of this municipality (core/permissions.py); nobody manages the
    national catalogue here (no tenant, or an organisation that is not a municipality)."""
    if tenant is None or not tenant.is_municipality:
        return False
    return permissions.can_manage_catalogue(get_scope(user), tenant)


def tenant_for(user, municipality: str | None = None) -> Organisation | None:
    """The municipality whose own services and texts apply: the one asked for, or the staff
    member's own municipality. Agency staff without one get the national catalogue."""
    if municipality:
        unknown = _("Deze gemeente kennen wij niet.")
        if not isinstance(municipality, str) or "\x00" in municipality:
            raise ValidationError({"municipality": [unknown]})
        tenant = Organisation.objects.filter(
            code=municipality, type=OrganisationType.GEMEENTE
        ).first()
        if tenant is None:  # well formed, but no such municipality: as an unknown id
            raise ValidationError(
                {"municipality": [ValidationError(unknown, code="does_not_exist")]}
            )
        return tenant
    scope = get_scope(user)
    if not scope.organisation_ids:
        return None
    return (
        Organisation.objects.filter(pk__in=scope.organisation_ids, type=OrganisationType.GEMEENTE)
        .order_by("pk")
        .first()
    )


def clean_question(question, limit=DEFAULT_LIMIT) -> tuple[str, int]:
    """Validate a routing question and limit; a ValidationError names what is wrong."""
    errors = {}
    if not isinstance(question, str):
        errors["q"] = [_("De vraag moet tekst zijn.")]
        question = ""
    else:
        texts, errors = clean_texts(
            {"q": question},
            required={"q": _("Vul een vraag in.")},
            limits={"q": engine.MAX_QUERY_CHARS},
        )
        question = texts["q"]
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= engine.MAX_LIMIT:
        errors["limit"] = [
            _("Het aantal moet een heel getal van 1 tot en met %(max)d zijn.")
            % {"max": engine.MAX_LIMIT}
        ]
    if errors:
        raise ValidationError(errors)
    return question, limit


def suggest(question, *, limit=DEFAULT_LIMIT, tenant: Organisation | None = None):
    """Ranked services for a question (see engine.py), after validating the input."""
    question, limit = clean_question(question, limit)
    return engine.get_engine().suggest(
        question,
        limit=limit,
        tenant_id=tenant.pk if tenant else None,
        tenant_name=tenant.name if tenant else None,
    )


def services_for(tenant: Organisation | None, *, organisation: str | None = None) -> QuerySet:
    """Active services visible in a municipality (national + its own), without the generic
    municipal services it says it does not offer."""
    qs = services_for_detail(tenant).filter(is_active=True)
    if tenant is not None:
        not_offered = ServiceOverride.objects.filter(tenant=tenant, is_offered=False).values(
            "service_id"
        )
        qs = qs.exclude(pk__in=not_offered)
    if organisation:
        qs = qs.filter(organisation_type=organisation)
    return qs.order_by("organisation_type", "name")


def with_overrides(services, tenant: Organisation | None):
    """Apply the municipality's own texts to a list of services (in place) and return it."""
    services = list(services)
    if tenant is None or not services:
        return services
    overrides = {
        o.service_id: o
        for o in ServiceOverride.objects.filter(
            tenant=tenant, service_id__in=[s.pk for s in services]
        )
    }
    for service in services:
        override = overrides.get(service.pk)
        service.override = override
        if override:
            for field, value in override.texts(service).items():
                setattr(service, field, value)
    return services


def get_service(uuid, tenant: Organisation | None) -> Service:
    try:
        service = services_for_detail(tenant).filter(uuid=uuid).first()
    except (ValidationError, ValueError):  # not a UUID at all
        service = None
    if service is None:
        raise NotFound(_("Deze dienst bestaat niet of hoort bij een andere gemeente."))
    return with_overrides([service], tenant)[0]


def services_for_detail(tenant):
    """Every service a municipality may look up (also inactive or switched off: old contacts
    still link to them): national ones and its own."""
    qs = Service.objects.select_related("tenant")
    if tenant is None:
        return qs.filter(tenant__isnull=True)
    return qs.filter(Q(tenant__isnull=True) | Q(tenant=tenant))


COUNSELLOR_WORDS = ("bezwaar", "beroep", "brief", "brieven", "begrijp", "snap", "formulier")


def counsellor_hint(question: str, suggestions) -> bool:
    """Prompt staff to mention the social counsellor: an objection, letters the resident does
    not understand, or a question for several organisations."""
    words = set(text.words(question or ""))
    if any(w.startswith(COUNSELLOR_WORDS) for w in words):
        return True
    organisations = {s.organisation for s in suggestions[:3]}
    if "sociaal-raadslieden" in organisations:
        return True
    return len(organisations) >= 3 and len(question or "") > 60
