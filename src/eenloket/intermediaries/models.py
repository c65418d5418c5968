"""The Intermediairen Contact Punt (decision XIII): vetted partners (wijkcoaches, sociaal
raadslieden, volunteers) report concerns about residents who would never come themselves.

An intermediary is a user with an `Intermediary` profile and no membership of any organisation:
every staff page refuses them (core.permissions.is_staff_member), and the gate middleware keeps
them on their own pages, behind a verified second factor. A report routes to a team of the
municipality (or an agency) and is a task in that team's work list."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eenloket.core.roles import Role


class TrustLevel(models.TextChoices):
    """Decides what an intermediary may report and see."""

    VOLUNTEER = "vrijwilliger", _("Vrijwilliger")
    SEMI_PROFESSIONAL = "semi-professional", _("Semiprofessioneel")
    PROFESSIONAL = "professional", _("Professioneel")


class Urgency(models.TextChoices):
    ACUTE = "acuut", _("Acuut: vandaag nog")
    URGENT = "spoed", _("Spoed: binnen een paar dagen")
    NORMAL = "normaal", _("Normaal")


class ReportState(models.TextChoices):
    RECEIVED = "ontvangen", _("Ontvangen")
    IN_PROGRESS = "in-behandeling", _("In behandeling")
    DONE = "afgerond", _("Opgepakt en afgerond")
    FORWARDED = "doorgezet", _("Doorgezet")


class Consent(models.TextChoices):
    YES = "ja", _("Ja, de inwoner vindt het goed")
    NOT_ASKED = "niet-gevraagd", _("Nee, ik kon het niet vragen")


class ContactPointSettings(models.Model):
    """Per municipality: the response norms per urgency (working days; 0 is the same working
    day) and the team that takes reports the routing cannot place."""

    municipality = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="contact_point_settings",
        verbose_name=_("gemeente"),
    )
    acute_working_days = models.PositiveSmallIntegerField(_("acuut: werkdagen"), default=0)
    urgent_working_days = models.PositiveSmallIntegerField(_("spoed: werkdagen"), default=2)
    normal_working_days = models.PositiveSmallIntegerField(_("normaal: werkdagen"), default=5)
    intake_team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team voor meldingen zonder duidelijke plek"),
    )

    class Meta:
        verbose_name = _("instellingen contactpunt intermediairen")
        verbose_name_plural = _("instellingen contactpunt intermediairen")

    def __str__(self):
        return str(self.municipality)


class Intermediary(models.Model):
    """The profile of an intermediary account: for which municipality, from which partner
    organisation, and how far the municipality trusts them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intermediary"
    )
    municipality = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="intermediaries",
        verbose_name=_("gemeente"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="partner_intermediaries",
        verbose_name=_("partnerorganisatie"),
    )
    role = models.CharField(
        _("rol"), max_length=40, choices=Role.choices, default=Role.INTERMEDIAIR
    )
    trust_level = models.CharField(
        _("vertrouwensniveau"), max_length=20, choices=TrustLevel.choices
    )
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name", "user__last_name", "id"]
        verbose_name = _("intermediair")
        verbose_name_plural = _("intermediairen")

    def __str__(self):
        return str(self.user)

    @property
    def sees_handler(self) -> bool:
        return self.trust_level in (TrustLevel.SEMI_PROFESSIONAL, TrustLevel.PROFESSIONAL)

    @property
    def sees_direct_phone(self) -> bool:
        return self.trust_level == TrustLevel.PROFESSIONAL

    @property
    def may_attach(self) -> bool:
        return self.trust_level == TrustLevel.PROFESSIONAL


class Invitation(models.Model):
    """A one-time link to set the password and the second factor. Only the token's hash is
    stored; it expires and works once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    intermediary = models.ForeignKey(
        Intermediary, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self):
        return f"{self.intermediary} ({self.created_at:%Y-%m-%d})"


class ConcernReport(models.Model):
    """A concern about a resident, reported by an intermediary. The resident is described as
    the intermediary knows them (free fields); staff may link the report to the register."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    intermediary = models.ForeignKey(Intermediary, on_delete=models.PROTECT, related_name="reports")
    partner_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="concern_reports"
    )
    concern = models.TextField(_("wat er aan de hand is"))
    urgency = models.CharField(_("hoe dringend"), max_length=10, choices=Urgency.choices)
    resident_name = models.CharField(_("naam van de inwoner"), max_length=200)
    resident_address = models.CharField(_("adres van de inwoner"), max_length=300, blank=True)
    resident_phone = models.CharField(_("telefoon van de inwoner"), max_length=40, blank=True)
    consent = models.CharField(_("toestemming"), max_length=16, choices=Consent.choices)
    no_consent_reason = models.TextField(_("waarom geen toestemming"), blank=True)
    # Where the routing sent it.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_name = models.CharField(_("dienst volgens de routering"), max_length=200, blank=True)
    task = models.OneToOneField(
        "worklist.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("status"), max_length=16, choices=ReportState.choices, default=ReportState.RECEIVED
    )
    answer = models.TextField(_("kort antwoord"), blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandelaar"),
    )
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(_("uiterlijk antwoord"))
    escalate_at = models.DateTimeField()
    first_answered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Only staff know this: the resident in the register (never shown to the intermediary).
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("zorgmelding")
        verbose_name_plural = _("zorgmeldingen")
        indexes = [
            models.Index(fields=["intermediary", "-created_at"], name="concern_mine"),
            models.Index(fields=["municipality", "-created_at"], name="concern_municipality"),
            models.Index(
                fields=["escalate_at"],
                name="concern_unanswered",
                condition=models.Q(first_answered_at__isnull=True, escalated_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent="ja") | ~models.Q(no_consent_reason=""),
                name="concern_consent_or_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_urgency_display()}: {self.concern[:60]}"

    @property
    def answered_within_norm(self) -> bool | None:
        if self.first_answered_at is None:
            return None
        return self.first_answered_at <= self.due_at


class Attachment(models.Model):
    """A document a professional partner adds to a report (PDF or image, size-limited). Kept in
    the database like the letters' PDFs: no shared file system needed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(ConcernReport, on_delete=models.CASCADE, related_name="attachments")
    content = models.BinaryField()
    name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self):
        return self.name
