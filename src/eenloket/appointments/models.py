"""Appointments at a (municipal) location with staff of any organisation (background 002, the
pilot "Gezamenlijke dienstverlening op locatie").

- Schedules: which organisation offers which services at which location on which weekday and
  hours, with which staff and desks (`Schedule`); closures (`Closure`) and the Atw holidays of
  core/calendar; the slot length per service (`BookableService`); walk-in hours.
- Accessibility (decision VIII) and expertise (decision V): desks with features (`Desk`), staff
  skills with a date (`StaffSkill`) and learning needs (`LearningNeed`); the resident's needs
  are structured (`Need`) and matched by one table (needs.py).
- Bookings: an `Appointment` with one or more `AppointmentPart`s (one visit with UWV, SVB and
  the municipality in a row; internal meetings with several staff) and the `Occupancy` rows
  that reserve each desk and employee per quarter of an hour. Two unique constraints on those
  rows make double booking impossible in the database, whatever the code above does.
- Travel documents at a neighbourhood office (decision XII): the pickup location or home
  delivery on the appointment; the pickup shows in that location's day list."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eenloket.organisations.models import OpeningHours

# Every slot length is a multiple of this unit; occupancy is written per unit.
UNIT_MINUTES = 15


class Need(models.TextChoices):
    """What a resident can say they need (decision VIII), structured rather than a remark."""

    WHEELCHAIR = "rolstoel", _("Toegang met een rolstoel")
    HEARING_LOOP = "ringleiding", _("Ringleiding")
    SIGN_LANGUAGE = "gebarentolk", _("Tolk Nederlandse Gebarentaal")
    EXTRA_TIME = "extra-tijd", _("Extra tijd")
    EASY_LANGUAGE = "eenvoudige-taal", _("Eenvoudige taal (LVB)")
    VISUAL = "slechtziend", _("Slechtziend of blind")
    OTHER = "anders", _("Iets anders")


class DeskFeature(models.TextChoices):
    WHEELCHAIR = "rolstoeltoegankelijk", _("Rolstoeltoegankelijk")
    HEARING_LOOP = "ringleiding", _("Ringleiding")
    LOW_COUNTER = "lage-balie", _("Lage balie")
    QUIET_ROOM = "stille-ruimte", _("Stille ruimte")


class Skill(models.TextChoices):
    SIGN_LANGUAGE = "gebarentaal", _("Werken met een gebarentolk / gebarentaal")
    EASY_LANGUAGE = "lvb", _("Eenvoudige taal en LVB")
    VISUAL = "visuele-beperking", _("Inwoners met een visuele beperking")
    LANGUAGE = "taal", _("Spreekt een andere taal")


class AppointmentKind(models.TextChoices):
    VISIT = "bezoek", _("Afspraak")
    TRAVEL_DOCUMENT = "reisdocument", _("Aanvraag reisdocument")
    MULTI = "meerdere", _("Afspraak met meer organisaties")
    INTERNAL = "intern", _("Overleg (intern)")


class AppointmentState(models.TextChoices):
    BOOKED = "gepland", _("Gepland")
    CHECKED_IN = "aangemeld", _("Aangemeld")
    DONE = "afgerond", _("Afgerond")
    NO_SHOW = "niet-gekomen", _("Niet gekomen")
    CANCELLED = "geannuleerd", _("Geannuleerd")


class Delivery(models.TextChoices):
    PICKUP = "ophalen", _("Ophalen op een andere locatie")
    SAME_PLACE = "zelfde-locatie", _("Ophalen op dezelfde locatie")
    HOME = "thuisbezorgen", _("Thuisbezorgen")


class Desk(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    location = models.ForeignKey(
        "organisations.Location", on_delete=models.CASCADE, related_name="desks"
    )
    name = models.CharField(_("naam"), max_length=100)
    features = models.JSONField(_("voorzieningen"), default=list, blank=True)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["location__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="desk_unique_name")
        ]
        verbose_name = _("balie of spreekkamer")
        verbose_name_plural = _("balies en spreekkamers")

    def __str__(self):
        return self.name

    def feature_labels(self) -> list[str]:
        return [str(DeskFeature(f).label) for f in self.features if f in DeskFeature.values]


class BookableService(models.Model):
    """A service of an organisation that can be booked, with its slot length."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="bookable_services"
    )
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.CASCADE, related_name="bookable"
    )
    slot_minutes = models.PositiveSmallIntegerField(_("duur in minuten"), default=30)
    kind = models.CharField(
        _("soort afspraak"),
        max_length=16,
        choices=[
            (AppointmentKind.VISIT, AppointmentKind.VISIT.label),
            (AppointmentKind.TRAVEL_DOCUMENT, AppointmentKind.TRAVEL_DOCUMENT.label),
        ],
        default=AppointmentKind.VISIT,
    )
    public = models.BooleanField(_("inwoners kunnen zelf boeken"), default=True)

    class Meta:
        ordering = ["organisation__name", "service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "service"], name="bookable_once_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=UNIT_MINUTES, slot_minutes__lte=240),
                name="bookable_slot_length",
            ),
        ]
        verbose_name = _("dienst op afspraak")
        verbose_name_plural = _("diensten op afspraak")

    def __str__(self):
        return f"{self.service} ({self.organisation})"


class Schedule(models.Model):
    """Opening hours of one organisation at one location on one weekday (a "spreekuur"):
    "UWV at Stadhuis Enschede, Tuesday 9–12, 2 desks". Walk-in hours take no bookings."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    location = models.ForeignKey(
        "organisations.Location", on_delete=models.CASCADE, related_name="schedules"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="schedules"
    )
    team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("team"),
        help_text=_("Dit team regelt afspraken die niet online lukken."),
    )
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=OpeningHours.Weekday.choices)
    starts = models.TimeField(_("van"))
    ends = models.TimeField(_("tot"))
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    walk_in = models.BooleanField(_("inloopspreekuur (zonder afspraak)"), default=False)
    services = models.ManyToManyField(
        "catalogue.Service", related_name="schedules", verbose_name=_("diensten"), blank=True
    )
    desks = models.ManyToManyField(Desk, related_name="schedules", blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="schedules", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["location__name", "weekday", "starts"]
        indexes = [models.Index(fields=["location", "weekday"], name="schedule_location_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="schedule_order"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="schedule_valid_order",
            ),
        ]
        verbose_name = _("spreekuur")
        verbose_name_plural = _("spreekuren")

    def __str__(self):
        return f"{self.organisation} – {self.location} – {self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class Closure(models.Model):
    """A location closed (for everyone, or for one organisation's hours) on some days."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    location = models.ForeignKey(
        "organisations.Location", on_delete=models.CASCADE, related_name="closures"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text=_("Leeg: de hele locatie is dicht."),
    )
    starts_on = models.DateField(_("eerste dag"))
    ends_on = models.DateField(_("laatste dag"))
    reason = models.CharField(_("reden"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="closure_order"
            )
        ]
        verbose_name = _("sluiting")
        verbose_name_plural = _("sluitingen")

    def __str__(self):
        return f"{self.location}: {self.starts_on}–{self.ends_on} ({self.reason})"


class StaffSkill(models.Model):
    """A training or skill of a staff member (decision V: the expertise is mapped)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills"
    )
    skill = models.CharField(_("vaardigheid"), max_length=24, choices=Skill.choices)
    language = models.CharField(_("taal"), max_length=40, blank=True)
    obtained_on = models.DateField(_("behaald op"))
    training = models.CharField(_("training"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["user", "skill", "language"], name="staff_skill_once")
        ]
        verbose_name = _("vaardigheid")
        verbose_name_plural = _("vaardigheden")

    def __str__(self):
        return f"{self.user}: {self.get_skill_display()}"


class LearningNeed(models.Model):
    """What a staff member wants or needs to learn ("leerbehoefte in kaart"), recorded by the
    employee or their team lead; closed when the training is done."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_needs"
    )
    skill = models.CharField(_("onderwerp"), max_length=24, choices=Skill.choices, blank=True)
    description = models.TextField(_("wat wil de medewerker leren"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    resolved_on = models.DateField(_("afgerond op"), null=True, blank=True)

    class Meta:
        ordering = ["resolved_on", "-recorded_at"]
        verbose_name = _("leerbehoefte")
        verbose_name_plural = _("leerbehoeften")

    def __str__(self):
        return f"{self.user}: {self.description[:40]}"


class Appointment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Shown to the resident and said on the phone: 8 characters without look-alikes (no 0/O,
    # 1/I/L). The manage link carries a separate secret (token_hash).
    reference = models.CharField(_("afspraakcode"), max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, blank=True)
    # The manage link is derived from this nonce (services.link_token): the confirmation and the
    # reminder carry the same link; a new time makes a new nonce (the old link stops working).
    link_nonce = models.CharField(max_length=32, blank=True, db_default="")
    kind = models.CharField(
        _("soort"), max_length=16, choices=AppointmentKind.choices, default=AppointmentKind.VISIT
    )
    state = models.CharField(
        _("status"),
        max_length=16,
        choices=AppointmentState.choices,
        default=AppointmentState.BOOKED,
    )
    location = models.ForeignKey(
        "organisations.Location", on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField(_("begin"))
    ends_at = models.DateTimeField(_("einde"))
    title = models.CharField(_("onderwerp"), max_length=200, blank=True)
    # Who comes (empty for an internal meeting). Linked to the register when known.
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    given_name = models.CharField(_("voornaam"), max_length=200, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    language = models.CharField(_("taal"), max_length=8, default="nl")
    needs = models.JSONField(_("ondersteuning"), default=list, blank=True)
    needs_note = models.TextField(_("toelichting ondersteuning"), blank=True)
    note = models.TextField(_("toelichting voor de medewerker"), blank=True)
    # Where it came from: ("contact-moment" | "referral" | "live-consult" | "routing", uuid).
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    booked_via = models.CharField(max_length=12, default="ui")  # ui | publiek | api
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    # Pilot monitoring: when the first free slot was at the moment of booking (lead time).
    first_free_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reden"), max_length=300, blank=True)
    contact = models.ForeignKey(
        "contacts.ContactMoment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Het contactmoment met de uitkomst van de afspraak."),
    )
    # Travel documents (decision XII).
    delivery = models.CharField(
        _("ophalen of bezorgen"), max_length=16, choices=Delivery.choices, blank=True
    )
    pickup_location = models.ForeignKey(
        "organisations.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pickups",
        verbose_name=_("ophalen bij"),
    )
    delivery_address = models.CharField(_("bezorgadres"), max_length=300, blank=True)
    ready_on = models.DateField(_("klaar om op te halen vanaf"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("opgehaald op"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["location", "starts_at"], name="appointment_location_day"),
            models.Index(fields=["pickup_location", "ready_on"], name="appointment_pickup"),
            models.Index(fields=["state", "starts_at"], name="appointment_state_start"),
            # The manage link's lookup (public pages, no login): never a scan of the table.
            models.Index(fields=["token_hash"], name="appointment_link"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="appointment_order"
            )
        ]
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")

    def __str__(self):
        return f"{self.reference} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def person_name(self) -> str:
        if self.resident_id:
            return self.resident.full_name
        return " ".join(p for p in (self.given_name, self.surname) if p)

    def need_labels(self) -> list[str]:
        return [str(Need(n).label) for n in self.needs if n in Need.values]


class AppointmentPart(models.Model):
    """One organisation's part of a visit: who, at which desk, when. A visit with UWV, SVB and
    the municipality has three; an internal meeting one per participant."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="parts")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="appointment_parts"
    )
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    schedule = models.ForeignKey(
        Schedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment_parts",
    )
    desk = models.ForeignKey(
        Desk, on_delete=models.PROTECT, null=True, blank=True, related_name="parts"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    position = models.PositiveSmallIntegerField(default=0)
    # Pilot monitoring: the resident's needs were met by a trained employee / a fitting desk.
    needs_met = models.BooleanField(default=True)
    # Each organisation of a visit records its own outcome (a contact moment of its own).
    contact = models.ForeignKey(
        "contacts.ContactMoment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "position", "id"]
        indexes = [
            models.Index(fields=["employee", "starts_at"], name="part_employee_day"),
            models.Index(fields=["organisation", "starts_at"], name="part_org_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="part_order"
            )
        ]

    def __str__(self):
        return f"{self.appointment.reference} – {self.organisation}"


class Occupancy(models.Model):
    """One quarter of an hour of one desk or one employee, taken by an appointment. The unique
    constraints are the capacity rule: two bookings of the same desk or employee at the same
    time cannot both be written, however they arrive (UI, public page, API, two at once).
    Rows are deleted when the appointment is cancelled or moved; the appointment stays."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="occupancy")
    unit_start = models.DateTimeField()
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, null=True, related_name="+")
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "unit_start"],
                condition=models.Q(desk__isnull=False),
                name="occupancy_desk_once",
            ),
            models.UniqueConstraint(
                fields=["employee", "unit_start"],
                condition=models.Q(employee__isnull=False),
                name="occupancy_employee_once",
            ),
            models.CheckConstraint(
                condition=models.Q(desk__isnull=True, employee__isnull=False)
                | models.Q(desk__isnull=False, employee__isnull=True),
                name="occupancy_one_resource",
            ),
        ]

    def __str__(self):
        return f"{self.unit_start:%Y-%m-%d %H:%M} {self.desk_id or ''}{self.employee_id or ''}"
