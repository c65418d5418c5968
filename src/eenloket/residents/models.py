import uuid

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from eenloket.core.validators import validate_bsn


class PreferredChannel(models.TextChoices):
    POST = "post", _("Per post (brief)")
    PHONE = "telefoon", _("Telefoon")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Sms")
    PORTAL = "portaal", _("Berichtenbox / Mijn-omgeving")
    DESK = "balie", _("Aan de balie")


class Household(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam huishouden"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")

    def __str__(self):
        return self.name


class Resident(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bsn = models.CharField(
        _("BSN"), max_length=9, unique=True, null=True, blank=True, validators=[validate_bsn]
    )
    given_names = models.CharField(_("voornamen"), max_length=200)
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.PositiveIntegerField(_("huisnummer"), null=True, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    preferred_channel = models.CharField(
        _("voorkeur voor contact"),
        max_length=10,
        choices=PreferredChannel.choices,
        default=PreferredChannel.POST,
    )
    language = models.CharField(_("taal"), max_length=8, default="nl")
    # Decision X: the resident may say once that they want no "bent u geholpen?" questions.
    helped_check_opt_out = models.BooleanField(
        _("geen vraag 'bent u geholpen?'"),
        default=False,
        db_default=False,
        help_text=_("De inwoner wil na een contact geen vraag of hij of zij geholpen is."),
    )
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    # The municipality where the resident lives (woongemeente): it may search the resident by
    # name and address and change the household. Empty when not known.
    municipality = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("woongemeente"),
    )
    # Who put the resident in the register here (a partner may record a person without BSN).
    registered_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    # Accessibility needs (background 001, decision VIII): structured, plus free text.
    needs_mobility = models.BooleanField(_("beperking in bewegen"), default=False)
    needs_visual = models.BooleanField(_("slechtziend of blind"), default=False)
    needs_hearing = models.BooleanField(_("slechthorend of doof"), default=False)
    needs_cognitive = models.BooleanField(
        _("moeite met lezen of begrijpen (bijvoorbeeld LVB)"), default=False
    )
    needs_other = models.BooleanField(_("andere ondersteuning"), default=False)
    needs_notes = models.TextField(_("toelichting ondersteuning"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        indexes = [
            models.Index(Lower("surname"), "birth_date", name="resident_name_birth"),
            models.Index(fields=["postcode", "house_number"], name="resident_address"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(postcode="")
                | models.Q(postcode__regex=r"^[1-9][0-9]{3}[A-Z]{2}$"),
                name="resident_postcode_format",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.given_names, self.surname_prefix, self.surname] if p)

    @property
    def address(self) -> str:
        if not self.street:
            return ""
        number = f"{self.house_number or ''}{self.house_number_addition}"
        return (
            f"{self.street} {number}, {self.postcode[:4]} {self.postcode[4:]} {self.city}".strip()
        )

    @property
    def accessibility_needs(self) -> list[str]:
        labels = []
        for name in ("needs_mobility", "needs_visual", "needs_hearing", "needs_cognitive"):
            if getattr(self, name):
                labels.append(str(self._meta.get_field(name).verbose_name))
        if self.needs_other:
            labels.append(str(self._meta.get_field("needs_other").verbose_name))
        return labels


class ResidentData(models.TextChoices):
    """The parts of a resident's data that a basis opens (nothing more is shown)."""

    IDENTITY = "identiteit", _("naam en geboortedatum")
    BSN = "bsn", _("BSN")
    ADDRESS = "adres", _("adres")
    CONTACT = "contactgegevens", _("telefoon, e-mail en voorkeur voor contact")
    NEEDS = "ondersteuning", _("ondersteuning die de inwoner nodig heeft")
    HOUSEHOLD = "huishouden", _("huishouden")


_D = ResidentData
# A resident's data fields in screen order, each with the part of the data it belongs to. The
# services, the API, the form and the access rules take their field lists from here.
DATA_FIELDS: dict[str, ResidentData] = {
    "bsn": _D.BSN,
    "given_names": _D.IDENTITY,
    "surname_prefix": _D.IDENTITY,
    "surname": _D.IDENTITY,
    "birth_date": _D.IDENTITY,
    "street": _D.ADDRESS,
    "house_number": _D.ADDRESS,
    "house_number_addition": _D.ADDRESS,
    "postcode": _D.ADDRESS,
    "city": _D.ADDRESS,
    "municipality": _D.ADDRESS,
    "phone": _D.CONTACT,
    "email": _D.CONTACT,
    "preferred_channel": _D.CONTACT,
    "language": _D.CONTACT,
    "helped_check_opt_out": _D.CONTACT,
    "household": _D.HOUSEHOLD,
    "needs_mobility": _D.NEEDS,
    "needs_visual": _D.NEEDS,
    "needs_hearing": _D.NEEDS,
    "needs_cognitive": _D.NEEDS,
    "needs_other": _D.NEEDS,
    "needs_notes": _D.NEEDS,
}


class SearchKey(models.TextChoices):
    BSN = "bsn", _("BSN")
    NAME_BIRTH_DATE = "naam-geboortedatum", _("achternaam en geboortedatum")
    ADDRESS = "adres", _("postcode en huisnummer")


class RegisterScope(models.TextChoices):
    OWN_RESIDENTS = "eigen-inwoners", _("alleen inwoners van de eigen gemeente")
    ALL = "alle", _("alle inwoners")


class RegisterAuthorisation(models.Model):
    """Which kind of organisation may search the resident register with which key, on which
    legal ground. Data, not code: the functioneel beheerder keeps it up to date. An organisation
    type without a row never searches the register (partners such as the sociaal raadslieden)."""

    organisation_type = models.CharField(_("soort organisatie"), max_length=30)
    search_key = models.CharField(_("zoeken op"), max_length=24, choices=SearchKey.choices)
    scope = models.CharField(_("welke inwoners"), max_length=16, choices=RegisterScope.choices)
    legal_ground = models.CharField(_("wettelijke grondslag"), max_length=300)
    legal_ground_url = models.URLField(_("link naar de wet"), blank=True)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["organisation_type", "search_key"]
        verbose_name = _("zoekbevoegdheid inwonersregister")
        verbose_name_plural = _("zoekbevoegdheden inwonersregister")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_type", "search_key"], name="register_authorisation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="register_authorisation_period",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_type}: {self.get_search_key_display()}"


class RegisterLookup(models.Model):
    """A recorded basis: an organisation looked a resident up with a search key it is
    authorised for (e.g. UWV by BSN). It may work with the resident's data for the rest of
    the day; afterwards its own contact with the resident is the basis."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="lookups")
    staff = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+", null=True
    )
    authorisation = models.ForeignKey(
        RegisterAuthorisation, on_delete=models.PROTECT, related_name="lookups"
    )
    at = models.DateTimeField()
    valid_until = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["resident", "organisation", "-valid_until"], name="lookup_resident"
            )
        ]
        verbose_name = _("opzoeking in het inwonersregister")
        verbose_name_plural = _("opzoekingen in het inwonersregister")

    def __str__(self):
        return f"{self.organisation_id} → {self.resident_id} ({self.at:%Y-%m-%d %H:%M})"


class RepresentativeKind(models.TextChoices):
    """Who may act for a resident (Awb 2:1 for the gemachtigde; BW boek 1 titel 19, 20, 16 for
    bewind, mentorschap and curatele)."""

    BEWINDVOERDER = "bewindvoerder", _("Beschermingsbewindvoerder")
    CURATOR = "curator", _("Curator")
    MENTOR = "mentor", _("Mentor")
    GEMACHTIGDE = "gemachtigde", _("Gemachtigde")


class RepresentativeScope(models.TextChoices):
    """Who receives letters and "bent u geholpen?" questions while the representation holds."""

    REPRESENTATIVE_ONLY = "alleen-vertegenwoordiger", _("Alleen naar de vertegenwoordiger")
    BOTH = "beide", _("Naar de inwoner én de vertegenwoordiger")


class Representative(models.Model):
    """A recorded representative of a resident, with scope and period. Letters and checks go to
    the representative (or to both, as `scope` says) while `valid_from`–`valid_until` holds."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="representatives")
    kind = models.CharField(
        _("soort vertegenwoordiging"), max_length=20, choices=RepresentativeKind.choices
    )
    name = models.CharField(_("naam vertegenwoordiger"), max_length=200)
    organisation_name = models.CharField(_("kantoor of organisatie"), max_length=200, blank=True)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    scope = models.CharField(
        _("wie krijgt de post"),
        max_length=30,
        choices=RepresentativeScope.choices,
        default=RepresentativeScope.REPRESENTATIVE_ONLY,
    )
    subject = models.CharField(
        _("waarvoor"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: geldzaken, of één aanvraag (bij een gemachtigde)."),
    )
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resident", "-valid_from"]
        verbose_name = _("vertegenwoordiger")
        verbose_name_plural = _("vertegenwoordigers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="representative_period",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def address_lines(self) -> list[str]:
        lines = [self.organisation_name] if self.organisation_name else []
        if self.street:
            lines.append(f"{self.street} {self.house_number}".strip())
        if self.postcode or self.city:
            lines.append(f"{self.postcode[:4]} {self.postcode[4:]}  {self.city}".strip())
        return lines

    def holds_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)
