"""Screens of the Intermediairen Contact Punt.

For intermediaries (own layout, no staff menu): their reports, a new report, one report, the
second-factor step after /inloggen/, and accepting an invitation. For staff: the reports of
their team with the answer form, the overview per partner organisation and urgency, and the
functioneel beheerder's page (invite, deactivate, norms). Every change goes through
services.py, every read through selectors.py."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from eenloket.core import permissions
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.errors import NotFound
from eenloket.core.forms import apply_service_errors
from eenloket.organisations.models import PARTNER_TYPES, Organisation, Team
from eenloket.organisations.selectors import get_scope

from . import forms, selectors, services, states
from .models import Attachment, Intermediary

SESSION_INVITATION = "icp_invitation"


def _found(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _intermediary(request) -> Intermediary:
    profile = services.intermediary_of(request.user)
    if profile is None:
        raise PermissionDenied(_("Alleen een intermediair van het contactpunt mag dit."))
    return profile


# ---- the intermediary's pages ---------------------------------------------------------------------
@login_required
def home(request):
    profile = _intermediary(request)
    return render(
        request,
        "intermediaries/home.html",
        {"profile": profile, "reports": selectors.my_reports(request.user)},
    )


@login_required
def report_new(request):
    profile = _intermediary(request)
    form = forms.ReportForm(
        request.POST or None, request.FILES or None, may_attach=profile.may_attach
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.create_report(
                user=request.user,
                concern=data["concern"],
                urgency=data["urgency"],
                resident_name=data["resident_name"],
                resident_address=data["resident_address"],
                resident_phone=data["resident_phone"],
                consent=data["consent"],
                no_consent_reason=data["no_consent_reason"],
                attachments=request.FILES.getlist("attachments"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Dank u wel. Uw melding is verstuurd."))
            return redirect("intermediaries:detail", uuid=report.uuid)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "intermediaries/new.html", {"form": form, "profile": profile}, status=status
    )


@login_required
def report_detail(request, uuid):
    profile = _intermediary(request)
    view = _found(selectors.my_report, request.user, uuid)
    return render(request, "intermediaries/detail.html", {"report": view, "profile": profile})


def _safe_next(request, default):
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/icp/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


@login_required
def verify(request):
    """The second step after /inloggen/: the 6 digits from the authenticator app."""
    profile = _intermediary(request)
    home_url = reverse("intermediaries:home")
    if request.user.is_verified():
        return redirect(_safe_next(request, home_url))
    device = services.confirmed_device(request.user)
    form = forms.VerifyForm(request.POST or None)
    status = 200
    if device is None:
        return render(
            request, "intermediaries/verify.html", {"form": None, "profile": profile}, status=403
        )
    if request.method == "POST" and form.is_valid():
        problem = services.code_problem(device, form.cleaned_data["code"])
        if problem is None:
            otp_login(request, device)
            return redirect(_safe_next(request, home_url))
        form.add_error("code", problem)
        status = 400
    return render(
        request,
        "intermediaries/verify.html",
        {"form": form, "profile": profile, "next": _safe_next(request, "")},
        status=status,
    )


def accept(request, token):
    """The invitation link: choose a password and set up the app, in one form."""
    try:
        invitation = services.open_invitation(token)
    except ValidationError as exc:
        return render(
            request, "intermediaries/accept.html", {"problem": exc.messages[0]}, status=410
        )
    intermediary = invitation.intermediary
    device = services.enrolment_device(intermediary)
    form = forms.AcceptForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, device = services.accept_invitation(
                token=token,
                password=data["password"],
                password_again=data["password_again"],
                code=data["code"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            status = 400
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            messages.success(request, _("Welkom. Uw account is klaar."))
            return redirect("intermediaries:home")
    key = device.key.upper()
    from base64 import b32encode

    secret = b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return render(
        request,
        "intermediaries/accept.html",
        {
            "form": form,
            "intermediary": intermediary,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "uri": device.config_url,
        },
        status=status,
    )


# ---- staff: the reports of my team ----------------------------------------------------------------
@login_required
def staff_list(request):
    state = "closed" if request.GET.get("status") == "afgehandeld" else "open"
    reports = list(
        selectors.staff_reports(request.user, state=state).select_related("resident")[
            : selectors.LIST_LIMIT
        ]
    )
    selectors.log_report_reads(request.user, reports)  # the list shows the residents' names
    return render(
        request,
        "intermediaries/staff_list.html",
        {"reports": reports, "state": state, "now": timezone.now()},
    )


def _staff_detail(request, report, *, answer_form=None, link_form=None, status=200):
    who = services.parties(request.user, report)
    can_answer = bool(states.REPORT.available(report.state, who))
    return render(
        request,
        "intermediaries/staff_detail.html",
        {
            "report": report,
            "answer_form": answer_form or forms.AnswerForm(prefix="antwoord"),
            "link_form": link_form or forms.LinkForm(prefix="koppelen"),
            "can_answer": can_answer,
            "can_link": permissions.can_work_with_contacts_of(
                get_scope(request.user), report.organisation_id
            ),
            "attachments": report.attachments.defer("content"),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
def staff_detail(request, uuid):
    report = _found(selectors.get_staff_report, request.user, uuid)
    return _staff_detail(request, report)


@login_required
@require_POST
def staff_answer(request, uuid):
    report = _found(selectors.get_staff_report, request.user, uuid)
    form = forms.AnswerForm(request.POST, prefix="antwoord")
    if form.is_valid():
        try:
            services.answer_report(
                user=request.user,
                report=report,
                state=form.cleaned_data["state"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Uw antwoord is opgeslagen. De intermediair krijgt bericht.")
            )
            return redirect("intermediaries:staff-detail", uuid=report.uuid)
    return _staff_detail(request, report, answer_form=form, status=400)


@login_required
@require_POST
def staff_link(request, uuid):
    report = _found(selectors.get_staff_report, request.user, uuid)
    form = forms.LinkForm(request.POST, prefix="koppelen")
    if form.is_valid():
        if not form.cleaned_data["resident"]:
            form.add_error("resident", _("Vul het kenmerk van de inwoner in."))
        else:
            try:
                services.link_resident(
                    user=request.user, report=report, resident_uuid=form.cleaned_data["resident"]
                )
            except NotFound as exc:
                form.add_error("resident", str(exc))
            else:
                messages.success(request, _("De melding is gekoppeld aan de inwoner."))
                return redirect("intermediaries:staff-detail", uuid=report.uuid)
    return _staff_detail(request, report, link_form=form, status=400)


@login_required
def staff_attachment(request, uuid, attachment):
    report = _found(selectors.get_staff_report, request.user, uuid)
    found = Attachment.objects.filter(report=report, uuid=attachment).first()
    if found is None:
        raise Http404(_("Dit document bestaat niet."))
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.uuid}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- staff: overview and beheer ----------------------------------------------------------------------
def _month_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, 1, tzinfo=AMSTERDAM)


@login_required
def overview(request):
    municipality = selectors.overview_municipality(request.user)
    now = timezone.now()
    today = timezone.localdate()
    default_start = (today - dt.timedelta(days=90)).replace(day=1)
    form = forms.PeriodForm(request.GET or None, initial={"van": default_start, "tot": today})
    status = 200
    if form.is_bound and not form.is_valid():
        # A period it cannot show (year 1, 9999, the end before the start): the error, and the
        # default period, never a 500.
        start_day, end_day, status = default_start, today, 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        start_day = data.get("van") or default_start
        end_day = data.get("tot") or today
        if end_day < start_day:  # only one date was given; the default for the other misfits
            if data.get("van"):
                end_day = start_day
            else:
                start_day = (end_day - dt.timedelta(days=90)).replace(day=1)
    start = dt.datetime.combine(start_day, dt.time(0), tzinfo=AMSTERDAM)
    end = dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time(0), tzinfo=AMSTERDAM)
    rows = selectors.overview(municipality, start=start, end=end, now=now)
    norms = services.norms_for(municipality)
    return render(
        request,
        "intermediaries/overview.html",
        {
            "municipality": municipality,
            "rows": rows,
            "form": form,
            "period_error": form.is_bound and bool(form.errors),
            "start": start_day,
            "end": end_day,
            "norms": norms,
            "totals": {
                "total": sum(r.total for r in rows),
                "answered": sum(r.answered for r in rows),
                "within_norm": sum(r.within_norm for r in rows),
                "open_overdue": sum(r.open_overdue for r in rows),
            },
        },
        status=status,
    )


def _partner_organisations():
    return Organisation.objects.filter(type__in=PARTNER_TYPES).order_by("name")


def _beheer(request, municipality, *, invite_form=None, norms_form=None, status=200):
    norms = services.norms_for(municipality)
    teams = Team.objects.filter(organisation=municipality).order_by("name")
    return render(
        request,
        "intermediaries/beheer.html",
        {
            "municipality": municipality,
            "intermediaries": selectors.intermediaries_of(municipality),
            "invite_form": invite_form
            or forms.InviteForm(prefix="uitnodigen", organisations=_partner_organisations()),
            "norms_form": norms_form
            or forms.NormsForm(
                prefix="normen",
                teams=teams,
                initial={
                    "acute_working_days": norms.acute_working_days,
                    "urgent_working_days": norms.urgent_working_days,
                    "normal_working_days": norms.normal_working_days,
                    "intake_team": str(norms.intake_team.uuid) if norms.intake_team else "",
                },
            ),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
def beheer(request):
    municipality = selectors.managed_municipality(request.user)
    return _beheer(request, municipality)


@login_required
@require_POST
def beheer_invite(request):
    municipality = selectors.managed_municipality(request.user)
    organisations = _partner_organisations()
    form = forms.InviteForm(request.POST, prefix="uitnodigen", organisations=organisations)
    if form.is_valid():
        data = form.cleaned_data
        organisation = (
            organisations.filter(uuid=data["organisation"]).first()
            if data["organisation"]
            else None
        )
        try:
            intermediary, _token = services.invite(
                user=request.user,
                municipality=municipality,
                organisation=organisation,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                trust_level=data["trust_level"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s krijgt een e-mail met een link. De link is %(days)d dagen geldig.")
                % {"name": intermediary.user.get_full_name(), "days": services.INVITATION_DAYS},
            )
            return redirect("intermediaries:beheer")
    return _beheer(request, municipality, invite_form=form, status=400)


@login_required
@require_POST
def beheer_account(request, uuid, step):
    municipality = selectors.managed_municipality(request.user)
    intermediary = Intermediary.objects.filter(municipality=municipality, uuid=uuid).first()
    if intermediary is None:
        raise Http404(_("Deze intermediair bestaat niet."))
    try:
        if step == "uitschakelen":
            services.deactivate(user=request.user, intermediary=intermediary)
            messages.success(request, _("Het account werkt niet meer."))
        elif step == "opnieuw-uitnodigen":
            services.reinvite(user=request.user, intermediary=intermediary)
            messages.success(
                request, _("Er is een nieuwe link verstuurd. De oude werkt niet meer.")
            )
            if services.confirmed_device(intermediary.user) is not None:
                messages.info(
                    request,
                    _(
                        "Deze persoon kan met de oude app inloggen tot de nieuwe link is "
                        "gebruikt. Daarna werkt alleen de nieuwe app."
                    ),
                )
        else:
            raise Http404(_("Deze stap bestaat niet."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("intermediaries:beheer")


@login_required
@require_POST
def beheer_norms(request):
    municipality = selectors.managed_municipality(request.user)
    teams = Team.objects.filter(organisation=municipality).order_by("name")
    form = forms.NormsForm(request.POST, prefix="normen", teams=teams)
    if form.is_valid():
        data = form.cleaned_data
        team = teams.filter(uuid=data["intake_team"]).first() if data["intake_team"] else None
        try:
            services.save_norms(
                user=request.user,
                municipality=municipality,
                acute_working_days=data["acute_working_days"],
                urgent_working_days=data["urgent_working_days"],
                normal_working_days=data["normal_working_days"],
                intake_team=team,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("De termijnen zijn opgeslagen."))
            return redirect("intermediaries:beheer")
    return _beheer(request, municipality, norms_form=form, status=400)
