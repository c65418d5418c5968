"""The access log: one append-only row per processing of a resident's personal data.

Fields follow the VNG standard *Logboek Dataverwerkingen* (an OpenTelemetry-style span with
processing-activity attributes): trace id, span id, name, start/end time, status, resource,
processing activity, data subject id (pseudonymised) and id type, actor, organisation, action.
Actor and organisation are copied as values (not foreign keys) so the log outlives accounts."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Het toegangslogboek is alleen aan te vullen (append-only).")

    def delete(self):
        raise PermissionError("Het toegangslogboek is alleen aan te vullen (append-only).")


class AccessLog(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("inzien")
        SEARCH = "search", _("zoeken")
        CREATE = "create", _("vastleggen")
        UPDATE = "update", _("wijzigen")

    class Channel(models.TextChoices):
        UI = "ui", _("scherm")
        API = "api", _("API")
        ADMIN = "admin", _("beheerscherm")
        SYSTEM = "system", _("systeem")

    trace_id = models.CharField(max_length=32, db_index=True)
    span_id = models.CharField(max_length=16, default="")
    name = models.CharField(_("verwerking"), max_length=120)
    start_time = models.DateTimeField(_("tijdstip"), db_index=True)
    end_time = models.DateTimeField(null=True, blank=True)
    status_code = models.CharField(max_length=10, default="OK")
    resource_name = models.CharField(max_length=60, default="eenloket")
    resource_version = models.CharField(max_length=20, default="1")
    processing_activity_id = models.CharField(_("verwerkingsactiviteit"), max_length=80)
    purpose = models.CharField(_("doel"), max_length=200, blank=True)
    data_subject_id_type = models.CharField(max_length=30, default="BSN")
    data_subject_id = models.CharField(_("gepseudonimiseerd id"), max_length=64)
    actor_id = models.CharField(_("medewerker-id"), max_length=64)
    actor_name = models.CharField(_("medewerker"), max_length=200)
    actor_organisation = models.CharField(_("organisatie"), max_length=60)
    # The role the actor worked in (Role value; "" for rows from before it was kept).
    actor_role = models.CharField(_("rol"), max_length=40, blank=True, default="")
    action = models.CharField(_("actie"), max_length=10, choices=Action.choices)
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)
    object_type = models.CharField(max_length=40, default="resident")
    object_id = models.CharField(max_length=64, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-start_time", "-id"]
        indexes = [
            models.Index(fields=["data_subject_id", "-start_time"], name="accesslog_subject")
        ]
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslogboek")

    def __str__(self):
        return f"{self.start_time:%Y-%m-%d %H:%M} {self.actor_name} {self.processing_activity_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Het toegangslogboek is alleen aan te vullen (append-only).")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Het toegangslogboek is alleen aan te vullen (append-only).")


def new_span_id() -> str:
    return uuid.uuid4().hex[:16]


class Notification(models.Model):
    """A message in a staff member's work list ("Meldingen"): an escalation, an outcome of a
    referral they sent, a live consult nobody took. Read state only; never deleted by code.

    The text is stored as a message id (the Dutch source text of the translation) with its
    parameters, and translated when it is shown, in the reader's language (see
    core/notifications.py). `text` keeps the Dutch text as written: for the admin, and for rows
    from before message ids (which have no message id and are shown as they are)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        "organisations.User", on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("tekst"), max_length=500)
    message_id = models.CharField(_("bericht-id"), max_length=500, blank=True, default="")
    params = models.JSONField(_("gegevens in het bericht"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")
        ]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self):
        return self.text

    def render(self) -> str:
        """The text in the active language (the stored text for rows without a message id)."""
        from .notifications import render

        return render(self)


class EquatedDay(models.Model):
    """A day equated with an algemeen erkende feestdag by royal decree (Algemene termijnenwet
    art. 3 lid 3), e.g. the Friday after Ascension Day in some years. A functioneel beheerder
    keeps them per year; every deadline in the product counts them (core.calendar)."""

    day = models.DateField(_("datum"), unique=True)
    reason = models.CharField(_("omschrijving"), max_length=200)
    decree = models.CharField(
        _("besluit"), max_length=200, blank=True, help_text=_("Bijvoorbeeld: Stb. 2026, 123")
    )

    class Meta:
        ordering = ["day"]
        verbose_name = _("gelijkgestelde dag")
        verbose_name_plural = _("gelijkgestelde dagen")

    def __str__(self):
        return f"{self.day.isoformat()} {self.reason}"
