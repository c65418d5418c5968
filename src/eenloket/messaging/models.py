"""The outbox (every outgoing message to a resident or representative), letters and their
templates, print batches for the post, and the exemptions from naming an employee on a letter.

A `Message` is written in the same transaction as the change that causes it; the delivery sweep
(tasks.py) takes it after commit, with retries, backoff and a dead-letter state (states.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Sms")
    POST = "post", _("Brief per post")
    PORTAL = "portaal", _("Bericht in Mijn-omgeving")


class MessageState(models.TextChoices):
    QUEUED = "wachtrij", _("Klaar om te verzenden")
    SENDING = "verzenden", _("Wordt verzonden")
    PRINTING = "drukwerk", _("Bij de drukker")
    SENT = "verzonden", _("Verzonden")
    DELIVERED = "afgeleverd", _("Afgeleverd")
    BOUNCED = "niet-afgeleverd", _("Niet afgeleverd")
    DEAD = "mislukt", _("Mislukt: wacht op beheerder")
    CANCELLED = "geannuleerd", _("Geannuleerd")


class Message(models.Model):
    """One message to one recipient on one channel. Its `uuid` travels with it to the channel
    (the e-mail's Message-ID, Notify's `reference`), so a resend after a crash can be recognised."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="messages"
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    representative = models.ForeignKey(
        "residents.Representative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    channel = models.CharField(_("kanaal"), max_length=10, choices=MessageChannel.choices)
    recipient_name = models.CharField(_("naam ontvanger"), max_length=200)
    # E-mail address or phone number (E.164); empty for post (the letter has the address).
    to = models.CharField(_("aan"), max_length=254, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=200, blank=True)
    body = models.TextField(_("tekst"), blank=True)
    template_key = models.CharField(_("sjabloon"), max_length=60, blank=True)
    language = models.CharField(_("taal"), max_length=8, default="nl")
    letter = models.OneToOneField(
        "messaging.Letter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="message",
    )
    # Why this channel and not the resident's preference (data missing), in Dutch; "" if none.
    fallback_reason = models.CharField(_("reden ander kanaal"), max_length=300, blank=True)
    # E-mail attachments: [{"filename", "mimetype", "content"}] (text, e.g. an ICS file).
    attachments = models.JSONField(default=list, blank=True, db_default=[])
    # What caused it (for the resident overview and the reports): e.g. "task", "helped-check".
    cause_type = models.CharField(max_length=40, blank=True)
    cause_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("status"), max_length=16, choices=MessageState.choices, default=MessageState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    # While a worker sends it: until when the claim holds (after a crash it is taken again).
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    provider_id = models.CharField(_("kenmerk bij de verzender"), max_length=100, blank=True)
    print_batch = models.ForeignKey(
        "messaging.PrintBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("verzonden"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        indexes = [
            # The delivery sweep: what is due now.
            models.Index(
                fields=["state", "next_attempt_at"],
                name="message_due",
                condition=models.Q(state__in=["wachtrij", "verzenden"]),
            ),
            models.Index(fields=["organisation", "state", "-created_at"], name="message_org"),
            models.Index(fields=["resident", "-created_at"], name="message_resident"),
            models.Index(fields=["cause_type", "cause_id"], name="message_cause"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} aan {self.recipient_name}"


class DeliveryAttempt(models.Model):
    """Every try to hand a message to its channel, with the answer (for the dead-letter list)."""

    class Result(models.TextChoices):
        OK = "ok", _("Gelukt")
        TEMPORARY = "tijdelijk", _("Tijdelijke fout: nieuwe poging")
        PERMANENT = "blijvend", _("Blijvende fout")
        ALREADY_SENT = "al-verzonden", _("Was al verzonden")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="delivery_attempts")
    at = models.DateTimeField()
    result = models.CharField(max_length=16, choices=Result.choices)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["message", "at", "id"]
        verbose_name = _("verzendpoging")
        verbose_name_plural = _("verzendpogingen")

    def __str__(self):
        return f"{self.message_id} {self.at:%Y-%m-%d %H:%M} {self.result}"


class ChannelSettings(models.Model):
    """How an organisation sends e-mail and sms: SMTP (Django's mail backend), NotifyNL (a
    GOV.UK Notify-compatible service) or an SMS gateway. Secrets come from the environment:
    `notify_api_key_env` names the variable that holds the key."""

    class EmailVia(models.TextChoices):
        SMTP = "smtp", _("Eigen mailserver (SMTP)")
        NOTIFY = "notify", _("NotifyNL")

    class SmsVia(models.TextChoices):
        NOTIFY = "notify", _("NotifyNL")
        GATEWAY = "gateway", _("Sms-gateway")
        NONE = "geen", _("Geen sms")

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="channel_settings"
    )
    email_via = models.CharField(max_length=10, choices=EmailVia.choices, default=EmailVia.SMTP)
    sms_via = models.CharField(max_length=10, choices=SmsVia.choices, default=SmsVia.NONE)
    from_email = models.EmailField(_("afzender e-mail"), blank=True)
    notify_base_url = models.URLField(_("adres NotifyNL"), blank=True)
    notify_api_key_env = models.CharField(
        _("omgevingsvariabele met de API-sleutel"), max_length=80, blank=True
    )
    notify_email_template_id = models.CharField(max_length=64, blank=True)
    notify_sms_template_id = models.CharField(max_length=64, blank=True)
    sms_gateway_url = models.URLField(_("adres sms-gateway"), blank=True)

    class Meta:
        verbose_name = _("verzendinstellingen")
        verbose_name_plural = _("verzendinstellingen")

    def __str__(self):
        return str(self.organisation)


class LetterTemplate(models.Model):
    """A text for letters and messages to residents, by key ("terugbelverzoek", …). Shared
    templates have no organisation; an organisation overrides one by having its own with the same
    key and language. Variables come from a documented safe set (letters.py)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(_("soort brief"), max_length=60)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_templates",
    )
    language = models.CharField(_("taal"), max_length=8, default="nl")
    name = models.CharField(_("naam"), max_length=200)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst van de brief"))
    # The short text for an sms (and the first lines of an e-mail).
    short_text = models.CharField(_("korte tekst (sms)"), max_length=480, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    is_active = models.BooleanField(_("in gebruik"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "language", "organisation"]
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language", "organisation"],
                name="letter_template_unique",
            ),
            models.UniqueConstraint(
                fields=["key", "language"],
                condition=models.Q(organisation__isnull=True),
                name="letter_template_shared_unique",
            ),
        ]

    def __str__(self):
        return self.name


class LetterTemplateVersion(models.Model):
    """Every saved version of a template, unchanged afterwards: a letter names the version it was
    made from."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    short_text = models.CharField(max_length=480, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"


class Letter(models.Model):
    """A letter as it was sent, archived with the resident: the text, who signed it and could be
    called, and the PDF."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="letters"
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="letters"
    )
    representative = models.ForeignKey(
        "residents.Representative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    template_version = models.ForeignKey(
        LetterTemplateVersion, on_delete=models.PROTECT, related_name="letters"
    )
    language = models.CharField(max_length=8, default="nl")
    recipient_name = models.CharField(_("aan"), max_length=200)
    address_lines = models.JSONField(default=list)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    # Decision III: the employee the resident can call, with their direct number; the team's
    # direct number when the employee has an exemption (never only 14070).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    contact_name = models.CharField(_("contactpersoon"), max_length=200)
    contact_phone = models.CharField(_("direct telefoonnummer"), max_length=30)
    exemption_applied = models.BooleanField(default=False)
    pdf = models.BinaryField()
    cause_type = models.CharField(max_length=40, blank=True)
    cause_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("gemaakt"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        indexes = [models.Index(fields=["resident", "-created_at"], name="letter_resident")]

    def __str__(self):
        return self.subject


class PrintBatch(models.Model):
    """Letters handed to the print shop together: one PDF and a CSV manifest."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="print_batches"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    letter_count = models.PositiveIntegerField(default=0)
    pdf = models.BinaryField()
    manifest = models.TextField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("drukwerkbatch")
        verbose_name_plural = _("drukwerkbatches")

    def __str__(self):
        return f"{self.organisation} {self.created_at:%Y-%m-%d %H:%M}"


class NamingExemption(models.Model):
    """An employee whose name does not go on letters (e.g. for their safety): the team's direct
    number is used instead. Recorded with a reason, by whom and for how long."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="naming_exemptions"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reden"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitzondering naam op brief")
        verbose_name_plural = _("uitzonderingen naam op brief")

    def __str__(self):
        return f"{self.user}: {self.reason}"
