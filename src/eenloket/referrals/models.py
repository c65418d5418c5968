"""Warm referrals (warme doorverwijzing) and live consults ("collega erbij halen").

A referral only ends when the resident is helped, or with an explicit, reasoned closure; a
referral sent to the wrong place comes back and must be referred again. Every state change is an
append-only `ReferralEvent` with its actor and time."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralKind(models.TextChoices):
    WARM = "warm", _("Warme doorverwijzing")
    COUNSELLOR = "sociaal-raadslieden", _("Naar de sociaal raadsman")


class ReferralState(models.TextChoices):
    SENT = "verstuurd", _("Verstuurd")
    ACCEPTED = "geaccepteerd", _("Geaccepteerd")
    RETURNED = "teruggestuurd", _("Teruggestuurd")
    CONTACTED = "inwoner-gesproken", _("Inwoner gesproken")
    HELPED = "geholpen", _("Inwoner geholpen")
    CLOSED = "afgesloten", _("Afgesloten met reden")
    REREFERRED = "opnieuw-doorverwezen", _("Opnieuw doorverwezen")


class Urgency(models.TextChoices):
    NORMAL = "normaal", _("Normaal")
    HIGH = "hoog", _("Hoog")
    URGENT = "spoed", _("Spoed (vandaag)")


class SharedItem(models.TextChoices):
    """What the resident agreed to share with the receiving organisation."""

    IDENTITY = "naam-en-contactgegevens", _("Naam en contactgegevens")
    BSN = "bsn", _("BSN")
    QUESTION = "vraag", _("De vraag van de inwoner")
    DISCUSSED = "besproken", _("Wat al is besproken")


class ResponseNorm(models.Model):
    """How fast a receiving organisation responds (working days, Algemene termijnenwet).
    Without a row the default applies: accept within 1, contact the resident within 2."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="response_norm"
    )
    accept_working_days = models.PositiveSmallIntegerField(_("accepteren binnen (werkdagen)"))
    contact_working_days = models.PositiveSmallIntegerField(
        _("inwoner gesproken binnen (werkdagen)")
    )

    class Meta:
        verbose_name = _("reactienorm")
        verbose_name_plural = _("reactienormen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accept_working_days__gte=1)
                & models.Q(contact_working_days__gte=models.F("accept_working_days")),
                name="norm_sensible",
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.accept_working_days}/{self.contact_working_days}"


class Referral(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("soort"), max_length=20, choices=ReferralKind.choices, default=ReferralKind.WARM
    )
    contact = models.ForeignKey(
        "contacts.ContactMoment",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("contactmoment"),
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    from_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    from_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("naar organisatie"),
    )
    to_team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("naar team"),
    )
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("dienst"),
    )
    reason = models.TextField(_("reden van de doorverwijzing"))
    discussed = models.TextField(_("wat al is besproken"), blank=True)
    consent_given = models.BooleanField(_("de inwoner geeft toestemming"), default=False)
    shared = models.JSONField(_("wat gedeeld wordt"), default=list, blank=True)
    urgency = models.CharField(
        _("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    preferred_channel = models.CharField(_("hoe wil de inwoner contact"), max_length=12)
    state = models.CharField(
        _("stand"), max_length=24, choices=ReferralState.choices, default=ReferralState.SENT
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_assigned",
        verbose_name=_("behandelaar"),
    )
    accept_due_at = models.DateTimeField(_("accepteren uiterlijk"))
    contact_due_at = models.DateTimeField(_("inwoner spreken uiterlijk"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(_("terugkoppeling"), blank=True)
    return_reason = models.TextField(_("reden van terugsturen"), blank=True)
    closure_reason = models.TextField(_("reden van afsluiten"), blank=True)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next",
        verbose_name=_("eerdere doorverwijzing"),
    )
    # Social counsellor referrals: the counsellor's details handed to the resident (a copy).
    counsellor = models.JSONField(_("sociaal raadsman"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("doorverwijzing")
        verbose_name_plural = _("doorverwijzingen")
        indexes = [
            models.Index(fields=["to_organisation", "state", "-created_at"], name="ref_inbox"),
            models.Index(fields=["from_organisation", "state", "-created_at"], name="ref_outbox"),
            models.Index(fields=["assigned_to", "state"], name="ref_assigned"),
            models.Index(fields=["state", "accept_due_at"], name="ref_accept_due"),
            models.Index(fields=["state", "contact_due_at"], name="ref_contact_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="teruggestuurd") | ~models.Q(return_reason=""),
                name="returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="afgesloten") | ~models.Q(closure_reason=""),
                name="closed_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.from_organisation} → {self.to_organisation} ({self.get_state_display()})"

    @property
    def is_open(self):
        """Not yet helped, closed or re-referred (states.OPEN: derived from the table)."""
        from .states import OPEN

        return self.state in OPEN


class ReferralEvent(models.Model):
    """One step in a referral's life, with who and when. Append-only."""

    class Action(models.TextChoices):
        SENT = "verstuurd", _("verstuurd")
        CLAIMED = "opgepakt", _("opgepakt")
        ASSIGNED = "overgedragen", _("overgedragen binnen het team")
        ACCEPTED = "geaccepteerd", _("geaccepteerd")
        RETURNED = "teruggestuurd", _("teruggestuurd")
        CONTACTED = "inwoner-gesproken", _("inwoner gesproken")
        HELPED = "geholpen", _("inwoner geholpen")
        CLOSED = "afgesloten", _("afgesloten")
        REREFERRED = "opnieuw-doorverwezen", _("opnieuw doorverwezen")
        ESCALATED = "geescaleerd", _("te laat: gemeld aan teamleider")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=24, choices=Action.choices)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: het systeem (bijvoorbeeld een escalatie)."),
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stap van een doorverwijzing")
        verbose_name_plural = _("stappen van doorverwijzingen")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Escalation(models.Model):
    """An overdue referral reported to the receiving team's lead, once per stage."""

    class Stage(models.TextChoices):
        ACCEPT = "accepteren", _("niet op tijd geaccepteerd")
        CONTACT = "contact", _("inwoner niet op tijd gesproken")
        REREFER = "opnieuw", _("teruggestuurd en niet op tijd opnieuw doorverwezen")
        FOLLOW_UP = "afronden", _("inwoner gesproken, maar niet op tijd afgerond")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="escalations")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "stage"], name="escalation_once_per_stage")
        ]

    def __str__(self):
        return f"{self.referral_id} {self.stage}"


class Reachability(models.TextChoices):
    ON_SITE = "ter-plaatse", _("Ter plaatse")
    PHONE = "telefoon", _("Telefoon")
    VIDEO = "video", _("Video")


class OnDuty(models.Model):
    """A staff member on duty for live consults at a location (present, or by phone/video),
    from `since` until `until`. One period at a time per person: on PostgreSQL an exclusion
    constraint refuses overlapping periods of the same person (migration 0004; the demo's
    SQLite runs writes one at a time)."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_periods"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    location = models.ForeignKey(
        "organisations.Location", on_delete=models.CASCADE, related_name="on_duty"
    )
    reachable = models.CharField(
        _("bereikbaar"), max_length=12, choices=Reachability.choices, default=Reachability.ON_SITE
    )
    since = models.DateTimeField()
    until = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["location", "until"], name="duty_location")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__gte=models.F("since")), name="duty_ends_after_start"
            )
        ]
        verbose_name = _("dienst voor overleg")
        verbose_name_plural = _("diensten voor overleg")

    def __str__(self):
        return f"{self.staff} @ {self.location}"


class ConsultState(models.TextChoices):
    OPEN = "open", _("Wacht op een collega")
    ACCEPTED = "aangenomen", _("Aangenomen")
    EXPIRED = "verlopen", _("Niemand beschikbaar")
    CANCELLED = "ingetrokken", _("Ingetrokken")
    REFERRED = "doorverwijzing", _("Omgezet in een doorverwijzing")
    APPOINTMENT = "afspraak", _("Omgezet in een afspraak")


class LiveConsult(models.Model):
    """A request from an open contact for an on-duty colleague of another organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(
        "contacts.ContactMoment", on_delete=models.PROTECT, related_name="live_consults"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consults_requested"
    )
    location = models.ForeignKey(
        "organisations.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="live_consults",
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="consults_received",
        verbose_name=_("organisatie"),
    )
    question = models.TextField(_("waar gaat het over"))
    state = models.CharField(max_length=16, choices=ConsultState.choices, default=ConsultState.OPEN)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consults_accepted",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="consult"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["to_organisation", "state"], name="consult_open")]
        verbose_name = _("overleg met een collega")
        verbose_name_plural = _("overleggen met collega's")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="aangenomen") | models.Q(accepted_by__isnull=False),
                name="accepted_consult_has_colleague",
            )
        ]

    def __str__(self):
        return f"{self.requester} → {self.to_organisation} ({self.state})"
