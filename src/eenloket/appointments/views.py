"""Staff screens of appointments: the day list per employee, location and desk (check-in,
no-show, pickups of travel documents), booking from a contact, a referral or a live consult that
nobody accepted, one appointment with its steps, the hours and desks (functional admins),
skills, learning needs and coverage, and the pilot figures. Steps go through services.py, reads
through selectors.py; the buttons come from the state table (states.APPOINTMENT)."""

import datetime as dt
import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from eenloket.catalogue.models import Service
from eenloket.contacts.selectors import get_contact
from eenloket.core import formatting, permissions
from eenloket.core.forms import apply_service_errors
from eenloket.core.roles import CONTACT_ROLES
from eenloket.organisations.models import Membership, Organisation, User
from eenloket.organisations.selectors import get_scope
from eenloket.referrals.selectors import get_consult, get_referral

from . import needs as need_rules
from . import selectors, services, slots
from .forms import (
    BookableForm,
    CancelForm,
    ClosureForm,
    CompleteForm,
    DeskForm,
    LearningNeedForm,
    PersonForm,
    ScheduleForm,
    SkillForm,
)
from .models import BookableService, Closure, Desk, LearningNeed, Need, Schedule, StaffSkill

WEEKS = 4


def _require_contacts(user):
    permissions.require(permissions.can_work_with_contacts, get_scope(user))


def _uuid(value):
    try:
        return uuid_lib.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _date(value, default):
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return default


# ---- the day list -------------------------------------------------------------------------------------
@login_required
def day_list(request):
    _require_contacts(request.user)
    today = timezone.localdate()
    day = _date(request.GET.get("dag", ""), today)
    locations = list(selectors.locations_for(request.user))
    location = next((loc for loc in locations if str(loc.uuid) == request.GET.get("locatie")), None)
    mine = location is None or request.GET.get("mijn") == "1"
    desks = list(selectors.desks_of(location)) if location else []
    desk = next((d for d in desks if str(d.uuid) == request.GET.get("balie")), None)
    rows = list(selectors.day_list(request.user, day, location=location, mine=mine, desk=desk))
    for appointment in rows:
        selectors.log_read(request.user, appointment)
        appointment.buttons = selectors.buttons(request.user, appointment)
    pickups = list(selectors.pickups(request.user, location, day)) if location else []
    next_day = None
    if not rows:
        next_day = selectors.next_day_with(request.user, day, location=location, mine=mine)
    return render(
        request,
        "appointments/day_list.html",
        {
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "today": today,
            "locations": locations,
            "location": location,
            "mine": mine,
            "desks": desks,
            "desk": desk,
            "rows": rows,
            "pickups": pickups,
            "next_day": next_day,
        },
    )


# ---- booking by staff -------------------------------------------------------------------------------------
def _source(request):
    """The contact, referral or live consult the booking comes from (and its resident)."""
    user = request.user
    if _uuid(request.GET.get("contact")):
        contact = get_contact(user, request.GET["contact"])
        return contact, contact.resident, contact.question
    if _uuid(request.GET.get("verwijzing")):
        view = get_referral(user, request.GET["verwijzing"])
        return view.referral, view.resident, view.referral.reason
    if _uuid(request.GET.get("overleg")):
        consult = get_consult(user, request.GET["overleg"])
        return consult, consult.contact.resident, consult.question
    return None, None, ""


def _source_key(source) -> str:
    if source is None:
        return ""
    return {"contactmoment": "contact", "referral": "verwijzing", "liveconsult": "overleg"}[
        source._meta.model_name
    ]


def _default_service(source):
    if source is None:
        return None
    if source._meta.model_name == "referral":
        return source.service
    if source._meta.model_name == "contactmoment":
        return source.service
    return None


@login_required
def book(request):
    _require_contacts(request.user)
    source, resident, question = _source(request)
    locations = selectors.booking_locations(request.user)
    location = next(
        (loc for loc in locations if str(loc.uuid) == request.GET.get("locatie")),
        locations[0] if locations else None,
    )
    offered = list(services.bookable_services(location)) if location else []
    chosen_ids = set(request.GET.getlist("dienst"))
    default = _default_service(source)
    if not chosen_ids and default is not None and default in offered:
        chosen_ids = {str(default.uuid)}
    chosen = [s for s in offered if str(s.uuid) in chosen_ids]
    if "hulp" in request.GET or request.GET.get("zoek"):
        needs = sorted({n for n in request.GET.getlist("hulp") if n in Need.values})
    else:
        needs = need_rules.from_resident(resident)
    together = request.GET.get("samen") == "1"
    start = max(_date(request.GET.get("vanaf", ""), timezone.localdate()), timezone.localdate())
    end = start + dt.timedelta(weeks=WEEKS) - dt.timedelta(days=1)
    person = PersonForm(
        request.POST or None,
        initial={
            "given_name": "",
            "surname": "",
            "phone": formatting.phone_display(resident.phone) if resident else "",
            "email": resident.email if resident else "",
        },
    )
    days, needs_unmet, error = [], False, ""
    if location and chosen and request.GET.get("zoek"):
        if len(chosen) == 1:
            found = slots.search(
                location=location, service=chosen[0], date_from=start, date_to=end, needs=needs
            )
            days = _group([(s.starts_at, s) for s in found.slots])
            needs_unmet = found.needs_unmet
        else:
            combos = services.combined_options(
                location=location,
                services=chosen,
                date_from=start,
                date_to=end,
                needs=needs,
                together=together,
            )
            days = _group([(c[0].starts_at, c) for c in combos])
    if request.method == "POST" and location and chosen:
        starts_at = _parse(request.POST.get("tijd"))
        person.is_valid()
        data = {**person.cleaned_data, "needs": needs, "needs_given": True}
        try:
            if starts_at is None:
                raise ValidationError({"starts_at": [_("Kies een tijd.")]})
            if len(chosen) == 1:
                appointment = services.book(
                    user=request.user,
                    location=location,
                    service=chosen[0],
                    starts_at=starts_at,
                    resident=resident,
                    source=source,
                    **data,
                )
            else:
                data.pop("needs_given")
                appointment = services.book_visit(
                    user=request.user,
                    location=location,
                    services=chosen,
                    starts_at=starts_at,
                    together=together,
                    resident=resident,
                    source=source,
                    **data,
                )
        except ValidationError as exc:
            apply_service_errors(person, exc)
            error = " ".join(person.non_field_errors())
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _(
                    "Afspraak %(reference)s is gemaakt voor %(when)s. De "
                    "inwoner krijgt een bevestiging."
                )
                % {
                    "reference": appointment.reference,
                    "when": formatting.long_datetime(appointment.starts_at),
                },
            )
            return redirect("appointments:detail", uuid=appointment.uuid)
    return render(
        request,
        "appointments/staff_book.html",
        {
            "source": source,
            "source_key": _source_key(source),
            "resident": resident,
            "question": question,
            "locations": locations,
            "location": location,
            "offered": offered,
            "chosen": chosen,
            "chosen_ids": {str(s.uuid) for s in chosen},
            "needs": needs,
            "need_choices": Need.choices,
            "together": together,
            "days": days,
            "needs_unmet": needs_unmet,
            "person_form": person,
            "error": error,
            "searched": bool(request.GET.get("zoek")),
            "window_start": start,
            "window_end": end,
            "later": (end + dt.timedelta(days=1)).isoformat(),
        },
        status=400 if error else 200,
    )


def _group(items):
    result, current = [], None
    for starts_at, value in sorted(items, key=lambda i: i[0]):
        day = starts_at.astimezone(slots.AMSTERDAM).date()
        if current is None or current[0] != day:
            current = (day, [])
            result.append(current)
        current[1].append(
            (starts_at, starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"), value)
        )
    return result


def _parse(value):
    try:
        return dt.datetime.strptime(str(value or ""), "%Y-%m-%dT%H:%MZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


# ---- one appointment ----------------------------------------------------------------------------------
FORMS = {"afronden": CompleteForm, "annuleren": CancelForm}


def _detail_context(request, appointment, forms=None):
    parts = list(appointment.parts.all())
    buttons = selectors.buttons(request.user, appointment)
    reschedule_days = []
    if "verzetten" in buttons and parts and parts[0].service_id:
        start = timezone.localdate()
        found = slots.search(
            location=appointment.location,
            service=parts[0].service,
            date_from=start,
            date_to=start + dt.timedelta(weeks=2),
            needs=appointment.needs,
            organisation=parts[0].organisation_id,
            exclude_appointment=appointment.pk,
        )
        reschedule_days = _group(
            [(s.starts_at, s) for s in found.slots if s.starts_at != appointment.starts_at][:40]
        )
    scope = get_scope(request.user)
    complete_form = (forms or {}).get("afronden") or CompleteForm(
        initial={"register_resident": True}
    )
    return {
        "appointment": appointment,
        "day_iso": appointment.starts_at.astimezone(slots.AMSTERDAM).date().isoformat(),
        "parts": parts,
        "buttons": buttons,
        "complete_form": complete_form,
        "cancel_form": (forms or {}).get("annuleren") or CancelForm(),
        "reschedule_days": reschedule_days,
        "can_hand_over": appointment.pickup_location is not None
        and appointment.handed_over_at is None
        and appointment.pickup_location.organisation_id in scope.contact_organisation_ids
        and appointment.state in ("aangemeld", "afgerond"),
    }


@login_required
def detail(request, uuid):
    _require_contacts(request.user)
    appointment = selectors.get_appointment(request.user, uuid)
    return render(request, "appointments/detail.html", _detail_context(request, appointment))


@login_required
@require_POST
def action(request, uuid, action):
    _require_contacts(request.user)
    appointment = selectors.get_appointment(request.user, uuid, log=False)
    user = request.user
    back = request.POST.get("terug") or ""
    forms = {}
    try:
        if action == "aanmelden":
            services.check_in(user=user, appointment=appointment)
            messages.success(
                request,
                _("%(name)s is aangemeld.")
                % {"name": appointment.person_name or appointment.reference},
            )
        elif action == "niet-gekomen":
            services.no_show(user=user, appointment=appointment)
            messages.success(request, _("Vastgelegd: niet gekomen."))
        elif action == "afronden":
            form = forms["afronden"] = CompleteForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Kies een uitkomst."))
            services.complete(user=user, appointment=appointment, **form.cleaned_data)
            messages.success(request, _("De afspraak is afgerond en vastgelegd als contact."))
        elif action == "annuleren":
            form = forms["annuleren"] = CancelForm(request.POST)
            form.is_valid()
            services.cancel(
                user=user, appointment=appointment, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("De afspraak is geannuleerd. De inwoner krijgt bericht."))
        elif action == "verzetten":
            moved = services.reschedule(
                user=user, appointment=appointment, starts_at=_parse(request.POST.get("tijd"))
            )
            messages.success(
                request,
                _("De afspraak is verzet naar %(when)s.")
                % {"when": formatting.long_datetime(moved.starts_at)},
            )
        elif action == "opgehaald":
            services.hand_over(user=user, appointment=appointment)
            messages.success(request, _("Het reisdocument is opgehaald."))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        if forms:
            appointment = selectors.get_appointment(user, uuid, log=False)
            for form in forms.values():
                if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                    apply_service_errors(form, exc)
            return render(
                request,
                "appointments/detail.html",
                _detail_context(request, appointment, forms),
                status=400,
            )
    if back.startswith("/afspraken/") and "//" not in back:
        return redirect(back)
    return redirect("appointments:detail", uuid=appointment.uuid)


# ---- skills, learning needs and coverage ------------------------------------------------------------------
def _colleagues(user):
    """The staff whose skills this user may record: themself, and their organisations' staff
    when they lead a team or are functional admin there."""
    scope = get_scope(user)
    managed = set(scope.lead_organisation_ids) | {
        pk for pk in scope.organisation_ids if permissions.is_functional_admin(scope, pk)
    }
    ids = set(
        Membership.objects.filter(organisation_id__in=managed).values_list("user_id", flat=True)
    )
    ids.add(user.pk)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name")


@login_required
def skills(request):
    user = request.user
    permissions.require(permissions.is_staff_member, get_scope(user))
    people = list(_colleagues(user))
    chosen = next(
        (
            p
            for p in people
            if str(p.uuid) == (request.POST.get("medewerker") or request.GET.get("medewerker"))
        ),
        user,
    )
    skill_form = SkillForm(request.POST if request.POST.get("soort") == "vaardigheid" else None)
    need_form = LearningNeedForm(request.POST if request.POST.get("soort") == "leren" else None)
    if request.method == "POST":
        try:
            if request.POST.get("soort") == "vaardigheid" and skill_form.is_valid():
                services.record_skill(user=user, employee=chosen, **skill_form.cleaned_data)
                messages.success(request, _("De vaardigheid is vastgelegd."))
                return redirect(f"{reverse('appointments:skills')}?medewerker={chosen.uuid}")
            if request.POST.get("soort") == "leren" and need_form.is_valid():
                services.record_learning_need(user=user, employee=chosen, **need_form.cleaned_data)
                messages.success(request, _("De leerbehoefte is vastgelegd."))
                return redirect(f"{reverse('appointments:skills')}?medewerker={chosen.uuid}")
            if request.POST.get("soort") == "afgerond":
                need = LearningNeed.objects.filter(
                    uuid=_uuid(request.POST.get("leerbehoefte")), user=chosen
                ).first()
                if need is None:
                    raise Http404
                services.resolve_learning_need(user=user, need=need)
                messages.success(request, _("De leerbehoefte is afgerond."))
                return redirect(f"{reverse('appointments:skills')}?medewerker={chosen.uuid}")
        except ValidationError as exc:
            apply_service_errors(
                skill_form if request.POST.get("soort") == "vaardigheid" else need_form, exc
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    scope = get_scope(user)
    coverage = []
    managed = [
        pk
        for pk in scope.organisation_ids
        if pk in scope.lead_organisation_ids or permissions.is_functional_admin(scope, pk)
    ]
    for organisation in Organisation.objects.filter(pk__in=managed).order_by("name"):
        rows = selectors.coverage(organisation)
        if rows:
            coverage.append((organisation, rows))
    return render(
        request,
        "appointments/skills.html",
        {
            "people": people,
            "chosen": chosen,
            "chosen_skills": StaffSkill.objects.filter(user=chosen).order_by("skill"),
            "chosen_needs": LearningNeed.objects.filter(user=chosen),
            "skill_form": skill_form,
            "need_form": need_form,
            "coverage": coverage,
            "skill_labels": [s.label for s in selectors.NEED_SKILLS],
            "skill_codes": selectors.NEED_SKILLS,
        },
        status=400 if (skill_form.errors or need_form.errors) else 200,
    )


# ---- pilot figures -------------------------------------------------------------------------------------
@login_required
def figures(request):
    scope = get_scope(request.user)
    permissions.require(permissions.can_read_reports, scope)
    today = timezone.localdate()
    weeks = 8
    start = today - dt.timedelta(weeks=weeks)
    rows = selectors.pilot_figures(request.user, date_from=start, date_to=today)
    return render(
        request,
        "appointments/figures.html",
        {"rows": rows, "start": start, "end": today},
    )


# ---- hours, desks and closures (functional admins) -----------------------------------------------------------
def _admin_locations(user):
    scope = get_scope(user)
    admin_orgs = [pk for pk in scope.organisation_ids if permissions.is_functional_admin(scope, pk)]
    if not admin_orgs:
        raise PermissionDenied(permissions.refusal(permissions.is_functional_admin))
    from django.db.models import Q

    from eenloket.organisations.models import Location

    return admin_orgs, (
        Location.objects.filter(
            Q(organisation_id__in=admin_orgs) | Q(guest_organisations__in=admin_orgs)
        )
        .distinct()
        .select_related("organisation")
        .order_by("city", "name")
    )


@login_required
def schedules(request):
    """Hours, desks and closures of one location. The location's municipality manages its desks
    and closures; each organisation (the municipality, a guest agency) its own hours and which
    of its services can be booked."""
    user = request.user
    admin_orgs, locations = _admin_locations(user)
    locations = list(locations)
    wanted = request.POST.get("locatie") or request.GET.get("locatie")
    location = next(
        (loc for loc in locations if str(loc.uuid) == wanted), locations[0] if locations else None
    )
    if location is None:
        raise Http404
    own = location.organisation_id in admin_orgs
    guests = set(location.guest_organisations.values_list("pk", flat=True))
    acting = Organisation.objects.get(
        pk=location.organisation_id if own else next(pk for pk in admin_orgs if pk in guests)
    )
    kind = request.POST.get("soort")
    posted = request.POST if request.method == "POST" else None
    desks = list(Desk.objects.filter(location=location).order_by("name"))
    bookable = list(BookableService.objects.filter(organisation=acting).select_related("service"))
    people = User.objects.filter(
        memberships__organisation=acting,
        is_active=True,
        memberships__role__in=sorted(CONTACT_ROLES),
    ).distinct()
    people = list(people.order_by("last_name", "first_name"))
    offered = (
        Service.objects.filter(organisation_type=acting.type, is_active=True)
        .filter(Q(tenant__isnull=True) | Q(tenant=acting))
        .order_by("name")
    )
    desk_form = DeskForm(posted if kind == "balie" else None)
    closure_form = ClosureForm(posted if kind == "sluiting" else None)
    bookable_form = BookableForm(posted if kind == "dienst" else None, services=offered)
    schedule_form = ScheduleForm(
        posted if kind == "spreekuur" else None,
        services=[b.service for b in bookable],
        desks=desks,
        staff=people,
        initial={"valid_from": timezone.localdate()},
    )
    back = f"{reverse('appointments:schedules')}?locatie={location.uuid}"
    if request.method == "POST":
        try:
            if kind == "balie" and desk_form.is_valid():
                services.save_desk(user=user, location=location, **desk_form.cleaned_data)
                messages.success(request, _("De balie is opgeslagen."))
                return redirect(back)
            if kind == "sluiting" and closure_form.is_valid():
                _closure, affected = services.add_closure(
                    user=user,
                    location=location,
                    organisation=None if own else acting,
                    **closure_form.cleaned_data,
                )
                if affected:
                    messages.warning(
                        request,
                        ngettext(
                            "De sluiting is vastgelegd. Er staat nog %(count)d afspraak op die "
                            "dagen: verzet of annuleer die.",
                            "De sluiting is vastgelegd. Er staan nog %(count)d afspraken op die "
                            "dagen: verzet of annuleer ze.",
                            len(affected),
                        )
                        % {"count": len(affected)},
                    )
                else:
                    messages.success(request, _("De sluiting is vastgelegd."))
                return redirect(back)
            if kind == "dienst" and bookable_form.is_valid():
                data = bookable_form.cleaned_data
                service = offered.filter(uuid=_uuid(data.pop("service"))).first()
                if service is None:
                    raise ValidationError({"service": [_("Kies een dienst.")]})
                services.set_bookable(user=user, organisation=acting, service=service, **data)
                messages.success(
                    request, _("%(service)s kan nu op afspraak.") % {"service": service.name}
                )
                return redirect(back)
            if kind == "spreekuur" and schedule_form.is_valid():
                data = schedule_form.cleaned_data
                chosen = set(data.pop("services"))
                desk_ids, staff_ids = set(data.pop("desks")), set(data.pop("staff"))
                services.save_schedule(
                    user=user,
                    location=location,
                    organisation=acting,
                    services=[b.service for b in bookable if str(b.service.uuid) in chosen],
                    desks=[d for d in desks if str(d.uuid) in desk_ids],
                    staff=[u for u in people if str(u.uuid) in staff_ids],
                    team=None,
                    **data,
                )
                messages.success(request, _("Het spreekuur is opgeslagen."))
                return redirect(back)
            if kind == "spreekuur-weg":
                schedule = Schedule.objects.filter(
                    uuid=_uuid(request.POST.get("spreekuur")), location=location
                ).first()
                if schedule is None:
                    raise Http404
                future = services.delete_schedule(user=user, schedule=schedule)
                text = _("Het spreekuur is verwijderd.")
                if future:
                    text += " " + ngettext(
                        "Er staat nog %(count)d afspraak; die blijft staan.",
                        "Er staan nog %(count)d afspraken; die blijven staan.",
                        future,
                    ) % {"count": future}
                messages.success(request, text)
                return redirect(back)
        except ValidationError as exc:
            form = {
                "balie": desk_form,
                "sluiting": closure_form,
                "dienst": bookable_form,
                "spreekuur": schedule_form,
            }.get(kind)
            if form is not None:
                apply_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    hours = (
        Schedule.objects.filter(location=location)
        .select_related("organisation", "team")
        .prefetch_related("services", "desks", "staff")
        .order_by("weekday", "starts", "organisation__name")
    )
    failed = any(f.errors for f in (desk_form, closure_form, bookable_form, schedule_form))
    return render(
        request,
        "appointments/schedules.html",
        {
            "locations": locations,
            "location": location,
            "own": own,
            "acting": acting,
            "hours": hours,
            "desks": desks,
            "bookable": bookable,
            "closures": Closure.objects.filter(
                location=location, ends_on__gte=timezone.localdate()
            ).select_related("organisation"),
            "desk_form": desk_form,
            "closure_form": closure_form,
            "bookable_form": bookable_form,
            "schedule_form": schedule_form,
            "admin_orgs": admin_orgs,
        },
        status=400 if failed else 200,
    )
