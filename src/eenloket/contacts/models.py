import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    DESK = "balie", _("Balie")
    PHONE = "telefoon", _("Telefoon")
    DIGITAL = "digitaal", _("Digitaal")
    LETTER = "brief", _("Brief")
    HOME_VISIT = "huisbezoek", _("Huisbezoek")


class Outcome(models.TextChoices):
    ANSWERED = "beantwoord", _("Beantwoord")
    REFERRED = "doorverwezen", _("Doorverwezen")
    CALLBACK = "terugbelverzoek", _("Terugbelverzoek")
    APPOINTMENT = "afspraak-gemaakt", _("Afspraak gemaakt")
    REQUEST_TAKEN = "aanvraag-ingenomen", _("Aanvraag of melding ingenomen")
    FOLLOW_UP = "in-behandeling", _("Wordt verder uitgezocht")
    NOT_REACHED = "niet-bereikt", _("Inwoner niet bereikt")


class ContactMoment(models.Model):
    """One contact with a resident (or an anonymous person) on any channel: click, call, face."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="contact_moments",
        db_index=False,
    )
    location = models.ForeignKey(
        "organisations.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_moments",
    )
    # organisation, staff and resident lead composite indexes below: no single-column index.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_moments",
        db_index=False,
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_moments",
        db_index=False,
    )
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_moments",
        db_index=False,  # services are deactivated, never deleted; no lookup by service yet
        verbose_name=_("dienst"),
        help_text=_("De dienst waar de vraag over ging (uit de routeringssuggesties)."),
    )
    channel = models.CharField(_("kanaal"), max_length=12, choices=Channel.choices)
    question = models.TextField(_("vraag"))
    answer = models.TextField(_("antwoord"), blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices)
    extra_help_needed = models.BooleanField(
        _("extra hulpvraag"),
        default=False,
        help_text=_("De inwoner heeft meer nodig dan een antwoord op deze vraag."),
    )
    # Decision VI: pointing out the free sociaal raadsman is a standard step; recorded and counted.
    counsellor_mentioned = models.BooleanField(
        _("sociaal raadsman genoemd"),
        default=False,
        db_default=False,  # bulk loaders that write SQL directly get it too
        help_text=_("De inwoner weet dat de sociaal raadsman gratis kan helpen."),
    )
    started_at = models.DateTimeField(_("begin"))
    ended_at = models.DateTimeField(_("einde"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        indexes = [
            # A resident's history: newest first, organisation filtered on the (few) rows read.
            models.Index(fields=["resident", "-started_at", "-id"], name="contact_resident"),
            models.Index(fields=["organisation", "-started_at", "-id"], name="contact_org"),
            models.Index(fields=["staff", "-started_at", "-id"], name="contact_staff"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="contact_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_anonymous(self) -> bool:
        return self.resident_id is None
