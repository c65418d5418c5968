"""Screens of the outbox for the functional admin (functioneel beheerder): "Berichten" with three
tabs: Mislukt (the dead-letter list: retry or cancel), Verzonden berichten (what residents
would have received) and Drukwerk (print batches for the post). Letter templates and exemptions
are in letter_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from eenloket.core.errors import NotFound
from eenloket.core.pagination import newest_first_page

from . import outbox, outbox_selectors
from .models import DeliveryAttempt
from .states import MESSAGE

TABS = (
    ("mislukt", gettext_lazy("Mislukt")),
    ("verzonden", gettext_lazy("Verzonden berichten")),
    ("drukwerk", gettext_lazy("Drukwerk")),
)
PAGE_SIZE = 25


def _organisation(request):
    """The organisation whose messages are shown: `?organisatie=<code>` among the ones the user
    manages, else the first. PermissionDenied for anyone who is no functional admin."""
    outbox_selectors.require_admin(request.user)
    organisations = list(outbox_selectors.managed_organisations(request.user))
    wanted = request.GET.get("organisatie") or request.POST.get("organisatie") or ""
    chosen = next((o for o in organisations if o.code == wanted), organisations[0])
    return chosen, organisations


def _found(read, user, uuid):
    try:
        return read(user, uuid)
    except NotFound as exc:
        raise Http404 from exc


def _back(organisation, tab):
    query = urlencode({"tab": tab, "organisatie": organisation.code})
    return f"{reverse('messaging:outbox')}?{query}"


@login_required
def outbox_page(request):
    organisation, organisations = _organisation(request)
    tab = request.GET.get("tab", "mislukt")
    if tab not in dict(TABS):
        tab = "mislukt"
    context = {
        "tabs": TABS,
        "tab": tab,
        "tab_label": dict(TABS)[tab],
        "organisation": organisation,
        "organisations": organisations,
    }
    cursor = request.GET.get("na", "")
    try:
        if tab == "drukwerk":
            context["queued_letters"] = outbox_selectors.print_queue_count(
                request.user, organisation
            )
            rows, next_cursor = newest_first_page(
                outbox_selectors.print_batches(request.user, organisation).select_related(
                    "created_by", "sent_by"
                ),
                time_field="created_at",
                cursor=cursor,
                limit=PAGE_SIZE,
            )
        else:
            qs = (
                outbox_selectors.dead_letters(request.user, organisation)
                if tab == "mislukt"
                else outbox_selectors.sent_messages(request.user, organisation)
            ).select_related(*outbox_selectors.RELATED)
            if tab == "mislukt":
                qs = qs.prefetch_related(
                    Prefetch(
                        "delivery_attempts", queryset=DeliveryAttempt.objects.order_by("at", "id")
                    )
                )
            rows, next_cursor = newest_first_page(
                qs, time_field="created_at", cursor=cursor, limit=PAGE_SIZE
            )
            outbox_selectors.log_shown(request.user, rows, channel="ui")
            if tab == "mislukt":
                for message in rows:
                    message.buttons = MESSAGE.slugs(
                        message.state, {outbox_selectors.ADMIN}, message
                    )
    except ValidationError as exc:  # a bad cursor: the first page, with the reason
        messages.error(request, " ".join(exc.messages))
        return redirect(_back(organisation, tab))
    context["rows"] = rows
    if next_cursor:
        query = urlencode({"tab": tab, "organisatie": organisation.code, "na": next_cursor})
        context["next_url"] = f"{reverse('messaging:outbox')}?{query}"
    return render(request, "messaging/outbox.html", context)


def _message_step(request, uuid, step, done):
    message = _found(outbox_selectors.find_message, request.user, uuid)
    try:
        step(user=request.user, message=message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"name": message.recipient_name})
    return redirect(_back(message.organisation, "mislukt"))


@login_required
@require_POST
def message_retry(request, uuid):
    return _message_step(
        request,
        uuid,
        outbox.retry,
        _("Het bericht aan %(name)s wordt opnieuw verstuurd."),
    )


@login_required
@require_POST
def message_cancel(request, uuid):
    return _message_step(
        request,
        uuid,
        outbox.cancel,
        _("Het bericht aan %(name)s is geannuleerd. Het wordt niet verstuurd."),
    )


@login_required
@require_POST
def batch_create(request):
    organisation, _organisations = _organisation(request)
    try:
        batch = outbox.export_print_batch(user=request.user, organisation=organisation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "De batch met %(count)s brief is klaar. "
                "Download de PDF en de lijst voor de drukker.",
                "De batch met %(count)s brieven is klaar. "
                "Download de PDF en de lijst voor de drukker.",
                batch.letter_count,
            )
            % {"count": batch.letter_count},
        )
    return redirect(_back(organisation, "drukwerk"))


@login_required
@require_POST
def batch_sent(request, uuid):
    batch = _found(outbox_selectors.get_print_batch, request.user, uuid)
    try:
        outbox.mark_batch_sent(user=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De batch staat op verstuurd naar de drukker."))
    return redirect(_back(batch.organisation, "drukwerk"))


@login_required
def batch_download(request, uuid, kind):
    batch = _found(outbox_selectors.get_print_batch, request.user, uuid)
    stamp = batch.created_at.strftime("%Y%m%d-%H%M")
    if kind == "pdf":
        response = HttpResponse(bytes(batch.pdf), content_type="application/pdf")
        name = f"drukwerk-{stamp}.pdf"
    elif kind == "csv":
        response = HttpResponse(batch.manifest, content_type="text/csv; charset=utf-8")
        name = f"drukwerk-{stamp}.csv"
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
