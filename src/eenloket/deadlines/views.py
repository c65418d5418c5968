"""Staff screens of legal terms: the dashboard per organisation and team (terms ending this week,
passed, and the figures of a period), registering a request, one request with its steps, and a
term calculator that shows how a date is counted. Steps go through services.py, reads through
selectors.py; the buttons come from the state table (states.REQUEST)."""

import datetime as dt
import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eenloket.core import permissions
from eenloket.core.calendar import statutory_holidays
from eenloket.core.errors import NotFound
from eenloket.core.formatting import long_date
from eenloket.core.forms import apply_service_errors
from eenloket.core.models import EquatedDay
from eenloket.core.terms import TermError, compute_due_date
from eenloket.organisations.models import Membership, Organisation, Team
from eenloket.organisations.selectors import get_scope

from . import selectors, services
from .forms import (
    CalculatorForm,
    DecideForm,
    DefaultForm,
    EquatedDayForm,
    ExtendForm,
    NoticeForm,
    PeriodForm,
    RegisterForm,
    ResumeForm,
    SuspendForm,
    WithdrawForm,
)
from .models import Start

ACTION_FORMS = {
    "opschorten": SuspendForm,
    "hervatten": ResumeForm,
    "verlengen": ExtendForm,
    "vertragingsbericht": NoticeForm,
    "ingebrekestelling": DefaultForm,
    "besluit": DecideForm,
    "intrekken": WithdrawForm,
}


def _uuid(value):
    try:
        return uuid_lib.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


# ---- the dashboard --------------------------------------------------------------------------------
@login_required
def dashboard(request):
    scope = get_scope(request.user)
    organisations = list(selectors.report_organisations(request.user))
    if not organisations:
        raise PermissionDenied(_("U werkt niet met verzoeken van inwoners."))
    wanted = _uuid(request.GET.get("organisatie"))
    organisation = next((o for o in organisations if o.uuid == wanted), organisations[0])
    teams = list(Team.objects.filter(organisation=organisation).order_by("name"))
    if "team" in request.GET:
        wanted_team = _uuid(request.GET.get("team"))
    else:  # first visit: the user's own team
        wanted_team = next(
            (
                m.team.uuid
                for m in Membership.objects.filter(
                    user=request.user, organisation=organisation, team__isnull=False
                ).select_related("team")
            ),
            None,
        )
    team = next((t for t in teams if t.uuid == wanted_team), None)
    today = timezone.localdate()
    period = PeriodForm(request.GET or None)
    start, end = _quarter_start(today), today
    if period.is_valid():
        start = period.cleaned_data.get("van") or start
        end = period.cleaned_data.get("tot") or end
    if end < start:
        start, end = end, start
    period = PeriodForm(initial={"van": start, "tot": end})
    works_here = organisation.pk in scope.contact_organisation_ids
    lists = (
        selectors.watch_lists(request.user, organisation, team=team, on=today)
        if works_here
        else None
    )
    if lists:
        shown = lists["this_week"] + lists["passed"]
        for row in shown:
            row.penalty_now = services.penalty(row, today)
        selectors.log_list(request.user, shown)
    return render(
        request,
        "deadlines/dashboard.html",
        {
            "organisations": organisations,
            "organisation": organisation,
            "teams": teams,
            "team": team,
            "lists": lists,
            "works_here": works_here,
            "figures": selectors.figures(organisation, start=start, end=end, team=team, on=today),
            "period": period,
            "start": start,
            "end": end,
            "today": today,
        },
    )


# ---- registering --------------------------------------------------------------------------------------
def _organisation_for(user, wanted=None):
    scope = get_scope(user)
    ids = scope.contact_organisation_ids
    if not ids:
        raise PermissionDenied(_("Alleen medewerkers die met inwoners werken kunnen dit."))
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    chosen = next((o for o in organisations if o.uuid == wanted), None)
    primary = next((o for o in organisations if o.pk == scope.primary_organisation_id), None)
    return chosen or primary or organisations[0], organisations


@login_required
def register(request):
    permissions.require(permissions.can_work_with_contacts, get_scope(request.user))
    source = request.POST if request.method == "POST" else request.GET
    organisation, organisations = _organisation_for(request.user, _uuid(source.get("organisatie")))
    resident = contact = None
    try:
        if source.get("contact"):
            from eenloket.contacts.selectors import get_contact

            contact = get_contact(request.user, _uuid(source["contact"]))
            resident = contact.resident
        elif source.get("inwoner"):
            from eenloket.residents.selectors import get_resident

            resident = get_resident(request.user, _uuid(source["inwoner"])).resident
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    types = list(services.usable_types(organisation).order_by("name"))
    teams = list(Team.objects.filter(organisation=organisation).order_by("name"))
    handlers = [
        m.user
        for m in Membership.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    ]
    handlers = list({u.pk: u for u in handlers}.values())
    mine = next(
        (
            m.team
            for m in Membership.objects.filter(
                user=request.user, organisation=organisation, team__isnull=False
            ).select_related("team")
        ),
        None,
    )
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        types=types,
        teams=teams,
        handlers=handlers,
        initial={
            "received_on": timezone.localdate(),
            "team": str(mine.uuid) if mine else "",
            "handler": str(request.user.uuid),
            "subject": contact.question[:200]
            if contact and getattr(contact, "question", "")
            else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.register(
                user=request.user,
                organisation=organisation,
                request_type=next((t for t in types if str(t.uuid) == data["request_type"]), None),
                subject=data["subject"],
                team=next((t for t in teams if str(t.uuid) == data["team"]), None),
                handler=next((u for u in handlers if str(u.uuid) == data["handler"]), None),
                received_on=data["received_on"],
                decision_published_on=data["decision_published_on"],
                advisory_committee=data["advisory_committee"],
                zaak_url=data["zaak_url"],
                resident=resident,
                contact=contact,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Het verzoek is vastgelegd. Uiterlijk besluiten op %(date)s.")
                % {"date": long_date(created.due_date)},
            )
            return redirect("deadlines:detail", uuid=created.uuid)
    return render(
        request,
        "deadlines/register.html",
        {
            "form": form,
            "organisation": organisation,
            "organisations": organisations,
            "resident": resident,
            "contact": contact,
            "objection_codes": [
                str(t.uuid) for t in types if t.starts == Start.OBJECTION_PERIOD_END
            ],
        },
    )


# ---- one request ----------------------------------------------------------------------------------------
def _detail_context(user, obj, forms=None):
    today = timezone.localdate()
    forms = forms or {}
    buttons = selectors.buttons(user, obj)
    initial = {
        "opschorten": {"starts_on": today},
        "hervatten": {"ends_on": today},
        "ingebrekestelling": {"received_on": today},
        "besluit": {"decided_on": today},
    }
    action_forms = {
        slug: forms.get(slug) or form_class(initial=initial.get(slug), prefix=slug)
        for slug, form_class in ACTION_FORMS.items()
        if slug in buttons
    }
    days, euros = services.penalty(obj, today)
    return {
        "obj": obj,
        "buttons": buttons,
        "forms": action_forms,
        "penalty_days": days,
        "penalty_euros": euros,
        "late": obj.is_open and obj.due_date is not None and obj.due_date < today,
        "due_today": obj.is_open and obj.due_date == today,
        # Counted again in the reader's language (the stored text is the Dutch one).
        "explanation": services.count(obj).explanation,
        "today": today,
    }


@login_required
def detail(request, uuid):
    permissions.require(permissions.can_work_with_contacts, get_scope(request.user))
    obj = selectors.get_request(request.user, uuid)
    return render(request, "deadlines/detail.html", _detail_context(request.user, obj))


@login_required
@require_POST
def action(request, uuid, action):
    permissions.require(permissions.can_work_with_contacts, get_scope(request.user))
    obj = selectors.get_request(request.user, uuid, log=False)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, prefix=action)
    user = request.user
    try:
        if not form.is_valid():
            raise ValidationError(_("Controleer wat u heeft ingevuld."))
        data = form.cleaned_data
        if action == "opschorten":
            services.suspend(user=user, request=obj, **data)
            done = _("De termijn staat stil.")
        elif action == "hervatten":
            result = services.resume(user=user, request=obj, **data)
            done = _("De termijn loopt weer. Nieuwe einddatum: %(date)s.") % {
                "date": long_date(result.due_date)
            }
        elif action == "verlengen":
            weeks = data.pop("weeks")
            ext = services.extend(
                user=user, request=obj, term=f"P{weeks}W" if weeks else "", **data
            )
            done = _(
                "De termijn is verlengd tot %(date)s. De inwoner krijgt bericht (%(channel)s)."
            ) % {
                "date": long_date(ext.due_date_after),
                "channel": ext.notice.get_channel_display().lower(),
            }
        elif action == "vertragingsbericht":
            notice = services.send_delay_notice(user=user, request=obj, **data)
            done = _("Het bericht gaat naar de inwoner (%(channel)s).") % {
                "channel": notice.get_channel_display().lower()
            }
            if not notice.timely:
                done += " " + _("Het is te laat verstuurd: de termijn was al voorbij.")
            elif hasattr(notice, "extension"):
                done += " " + _("De nieuwe einddatum is %(date)s (Awb 4:14 lid 3).") % {
                    "date": long_date(notice.extension.due_date_after)
                }
        elif action == "ingebrekestelling":
            services.record_default_notice(user=user, request=obj, **data)
            done = _("De ingebrekestelling is vastgelegd.")
        elif action == "besluit":
            result = services.decide(user=user, request=obj, **data)
            done = (
                _("Het besluit is vastgelegd: op tijd.")
                if result.decided_in_time
                else _("Het besluit is vastgelegd: te laat.")
            )
        else:
            services.withdraw(user=user, request=obj, **data)
            done = _("Het verzoek is ingetrokken.")
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            apply_service_errors(form, exc)
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        obj = selectors.get_request(user, uuid, log=False)
        context = _detail_context(user, obj, {action: form})
        context["open_panel"] = action
        return render(request, "deadlines/detail.html", context, status=400)
    messages.success(request, done)
    return redirect("deadlines:detail", uuid=obj.uuid)


# ---- the calculator ------------------------------------------------------------------------------------
@login_required
def calculator(request):
    permissions.require(permissions.is_staff_member, get_scope(request.user))
    form = CalculatorForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        try:
            result = compute_due_date(
                start=form.cleaned_data["start"],
                term=form.cleaned_data["iso"],
                regime=form.cleaned_data["regime"],
            )
        except (TermError, OverflowError, ValueError):
            # Beyond the calendar (year 9999): say so in the form, not with a 500.
            form.add_error(
                "amount", _("Deze termijn loopt voorbij het jaar 9999. Kies een kortere termijn.")
            )
    return render(
        request,
        "deadlines/calculator.html",
        {"form": form, "result": result, "api": reverse("deadlines-due-date")},
    )


# ---- days equated with a holiday ------------------------------------------------------------------
@login_required
def holidays(request):
    """The year's public holidays (Atw art. 3) and the days equated with them by royal decree;
    an application manager with the right keeps the equated days."""
    permissions.require(permissions.is_staff_member, get_scope(request.user))
    today = timezone.localdate()
    try:
        year = int(request.GET.get("jaar", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2199)
    may = services.may_equate(request.user)
    removal_failed = False
    form = EquatedDayForm(
        request.POST
        if request.method == "POST" and may and "verwijder" not in request.POST
        else None
    )
    if request.method == "POST":
        if not may:
            raise PermissionDenied(
                _("Alleen een beheerder met dit recht mag gelijkgestelde dagen vastleggen.")
            )
        if "verwijder" in request.POST:
            wanted = request.POST["verwijder"].strip()
            equated = (
                EquatedDay.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
            )
            if equated is None:
                # Not a day in the list (a bad or old form): say so on the page, not a 500.
                messages.error(
                    request,
                    _(
                        "Deze dag staat niet (meer) in de lijst. Kies een dag uit de lijst hieronder."
                    ),
                )
                removal_failed = True
            else:
                services.remove_equated_day(user=request.user, equated=equated)
                messages.success(request, _("De dag is uit de lijst gehaald."))
                return redirect(f"{reverse('deadlines:holidays')}?jaar={equated.day.year}")
        if form.is_valid():
            try:
                made = services.add_equated_day(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(day)s telt nu mee als feestdag voor elke termijn.")
                    % {"day": long_date(made.day)},
                )
                return redirect(f"{reverse('deadlines:holidays')}?jaar={made.day.year}")
    return render(
        request,
        "deadlines/holidays.html",
        {
            "year": year,
            "previous": year - 1,
            "next": year + 1,
            "statutory": statutory_holidays(year),
            "equated": EquatedDay.objects.filter(day__year=year).order_by("day"),
            "may": may,
            "form": form,
        },
        status=400 if removal_failed or (form.is_bound and form.errors) else 200,
    )
