"""Cases for households with stacked problems (background 003), the consent and legal grounds on
which organisations share them, doorbraak requests with the pause mandate, the doorbraak budget
and early signals of payment arrears (Wet gemeentelijke schuldhulpverlening, vroegsignalering).

The case manager's municipality owns a case. Every other organisation sees only the parts of it
that an active `Consent` (the resident's consent or a named legal ground) opens for it, for the
purpose stated there; without one it sees nothing (cases/access.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LifeDomain(models.TextChoices):
    FINANCES = "financien", _("Geld en schulden")
    HOUSING = "wonen", _("Wonen")
    WORK = "werk-inkomen", _("Werk en inkomen")
    CARE = "zorg", _("Zorg en gezondheid")
    YOUTH = "jeugd", _("Kinderen en opvoeden")
    JUSTICE = "justitie", _("Justitie en boetes")
    EDUCATION = "onderwijs", _("School en opleiding")
    SOCIAL = "sociaal", _("Sociaal netwerk en meedoen")


class CasePart(models.TextChoices):
    """What a consent can open of a case for an organisation."""

    PERSONAL = "persoonsgegevens", _("Naam, adres en contactgegevens van de inwoner")
    PROBLEMS = "problemen", _("Leefgebieden en problemen")
    PLAN = "plan", _("Plan van aanpak (acties)")
    TIMELINE = "tijdlijn", _("Tijdlijn: contacten, afspraken, brieven, termijnen en berichten")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "gesloten", _("Gesloten")


class ClosureReason(models.TextChoices):
    GOAL = "doel-bereikt", _("Doelen bereikt")
    HANDED_OVER = "overgedragen", _("Overgedragen aan reguliere hulp")
    DECLINED = "inwoner-stopt", _("Inwoner wil niet verder")
    MOVED = "verhuisd", _("Inwoner is verhuisd")


class Case(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("kenmerk"), max_length=20, unique=True)
    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_cases"
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="cases"
    )
    household = models.ForeignKey(
        "residents.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    title = models.CharField(_("hulpvraag in het kort"), max_length=200)
    goal = models.TextField(_("wat de inwoner wil bereiken"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_at = models.DateTimeField(_("geopend"))
    closed_at = models.DateTimeField(_("gesloten"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reden van sluiten"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    evaluation = models.TextField(_("wat heeft geholpen"), blank=True)
    evaluation_obstacles = models.TextField(_("wat stond in de weg"), blank=True)
    signal = models.ForeignKey(
        "cases.ArrearsSignal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["municipality", "status", "-opened_at"], name="case_list"),
            models.Index(fields=["case_manager", "status"], name="case_manager"),
        ]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseParty(models.Model):
    """An organisation involved in the case, with its named contact person."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="case_parties"
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_parties",
    )
    role_in_case = models.CharField(_("wat zij doen in de casus"), max_length=200, blank=True)
    joined_at = models.DateTimeField(_("betrokken sinds"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="case_party_once")
        ]
        verbose_name = _("betrokken organisatie")
        verbose_name_plural = _("betrokken organisaties")

    def __str__(self):
        return f"{self.case.reference}: {self.organisation.name}"


class Problem(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="problems")
    domain = models.CharField(_("leefgebied"), max_length=20, choices=LifeDomain.choices)
    description = models.TextField(_("probleem"))
    urgent = models.BooleanField(_("spoed"), default=False)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    solved_at = models.DateTimeField(_("opgelost"), null=True, blank=True)

    class Meta:
        ordering = ["domain", "recorded_at", "id"]
        verbose_name = _("probleem")
        verbose_name_plural = _("problemen")

    def __str__(self):
        return self.description[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "klaar", _("Klaar")
    CANCELLED = "vervallen", _("Vervallen")


class CaseAction(models.Model):
    """One step of the action plan, owned by an organisation (a task in its work list)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    domain = models.CharField(_("leefgebied"), max_length=20, choices=LifeDomain.choices)
    description = models.CharField(_("actie"), max_length=300)
    owner = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="case_actions"
    )
    due_on = models.DateField(_("klaar op"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    result = models.TextField(_("resultaat"), blank=True)
    task = models.ForeignKey(
        "worklist.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")

    def __str__(self):
        return self.description


class CaseUpdate(models.Model):
    """A note an involved organisation adds: what it did, what changed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="updates")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(
        _("leefgebied"), max_length=20, choices=LifeDomain.choices, blank=True
    )
    text = models.TextField(_("bericht"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bericht in de casus")
        verbose_name_plural = _("berichten in de casus")

    def __str__(self):
        return self.text[:60]


class Conference(models.Model):
    """A case conference (casusoverleg): an appointment of the case manager with several
    involved organisations (and the resident, when they come)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    place = models.CharField(_("waar"), max_length=200)
    organisations = models.ManyToManyField(
        "organisations.Organisation", related_name="case_conferences", verbose_name=_("wie")
    )
    with_resident = models.BooleanField(_("de inwoner is erbij"), default=True)
    agenda = models.TextField(_("onderwerpen"), blank=True)
    notes = models.TextField(_("afspraken uit het overleg"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="conference_period"
            )
        ]
        verbose_name = _("casusoverleg")
        verbose_name_plural = _("casusoverleggen")

    def __str__(self):
        return f"{self.case.reference} {self.starts_at:%Y-%m-%d %H:%M}"


class ConsentBasis(models.TextChoices):
    CONSENT = "toestemming", _("Toestemming van de inwoner")
    LEGAL = "wettelijk", _("Wettelijke grondslag")


class ConsentForm(models.TextChoices):
    SIGNED = "schriftelijk", _("Schriftelijk, getekend formulier")
    DIGITAL = "digitaal", _("Digitaal, ingelogd met DigiD")
    ORAL = "mondeling", _("Mondeling, in een gesprek")


class LegalGround(models.TextChoices):
    """Laws that let a municipality or agency share data for help with stacked problems.
    The article is recorded with each consent (`legal_article`)."""

    WGS = "wgs", _("Wet gemeentelijke schuldhulpverlening")
    PARTICIPATIEWET = "participatiewet", _("Participatiewet")
    WMO = "wmo", _("Wet maatschappelijke ondersteuning 2015")
    JEUGDWET = "jeugdwet", _("Jeugdwet")
    SUWI = "suwi", _("Wet structuur uitvoeringsorganisatie werk en inkomen")


class Consent(models.Model):
    """Which organisation may see which parts of a case, for which purpose, until when, on which
    basis. Revocable; expires on `valid_until`. Never deleted (it is the proof)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="case_consents"
    )
    parts = models.JSONField(_("onderdelen"), default=list)
    domains = models.JSONField(
        _("leefgebieden"), default=list, blank=True, help_text=_("Leeg: alle leefgebieden.")
    )
    purpose = models.CharField(_("doel"), max_length=200)
    basis = models.CharField(_("grondslag"), max_length=12, choices=ConsentBasis.choices)
    legal_ground = models.CharField(
        _("wet"), max_length=20, choices=LegalGround.choices, blank=True
    )
    legal_article = models.CharField(_("artikel"), max_length=100, blank=True)
    given_on = models.DateField(_("toestemming gegeven op"), null=True, blank=True)
    given_how = models.CharField(
        _("hoe gegeven"), max_length=12, choices=ConsentForm.choices, blank=True
    )
    given_by = models.CharField(
        _("gegeven door"),
        max_length=200,
        blank=True,
        help_text=_("De inwoner zelf, of de naam van de wettelijk vertegenwoordiger."),
    )
    # The conditions for consent to a government body to be valid (AVG art. 4(11) and 7,
    # recital 43): recorded as the case manager checked them with the resident.
    in_interest = models.BooleanField(_("in het belang van de inwoner"), default=False)
    own_request = models.BooleanField(_("de inwoner vroeg zelf om hulp"), default=False)
    no_disadvantage = models.BooleanField(_("nee zeggen heeft geen nadeel"), default=False)
    informed = models.BooleanField(_("uitgelegd wat, waarom en met wie"), default=False)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.CharField(_("reden van intrekken"), max_length=300, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["organisation", "valid_until"], name="consent_org")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="consent_period"
            )
        ]
        verbose_name = _("toestemming of grondslag")
        verbose_name_plural = _("toestemmingen en grondslagen")

    def __str__(self):
        return f"{self.case.reference}: {self.organisation.name}"

    def is_active(self, today) -> bool:
        return self.revoked_at is None and self.valid_from <= today <= self.valid_until

    @property
    def basis_text(self) -> str:
        if self.basis == ConsentBasis.LEGAL:
            ground = self.get_legal_ground_display()
            return f"{ground}, {self.legal_article}" if self.legal_article else ground
        return str(self.get_basis_display())


class DoorbraakKind(models.TextChoices):
    PAUSE_COLLECTION = "invordering-pauzeren", _("Invordering of beslag tijdelijk stoppen")
    POSTPONE_EVICTION = "ontruiming-uitstellen", _("Ontruiming uitstellen")
    POSTPONE_CUTOFF = "afsluiting-uitstellen", _("Afsluiting van energie of water uitstellen")
    PAYMENT_ARRANGEMENT = "betalingsregeling", _("Betalingsregeling treffen")
    CHANGE_DECISION = "besluit-aanpassen", _("Besluit heroverwegen of aanpassen")
    OTHER = "anders", _("Iets anders")


class RefusalReason(models.TextChoices):
    """Why an organisation refused: rolls up into the 'belemmerende patronen' report."""

    LAW = "wet", _("De wet laat het niet toe")
    POLICY = "beleid", _("Ons beleid laat het niet toe")
    SYSTEM = "systeem", _("Ons systeem kan het niet")
    INFORMATION = "informatie", _("Te weinig informatie")
    MANDATE = "bevoegdheid", _("Wij mogen hier niet over beslissen")
    NOT_NEEDED = "niet-nodig", _("Niet nodig: het is al geregeld")


class Mandate(models.Model):
    """An agreement between a municipality and an organisation: the case manager may pause the
    execution of a decision at once (background 003: "tijdelijk met de uitvoering van een besluit
    stoppen"), within these limits; the organisation may overturn it within `overturn_days`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="mandates_given"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="mandates"
    )
    kinds = models.JSONField(_("soorten doorbraak"), default=list)
    max_amount = models.DecimalField(
        _("hoogste bedrag"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    max_days = models.PositiveIntegerField(_("hoogstens dagen pauze"))
    overturn_days = models.PositiveIntegerField(_("werkdagen om terug te draaien"), default=5)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    agreement = models.CharField(_("afspraak"), max_length=200)

    class Meta:
        ordering = ["municipality", "organisation"]
        verbose_name = _("mandaat")
        verbose_name_plural = _("mandaten")

    def __str__(self):
        return f"{self.municipality.name} → {self.organisation.name}: {self.agreement}"

    def is_active(self, today) -> bool:
        return self.valid_from <= today and (self.valid_until is None or today <= self.valid_until)


class DoorbraakState(models.TextChoices):
    SENT = "gevraagd", _("Gevraagd, wacht op antwoord")
    PAUSED = "gepauzeerd", _("Gepauzeerd met mandaat")
    GRANTED = "toegekend", _("Toegekend")
    PARTLY = "deels", _("Deels toegekend")
    REFUSED = "geweigerd", _("Geweigerd")
    OVERTURNED = "teruggedraaid", _("Pauze teruggedraaid")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")


class DoorbraakRequest(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="doorbraak_requests")
    to_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="doorbraak_received"
    )
    kind = models.CharField(_("wat u vraagt"), max_length=30, choices=DoorbraakKind.choices)
    motivation = models.TextField(_("waarom"))
    subject_reference = models.CharField(
        _("kenmerk bij de organisatie"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld het nummer van de boete of het huurcontract."),
    )
    amount = models.DecimalField(_("bedrag"), max_digits=9, decimal_places=2, null=True, blank=True)
    pause_days = models.PositiveIntegerField(_("dagen pauze"), null=True, blank=True)
    answer_by = models.DateField(_("antwoord nodig op"))
    state = models.CharField(
        _("status"), max_length=15, choices=DoorbraakState.choices, default=DoorbraakState.SENT
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    mandate = models.ForeignKey(
        Mandate, on_delete=models.PROTECT, null=True, blank=True, related_name="pauses"
    )
    paused_until = models.DateField(_("gepauzeerd tot en met"), null=True, blank=True)
    overturn_until = models.DateField(_("terugdraaien kan tot en met"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("antwoord"), blank=True)
    refusal_reason = models.CharField(
        _("reden van weigeren"), max_length=20, choices=RefusalReason.choices, blank=True
    )
    obstructing_rule = models.CharField(_("regel die in de weg staat"), max_length=200, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    task = models.ForeignKey(
        "worklist.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "state", "answer_by"], name="doorbraak_inbox"),
            models.Index(fields=["state", "answer_by"], name="doorbraak_sweep"),
        ]
        verbose_name = _("doorbraakverzoek")
        verbose_name_plural = _("doorbraakverzoeken")

    def __str__(self):
        return f"{self.case.reference}: {self.get_kind_display()} ({self.to_organisation.name})"


class DoorbraakBudget(models.Model):
    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="doorbraak_budgets"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("budget"), max_digits=11, decimal_places=2)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="budget_once_a_year")
        ]
        verbose_name = _("doorbraakbudget")
        verbose_name_plural = _("doorbraakbudgetten")

    def __str__(self):
        return f"{self.municipality.name} {self.year}"


class BudgetSpending(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    budget = models.ForeignKey(DoorbraakBudget, on_delete=models.PROTECT, related_name="spending")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="spending")
    amount = models.DecimalField(_("bedrag"), max_digits=9, decimal_places=2)
    paid_to = models.CharField(_("betaald aan"), max_length=200)
    justification = models.TextField(_("waarom dit geld helpt"))
    spent_on = models.DateField(_("datum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-spent_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="spending_positive")]
        verbose_name = _("uitgave uit het doorbraakbudget")
        verbose_name_plural = _("uitgaven uit het doorbraakbudget")

    def __str__(self):
        return f"{self.case.reference} {self.amount}"


class ArrearsKind(models.TextChoices):
    RENT = "huur", _("Huur")
    ENERGY = "energie", _("Energie")
    WATER = "drinkwater", _("Drinkwater")
    HEALTH_INSURANCE = "zorgverzekering", _("Zorgverzekering")


class SignalOutcome(models.TextChoices):
    ACCEPTED = "hulp-aangenomen", _("Inwoner neemt hulp aan")
    DECLINED = "hulp-geweigerd", _("Inwoner wil geen hulp")
    UNREACHABLE = "niet-bereikt", _("Inwoner niet bereikt")
    ALREADY = "al-in-traject", _("Inwoner krijgt al hulp")
    PAID = "opgelost", _("Achterstand is al betaald")


class OfferHow(models.TextChoices):
    PHONE = "telefoon", _("Gebeld")
    LETTER = "brief", _("Brief met naam van de medewerker")
    VISIT = "huisbezoek", _("Huisbezoek")


class ArrearsSignal(models.Model):
    """A report of payment arrears by a landlord, energy or drinking-water company or health
    insurer (Wgs art. 3 lid 3 and the Besluit gemeentelijke schuldhulpverlening). Matched to a
    resident by address; later signals about the same household join the first open one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reporter = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="signals_sent"
    )
    reporter_reference = models.CharField(_("kenmerk van de melder"), max_length=60)
    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="signals"
    )
    kind = models.CharField(_("soort achterstand"), max_length=20, choices=ArrearsKind.choices)
    amount = models.DecimalField(_("bedrag achterstand"), max_digits=9, decimal_places=2)
    months = models.PositiveSmallIntegerField(_("maanden achter"))
    surname = models.CharField(_("achternaam"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=7)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrears_signals",
    )
    household = models.ForeignKey(
        "residents.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrears_signals",
    )
    joined_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="joined"
    )
    received_at = models.DateTimeField(_("ontvangen"))
    offer_due_on = models.DateField(_("hulp aanbieden uiterlijk"))
    offered_at = models.DateTimeField(_("hulp aangeboden"), null=True, blank=True)
    offered_how = models.CharField(
        _("hoe aangeboden"), max_length=12, choices=OfferHow.choices, blank=True
    )
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=SignalOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("toelichting"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        "worklist.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "reporter_reference"], name="signal_once_per_reference"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="signal_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["municipality", "outcome", "-received_at"], name="signal_list"),
            models.Index(fields=["postcode", "house_number"], name="signal_address"),
        ]
        verbose_name = _("signaal betalingsachterstand")
        verbose_name_plural = _("signalen betalingsachterstand")

    def __str__(self):
        return f"{self.get_kind_display()} {self.postcode} {self.house_number}"

    @property
    def is_open(self) -> bool:
        return not self.outcome and self.joined_to_id is None
