"""Complaints (Algemene wet bestuursrecht, hoofdstuk 9).

- `Complaint`: what the resident complained about, how it came in and who it is from. One
  complaint, one answer letter, even when several organisations are involved (proposal 15).
- `ComplaintPart`: the part of one organisation: the team, employee and/or service it is
  about, its own state (states.py), handler, hearing, findings and lessons. The organisation
  that registered it (or the first one involved) is the lead: it sends the one answer.
- `ComplaintMessage`: the coordinators' shared thread.
- `HandlerNote`: the handler's own notes (never shown to the employee concerned).
- `OmbudsmanSetting`: where residents of an organisation can go next (default: the Nationale
  ombudsman)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintChannel(models.TextChoices):
    DESK = "balie", _("Balie")
    PHONE = "telefoon", _("Telefoon")
    EMAIL = "e-mail", _("E-mail")
    LETTER = "brief", _("Brief")
    WEBSITE = "website", _("Website")


class PartState(models.TextChoices):
    RECEIVED = "ontvangen", _("Ontvangen")
    RESOLVED = "informeel-opgelost", _("Informeel opgelost")
    FORMAL = "formeel", _("Formele klacht, nog geen behandelaar")
    HANDLING = "in-behandeling", _("In behandeling")
    DECIDED = "beoordeeld", _("Beoordeeld, wacht op de brief")
    CLOSED = "afgehandeld", _("Afgehandeld")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")


class Finding(models.TextChoices):
    FOUNDED = "gegrond", _("Gegrond")
    PARTLY = "deels-gegrond", _("Deels gegrond")
    UNFOUNDED = "ongegrond", _("Ongegrond")


class WaiveReason(models.TextChoices):
    # Awb 9:10 lid 2
    UNFOUNDED = "kennelijk-ongegrond", _("De klacht is kennelijk ongegrond (Awb 9:10 lid 2 a)")
    DECLINED = (
        "klager-wil-niet",
        _("De inwoner wil niet gehoord worden (Awb 9:10 lid 2 b)"),
    )
    NO_ANSWER = (
        "geen-reactie",
        _("De inwoner zei niet op tijd dat hij of zij gehoord wil worden (Awb 9:10 lid 2 c)"),
    )
    EMPLOYEE_DECLINED = (
        "medewerker-wil-niet",
        _("De medewerker wil niet gehoord worden"),
    )


class LessonCategory(models.TextChoices):
    MANNER = "bejegening", _("Bejegening")
    INFORMATION = "informatie", _("Informatie en uitleg")
    SPEED = "snelheid", _("Snelheid en bereikbaarheid")
    PROCESS = "werkwijze", _("Werkwijze of fout in de behandeling")
    COOPERATION = "samenwerking", _("Samenwerking tussen organisaties")
    POLICY = "regels", _("Regels en beleid")


class Complaint(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("kenmerk"), max_length=30, unique=True)
    channel = models.CharField(
        _("binnengekomen via"), max_length=20, choices=ComplaintChannel.choices
    )
    received_on = models.DateField(_("ontvangen op"))
    description = models.TextField(_("de klacht"))
    desired_outcome = models.TextField(_("wat de inwoner wil bereiken"), blank=True)
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    # From the public form (the resident may not be found in the register by the form).
    name = models.CharField(_("naam"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    contact = models.ForeignKey(
        "contacts.ContactMoment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lead_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(_("antwoord verstuurd"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["lead_organisation", "received_on"])]
        verbose_name = _("klacht")
        verbose_name_plural = _("klachten")

    def __str__(self):
        return self.reference

    @property
    def complainant(self) -> str:
        return self.resident.full_name if self.resident_id else self.name


class ComplaintPart(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="parts")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="complaint_parts"
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_about",
        verbose_name=_("medewerker over wie de klacht gaat"),
    )
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Awb 9:7 lid 2: the conduct was the bestuursorgaan's own (the college, the director).
    about_body = models.BooleanField(_("gaat over het bestuursorgaan zelf"), default=False)
    state = models.CharField(
        _("stand"), max_length=30, choices=PartState.choices, default=PartState.RECEIVED
    )
    informal_note = models.TextField(_("wat er is gedaan"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    formal_at = models.DateTimeField(null=True, blank=True)
    advisory_committee = models.BooleanField(_("met adviescommissie"), default=False)
    tracked_request = models.ForeignKey(
        "deadlines.TrackedRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    copy_sent_at = models.DateTimeField(_("kopie aan de medewerker"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_handled",
        verbose_name=_("klachtbehandelaar"),
    )
    handler_assigned_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(_("reden om toch deze behandelaar te kiezen"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hearing_at = models.DateTimeField(_("horen op"), null=True, blank=True)
    hearing_place = models.CharField(_("plaats van het horen"), max_length=200, blank=True)
    # The hearing planned as an internal meeting in appointments (the employee's and the
    # handler's time taken); empty when only a date and place were recorded.
    hearing_appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hearing_note = models.TextField(_("verslag van het horen"), blank=True)
    hearing_waived = models.CharField(
        _("afgezien van horen"), max_length=30, choices=WaiveReason.choices, blank=True
    )
    finding = models.CharField(_("oordeel"), max_length=20, choices=Finding.choices, blank=True)
    findings = models.TextField(_("bevindingen"), blank=True)
    conclusions = models.TextField(_("conclusies en wat wij doen"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    lesson_category = models.CharField(
        _("soort les"), max_length=20, choices=LessonCategory.choices, blank=True
    )
    lesson_cause = models.TextField(_("oorzaak"), blank=True)
    lesson_improvement = models.TextField(_("verbetering"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "organisation"], name="complaint_part_per_organisation"
            )
        ]
        indexes = [models.Index(fields=["organisation", "state"])]
        verbose_name = _("deel van een klacht")
        verbose_name_plural = _("delen van klachten")

    def __str__(self):
        return f"{self.complaint.reference} – {self.organisation}"


class ComplaintMessage(models.Model):
    """The coordinators' shared thread (proposal 15)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("bericht"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]


class HandlerNote(models.Model):
    """The handler's notes on a part (never shown to the employee concerned)."""

    part = models.ForeignKey(ComplaintPart, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("notitie"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]


class OmbudsmanSetting(models.Model):
    """Where a resident goes after the complaint procedure of this organisation. Without a row:
    the Nationale ombudsman."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("ombudsman"), max_length=200)
    website = models.URLField(_("website"))
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)

    def __str__(self):
        return self.name
