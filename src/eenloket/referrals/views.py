"""Staff screens for warm referrals, live consults ("collega erbij halen") and the social
counsellor. Every state change goes through services.py; every read through selectors.py.
A refused step shows its message and changes nothing; it is never a server error."""

import hashlib
import math
import uuid as uuid_module

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from eenloket.catalogue import selectors as catalogue_selectors
from eenloket.contacts import selectors as contact_selectors
from eenloket.contacts.models import ContactMoment
from eenloket.core import permissions
from eenloket.core.errors import NotFound
from eenloket.core.forms import apply_service_errors
from eenloket.organisations.models import Organisation, OrganisationType, Team
from eenloket.organisations.selectors import get_scope, locations_for_scope
from eenloket.residents.models import PreferredChannel

from . import selectors, services, states
from .forms import AssignForm, ConsultForm, DutyForm, ReferralForm, ReReferForm
from .models import ConsultState, Referral, ReferralKind, SharedItem


# ---- helpers ------------------------------------------------------------------------------------
def _require_contacts(user):
    permissions.require(permissions.can_work_with_contacts, get_scope(user))


def _contact_or_404(user, uuid):
    _require_contacts(user)
    try:
        return contact_selectors.get_contact(user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _referral_or_404(user, uuid):
    try:
        return selectors.get_referral(user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _consult_or_404(user, uuid):
    _require_contacts(user)
    try:
        return selectors.get_consult(user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("U mag dit niet doen.")


def _posted(request):
    """The POST data for a form, also when it is empty (an empty POST is still a submit)."""
    return request.POST if request.method == "POST" else None


def _kind_of(request) -> str:
    kind = request.POST.get("soort") or request.GET.get("soort") or ""
    return ReferralKind.COUNSELLOR if kind == ReferralKind.COUNSELLOR else ReferralKind.WARM


def _service_choices(user):
    return catalogue_selectors.services_for(catalogue_selectors.tenant_for(user))


# ---- making a referral --------------------------------------------------------------------------
@login_required
def referral_create(request, uuid):
    """Refer the resident of a contact warmly (or to the social counsellor)."""
    contact = _contact_or_404(request.user, uuid)
    kind = _kind_of(request)
    form = ReferralForm(
        _posted(request),
        contact=contact,
        kind=kind,
        services=_service_choices(request.user),
        initial=_referral_initial(request, kind, contact),
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.create_referral(
                user=request.user, contact=contact, kind=kind, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("De doorverwijzing is verstuurd naar %(org)s.")
                % {"org": referral.to_organisation.name},
            )
            return redirect("referrals:detail", uuid=referral.uuid)
    return _referral_form_page(request, contact, form, kind)


def _referral_form_page(request, contact, form, kind, consult=None):
    is_counsellor = kind == ReferralKind.COUNSELLOR
    return render(
        request,
        "referrals/form.html",
        {
            "contact": contact,
            "form": form,
            "kind": kind,
            "is_counsellor": is_counsellor,
            "counsellor": _counsellor_for(contact, form) if is_counsellor else {},
            "consult": consult,
        },
    )


def _referral_initial(request, kind, contact) -> dict:
    initial = {}
    wanted = request.GET.get("organisatie") or request.GET.get("to_organisation") or ""
    if kind == ReferralKind.COUNSELLOR:
        first = (
            Organisation.objects.filter(type=OrganisationType.SOCIAAL_RAADSLIEDEN)
            .order_by("pk")
            .first()
        )
        if first is not None:
            initial["to_organisation"] = first.uuid
    elif wanted:
        initial["to_organisation"] = wanted
    elif contact.service_id:
        # The service is prefilled from the contact: so is the organisation that delivers it.
        organisation = selectors.delivering_organisation(contact.service, request.user, contact)
        if organisation is not None:
            initial["to_organisation"] = organisation.uuid
    return initial


@login_required
def referral_choices(request, uuid):
    """The htmx partial of the referral form: the teams and services of the organisation just
    chosen. Shows nothing of the resident, so it is no read of their data (no log)."""
    _require_contacts(request.user)
    contact = _own_contact_or_404(request.user, uuid)
    kind = _kind_of(request)
    form = ReferralForm(
        contact=contact,
        kind=kind,
        services=_service_choices(request.user),
        # Exactly what was chosen: no organisation chosen lists all teams and services.
        initial={"to_organisation": request.GET.get("to_organisation", "")},
    )
    return render(request, "referrals/_referral_choices.html", {"form": form})


def _own_contact_or_404(user, uuid):
    """A contact of the user's organisation, for partials that show nothing of the resident
    (contact_selectors.get_contact logs a read: these are none)."""
    try:
        return (
            contact_selectors.visible_contacts(user)
            .select_related("organisation", "location", "resident", "service")
            .get(uuid=uuid)
        )
    except (ContactMoment.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404(_("Dit contactmoment bestaat niet of u mag het niet zien.")) from exc


def _counsellor_for(contact, form) -> dict:
    """The nearest counsellor's details to hand over, for the organisation chosen (or the
    first social counsellor organisation)."""
    organisation = None
    if form.is_bound and form.is_valid():
        organisation = form.cleaned_data.get("to_organisation")
    return selectors.nearest_counsellor(contact, organisation)


# ---- one referral ---------------------------------------------------------------------------------
@login_required
def referral_detail(request, uuid):
    view = _referral_or_404(request.user, uuid)
    referral = view.referral
    events = list(referral.events.select_related("actor"))
    actions = selectors.referral_buttons(request.user, view.referral)
    next_referral = None
    if view.is_sender:
        next_referral = Referral.objects.filter(previous=referral).only("uuid").first()
    return render(
        request,
        "referrals/detail.html",
        {
            "view": view,
            "referral": referral,
            "events": events,
            "contacts": selectors.receiving_contacts(referral),
            "actions": actions,
            "assign_form": AssignForm(colleagues=selectors.handover_colleagues(referral))
            if "overdragen" in actions
            else None,
            "next_referral": next_referral,
            "is_counsellor": referral.kind == ReferralKind.COUNSELLOR,
            "channel_label": _label(PreferredChannel, referral.preferred_channel),
            "shared_labels": [_label(SharedItem, item) for item in referral.shared or ()],
        },
    )


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _do_claim(request, referral):
    services.claim(user=request.user, referral=referral)
    return _("U heeft de doorverwijzing opgepakt.")


def _do_assign(request, referral):
    form = AssignForm(request.POST, colleagues=selectors.handover_colleagues(referral))
    if not form.is_valid():
        raise ValidationError(_("Kies een collega uit de lijst."))
    colleague = form.cleaned_data["to_user"]
    services.assign(user=request.user, referral=referral, to_user=colleague)
    return _("De doorverwijzing is overgedragen aan %(name)s.") % {
        "name": colleague.get_full_name()
    }


def _do_accept(request, referral):
    services.accept(user=request.user, referral=referral, note=request.POST.get("note", ""))
    return _("U heeft de doorverwijzing geaccepteerd. Neem op tijd contact op met de inwoner.")


def _do_return(request, referral):
    services.return_referral(
        user=request.user, referral=referral, reason=request.POST.get("reason", "")
    )
    return _("De doorverwijzing is teruggestuurd naar %(org)s.") % {
        "org": referral.from_organisation.name
    }


def _do_contacted(request, referral):
    services.mark_contacted(user=request.user, referral=referral, note=request.POST.get("note", ""))
    return _("Vastgelegd: u heeft de inwoner gesproken.")


def _do_helped(request, referral):
    services.mark_helped(
        user=request.user, referral=referral, feedback=request.POST.get("feedback", "")
    )
    return _("Vastgelegd: de inwoner is geholpen. De doorverwijzer ziet uw terugkoppeling.")


def _do_close(request, referral):
    services.close(user=request.user, referral=referral, reason=request.POST.get("reason", ""))
    return _("De doorverwijzing is afgesloten.")


HANDLERS = {  # per action of the table; re-referring has a page of its own (referral_rerefer)
    "claim": _do_claim,
    "assign": _do_assign,
    "accept": _do_accept,
    "return": _do_return,
    "contacted": _do_contacted,
    "helped": _do_helped,
    "close": _do_close,
}
# The URL slug of each button (states.REFERRAL) → its handler.
ACTIONS = {
    row.slug: HANDLERS[row.action] for row in states.REFERRAL.steps if row.action in HANDLERS
}


@login_required
@require_POST
def referral_action(request, uuid, action):
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404(_("Deze stap bestaat niet."))
    try:
        referral = selectors.referral_for_step(request.user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    try:
        message = handler(request, referral)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, message)
    return redirect("referrals:detail", uuid=referral.uuid)


@login_required
def referral_rerefer(request, uuid):
    """A returned referral: refer the resident again, to the right place."""
    view = _referral_or_404(request.user, uuid)
    referral = view.referral
    if "opnieuw-doorverwijzen" not in selectors.referral_buttons(request.user, view.referral):
        try:
            states.REFERRAL.check(
                "rerefer", referral.state, selectors.referral_parties(request.user, referral)
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        return redirect("referrals:detail", uuid=referral.uuid)
    # htmx asks again with the organisation just chosen: its teams replace the list.
    form = ReReferForm(
        _posted(request), initial={"to_organisation": request.GET.get("to_organisation", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.rerefer(user=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, _error_text(exc))
            return redirect("referrals:detail", uuid=referral.uuid)
        else:
            messages.success(
                request,
                _("De inwoner is opnieuw doorverwezen naar %(org)s.")
                % {"org": new.to_organisation.name},
            )
            return redirect("referrals:detail", uuid=new.uuid)
    return render(request, "referrals/rerefer.html", {"referral": referral, "form": form})


# ---- work lists ----------------------------------------------------------------------------------
TABS = (
    ("nieuw", gettext_lazy("Nieuw")),
    ("te-laat", gettext_lazy("Te laat")),
    ("mijn", gettext_lazy("Mijn")),
    ("open", gettext_lazy("Alle open")),
    ("verstuurd", gettext_lazy("Verstuurd")),
)


@login_required
def worklist(request):
    _require_contacts(request.user)
    name = request.GET.get("lijst", "nieuw")
    if name not in dict(TABS):
        name = "nieuw"
    rows = selectors.worklist(request.user, name)
    selectors.log_list_shown(
        request.user, rows, channel="ui", object_type="work-list", with_bsn=False
    )
    counts = selectors.worklist_counts(request.user, dict(TABS))
    tabs = [(key, label, counts.get(key, 0)) for key, label in TABS]
    return render(
        request,
        "referrals/worklist.html",
        {
            "rows": rows,
            "current": name,
            "current_label": dict(TABS)[name],
            "tabs": tabs,
            "sent": name == "verstuurd",
        },
    )


# ---- the social counsellor -----------------------------------------------------------------------
@login_required
def counsellor_report(request):
    """Referrals to the social counsellor per municipality per year (decision VI)."""
    permissions.require(permissions.can_read_reports, get_scope(request.user))
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - 6, -1))
    try:
        year = int(request.GET.get("jaar", this_year))
    except (TypeError, ValueError):
        year = this_year
    if year not in years:
        year = this_year
    rows = selectors.counsellor_counts(year)
    return render(
        request,
        "referrals/counsellor_report.html",
        {
            "rows": rows,
            "year": year,
            "years": years,
            "total": sum(r["count"] for r in rows),
            "total_mentioned": sum(r["mentioned"] for r in rows),
        },
    )


# ---- live consults: on duty ----------------------------------------------------------------------
def _open_key(duty, consults) -> str:
    raw = f"{duty.pk if duty else 0}:{','.join(str(c.uuid) for c in consults)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


_NOT_KNOWN = object()


def _open_context(user, duty=_NOT_KNOWN):
    """The duty and the requests waiting for it (`duty` when the caller already has it)."""
    if duty is _NOT_KNOWN:
        duty = selectors.current_duty(user)
    consults = selectors.open_consults_for(user, duty=duty) if duty else []
    return {"duty": duty, "consults": consults, "open_key": _open_key(duty, consults)}


def _log_open_shown(user, context) -> None:
    """The requests shown (each with the resident's question) are a read: logged each time
    they are rendered, not on the polls that change nothing (204)."""
    if context["consults"]:
        selectors.log_consults_shown(
            user,
            context["consults"],
            channel="ui",
            organisation_code=context["duty"].organisation.code,
        )


@login_required
def duty(request):
    """Start or see your duty for live consults, and the requests waiting for you."""
    _require_contacts(request.user)
    scope = get_scope(request.user)
    current = selectors.current_duty(request.user)
    initial = {}
    if current is not None:  # the form shows the duty as it is now
        initial = {"location": current.location.uuid, "reachable": current.reachable}
    form = DutyForm(_posted(request), locations=locations_for_scope(scope), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.start_duty(
                user=request.user,
                location=form.cleaned_data["location"],
                reachable=form.cleaned_data["reachable"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("U bent in dienst op %(location)s tot %(until)s.")
                % {
                    "location": period.location.name,
                    "until": timezone.localtime(period.until).strftime("%H:%M"),
                },
            )
            return redirect("referrals:duty")
    context = _open_context(request.user, current)
    _log_open_shown(request.user, context)
    return render(request, "referrals/duty.html", {"form": form, **context})


@login_required
@require_POST
def duty_stop(request):
    _require_contacts(request.user)
    services.end_duty(user=request.user)
    messages.success(request, _("U bent niet meer in dienst voor overleg."))
    return redirect("referrals:duty")


@login_required
def open_consults(request):
    """The htmx partial, polled every 3 seconds: requests waiting for this colleague.
    Unchanged since the last poll: 204 (htmx keeps the page as it is, screen readers stay quiet)."""
    _require_contacts(request.user)
    context = _open_context(request.user)
    if request.htmx and request.GET.get("k") == context["open_key"]:
        return HttpResponse(status=204)
    _log_open_shown(request.user, context)
    return render(request, "referrals/_open_consults.html", context)


# ---- live consults: asking -----------------------------------------------------------------------
def _consult_form(request, contact, data=None, initial=None):
    """The consult form for a contact: the location where the requester is (chosen, or the
    default), and per organisation how many colleagues are on duty for that location."""
    return ConsultForm(
        data,
        organisations=Organisation.objects.exclude(pk=contact.organisation_id),
        locations=selectors.consult_locations(contact),
        default_location=selectors.default_consult_location(request.user, contact),
        count_on_duty=selectors.on_duty_counts,
        initial=initial or {},
    )


@login_required
def consult_request(request, uuid):
    """Ask for an on-duty colleague of another organisation, from an open contact."""
    contact = _contact_or_404(request.user, uuid)
    form = _consult_form(request, contact, _posted(request), {"question": contact.question})
    nobody = None
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["to_organisation"]
        try:
            consult = services.request_consult(
                user=request.user,
                contact=contact,
                to_organisation=organisation,
                question=form.cleaned_data["question"],
                location=form.cleaned_data["location"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            if "nobody_on_duty" in _codes(exc):
                nobody = organisation
        else:
            # No message here: the consult page says what happens, and keeps saying it as
            # the state changes.
            return redirect("referrals:consult", uuid=consult.uuid)
    return render(
        request,
        "referrals/consult_form.html",
        {"contact": contact, "form": form, "nobody_on_duty": nobody},
    )


def _codes(exc: ValidationError) -> set:
    errors = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    return {e.code for group in errors for e in group}


@login_required
def consult_organisations(request, uuid):
    """The htmx partial of the consult form: the organisations with how many colleagues are on
    duty for the location just chosen. Shows nothing of the resident (no log)."""
    _require_contacts(request.user)
    contact = _own_contact_or_404(request.user, uuid)
    initial = {
        "location": request.GET.get("location", ""),
        "to_organisation": request.GET.get("to_organisation", ""),
    }
    form = _consult_form(request, contact, initial=initial)
    return render(request, "referrals/_consult_organisations.html", {"form": form})


def _status_context(user, consult) -> dict:
    now = timezone.now()
    state = states.consult_state(consult, now)
    minutes_left = 0
    if state == ConsultState.OPEN:
        minutes_left = max(1, math.ceil((consult.expires_at - now).total_seconds() / 60))
    parties = selectors.consult_parties(user, consult, now)
    actions = states.CONSULT.slugs(state, parties, consult)
    return {
        "consult": consult,
        "state": state,
        "is_open": state == ConsultState.OPEN,
        "minutes_left": minutes_left,
        "is_requester": states.REQUESTER in parties,
        "actions": actions,
        # While it is open the page waits for a colleague (and offers to withdraw); once nobody
        # came or it was withdrawn, it offers the referral and the appointment instead.
        "can_convert": state != ConsultState.OPEN and {"doorverwijzen", "afspraak"} <= actions,
        "status_key": f"{state}-{minutes_left}",
    }


@login_required
def consult_detail(request, uuid):
    consult = _consult_or_404(request.user, uuid)
    selectors.log_consults_shown(request.user, [consult], channel="ui")
    return render(request, "referrals/consult_detail.html", _status_context(request.user, consult))


@login_required
def consult_status(request, uuid):
    """The htmx partial the requester's page polls every 3 seconds."""
    consult = _consult_or_404(request.user, uuid)
    context = _status_context(request.user, consult)
    if request.htmx and request.GET.get("k") == context["status_key"]:
        return HttpResponse(status=204)
    # Logged when something is shown (the state changed), not on every quiet poll.
    selectors.log_consults_shown(request.user, [consult], channel="ui")
    return render(request, "referrals/_consult_status.html", context)


@login_required
@require_POST
def consult_accept(request, uuid):
    consult = _consult_or_404(request.user, uuid)
    try:
        services.accept_consult(user=request.user, consult=consult)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
        return redirect("referrals:duty")
    messages.success(
        request,
        _("U heeft het overleg aangenomen. Neem nu contact op met %(name)s.")
        % {"name": consult.requester.get_full_name()},
    )
    return redirect("referrals:consult", uuid=consult.uuid)


@login_required
@require_POST
def consult_cancel(request, uuid):
    consult = _consult_or_404(request.user, uuid)
    try:
        services.cancel_consult(user=request.user, consult=consult)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("U heeft het overleg ingetrokken."))
    return redirect("referrals:consult", uuid=consult.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def consult_appointment(request, uuid):
    """GET: book a real appointment for the resident (the appointments screen, with this consult
    as the source: the booking turns the consult into an appointment). POST: record an
    appointment made elsewhere, with a note (as the API's to-appointment)."""
    consult = _consult_or_404(request.user, uuid)
    if request.method == "GET":
        return redirect(f"{reverse('appointments:staff-book')}?overleg={consult.uuid}")
    try:
        services.consult_to_appointment(
            user=request.user, consult=consult, note=request.POST.get("note", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("De afspraak is vastgelegd bij het overleg."))
    return redirect("referrals:consult", uuid=consult.uuid)


@login_required
def consult_referral(request, uuid):
    """Nobody took the consult: make it a warm referral to the same organisation."""
    consult = _consult_or_404(request.user, uuid)
    if "doorverwijzen" not in _status_context(request.user, consult)["actions"]:
        messages.error(
            request,
            _("Alleen wie het overleg vroeg, kan een open of verlopen overleg omzetten."),
        )
        return redirect("referrals:consult", uuid=consult.uuid)
    contact = _contact_or_404(request.user, consult.contact.uuid)
    form = ReferralForm(
        _posted(request),
        contact=contact,
        organisations=Organisation.objects.filter(pk=consult.to_organisation_id),
        services=_service_choices(request.user),
        # Not the resident's question: the reason is always shown to the receiver, the question
        # only when the resident agrees to share it.
        initial={
            "to_organisation": consult.to_organisation.uuid,
            "reason": _("Een collega erbij halen lukte niet. Neem contact op met de inwoner."),
        },
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_kwargs()
        fields.pop("to_organisation", None)
        try:
            referral = services.consult_to_referral(user=request.user, consult=consult, **fields)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, _error_text(exc))
            return redirect("referrals:consult", uuid=consult.uuid)
        else:
            messages.success(
                request,
                _("Het overleg is omgezet in een doorverwijzing naar %(org)s.")
                % {"org": referral.to_organisation.name},
            )
            return redirect("referrals:detail", uuid=referral.uuid)
    return _referral_form_page(request, contact, form, ReferralKind.WARM, consult)


@login_required
def contact_persons(request):
    """Directory in context: the named contact persons and direct numbers of the organisation
    (and team) chosen in the referral form, loaded with htmx when the choice changes."""
    _require_contacts(request.user)
    organisation = Organisation.objects.filter(
        uuid=_uuid_or_none(request.GET.get("to_organisation"))
    ).first()
    team = Team.objects.filter(uuid=_uuid_or_none(request.GET.get("to_team"))).first()
    people = []
    if organisation is not None:
        people = selectors.contact_persons(
            organisation.pk, team.pk if team and team.organisation_id == organisation.pk else None
        )
    return render(
        request,
        "referrals/_contact_persons.html",
        {"organisation": organisation, "people": people},
    )


def _uuid_or_none(value):
    try:
        return uuid_module.UUID(str(value))
    except (TypeError, ValueError):
        return None
