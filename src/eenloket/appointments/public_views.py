"""The public booking pages (no login; Dutch and English; WCAG 2.1 AA; one column that works on
a phone): location → service → support → time → name and how to reach you. Then the manage page
behind the link in the confirmation: view, add to the agenda (ICS), reschedule, cancel.

The steps are plain GET forms (the choices so far in the address), so the back button and a
page without JavaScript work; only the booking itself is a POST (rate limited per address)."""

import datetime as dt
import uuid as uuid_lib
from itertools import groupby

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.forms import apply_service_errors
from eenloket.core.throttling import form_post_wait
from eenloket.organisations.models import Location

from . import calendar_file, services, slots
from .forms import CallbackForm, DeliveryForm, NeedsForm, PersonForm
from .models import AppointmentKind, AppointmentState, Need, Schedule

WEEKS = 4


def _render(request, template, context, *, status=200):
    response = render(request, template, context, status=status)
    response["Content-Language"] = translation.get_language()
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the manage link must not leak
    return response


def _too_many(request):
    wait = form_post_wait(
        request,
        "appointment-book",
        limit=settings.APPOINTMENT_RATE_LIMIT,
        window=settings.APPOINTMENT_RATE_WINDOW_SECONDS,
    )
    if not wait:
        return None
    response = _render(
        request,
        "appointments/public_message.html",
        {
            "heading": _("Even wachten"),
            "text": _(
                "U heeft veel keer achter elkaar iets verstuurd. Probeer het over een paar "
                "minuten opnieuw."
            ),
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _uuid(value):
    try:
        return uuid_lib.UUID(str(value))
    except (TypeError, ValueError):
        return None


def public_locations():
    return (
        Location.objects.filter(schedules__walk_in=False)
        .distinct()
        .select_related("organisation")
        .order_by("city", "name")
    )


def _walk_in(location):
    return (
        Schedule.objects.filter(location=location, walk_in=True)
        .select_related("organisation")
        .order_by("weekday", "starts")
    )


def _chosen(request):
    """The location and service chosen so far (None when not chosen or not valid)."""
    location = service = None
    location_id = _uuid(request.GET.get("locatie"))
    if location_id:
        location = public_locations().filter(uuid=location_id).first()
    service_id = _uuid(request.GET.get("dienst"))
    if location is not None and service_id:
        service = (
            services.bookable_services(location, public_only=True).filter(uuid=service_id).first()
        )
    return location, service


def _needs(request) -> list[str]:
    return sorted({n for n in request.GET.getlist("hulp") if n in Need.values})


def _window(request):
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("vanaf", ""))
    except ValueError:
        start = today
    start = min(max(start, today), today + dt.timedelta(days=slots.horizon_days()))
    end = min(
        start + dt.timedelta(weeks=WEEKS) - dt.timedelta(days=1),
        today + dt.timedelta(days=slots.horizon_days()),
    )
    return start, end


def _days(found):
    """Free slots grouped per day (local), for the radio lists."""
    return [
        (day, [(slot, _slot_value(slot)) for slot in items])
        for day, items in groupby(found, key=lambda s: s.local_start.date())
    ]


def _slot_value(slot) -> str:
    return slot.starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def _parse_time(value):
    try:
        parsed = dt.datetime.strptime(str(value or ""), "%Y-%m-%dT%H:%MZ")
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC)


def _base_query(location, service, needs) -> list[tuple[str, str]]:
    query = [("locatie", str(location.uuid))] if location else []
    if service:
        query.append(("dienst", str(service.uuid)))
    query += [("hulp", n) for n in needs]
    return query


@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def book(request):
    location, service = _chosen(request)
    needs = _needs(request)
    context = {
        "location": location,
        "service": service,
        "needs": needs,
        "need_labels": [Need(n).label for n in needs],
        "weeks": WEEKS,
    }
    if location is None:
        context.update(step=1, locations=public_locations())
        if request.GET.get("locatie"):
            context["error"] = _("Kies een locatie uit de lijst.")
        return _render(request, "appointments/book.html", context)
    if service is None:
        context.update(
            step=2, services=_services_with_organisation(location), walk_in=_walk_in(location)
        )
        if request.GET.get("dienst"):
            context["error"] = _("Kies een onderwerp uit de lijst.")
        return _render(request, "appointments/book.html", context)
    context["base_query"] = _base_query(location, service, needs)
    if request.GET.get("stap") not in ("tijden", "gegevens"):
        context.update(step=3, needs_form=NeedsForm(initial={"needs": needs}))
        return _render(request, "appointments/book.html", context)
    starts_at = _parse_time(request.GET.get("tijd") or request.POST.get("tijd"))
    if request.GET.get("stap") == "tijden" or starts_at is None:
        return _times(
            request,
            context,
            location,
            service,
            needs,
            error=_("Kies een tijd.") if request.GET.get("stap") == "gegevens" else "",
        )
    return _details(request, context, location, service, needs, starts_at)


def _services_with_organisation(location):
    offered = services.bookable_services(location, public_only=True)
    names = dict(
        Schedule.objects.filter(location=location, walk_in=False).values_list(
            "services", "organisation__name"
        )
    )
    return [(s, names.get(s.pk, "")) for s in offered]


def _times(request, context, location, service, needs, error=""):
    start, end = _window(request)
    found = slots.search(
        location=location, service=service, date_from=start, date_to=end, needs=needs
    )
    today = timezone.localdate()
    context.update(
        step=4,
        days=_days(found.slots),
        needs_unmet=found.needs_unmet,
        window_start=start,
        window_end=end,
        earlier=(start - dt.timedelta(weeks=WEEKS)).isoformat() if start > today else "",
        later=(end + dt.timedelta(days=1)).isoformat()
        if end < today + dt.timedelta(days=slots.horizon_days())
        else "",
        error=error,
    )
    return _render(request, "appointments/book.html", context, status=400 if error else 200)


def _details(request, context, location, service, needs, starts_at):
    kind = AppointmentKind.VISIT
    schedule = Schedule.objects.filter(location=location, services=service).first()
    if schedule is not None:
        kind = services.kind_of(schedule.organisation_id, service)
    pickup_locations = (
        Location.objects.filter(organisation=location.organisation)
        .exclude(pk=location.pk)
        .order_by("name")
    )
    person = PersonForm(request.POST or None)
    delivery = DeliveryForm(request.POST or None, locations=pickup_locations)
    context.update(
        step=5,
        starts_at=starts_at,
        person_form=person,
        delivery_form=delivery,
        travel_document=kind == AppointmentKind.TRAVEL_DOCUMENT,
        other_need=Need.OTHER in needs,
        tijd=_slot_value_from(starts_at),
    )
    if request.method != "POST":
        return _render(request, "appointments/book.html", context)
    limited = _too_many(request)
    if limited:
        return limited
    person.is_valid()
    delivery.is_valid()
    data = {**person.cleaned_data}
    extra = {}
    if kind == AppointmentKind.TRAVEL_DOCUMENT:
        pickup = None
        chosen = _uuid(delivery.cleaned_data.get("pickup_location"))
        if chosen:
            pickup = pickup_locations.filter(uuid=chosen).first()
        extra = {
            "delivery": delivery.cleaned_data.get("delivery") or "",
            "pickup_location": pickup,
            "delivery_address": delivery.cleaned_data.get("delivery_address") or "",
        }
    try:
        appointment = services.book(
            location=location,
            service=service,
            starts_at=starts_at,
            needs=needs,
            language=translation.get_language()[:2],
            **data,
            **extra,
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "slot_taken" or (
            hasattr(exc, "error_dict") and set(exc.error_dict) & {"starts_at", "needs"}
        ):
            message = " ".join(exc.messages)
            return _times(request, context, location, service, needs, error=message)
        apply_service_errors(person, _only(exc, person.fields))
        apply_service_errors(delivery, _only(exc, delivery.fields))
        return _render(request, "appointments/book.html", context, status=400)
    url = reverse("appointments:manage", args=[appointment.token]) + "?nieuw=1"
    return redirect(url)


def _slot_value_from(starts_at):
    return starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def _only(exc, fields):
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({k: v for k, v in exc.error_dict.items() if k in fields})


@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def arrange(request):
    """Nobody trained is free in the coming weeks: ask to be called to arrange it."""
    location, service = _chosen(request)
    if location is None or service is None:
        return redirect("appointments:book")
    needs = _needs(request)
    form = CallbackForm(request.POST or None)
    context = {
        "location": location,
        "service": service,
        "needs": needs,
        "need_labels": [Need(n).label for n in needs],
        "form": form,
        "base_query": _base_query(location, service, needs),
    }
    if request.method == "POST":
        limited = _too_many(request)
        if limited:
            return limited
        form.is_valid()
        try:
            services.request_arrangement(
                location=location, service=service, needs=needs, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, _only(exc, form.fields))
            return _render(request, "appointments/arrange.html", context, status=400)
        return _render(
            request,
            "appointments/public_message.html",
            {
                "heading": _("Wij bellen u"),
                "text": _(
                    "Wij bellen u binnen twee werkdagen om samen een afspraak te maken "
                    "met de ondersteuning die u nodig heeft."
                ),
                "organisation": location.organisation,
            },
        )
    return _render(request, "appointments/arrange.html", context)


# ---- behind the link ---------------------------------------------------------------------------------
def _by_token(request, token):
    try:
        appointment = services.appointment_for_token(token)
    except ValidationError:
        return None
    if not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) and appointment.language in (
        "nl",
        "en",
    ):
        translation.activate(appointment.language)
        request.LANGUAGE_CODE = appointment.language
    return appointment


def _bad_link(request):
    return _render(
        request,
        "appointments/public_message.html",
        {
            "heading": _("Deze link klopt niet"),
            "text": _(
                "Gebruik de link uit de laatste bevestiging of herinnering. Heeft u die niet "
                "meer? Bel dan de organisatie van uw afspraak."
            ),
        },
        status=404,
    )


@ensure_csrf_cookie
@require_GET
def manage(request, token):
    appointment = _by_token(request, token)
    if appointment is None:
        return _bad_link(request)
    parts = list(appointment.parts.select_related("organisation", "service", "desk"))
    return _render(
        request,
        "appointments/manage.html",
        {
            "appointment": appointment,
            "parts": parts,
            "token": token,
            "new": request.GET.get("nieuw") == "1",
            "can_change": appointment.state == AppointmentState.BOOKED
            and appointment.starts_at > timezone.now(),
            "organisation": parts[0].organisation if parts else None,
        },
    )


@require_GET
def calendar(request, token):
    appointment = _by_token(request, token)
    if appointment is None:
        raise Http404
    response = HttpResponse(calendar_file.ics(appointment), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="afspraak-{appointment.reference}.ics"'
    response["Cache-Control"] = "no-store"
    return response


@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def reschedule(request, token):
    appointment = _by_token(request, token)
    if appointment is None:
        return _bad_link(request)
    part = appointment.parts.select_related("service", "organisation").first()
    context = {"appointment": appointment, "token": token, "organisation": part.organisation}
    if appointment.state != AppointmentState.BOOKED:
        return redirect("appointments:manage", token=token)
    error = ""
    if request.method == "POST":
        limited = _too_many(request)
        if limited:
            return limited
        starts_at = _parse_time(request.POST.get("tijd"))
        if starts_at is None:
            error = _("Kies een nieuwe tijd.")
        else:
            try:
                moved = services.reschedule(
                    appointment=appointment, starts_at=starts_at, token=token
                )
            except PermissionDenied:
                return _bad_link(request)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect(reverse("appointments:manage", args=[moved.token]) + "?verzet=1")
    start, end = _window(request)
    found = slots.search(
        location=appointment.location,
        service=part.service,
        date_from=start,
        date_to=end,
        needs=appointment.needs,
        organisation=part.organisation_id,
        exclude_appointment=appointment.pk,
    )
    context.update(
        days=_days([s for s in found.slots if s.starts_at != appointment.starts_at]),
        error=error,
        window_start=start,
        window_end=end,
        later=(end + dt.timedelta(days=1)).isoformat(),
        earlier=(start - dt.timedelta(weeks=WEEKS)).isoformat()
        if start > timezone.localdate()
        else "",
    )
    return _render(request, "appointments/reschedule.html", context, status=400 if error else 200)


@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def cancel(request, token):
    appointment = _by_token(request, token)
    if appointment is None:
        return _bad_link(request)
    part = appointment.parts.select_related("organisation").first()
    if request.method == "POST":
        limited = _too_many(request)
        if limited:
            return limited
        try:
            services.cancel(appointment=appointment, token=token)
        except PermissionDenied:
            return _bad_link(request)
        except ValidationError:
            pass  # already cancelled or done: the manage page says what it is
        return redirect("appointments:manage", token=token)
    return _render(
        request,
        "appointments/cancel.html",
        {"appointment": appointment, "token": token, "organisation": part.organisation},
    )


def local(value):
    return value.astimezone(AMSTERDAM)
