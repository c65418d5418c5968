import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from eenloket.contacts import selectors as contact_selectors
from eenloket.organisations.selectors import get_scope
from eenloket.referrals import selectors as referral_selectors

from . import notifications, selectors


@login_required
def start(request):
    scope = get_scope(request.user)
    context = {
        "recent": [],
        "callbacks": [],
        "notifications": notifications.unread(request.user),
        "referral_counts": None,
        "can_read_reports": referral_selectors.can_read_reports(request.user),
    }
    if scope.can_work_with_contacts:
        context["recent"] = contact_selectors.my_recent_contacts(request.user)
        context["callbacks"] = contact_selectors.open_callbacks(
            request.user, since=timezone.now() - dt.timedelta(days=7)
        )
        counts = referral_selectors.worklist_counts(request.user)
        context["referral_counts"] = {
            "new": counts["nieuw"],
            "overdue": counts["te-laat"],
            "mine": counts["mijn"],
        }
    return render(request, "core/start.html", context)


@login_required
@require_POST
def notification_read(request, uuid):
    """Mark one of your own notifications as read ("gelezen")."""
    notifications.mark_read(request.user, uuid)
    return redirect("start")


@login_required
def access_log(request):
    """The privacy officer looks up who processed a resident's data, by BSN."""
    bsn = request.GET.get("bsn", "").strip()
    entries, error = None, ""
    if bsn:
        try:
            entries = selectors.access_log_for_bsn(request.user, bsn)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    elif not get_scope(request.user).can_read_access_log:
        raise PermissionDenied
    return render(request, "core/access_log.html", {"bsn": bsn, "entries": entries, "error": error})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
