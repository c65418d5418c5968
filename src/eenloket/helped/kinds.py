"""The task kinds of "bent u geholpen?" (worklist/kinds.py registry), registered in
AppConfig.ready:

- "geholpen-bellen": the counter calls a resident who prefers the phone or the desk (or whose
  data for the preferred channel is missing) and asks the question. Completing it records the
  answer on the check (services.record_call_answer); "Niet geholpen" makes the follow-up task.
- "geholpen-opvolgen": the resident said "nee", or did not answer: the team that handled the
  contact reaches out (decision X)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eenloket.worklist.kinds import Outcome, TaskKind, register_kind

from . import services
from .models import HelpedCheck


def source_link(task) -> str:
    """The contact or referral the check asked about."""
    row = (
        HelpedCheck.objects.filter(uuid=task.source_id)
        .values_list("contact__uuid", "referral__uuid")
        .first()
        if task.source_id
        else None
    )
    if row is None:
        return ""
    contact_uuid, referral_uuid = row
    if contact_uuid:
        return reverse("contact-detail", kwargs={"uuid": contact_uuid})
    if referral_uuid:
        return reverse("referrals:detail", kwargs={"uuid": referral_uuid})
    return ""


def _record_call(*, task, user, outcome, note=""):
    services.record_call_answer(task, user, outcome, note)


CALL = register_kind(
    TaskKind(
        code=services.KIND_CALL,
        label=_("Bellen: bent u geholpen?"),
        outcomes=(
            Outcome(services.CALL_HELPED, _("Geholpen")),
            Outcome(services.CALL_NOT_HELPED, _("Niet geholpen")),
            Outcome(services.CALL_NOT_REACHED, _("Niet bereikt")),
        ),
        is_call=True,
        # Made at the send hour (10:00): before noon → the next working day, else the one after.
        cutoff=dt.time(12, 0),
        days_before_cutoff=1,
        days_after_cutoff=2,
        on_complete=_record_call,
        source_link=source_link,
    )
)

FOLLOW_UP = register_kind(
    TaskKind(
        code=services.KIND_FOLLOW_UP,
        label=_("Opvolgen: inwoner niet geholpen"),
        outcomes=(
            Outcome("alsnog-geholpen", _("Alsnog geholpen")),
            Outcome("doorverwezen", _("Doorverwezen")),
            Outcome("niet-bereikt", _("Niet bereikt")),
        ),
        is_call=True,
        cutoff=dt.time(12, 0),
        days_before_cutoff=1,
        days_after_cutoff=2,
        source_link=source_link,
    )
)
