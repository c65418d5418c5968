"""The staff screens that combine several domains: the start page ("Mijn werk"), the
notifications, the resident overview (what is open, the data a basis allows, the contact
history), a contact with its referrals and consults, and the privacy officer's log. This is the
top layer: it may use every domain app, no domain app uses it."""

import uuid as uuid_module

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from eenloket.contacts import selectors as contact_selectors
from eenloket.core import notifications
from eenloket.core.errors import NotFound
from eenloket.messaging import selectors as letter_selectors
from eenloket.organisations.selectors import get_scope
from eenloket.referrals import selectors as referral_selectors
from eenloket.residents import selectors as resident_selectors
from eenloket.residents import services as resident_services
from eenloket.residents.overview import open_items
from eenloket.worklist import selectors as task_selectors

from . import selectors


def _notification_context(user, limit=None) -> dict:
    groups = notifications.unread_groups(user, shown=limit)
    shown = groups if limit is None else groups[:limit]
    return {
        "notification_groups": shown,
        "hidden_groups": len(groups) - len(shown),
        "unread_count": notifications.unread_count(user),
    }


@login_required
def start(request):
    """Mijn werk: the work first (counts of the work lists, my tasks and my team's tasks —
    callback requests among them —, recent contacts), then the unread notifications, grouped,
    newest first, a few groups at most."""
    scope = get_scope(request.user)
    context = {
        "recent": [],
        "tasks": None,
        **_notification_context(request.user, limit=notifications.START_PAGE_GROUPS),
        "referral_counts": None,
    }
    if scope.can_work_with_contacts:
        context["recent"] = contact_selectors.my_recent_contacts(request.user)
        context["tasks"] = task_selectors.start_page_lists(request.user)
        counts = referral_selectors.worklist_counts(request.user)
        context["referral_counts"] = {
            "new": counts["nieuw"],
            "overdue": counts["te-laat"],
            "mine": counts["mijn"],
        }
    return render(request, "workspace/start.html", context)


@login_required
def notification_list(request):
    """All unread notifications, grouped ("meer meldingen tonen" on the start page)."""
    return render(request, "workspace/notifications.html", _notification_context(request.user))


def _say_read(request, count: int) -> None:
    messages.success(
        request,
        ngettext("%(count)d melding is gelezen.", "%(count)d meldingen zijn gelezen.", count)
        % {"count": count},
    )


def _back(request):
    """Back to the page the button was on (the start page or the notification list)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("start")


@login_required
@require_POST
def notification_read(request, uuid):
    """Mark one of your own notifications as read ("gelezen")."""
    notifications.mark_read(request.user, uuid)
    return _back(request)


@login_required
@require_POST
def notification_group_read(request):
    """Mark a group of your own notifications as read: the ones shown in the group."""
    ids = []
    for value in request.POST.getlist("melding"):
        try:
            ids.append(uuid_module.UUID(value))
        except ValueError:
            continue  # not an id: nothing to mark
    count = notifications.mark_many_read(request.user, ids)
    if count:
        _say_read(request, count)
    return _back(request)


@login_required
@require_POST
def notification_read_all(request):
    """ "Alles gelezen": every unread notification of your own."""
    _say_read(request, notifications.mark_all_read(request.user))
    return _back(request)


@login_required
def access_log(request):
    """The privacy officer looks up, by BSN, how their own organisation processed a
    resident's data: who, when, what and why, a page at a time."""
    bsn = request.GET.get("bsn", "").strip()
    page, error = None, ""
    if bsn:
        try:
            page = selectors.access_log_for_bsn(request.user, bsn, cursor=request.GET.get("na", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
    elif not get_scope(request.user).can_read_access_log:
        raise PermissionDenied
    return render(request, "workspace/access_log.html", {"bsn": bsn, "page": page, "error": error})


@login_required
def resident_overview(request, uuid):
    """What is open for the resident first (referrals, callbacks, consults, …), then the
    resident's data as far as a basis allows — and which basis — then the contact history."""
    try:
        resident = resident_selectors.get_resident(request.user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    members = resident_selectors.household_members(request.user, resident)
    contacts, next_cursor = contact_selectors.resident_contacts(request.user, resident.resident)
    today = timezone.localdate()
    return render(
        request,
        "workspace/resident_overview.html",
        {
            "resident": resident,
            "open_items": open_items(request.user, resident.resident),
            "members": members,
            "contacts": contacts,
            "next_cursor": next_cursor,
            "sent_messages": letter_selectors.resident_messages(request.user, resident),
            "representatives": [
                (r, r.holds_on(today), r.valid_from > today)
                for r in resident.resident.representatives.all()
            ],
            "may_record_representative": resident_services.may_record_representative(
                request.user, resident
            ),
            "today_iso": today.isoformat(),
        },
    )


@login_required
def resident_contacts(request, uuid):
    """The next page of a resident's contacts (htmx: 'Meer contacten tonen')."""
    try:
        resident = resident_selectors.get_resident(request.user, uuid)
        contacts, next_cursor = contact_selectors.resident_contacts(
            request.user, resident.resident, cursor=request.GET.get("na", "")
        )
    except (NotFound, ValidationError) as exc:
        raise Http404(str(exc)) from exc
    template = (
        "workspace/_contact_rows.html" if request.htmx else "workspace/resident_contacts_page.html"
    )
    return render(
        request,
        template,
        {"resident": resident, "contacts": contacts, "next_cursor": next_cursor},
    )


@login_required
def contact_detail(request, uuid):
    try:
        contact = contact_selectors.get_contact(request.user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(
        request,
        "workspace/contact_detail.html",
        {
            "contact": contact,
            "referrals": referral_selectors.referrals_of_contact(request.user, contact),
            "consults": referral_selectors.consults_of_contact(request.user, contact),
        },
    )
