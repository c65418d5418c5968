"""Tracked requests with a legal term (decision IX: terms are always met; when that fails, the
resident hears before the term ends why, and the new date).

- `RequestType`: the kind of request with its legal term, the article it comes from, the
  counting regime (core.terms.Regime) and what the law allows: an extension (and how long), a
  further delay only with the resident's consent, a penalty for not deciding in time. Shared
  types (no organisation) come from the law (law.py); an organisation may add its own.
- `TrackedRequest`: one request of a resident to an organisation, with its current legal due
  date and the explanation of how it was counted. The dates are stored: the dashboard and the
  sweep filter and sort on them.
- `Suspension` (Awb 4:15): the clock stops from `starts_on` (the day the resident was asked to
  complete the request) and resumes on `ends_on` with the days that were left.
- `Extension`: a legal extension (Awb 7:10 lid 3, 9:11 lid 2, Woo 4.4 lid 2, AVG 12 lid 3), or a
  further delay the resident agreed to. Only made together with a `DelayNotice`.
- `DelayNotice` (Awb 4:14): the resident told why the decision comes later and by when; timely
  only when sent on or before the due date.

ZGW (Open Zaak) holds one `verlenging` (reden, duur) and an `opschorting` (indicatie, reden)
without dates on a zaak. What it cannot hold: more than one suspension, the dates of a
suspension, a delay notice and whether it was timely, a further delay with consent, the
ingebrekestelling and penalty. `zaak_url` links a request to its case in a case system; the
extension's `term` and `reason` and the latest suspension's reason map to those two fields."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from eenloket.core.terms import Regime
from eenloket.messaging.models import MessageChannel


class Start(models.TextChoices):
    RECEIPT = "ontvangst", _("De dag na ontvangst van het verzoek")
    OBJECTION_PERIOD_END = (
        "einde-bezwaartermijn",
        _("De dag na het einde van de bezwaartermijn (6 weken na bekendmaking van het besluit)"),
    )


class RequestType(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="request_types",
        help_text=_("Leeg: voor alle organisaties (uit de wet)."),
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("naam"), max_length=120)
    regime = models.CharField(
        _("telling"), max_length=20, choices=Regime.choices, default=Regime.ATW
    )
    term = models.CharField(_("termijn (ISO 8601)"), max_length=20, help_text="P6W, P8W, P1M")
    term_with_committee = models.CharField(
        _("termijn met adviescommissie"), max_length=20, blank=True
    )
    article = models.CharField(_("wetsartikel"), max_length=120)
    starts = models.CharField(
        _("de termijn begint"), max_length=30, choices=Start.choices, default=Start.RECEIPT
    )
    extension = models.CharField(
        _("verlenging die de wet toestaat"),
        max_length=20,
        blank=True,
        help_text=_("Leeg: de wet staat geen verlenging toe."),
    )
    extension_article = models.CharField(_("artikel van de verlenging"), max_length=120, blank=True)
    further_with_consent = models.BooleanField(
        _("langer uitstel alleen met instemming van de inwoner"), default=False
    )
    penalty_applies = models.BooleanField(
        _("dwangsom bij niet op tijd beslissen (Awb 4:17)"), default=False
    )
    # Awb 4:14 lid 3: where no statutory term applies (Awb 4:13, a reasonable term), a timely
    # notice that the decision comes later names a new term, and that term is the due date.
    notice_sets_term = models.BooleanField(
        _("een bericht op tijd noemt een nieuwe termijn (Awb 4:14 lid 3)"),
        default=False,
        help_text=_(
            "Aan: het bericht dat het besluit later komt, moet een nieuwe datum noemen. Die datum "
            "wordt de nieuwe einddatum."
        ),
    )
    warn_working_days = models.PositiveSmallIntegerField(
        _("waarschuwen (werkdagen voor het einde)"), default=5
    )
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="request_type_code_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organisation__isnull=True),
                name="request_type_shared_code",
            ),
        ]
        verbose_name = _("soort verzoek")
        verbose_name_plural = _("soorten verzoeken")

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language: the shared types (from the law) are translated."""
        return gettext(self.name) if self.organisation_id is None else self.name


class RequestState(models.TextChoices):
    OPEN = "open", _("In behandeling")
    SUSPENDED = "opgeschort", _("Opgeschort")
    DECIDED = "besloten", _("Besloten")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")


class TrackedRequest(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("kenmerk"), max_length=30, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="tracked_requests"
    )
    request_type = models.ForeignKey(
        RequestType, on_delete=models.PROTECT, related_name="requests", verbose_name=_("soort")
    )
    subject = models.CharField(_("onderwerp"), max_length=200)
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tracked_requests",
    )
    contact = models.ForeignKey(
        "contacts.ContactMoment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    zaak_url = models.URLField(_("zaak in het zaaksysteem"), max_length=500, blank=True)
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, related_name="tracked_requests"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandelaar"),
    )
    received_on = models.DateField(_("ontvangen op"))
    decision_published_on = models.DateField(
        _("bekendmaking van het besluit waartegen bezwaar is gemaakt"), null=True, blank=True
    )
    advisory_committee = models.BooleanField(_("met adviescommissie"), default=False)
    state = models.CharField(
        _("stand"), max_length=20, choices=RequestState.choices, default=RequestState.OPEN
    )
    original_due_date = models.DateField(_("oorspronkelijke einddatum"))
    # The legal due date now (null while the clock stands still), and how it was counted.
    due_date = models.DateField(_("uiterlijke beslisdatum"), null=True, blank=True)
    due_explanation = models.TextField(_("zo is de termijn geteld"), blank=True)
    days_left = models.PositiveIntegerField(_("dagen over bij opschorting"), null=True, blank=True)
    expected_on = models.DateField(_("verwachte beslisdatum uit het laatste bericht"), null=True)
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)
    decided_in_time = models.BooleanField(null=True)
    decision_note = models.TextField(_("toelichting bij het besluit"), blank=True)
    default_notice_on = models.DateField(_("ingebrekestelling ontvangen op"), null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["organisation", "state", "due_date"], name="request_due"),
            models.Index(fields=["team", "state", "due_date"], name="request_team_due"),
            models.Index(fields=["resident", "state"], name="request_resident"),
            models.Index(fields=["organisation", "received_on"], name="request_received"),
            # The sweep: open requests by due date, over every organisation.
            models.Index(fields=["state", "due_date"], name="request_sweep"),
        ]
        verbose_name = _("verzoek met termijn")
        verbose_name_plural = _("verzoeken met termijn")

    def __str__(self):
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.state in (RequestState.OPEN, RequestState.SUSPENDED)


class Suspension(models.Model):
    request = models.ForeignKey(
        TrackedRequest, on_delete=models.CASCADE, related_name="suspensions"
    )
    starts_on = models.DateField(_("opgeschort vanaf de dag na"))
    ends_on = models.DateField(_("hervat op"), null=True, blank=True)
    # Awb 4:15 lid 1 sub a: "de daarvoor gestelde termijn" (the last day the resident may
    # complete the request). Unanswered, the clock runs again the day after (the sweep).
    respond_by = models.DateField(_("aanvullen uiterlijk op"), null=True, blank=True)
    reason = models.CharField(_("reden"), max_length=300)
    article = models.CharField(_("artikel"), max_length=60, default="Awb 4:15")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(ends_on__isnull=True),
                name="one_running_suspension",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="suspension_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.request_id} {self.starts_on.isoformat()}"

    @property
    def days(self) -> int:
        """The days the clock stood still. Awb 4:15 lid 1: suspended "met ingang van de dag na
        die waarop" the resident was asked to complete the request (`starts_on`), "tot de dag
        waarop de aanvraag is aangevuld" (`ends_on`). "Met ingang van de dag na" leaves the day
        of the invitation in the term; "tot" (not "tot en met") leaves the day of completion in
        it too: the term runs again on `ends_on`. So the days in between, and none when the
        request was completed on the day of the invitation or the day after."""
        return max(0, (self.ends_on - self.starts_on).days - 1) if self.ends_on else 0


class ExtensionKind(models.TextChoices):
    LEGAL = "wettelijk", _("Verlenging die de wet toestaat")
    CONSENT = "instemming", _("Verder uitstel met instemming van de inwoner")
    NOTICE = "mededeling", _("Nieuwe termijn uit het bericht dat het besluit later komt")


class DelayNotice(models.Model):
    """The resident told, before the term ends, that the decision comes later (Awb 4:14)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(TrackedRequest, on_delete=models.CASCADE, related_name="notices")
    sent_on = models.DateField(_("verstuurd op"))
    sent_at = models.DateTimeField()
    due_date_then = models.DateField(_("einddatum op dat moment"))
    timely = models.BooleanField(_("op tijd"))
    reason = models.TextField(_("reden"))
    expected_on = models.DateField(_("nieuwe datum"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.ForeignKey(
        "messaging.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(
        _("kanaal"), max_length=20, blank=True, choices=MessageChannel.choices
    )

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"{self.request_id} {self.sent_on.isoformat()}"


def told_for_due_date() -> models.Exists:
    """The one predicate (a subquery on TrackedRequest rows) for "the resident was told in
    time about the current due date": a timely notice whose due date then is the request's due
    date now. A notice about an earlier due date (before an extension) does not count. Used by
    the sweep and by the dashboard and its figures."""
    return models.Exists(
        DelayNotice.objects.filter(
            request=models.OuterRef("pk"), timely=True, due_date_then=models.OuterRef("due_date")
        )
    )


class Extension(models.Model):
    request = models.ForeignKey(TrackedRequest, on_delete=models.CASCADE, related_name="extensions")
    kind = models.CharField(_("soort"), max_length=20, choices=ExtensionKind.choices)
    term = models.CharField(_("duur (ISO 8601)"), max_length=20)
    reason = models.TextField(_("reden"))
    article = models.CharField(_("artikel"), max_length=120, blank=True)
    due_date_before = models.DateField()
    due_date_after = models.DateField()
    notice = models.OneToOneField(DelayNotice, on_delete=models.PROTECT, related_name="extension")
    consent_note = models.CharField(_("instemming van de inwoner"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.request_id} {self.term}"
