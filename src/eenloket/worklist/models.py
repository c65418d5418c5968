"""One work list for follow-up work: callback requests, follow-ups of "bent u geholpen?", calls
to ask it, and later the kinds of appointments, legal terms, cases and complaints. A task's
`kind` is registered by the app that owns it (kinds.py); the state machine is states.py."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "afgerond", _("Afgerond")
    CANCELLED = "vervallen", _("Vervallen")


class Task(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("soort taak"), max_length=40)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="tasks"
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("behandelaar"),
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    title = models.CharField(_("onderwerp"), max_length=200)
    note = models.TextField(_("toelichting"), blank=True)
    # The number to call (E.164), for call tasks.
    phone = models.CharField(_("terugbelnummer"), max_length=20, blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=TaskState.choices, default=TaskState.OPEN
    )
    due_at = models.DateTimeField(_("uiterlijk"))
    # What the task is about, as the owning app knows it: ("contact-moment", uuid), ("helped-check",
    # uuid), later ("appointment", uuid), ...
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("uitkomst"), max_length=40, blank=True)
    outcome_note = models.TextField(_("toelichting bij de uitkomst"), blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        indexes = [
            models.Index(
                fields=["organisation", "team", "due_at"],
                name="task_open_team",
                condition=models.Q(state="open"),
            ),
            models.Index(
                fields=["assigned_to", "due_at"],
                name="task_open_mine",
                condition=models.Q(state="open"),
            ),
            models.Index(fields=["resident", "state"], name="task_resident"),
            models.Index(fields=["source_type", "source_id"], name="task_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="open") | models.Q(completed_at__isnull=False),
                name="task_closed_has_time",
            ),
        ]

    def __str__(self):
        return self.title


class TaskAttempt(models.Model):
    """A try to reach the resident (for call tasks): reached, not reached, voicemail."""

    class Result(models.TextChoices):
        REACHED = "bereikt", _("Bereikt")
        NOT_REACHED = "niet-bereikt", _("Niet bereikt")
        VOICEMAIL = "voicemail", _("Voicemail ingesproken")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("resultaat"), max_length=16, choices=Result.choices)
    note = models.TextField(_("notitie"), blank=True)

    class Meta:
        ordering = ["task", "at", "id"]
        verbose_name = _("belpoging")
        verbose_name_plural = _("belpogingen")

    def __str__(self):
        return f"{self.task_id} {self.result}"


class TaskNorm(models.Model):
    """When a task of a kind must be done, per organisation: made before `cutoff` → within
    `days_before_cutoff` working days (0: the same working day), else `days_after_cutoff`.
    Without a row: the defaults of the kind (callback: before 12:00 same day, else next)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="task_norms"
    )
    kind = models.CharField(_("soort taak"), max_length=40)
    cutoff = models.TimeField(_("gemaakt voor"), default="12:00")
    days_before_cutoff = models.PositiveSmallIntegerField(
        _("werkdagen (voor dat tijdstip)"), default=0
    )
    days_after_cutoff = models.PositiveSmallIntegerField(
        _("werkdagen (na dat tijdstip)"), default=1
    )

    class Meta:
        verbose_name = _("termijn voor taken")
        verbose_name_plural = _("termijnen voor taken")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="task_norm_unique")
        ]

    def __str__(self):
        return f"{self.organisation}: {self.kind}"
