"""'Bent u geholpen?' (background 001, decision X): after a contact, a closed referral and later
an appointment, the resident is asked whether they were helped. A "no" or silence becomes a
follow-up task for the team that handled it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckState(models.TextChoices):
    SCHEDULED = "gepland", _("Gepland")
    SENT = "verstuurd", _("Vraag verstuurd")
    CALLING = "bellen", _("Wordt gebeld")
    HELPED = "geholpen", _("Geholpen")
    NOT_HELPED = "niet-geholpen", _("Niet geholpen")
    NO_ANSWER = "geen-antwoord", _("Geen antwoord")
    SKIPPED = "overgeslagen", _("Niet gevraagd")


class AskChannel(models.TextChoices):
    """How the question is asked."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Sms")
    POST = "post", _("Brief per post")
    CALL = "bellen", _("Telefoontje van het loket")


class HelpedCheck(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="helped_checks"
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    location = models.ForeignKey(
        "organisations.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="helped_checks"
    )
    # What it asks about: ("contact-moment" | "referral" | later "appointment", uuid).
    source_type = models.CharField(max_length=40)
    source_id = models.CharField(max_length=64)
    source_channel = models.CharField(_("kanaal van het contact"), max_length=12, blank=True)
    # The same source as a foreign key (one of the two is set): fast "has it a check yet?" joins
    # for the scheduling sweep and the API's filters (migration 0003).
    contact = models.ForeignKey(
        "contacts.ContactMoment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="helped_checks",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="helped_checks",
    )
    # What the question is about: the service (its name is the topic shown to the resident; never
    # the free text of the question) and when the contact (or the referral's end) was.
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_at = models.DateTimeField(_("datum van het contact"), null=True, blank=True)
    # How it is asked: e-mail, sms, post, or a call task for the counter.
    channel = models.CharField(
        _("gevraagd via"), max_length=10, choices=AskChannel.choices, blank=True
    )
    state = models.CharField(
        _("status"), max_length=16, choices=CheckState.choices, default=CheckState.SCHEDULED
    )
    skip_reason = models.CharField(max_length=60, blank=True)
    scheduled_for = models.DateTimeField(_("vragen op"))
    sent_at = models.DateTimeField(null=True, blank=True)
    answer_due_at = models.DateTimeField(_("antwoord uiterlijk"), null=True, blank=True)
    # The single-use link: its nonce is in the signed token; used_at set on the first answer.
    nonce = models.CharField(max_length=32, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    helped = models.BooleanField(null=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(_("opmerking"), blank=True)
    answered_via = models.CharField(max_length=10, blank=True)
    task = models.ForeignKey(
        "worklist.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up_task = models.ForeignKey(
        "worklist.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        verbose_name = _("vraag 'bent u geholpen?'")
        verbose_name_plural = _("vragen 'bent u geholpen?'")
        indexes = [
            models.Index(fields=["state", "scheduled_for"], name="check_due"),
            models.Index(fields=["resident", "-scheduled_for"], name="check_resident"),
            models.Index(fields=["organisation", "-scheduled_for"], name="check_org"),
        ]
        constraints = [
            # One check per thing asked about.
            models.UniqueConstraint(fields=["source_type", "source_id"], name="check_once"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="check_rating_range",
            ),
        ]

    def __str__(self):
        return f"{self.source_type} {self.source_id}: {self.state}"


class CheckSettings(models.Model):
    """Per organisation: after which contacts it asks, how long after, how long the resident has
    to answer. Without a row: the defaults in settings (HELPED_CHECK_*)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="helped_settings"
    )
    enabled = models.BooleanField(_("vragen 'bent u geholpen?'"), default=True)
    contact_outcomes = models.JSONField(_("na contacten met uitkomst"), default=list, blank=True)
    after_referrals = models.BooleanField(_("na afgesloten doorverwijzingen"), default=True)
    delay_working_days = models.PositiveSmallIntegerField(_("na werkdagen"), default=2)
    answer_working_days = models.PositiveSmallIntegerField(
        _("antwoord binnen werkdagen"), default=5
    )

    class Meta:
        verbose_name = _("instellingen 'bent u geholpen?'")
        verbose_name_plural = _("instellingen 'bent u geholpen?'")

    def __str__(self):
        return str(self.organisation)
