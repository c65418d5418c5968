"""The callback request (terugbelverzoek) as a kind of task in the one work list (worklist/kinds.py).

Made with the contact (services.register_contact with `callback=`) or afterwards from a contact
(services.request_callback). Its norm: asked before 12:00, called back the same working day;
later, the next working day. Completing it writes the call as a contact moment (on_complete)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eenloket.worklist.kinds import Outcome as TaskOutcome
from eenloket.worklist.kinds import TaskKind, register_kind

from .models import Channel, ContactMoment, Outcome

CALLBACK = "terugbellen"
SOURCE_TYPE = "contact-moment"
HELPED, REFERRED, NOT_REACHED = "geholpen", "doorverwezen", "niet-bereikt"
# "Niet bereikt na drie pogingen": only after that many tries without reaching the resident.
ATTEMPTS_BEFORE_GIVING_UP = 3
# The task's outcome → the outcome of the contact moment the call back is.
CONTACT_OUTCOME = {
    HELPED: Outcome.ANSWERED,
    REFERRED: Outcome.REFERRED,
    NOT_REACHED: Outcome.NOT_REACHED,
}


def _source_contact(task):
    if task.source_type != SOURCE_TYPE or not task.source_id:
        return None
    return (
        ContactMoment.objects.filter(uuid=task.source_id, organisation_id=task.organisation_id)
        .only("question")
        .first()
    )


def callback_completed(*, task, user, outcome, note):
    """The call back is a contact moment (channel telefoon), in the completing transaction."""
    from eenloket.worklist.models import TaskAttempt

    from .services import register_contact

    if outcome == NOT_REACHED:
        tries = task.attempts.exclude(result=TaskAttempt.Result.REACHED).count()
        if tries < ATTEMPTS_BEFORE_GIVING_UP:
            raise ValidationError(
                {
                    "outcome": [
                        _(
                            "Leg eerst drie belpogingen vast. Daarna kiest u “Niet bereikt na "
                            "drie pogingen”."
                        )
                    ]
                }
            )
    source = _source_contact(task)
    register_contact(
        user=user,
        organisation=task.organisation,
        channel=Channel.PHONE,
        question=source.question if source is not None else task.title,
        answer=note,
        outcome=CONTACT_OUTCOME[outcome],
        resident=task.resident,
    )


def create_from_api(*, user, contact, team, phone, note="", assigned_to=None, via="api"):
    """POST /api/v1/tasks/ (worklist/api.py): a callback request for a contact this user may
    see (NotFound, a 404, for any other)."""
    from .selectors import get_contact
    from .services import request_callback

    found = get_contact(user, contact, channel=via)
    return request_callback(
        user=user,
        contact=found,
        team=team,
        phone=phone,
        note=note,
        assigned_to=assigned_to,
        via=via,
    )


def callback_source_link(task) -> str:
    if task.source_type != SOURCE_TYPE or not task.source_id:
        return ""
    return reverse("contact-detail", kwargs={"uuid": task.source_id})


CALLBACK_KIND = register_kind(
    TaskKind(
        code=CALLBACK,
        label=gettext_lazy("Terugbelverzoek"),
        outcomes=(
            TaskOutcome(HELPED, gettext_lazy("Geholpen")),
            TaskOutcome(REFERRED, gettext_lazy("Doorverwezen")),
            TaskOutcome(NOT_REACHED, gettext_lazy("Niet bereikt na drie pogingen")),
        ),
        is_call=True,
        cutoff=dt.time(12, 0),
        days_before_cutoff=0,
        days_after_cutoff=1,
        on_complete=callback_completed,
        source_link=callback_source_link,
        extra={"api_create": create_from_api},
    )
)
