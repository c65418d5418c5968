"""The government service catalogue: services per organisation (from the UPL and the agencies),
a municipality's own services and text overrides, and what routing learned from outcomes."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eenloket.organisations.models import OrganisationType


class ApplyChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    PHONE = "telefoon", _("Telefoon")
    DESK = "balie", _("Balie")
    POST = "post", _("Post")


class Service(models.Model):
    """A service a resident can ask about. `organisation_type` is the canonical code of who
    delivers it; a service with a `tenant` is a municipality's own, visible only there."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=120, unique=True)
    organisation_type = models.CharField(
        _("organisatie"), max_length=30, choices=OrganisationType.choices
    )
    tenant = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_services",
        verbose_name=_("eigen dienst van gemeente"),
    )
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("uitleg"))
    how_to_apply = models.TextField(_("zo regelt u het"), blank=True)
    channels = models.JSONField(_("kanalen"), default=list, blank=True)
    legal_basis = models.CharField(_("wettelijke grondslag"), max_length=300, blank=True)
    legal_basis_url = models.URLField(_("link naar de wet"), max_length=500, blank=True)
    keywords = models.JSONField(_("zoekwoorden"), default=list, blank=True)
    english = models.JSONField(_("Engelse zoekwoorden"), default=list, blank=True)
    upl_name = models.CharField(_("UPL-naam"), max_length=200, blank=True)
    upl_uri = models.URLField(_("UPL-URI"), max_length=300, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_type", "name"]
        verbose_name = _("dienst")
        verbose_name_plural = _("diensten")
        indexes = [models.Index(fields=["organisation_type", "name"], name="service_org_name")]

    def __str__(self):
        return self.name


class ServiceOverride(models.Model):
    """A municipality's own text for a national or generic service, or its note that it does
    not offer a generic municipal service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="overrides")
    tenant = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="service_overrides"
    )
    name = models.CharField(_("naam"), max_length=120, blank=True)
    description = models.TextField(_("uitleg"), blank=True)
    how_to_apply = models.TextField(_("zo regelt u het"), blank=True)
    extra_keywords = models.JSONField(_("extra zoekwoorden"), default=list, blank=True)
    is_offered = models.BooleanField(_("de gemeente biedt deze dienst aan"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aanpassing door gemeente")
        verbose_name_plural = _("aanpassingen door gemeenten")
        constraints = [
            models.UniqueConstraint(fields=["service", "tenant"], name="override_unique_tenant")
        ]

    def __str__(self):
        return f"{self.service} ({self.tenant})"

    def texts(self, service) -> dict:
        """The service's texts as this municipality shows them: own text where given,
        the national text otherwise; extra keywords added."""
        return {
            "name": self.name or service.name,
            "description": self.description or service.description,
            "how_to_apply": self.how_to_apply or service.how_to_apply,
            "keywords": list(service.keywords) + list(self.extra_keywords),
        }


class RoutingOutcome(models.Model):
    """One confirmed answer to 'which service helped with this question' (from a contact moment
    or a referral). Append-only; the engine learns from these rows."""

    class Source(models.TextChoices):
        CONTACT = "contact", _("Contactmoment")
        REFERRAL = "referral", _("Doorverwijzing")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="outcomes")
    tenant = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Only the question's stems as the routing engine saw them (space separated), never the
    # question itself: no personal data here. The engine reads new rows incrementally (by id)
    # and counts term → service per municipality in memory.
    terms = models.TextField()
    source = models.CharField(max_length=10, choices=Source.choices)
    source_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uitkomst voor routering")
        verbose_name_plural = _("uitkomsten voor routering")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="outcome_once_per_source")
        ]

    def __str__(self):
        return f"{self.service} ← {self.source} {self.source_id}"
