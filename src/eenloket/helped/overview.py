"""Open "bent u geholpen?" checks on the resident overview (residents/overview.py): planned,
asked or being called, with the date they are due, for staff of the organisation that asks."""

from django.urls import reverse
from django.utils.translation import gettext as _

from eenloket.residents.overview import OpenItem, open_items_provider

from . import selectors, services
from .models import CheckState


def _link(check) -> str:
    if check.task_id:  # the call task: where the answer is recorded
        return reverse("worklist:detail", kwargs={"uuid": check.task.uuid})
    if check.contact_id:
        return reverse("contact-detail", kwargs={"uuid": check.contact.uuid})
    if check.referral_id:
        return reverse("referrals:detail", kwargs={"uuid": check.referral.uuid})
    return ""


@open_items_provider
def open_checks(user, resident, now):
    items = []
    for check in selectors.open_checks_for(user, resident):
        if check.state == CheckState.SCHEDULED:
            due, since = check.scheduled_for, check.created_at
        elif check.state == CheckState.CALLING and check.task_id:
            due, since = check.task.due_at, check.sent_at or check.created_at
        else:
            due, since = check.answer_due_at, check.sent_at or check.created_at
        items.append(
            OpenItem(
                kind=_("Bent u geholpen?"),
                title=_("%(org)s vraagt: geholpen met %(topic)s?")
                % {"org": check.organisation.name, "topic": services.topic(check)},
                status=check.get_state_display(),
                since=since,
                due=due,
                overdue=check.state != CheckState.SCHEDULED and due is not None and due < now,
                link=_link(check),
            )
        )
    return items
