import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from eenloket.core.roles import Role


class OrganisationType(models.TextChoices):
    """Canonical organisation codes from DESIGN.md (the *type*; a municipality is a tenant)."""

    GEMEENTE = "gemeente", _("Gemeente")
    UWV = "uwv", "UWV"
    SVB = "svb", "SVB"
    CAK = "cak", "CAK"
    DUO = "duo", "DUO"
    BELASTINGDIENST = "belastingdienst", _("Belastingdienst")
    TOESLAGEN = "toeslagen", _("Dienst Toeslagen")
    CJIB = "cjib", "CJIB"
    JURIDISCH_LOKET = "juridisch-loket", _("Het Juridisch Loket")
    WATERSCHAP = "waterschap", _("Waterschap")
    RDW = "rdw", "RDW"
    CBR = "cbr", "CBR"
    IND = "ind", "IND"
    JUSTIS = "justis", "Justis"
    HUURCOMMISSIE = "huurcommissie", _("Huurcommissie")
    POLITIE = "politie", _("Politie")
    KVK = "kvk", "KVK"
    CIZ = "ciz", "CIZ"
    SOCIAAL_RAADSLIEDEN = "sociaal-raadslieden", _("Sociaal raadslieden")
    # Partners outside government (background 003): they report payment arrears (Wet
    # gemeentelijke schuldhulpverlening art. 3 lid 3) and can be invited into a case.
    WONINGCORPORATIE = "woningcorporatie", _("Woningcorporatie of verhuurder")
    ENERGIELEVERANCIER = "energieleverancier", _("Energieleverancier")
    DRINKWATERBEDRIJF = "drinkwaterbedrijf", _("Drinkwaterbedrijf")
    ZORGVERZEKERAAR = "zorgverzekeraar", _("Zorgverzekeraar")


# Organisations that are no government body: they never search the register nor use a BSN.
PARTNER_TYPES = frozenset(
    {
        OrganisationType.SOCIAAL_RAADSLIEDEN,
        OrganisationType.WONINGCORPORATIE,
        OrganisationType.ENERGIELEVERANCIER,
        OrganisationType.DRINKWATERBEDRIJF,
        OrganisationType.ZORGVERZEKERAAR,
    }
)
# Partners that may report payment arrears for early help with debts (vroegsignalering).
SIGNALLING_TYPES = PARTNER_TYPES - {OrganisationType.SOCIAAL_RAADSLIEDEN}


class Organisation(models.Model):
    """A government body or partner. National agencies have code == type; a municipality has
    type 'gemeente' and a code of its own (e.g. 'gemeente-enschede') and is a tenant."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    type = models.CharField(_("soort"), max_length=30, choices=OrganisationType.choices)
    name = models.CharField(_("naam"), max_length=200)
    municipality_code = models.CharField(
        _("CBS-gemeentecode"), max_length=4, blank=True, help_text=_("Alleen voor gemeenten.")
    )
    phone = models.CharField(_("algemeen telefoonnummer"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self):
        return self.name

    @property
    def is_municipality(self) -> bool:
        return self.type == OrganisationType.GEMEENTE

    @property
    def is_partner(self) -> bool:
        return self.type in PARTNER_TYPES


class Team(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("waar het team bij helpt"), blank=True)
    phone = models.CharField(_("telefoonnummer team"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres team"), blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")
        ]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return f"{self.name} ({self.organisation.name})"


class Location(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(_("naam"), max_length=200)
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.CharField(_("huisnummer"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=7)
    city = models.CharField(_("plaats"), max_length=100)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    # Organisations whose staff work at this location on set days (e.g. UWV at Stadhuis Enschede).
    guest_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="guest_locations"
    )

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}"


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("maandag")
        TUESDAY = 1, _("dinsdag")
        WEDNESDAY = 2, _("woensdag")
        THURSDAY = 3, _("donderdag")
        FRIDAY = 4, _("vrijdag")
        SATURDAY = 5, _("zaterdag")
        SUNDAY = 6, _("zondag")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    opens = models.TimeField(_("open vanaf"))
    closes = models.TimeField(_("open tot"))

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="opening_hours_order"
            ),
            models.UniqueConstraint(
                fields=["location", "weekday", "opens"], name="opening_hours_unique"
            ),
        ]
        verbose_name = _("openingstijd")
        verbose_name_plural = _("openingstijden")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class User(AbstractUser):
    """A staff account. What a user may see follows from their memberships."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    direct_phone = models.CharField(_("direct telefoonnummer"), max_length=30, blank=True)
    job_title = models.CharField(_("functie"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")

    def __str__(self):
        return self.get_full_name() or self.username


class Membership(models.Model):
    """One role of a user in an organisation, optionally in a team."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=40, choices=Role.choices)
    is_contact_person = models.BooleanField(
        _("aanspreekpunt"),
        default=False,
        help_text=_("Staat in de medewerkersgids als vast aanspreekpunt van het team."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "team", "role"],
                condition=models.Q(team__isnull=False),
                name="membership_unique_in_team",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(team__isnull=True),
                name="membership_unique_without_team",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"
