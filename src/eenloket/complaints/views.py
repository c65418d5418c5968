"""Staff screens of complaints (list, register, one complaint with each organisation's part and
its steps, the assign screen with the candidate list, the employee's copy, the yearly overview
with CSV/JSON, the lessons) and the resident's public form with its receipt. Every change goes
through services.py, every read through selectors.py."""

import csv
import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eenloket.contacts.models import ContactMoment
from eenloket.core import permissions
from eenloket.core.errors import NotFound
from eenloket.core.forms import apply_service_errors
from eenloket.core.throttling import form_post_wait
from eenloket.organisations.models import Organisation, User
from eenloket.organisations.selectors import get_scope

from . import forms, selectors, services

STEP_FORMS = {
    "informeel": forms.ResolveForm,
    "formeel": forms.FormalForm,
    "horen": forms.HearForm,
    "niet-horen": forms.WaiveForm,
    "verdagen": forms.PostponeForm,
    "oordeel": forms.DecideForm,
    "intrekken": forms.WithdrawForm,
    "notitie": forms.NoteForm,
}
DONE = {
    "informeel": _("De klacht is informeel opgelost en gesloten."),
    "formeel": _("De klacht wordt formeel behandeld. De inwoner krijgt een ontvangstbevestiging."),
    "horen": _("Het horen is vastgelegd."),
    "niet-horen": _("Vastgelegd waarom er niet gehoord wordt."),
    "verdagen": _("De behandeling is verdaagd. De inwoner en de medewerker krijgen bericht."),
    "oordeel": _("Het oordeel is vastgelegd."),
    "intrekken": _("De klacht is ingetrokken."),
    "notitie": _("De notitie is opgeslagen."),
}


def _found(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _staff(request):
    permissions.require(permissions.is_staff_member, get_scope(request.user))


@login_required
def complaint_list(request):
    _staff(request)
    state = request.GET.get("stand", "open")
    if state not in ("open", "gesloten", "alle"):
        state = "open"
    rows = selectors.complaint_list(request.user, state=state)
    return render(
        request,
        "complaints/list.html",
        {
            "rows": rows,
            "state": state,
            "may_register": get_scope(request.user).can_work_with_contacts,
            "figures": selectors.figure_organisations(request.user),
        },
    )


def _parts_from(data, org, also):
    parts = [
        {
            "organisation": org,
            "team": data.get("team"),
            "employee": data.get("employee"),
            "about_body": data.get("about_body"),
        }
    ]
    for other in also or []:
        if org is None or other.pk != org.pk:
            parts.append({"organisation": other})
    return parts


@login_required
def complaint_new(request):
    scope = get_scope(request.user)
    permissions.require(permissions.can_work_with_contacts, scope)
    contact = None
    wanted = request.GET.get("contact") or request.POST.get("contact")
    if wanted:
        contact = (
            ContactMoment.objects.select_related("resident", "organisation")
            .filter(
                uuid=wanted if _is_uuid(wanted) else None,
                organisation_id__in=scope.contact_organisation_ids,
            )
            .first()
        )
        if contact is None:
            raise Http404(_("Dit contact bestaat niet of is niet van uw organisatie."))
    initial = {"received_on": services.today(), "channel": "balie"}
    if contact is not None:
        initial.update(
            {
                "channel": services.FROM_CONTACT.get(contact.channel, "balie"),
                "received_on": contact.started_at.date(),
                "organisation": contact.organisation.uuid,
            }
        )
    form = forms.RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.register_complaint(
                user=request.user,
                channel=data["channel"],
                description=data["description"],
                desired_outcome=data["desired_outcome"],
                received_on=data["received_on"],
                resident=contact.resident if contact else None,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                contact=contact,
                parts=_parts_from(data, data["organisation"], data["also"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Klacht %(reference)s is vastgelegd.") % {"reference": complaint.reference},
            )
            try:
                selectors.get_complaint(request.user, complaint.uuid)
            except NotFound:
                return redirect("complaints:list")
            return redirect("complaints:detail", uuid=complaint.uuid)
    return render(request, "complaints/new.html", {"form": form, "contact": contact})


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _auto_id(slug, part) -> str:
    return f"{slug}-{part.pk}-%s"


def _step_form(slug, part, data=None):
    """The form of a step on one part (ids unique per part; the hearing's locations are the
    part's organisation's)."""
    extra = {"part": part} if slug == "horen" else {}
    return STEP_FORMS[slug](data, auto_id=_auto_id(slug, part), **extra)


def _detail_context(request, view, bound=None):
    """Each part with the forms of the steps this user can take now (ids unique per part)."""
    bound = bound or {}
    for pv in view.parts:
        pv.forms = []
        labels = {s.slug: s.label for s in pv.actions}
        slugs = [s for s in STEP_FORMS if s in labels]
        if pv.may_see_notes and pv.part.state in services.states.OPEN:
            slugs.append("notitie")
            labels["notitie"] = _("Notitie opslaan")
        for slug in slugs:
            if bound.get("step") == slug and bound.get("part") == pv.part.uuid:
                form = bound["form"]
            else:
                form = _step_form(slug, pv.part)
            pv.forms.append({"slug": slug, "label": labels[slug], "form": form})
    return {
        "view": view,
        "complaint": view.complaint,
        "thread": selectors.thread(view),
        "message_form": forms.MessageForm(),
        "may_answer": any("antwoord" in pv.slugs for pv in view.parts),
    }


@login_required
def complaint_detail(request, uuid):
    view = _found(selectors.get_complaint, request.user, uuid)
    return render(request, "complaints/detail.html", _detail_context(request, view))


@login_required
@require_POST
def part_step(request, uuid, step, part):
    view = _found(selectors.get_complaint, request.user, uuid)
    pv = next((p for p in view.parts if p.part.uuid == part), None)
    if pv is None or step not in STEP_FORMS:
        raise Http404(_("Deze stap bestaat niet."))
    form = _step_form(step, pv.part, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        calls = {
            "informeel": lambda: services.resolve_informally(
                user=request.user,
                part=pv.part,
                note=data["note"],
                lesson_category=data["lesson_category"],
                lesson_improvement=data["lesson_improvement"],
            ),
            "formeel": lambda: services.make_formal(
                user=request.user, part=pv.part, advisory_committee=data["advisory_committee"]
            ),
            "horen": lambda: services.record_hearing(
                user=request.user,
                part=pv.part,
                hearing_at=data["hearing_at"],
                place=data["place"],
                location=data["location"],
                note=data["note"],
            ),
            "niet-horen": lambda: services.waive_hearing(
                user=request.user, part=pv.part, reason=data["reason"]
            ),
            "verdagen": lambda: services.postpone(
                user=request.user, part=pv.part, reason=data["reason"], weeks=data["weeks"]
            ),
            "oordeel": lambda: services.decide(user=request.user, part=pv.part, **data),
            "intrekken": lambda: services.withdraw(
                user=request.user, part=pv.part, note=data["note"]
            ),
            "notitie": lambda: services.add_note(
                user=request.user, part=pv.part, text=data["text"]
            ),
        }
        try:
            calls[step]()
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, DONE[step])
            return redirect("complaints:detail", uuid=uuid)
    ctx = _detail_context(request, view, bound={"step": step, "part": pv.part.uuid, "form": form})
    return render(request, "complaints/detail.html", ctx, status=400)


@login_required
@require_POST
def complaint_step(request, uuid, step):
    view = _found(selectors.get_complaint, request.user, uuid)
    if step == "bericht":
        form = forms.MessageForm(request.POST)
        if form.is_valid():
            try:
                services.post_message(
                    user=request.user, complaint=view.complaint, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Uw bericht staat in het gezamenlijke overleg."))
                return redirect("complaints:detail", uuid=uuid)
        ctx = _detail_context(request, view)
        ctx["message_form"] = form
        return render(request, "complaints/detail.html", ctx, status=400)
    if step == "antwoord":
        try:
            services.send_answer(user=request.user, complaint=view.complaint)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("De antwoordbrief is verstuurd. De klacht is afgehandeld."))
        return redirect("complaints:detail", uuid=uuid)
    raise Http404(_("Deze stap bestaat niet."))


@login_required
def assign(request, uuid, part):
    view = _found(selectors.get_complaint, request.user, uuid)
    pv = next((p for p in view.parts if p.part.uuid == part), None)
    if pv is None or "behandelaar" not in pv.slugs:
        raise Http404(_("U kunt voor dit deel geen behandelaar kiezen."))
    candidates = services.handler_candidates(pv.part)
    form = forms.AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        handler = User.objects.filter(uuid=form.cleaned_data["handler"]).first()
        try:
            services.assign_handler(
                user=request.user,
                part=pv.part,
                handler=handler,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s behandelt de klacht.") % {"name": handler.get_full_name()},
            )
            return redirect("complaints:detail", uuid=uuid)
    return render(
        request,
        "complaints/assign.html",
        {
            "view": view,
            "pv": pv,
            "allowed": [(u, v) for u, v in candidates if v.allowed],
            "refused": [(u, v) for u, v in candidates if not v.allowed],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def copy(request, uuid):
    part = _found(selectors.get_copy, request.user, uuid)
    return render(request, "complaints/copy.html", {"part": part, "complaint": part.complaint})


def _figures_org(request):
    orgs = selectors.figure_organisations(request.user)
    if not orgs:
        raise PermissionDenied(
            _("Alleen klachtcoördinatoren, teamleiders en management zien deze cijfers.")
        )
    wanted = request.GET.get("organisatie")
    org = next((o for o in orgs if o.code == wanted), orgs[0])
    return orgs, org


@login_required
def year_overview(request):
    orgs, org = _figures_org(request)
    years = selectors.years_with_data(org)
    try:
        year = int(request.GET.get("jaar") or years[0])
    except ValueError:
        year = years[0]
    if not 2000 <= year <= 2100:  # a year nobody means (0, 99999): the newest with data
        year = years[0]
    data = selectors.year_overview(org, year)
    fmt = request.GET.get("formaat")
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="klachten-{org.code}-{year}.json"'
        return response
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([_("onderdeel"), _("waarde"), _("aantal")])
        totals = {
            "received": _("ontvangen"),
            "informal": _("informeel opgelost"),
            "formal": _("formeel behandeld"),
            "withdrawn": _("ingetrokken"),
            "open": _("nog open"),
            "answered": _("beantwoord"),
            "within_term": _("binnen de termijn beantwoord"),
        }
        for key, label in totals.items():
            writer.writerow([_("totaal"), label, data[key]])
        average = data["average_days"]
        writer.writerow(
            [_("totaal"), _("gemiddelde behandelduur in dagen"), "" if average is None else average]
        )
        for key, n in data["findings"].items():
            writer.writerow([_("oordeel"), data["finding_labels"][key], n])
        for key, n in data["subjects"].items():
            writer.writerow([_("onderwerp"), key, n])
        for lesson in data["lessons"]:
            writer.writerow([_("les"), f"{lesson['category']}: {lesson['improvement']}", 1])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="klachten-{org.code}-{year}.csv"'
        return response
    return render(
        request,
        "complaints/year.html",
        {"data": data, "orgs": orgs, "org": org, "years": years, "year": year},
    )


@login_required
def lessons(request):
    orgs, _org = _figures_org(request)
    return render(request, "complaints/lessons.html", {"groups": selectors.lessons_rollup(orgs)})


# ---- the resident's public form -------------------------------------------------------------------
def public_form(request):
    initial = {}
    wanted = request.GET.get("organisatie")
    if wanted:
        initial["organisation"] = Organisation.objects.filter(code=wanted).first()
    form = forms.PublicForm(request.POST or None, initial=initial)
    if request.method == "POST":
        wait = form_post_wait(
            request,
            "complaint-public",
            limit=settings.COMPLAINT_FORM_RATE_LIMIT,
            window=settings.COMPLAINT_FORM_RATE_WINDOW_SECONDS,
        )
        if wait:
            form.is_valid()
            form.add_error(
                None,
                _(
                    "U heeft veel keer achter elkaar een klacht verstuurd. Probeer het over "
                    "een uur opnieuw, of bel ons."
                ),
            )
            response = render(request, "complaints/public_form.html", {"form": form}, status=429)
            response["Retry-After"] = str(wait)
            return response
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.submit_public(
                organisation=data["organisation"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                description=data["description"],
                desired_outcome=data["desired_outcome"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            request.session["complaint_receipt"] = {
                "reference": complaint.reference,
                "organisation": complaint.lead_organisation.name,
                "received_on": complaint.received_on.isoformat(),
            }
            return redirect("complaints:receipt")
    return render(request, "complaints/public_form.html", {"form": form})


def public_receipt(request):
    receipt = request.session.get("complaint_receipt")
    if not receipt:
        return redirect("complaints:public")
    import datetime as dt

    receipt = {**receipt, "received_on": dt.date.fromisoformat(receipt["received_on"])}
    return render(request, "complaints/public_receipt.html", {"receipt": receipt})
