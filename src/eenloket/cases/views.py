"""Staff screens of cases: the list, opening a case from the resident overview, one case (each
part only as far as the consent allows; the case manager's forms), doorbraak requests for the
organisation asked, early signals for the debt team, the obstacle report and the inzage export.
Every change goes through services.py, every read through selectors.py."""

import datetime as dt
import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eenloket.core import formatting, permissions
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.errors import NotFound
from eenloket.core.forms import apply_service_errors
from eenloket.organisations.models import Membership, Organisation
from eenloket.organisations.selectors import get_scope
from eenloket.residents.selectors import get_resident

from . import access, forms, selectors, services, states
from . import inzage as inzage_export
from .models import CaseAction, CasePart, Consent, LifeDomain, Problem


def _uuid(value):
    try:
        return uuid_lib.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _found(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


# Steps whose form sits inside one consent or action (the POST field naming which one).
INLINE_STEPS = {"intrekken": "intrekken-consent", "actie-afronden": "actie-afronden-action"}


# ---- the list ----------------------------------------------------------------------------------
@login_required
def case_list(request):
    permissions.require(permissions.can_work_with_contacts, get_scope(request.user))
    status = "gesloten" if request.GET.get("status") == "gesloten" else "open"
    mine = request.GET.get("mijn") == "1"
    views = selectors.case_list(request.user, status=status, mine=mine)
    scope = get_scope(request.user)
    return render(
        request,
        "cases/list.html",
        {
            "views": views,
            "status": status,
            "mine": mine,
            "is_case_manager": any(
                role in access.OWNER_ROLES for _o, role in scope.organisation_roles
            ),
            "is_municipality": any(
                t == "gemeente" and pk in scope.contact_organisation_ids
                for pk, _c, t in scope.organisations
            ),
        },
    )


@login_required
def case_new(request, resident):
    visible = _found(get_resident, request.user, resident)
    permissions.require(permissions.can_manage_cases, get_scope(request.user))
    signal = None
    wanted = _uuid(request.POST.get("signaal") or request.GET.get("signaal"))
    if wanted:
        signal = _found(selectors.get_signal, request.user, wanted)
    form = forms.OpenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(
                user=request.user, resident=visible.resident, signal=signal, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Casus %(reference)s is geopend. Betrek nu de organisaties en leg toestemming vast."
                )
                % {"reference": case.reference},
            )
            return redirect("cases:detail", uuid=case.uuid)
    return render(request, "cases/new.html", {"form": form, "resident": visible, "signal": signal})


# ---- one case ----------------------------------------------------------------------------------
def _party_choices(case):
    involved = {p.organisation_id for p in case.parties.all()} | {case.municipality_id}
    organisations = Organisation.objects.exclude(pk__in=involved).order_by("name")
    people = {}
    for m in (
        Membership.objects.filter(
            organisation__in=organisations, is_contact_person=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__first_name")
    ):
        people.setdefault(m.organisation_id, []).append(m.user)
    choices = []
    for org in organisations:
        options = [(f"org:{org.uuid}", _("%(org)s (contactpersoon later)") % {"org": org.name})]
        options += [
            (f"person:{org.uuid}:{u.uuid}", f"{org.name}: {u.get_full_name()}")
            for u in {u.pk: u for u in people.get(org.pk, [])}.values()
        ]
        choices.append((org.name, options))
    return choices


def _forms(view, data=None, step=None):
    """The case manager's forms (one per panel), bound only for the step that was posted."""
    case = view.case
    parties = [(str(p.organisation.uuid), p.organisation.name) for p in case.parties.all()]
    owners = [(str(case.municipality.uuid), case.municipality.name), *parties]
    today = timezone.localdate()

    def bound(slug):
        return data if step == slug else None

    result = {}
    if view.owner and case.is_open:
        result = {
            "betrekken": forms.PartyForm(
                bound("betrekken"), choices=_party_choices(case), prefix="betrekken"
            ),
            "toestemming": forms.ConsentRecordForm(
                bound("toestemming"),
                organisations=parties,
                prefix="toestemming",
                initial={
                    "valid_from": today,
                    "valid_until": today + dt.timedelta(days=182),
                    "given_on": today,
                    "basis": "toestemming",
                    "given_by": case.resident.full_name,
                },
            ),
            "probleem": forms.ProblemForm(bound("probleem"), prefix="probleem"),
            "actie": forms.ActionForm(
                bound("actie"),
                owners=owners,
                prefix="actie",
                initial={"due_on": today + dt.timedelta(days=14)},
            ),
            "doorbraak": forms.DoorbraakForm(
                bound("doorbraak"),
                organisations=parties,
                prefix="doorbraak",
                initial={"answer_by": today + dt.timedelta(days=7)},
            ),
            "overleg": forms.ConferenceForm(
                bound("overleg"),
                organisations=owners[1:],
                prefix="overleg",
                initial={"starts": dt.time(10), "ends": dt.time(11), "with_resident": True},
            ),
            "uitgave": forms.SpendForm(
                bound("uitgave"), prefix="uitgave", initial={"spent_on": today}
            ),
            "sluiten": forms.CloseForm(bound("sluiten"), prefix="sluiten"),
        }
    if view and case.is_open:
        domains = None if view.owner or view.domains is None else view.domains
        result["bericht"] = forms.UpdateForm(bound("bericht"), domains=domains, prefix="bericht")
    return result


def _context(request, view, bound_forms=None, open_panel=""):
    detail = selectors.detail(view)
    case = view.case
    today = timezone.localdate()
    timeline = selectors.timeline(view)
    domains = []
    for value, label in LifeDomain.choices:
        problems = [p for p in detail.problems if p.domain == value]
        if problems:
            domains.append({"label": label, "problems": problems})
    consents_by_org = {}
    for c in detail.consents:
        consents_by_org.setdefault(c.organisation_id, []).append(c)
    parties = [
        {
            "party": p,
            "consents": consents_by_org.get(p.organisation_id, []),
            "active": any(c.is_active(today) for c in consents_by_org.get(p.organisation_id, [])),
        }
        for p in detail.parties
        if view.owner or p.organisation_id == view.organisation_id
    ]
    doorbraak_rows = [
        {
            "request": d,
            "buttons": states.DOORBRAAK.slugs(
                d.state, services.doorbraak_parties(request.user, d), d
            ),
        }
        for d in detail.doorbraak
    ]
    budget = None
    if view.owner:
        from .models import DoorbraakBudget

        budget_row = DoorbraakBudget.objects.filter(
            municipality_id=case.municipality_id, year=today.year
        ).first()
        if budget_row:
            budget = {"row": budget_row, "left": services.budget_left(budget_row)}
    return {
        "view": view,
        "case": case,
        "detail": detail,
        "domains": domains,
        "parties": parties,
        "doorbraak_rows": doorbraak_rows,
        "timeline": timeline,
        "forms": bound_forms or _forms(view),
        "open_panel": open_panel,
        "budget": budget,
        "mandates": selectors.mandates_for_case(case, today) if view.owner else [],
        "today": today,
        "part_labels": dict(CasePart.choices),
        "domain_labels": dict(LifeDomain.choices),
    }


@login_required
def case_detail(request, uuid):
    view = _found(selectors.get_case, request.user, uuid)
    return render(request, "cases/detail.html", _context(request, view))


def _org(value):
    return Organisation.objects.filter(uuid=_uuid(value)).first() if value else None


@login_required
@require_POST
def case_step(request, uuid, step):
    user = request.user
    view = _found(selectors.get_case, user, uuid)
    case = view.case
    all_forms = _forms(view, request.POST, step)
    form = all_forms.get(step)
    if step in ("intrekken", "opgelost", "actie-afronden"):
        form = {
            "intrekken": forms.RevokeForm,
            "opgelost": forms.SolveForm,
            "actie-afronden": forms.FinishActionForm,
        }[step](request.POST, prefix=step)
    if form is None:
        raise Http404
    try:
        if not form.is_valid():
            raise ValidationError(_("Controleer wat u heeft ingevuld."))
        d = form.cleaned_data
        if step == "betrekken":
            parts = d["party"].split(":")
            organisation = _org(parts[1]) if len(parts) > 1 else None
            person = None
            if parts[0] == "person" and len(parts) == 3:
                from eenloket.organisations.models import User

                person = User.objects.filter(uuid=_uuid(parts[2])).first()
            services.add_party(
                user=user,
                case=case,
                organisation=organisation,
                contact_person=person,
                role_in_case=d["role_in_case"],
            )
            done = _("%(org)s is betrokken. Leg nu vast wat zij mogen zien.") % {
                "org": organisation
            }
        elif step == "toestemming":
            consent = services.record_consent(
                user=user,
                case=case,
                organisation=_org(d["organisation"]),
                parts=d["parts"],
                domains=d["domains"],
                purpose=d["purpose"],
                basis=d["basis"],
                valid_from=d["valid_from"],
                valid_until=d["valid_until"],
                legal_ground=d["legal_ground"],
                legal_article=d["legal_article"],
                given_on=d["given_on"],
                given_how=d["given_how"],
                given_by=d["given_by"],
                in_interest=d["in_interest"],
                own_request=d["own_request"],
                no_disadvantage=d["no_disadvantage"],
                informed=d["informed"],
            )
            done = _("Vastgelegd: %(org)s mag dit zien tot en met %(date)s.") % {
                "org": consent.organisation.name,
                "date": formatting.long_date(consent.valid_until),
            }
        elif step == "intrekken":
            consent = Consent.objects.filter(case=case, uuid=d["consent"]).first()
            if consent is None:
                raise Http404
            services.revoke_consent(user=user, consent=consent, reason=d["reason"])
            done = _("Het delen met %(org)s is gestopt.") % {"org": consent.organisation.name}
        elif step == "probleem":
            services.add_problem(user=user, case=case, **d)
            done = _("Het probleem is toegevoegd.")
        elif step == "opgelost":
            problem = Problem.objects.filter(case=case, pk=d["problem"]).first()
            if problem is None:
                raise Http404
            services.solve_problem(user=user, problem=problem)
            done = _("Het probleem staat op opgelost.")
        elif step == "actie":
            action = services.add_action(
                user=user,
                case=case,
                domain=d["domain"],
                description=d["description"],
                owner=_org(d["owner"]),
                due_on=d["due_on"],
            )
            done = _("De actie staat in de takenlijst van %(org)s.") % {"org": action.owner.name}
        elif step == "actie-afronden":
            action = CaseAction.objects.filter(case=case, uuid=d["action"]).first()
            if action is None:
                raise Http404
            services.finish_action(
                user=user, action=action, done=d["done"] == "1", result=d["result"]
            )
            done = _("De actie is afgerond.")
        elif step == "bericht":
            services.add_update(user=user, case=case, text=d["text"], domain=d["domain"])
            done = _("Uw bericht staat in de casus. De casemanager krijgt een melding.")
        elif step == "doorbraak":
            common = {
                "user": user,
                "case": case,
                "to_organisation": _org(d["to_organisation"]),
                "kind": d["kind"],
                "motivation": d["motivation"],
                "amount": d["amount"] or None,
                "pause_days": d["pause_days"],
                "subject_reference": d["subject_reference"],
            }
            if d["use_mandate"]:
                made = services.pause_with_mandate(**common)
                done = _(
                    "Gepauzeerd tot en met %(until)s. %(org)s kan het terugdraaien tot en met %(overturn)s."
                ) % {
                    "until": formatting.long_date(made.paused_until),
                    "org": made.to_organisation.name,
                    "overturn": formatting.long_date(made.overturn_until),
                }
            else:
                made = services.send_doorbraak(answer_by=d["answer_by"], **common)
                done = _(
                    "Het doorbraakverzoek is verstuurd naar %(org)s. Antwoord nodig op %(date)s."
                ) % {
                    "org": made.to_organisation.name,
                    "date": formatting.long_date(made.answer_by),
                }
        elif step == "overleg":
            chosen = list(Organisation.objects.filter(uuid__in=d["organisations"]))
            starts = dt.datetime.combine(d["day"], d["starts"], tzinfo=AMSTERDAM)
            ends = dt.datetime.combine(d["day"], d["ends"], tzinfo=AMSTERDAM)
            services.plan_conference(
                user=user,
                case=case,
                starts_at=starts,
                ends_at=ends,
                place=d["place"],
                organisations=chosen,
                agenda=d["agenda"],
                with_resident=d["with_resident"],
            )
            done = _("Het casusoverleg is gepland. De contactpersonen krijgen een melding.")
        elif step == "uitgave":
            services.spend_budget(user=user, case=case, **d)
            done = _("De uitgave is vastgelegd.")
        elif step == "sluiten":
            services.close_case(user=user, case=case, **d)
            done = _("De casus is gesloten.")
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            apply_service_errors(form, exc)
        texts = getattr(exc, "messages", [str(exc)])
        inline = None
        if step in INLINE_STEPS:
            # The small forms inside a consent or an action: the error shows in that panel.
            field_errors = [str(e) for errors in form.errors.values() for e in errors]
            field_errors = [e for e in field_errors if e not in texts]
            inline = {
                "key": request.POST.get(INLINE_STEPS[step], ""),
                "messages": field_errors or texts,
            }
            texts = [*texts, *field_errors]
        messages.error(request, " ".join(texts))
        view = _found(selectors.get_case, user, uuid)
        if step in all_forms:
            all_forms[step] = form
        context = _context(request, view, all_forms, open_panel=step)
        context["inline_error"] = inline
        return render(request, "cases/detail.html", context, status=400)
    messages.success(request, done)
    return redirect("cases:detail", uuid=case.uuid)


@login_required
def conference_ics(request, uuid, conference):
    import icalendar

    view = _found(selectors.get_case, request.user, uuid)
    conf = next((c for c in selectors.detail(view).conferences if c.uuid == conference), None)
    if conf is None:
        raise Http404
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Een Loket//casusoverleg//NL")
    cal.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"{conf.uuid}@eenloket")
    event.add("summary", _("Casusoverleg %(reference)s") % {"reference": view.case.reference})
    event.add("dtstart", conf.starts_at)
    event.add("dtend", conf.ends_at)
    event.add("location", conf.place)
    event.add("dtstamp", timezone.now())
    cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="casusoverleg-{view.case.reference}.ics"'
    )
    return response


# ---- doorbraak for the organisation asked ----------------------------------------------------------
@login_required
def doorbraak_inbox(request):
    show_all = request.GET.get("alle") == "1"
    rows = selectors.doorbraak_inbox(request.user, open_only=not show_all)
    return render(
        request,
        "cases/doorbraak_inbox.html",
        {"rows": rows, "show_all": show_all, "today": timezone.localdate()},
    )


@login_required
def doorbraak_detail(request, uuid):
    obj, parties = _found(selectors.get_doorbraak, request.user, uuid)
    answer_form = forms.AnswerForm(prefix="antwoord")
    overturn_form = forms.OverturnForm(prefix="terugdraaien")
    status = 200
    if request.method == "POST":
        step = request.POST.get("stap", "")
        try:
            if step == "antwoord":
                answer_form = forms.AnswerForm(request.POST, prefix="antwoord")
                if not answer_form.is_valid():
                    raise ValidationError(_("Kies uw antwoord."))
                services.answer_doorbraak(
                    user=request.user, request=obj, **answer_form.cleaned_data
                )
                done = _("Uw antwoord is verstuurd. De casemanager krijgt een melding.")
            elif step == "terugdraaien":
                overturn_form = forms.OverturnForm(request.POST, prefix="terugdraaien")
                if not overturn_form.is_valid():
                    raise ValidationError(_("Leg uit waarom de pauze niet kan blijven."))
                services.overturn_pause(
                    user=request.user, request=obj, **overturn_form.cleaned_data
                )
                done = _("De pauze is teruggedraaid. De casemanager krijgt een melding.")
            elif step == "bevestigen":
                services.confirm_pause(user=request.user, request=obj)
                done = _("De pauze is bevestigd.")
            elif step == "intrekken":
                services.withdraw_doorbraak(user=request.user, request=obj)
                done = _("Het verzoek is ingetrokken.")
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as exc:
            target = answer_form if step == "antwoord" else overturn_form
            if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                apply_service_errors(target, exc)
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            status = 400
            obj, parties = _found(selectors.get_doorbraak, request.user, uuid)
        else:
            messages.success(request, done)
            return redirect("cases:doorbraak", uuid=obj.uuid)
    return render(
        request,
        "cases/doorbraak_detail.html",
        {
            "obj": obj,
            "buttons": states.DOORBRAAK.slugs(obj.state, parties, obj),
            "answer_form": answer_form,
            "overturn_form": overturn_form,
            "is_owner": states.CASE_OWNER in parties,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def patterns(request):
    today = timezone.localdate()
    form = forms.PeriodForm(
        request.GET or None,
        initial={"since": today.replace(month=1, day=1), "until": today},
    )
    since, until = today.replace(month=1, day=1), today
    if request.GET and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    rows = selectors.obstacle_patterns(request.user, since=since, until=until)
    return render(
        request,
        "cases/patterns.html",
        {"rows": rows, "form": form, "since": since, "until": until},
        status=400 if request.GET and not form.is_valid() else 200,
    )


# ---- early signals ---------------------------------------------------------------------------------
@login_required
def signal_list(request):
    show_all = request.GET.get("alle") == "1"
    rows = selectors.signal_list(request.user, open_only=not show_all)
    return render(
        request,
        "cases/signals.html",
        {"rows": rows, "show_all": show_all, "today": timezone.localdate()},
    )


@login_required
def signal_detail(request, uuid):
    signal = _found(selectors.get_signal, request.user, uuid)
    form = forms.OfferForm(request.POST or None, prefix="aanbod")
    status = 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError(_("Controleer wat u heeft ingevuld."))
            services.record_offer(user=request.user, signal=signal, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                apply_service_errors(form, exc)
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            status = 400
        else:
            messages.success(request, _("De uitkomst is vastgelegd."))
            return redirect("cases:signal", uuid=signal.uuid)
    joined = list(signal.joined.select_related("reporter").order_by("received_at"))
    scope = get_scope(request.user)
    return render(
        request,
        "cases/signal_detail.html",
        {
            "signal": signal,
            "joined": joined,
            "form": form,
            "today": timezone.localdate(),
            "may_open_case": signal.resident_id
            and any(role in access.OWNER_ROLES for _o, role in scope.organisation_roles),
        },
        status=status,
    )


# ---- inzage -------------------------------------------------------------------------------------------
def _export(request, export, fmt):
    inzage_export.log_export(request.user, export, fmt=fmt)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = StreamingHttpResponse(
            inzage_export.stream_json(export, language=translation.get_language() or "nl"),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="inzage-{stamp}.json"'
        return response
    pdf = inzage_export.render_pdf(export, language=translation.get_language() or "nl")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="inzage-{stamp}.pdf"'
    return response


@login_required
def inzage(request):
    permissions.require(permissions.is_privacy_officer, get_scope(request.user))
    form = forms.InzageForm(request.GET or None)
    preview = None
    status = 200
    if request.GET and form.is_valid():
        try:
            export = inzage_export.for_resident(request.user, form.cleaned_data["bsn"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
            status = 400
        else:
            fmt = request.GET.get("formaat")
            if fmt in ("pdf", "json"):
                return _export(request, export, fmt)
            inzage_export.log_export(request.user, export, fmt="scherm")
            groups, total = inzage_export.groups(export, limit=200)
            preview = {"export": export, "groups": groups, "total": total}
    elif request.GET:
        status = 400
    return render(request, "cases/inzage.html", {"form": form, "preview": preview}, status=status)


@login_required
def case_inzage(request, uuid):
    export = _found(inzage_export.for_case, request.user, uuid)
    return _export(request, export, "pdf" if request.GET.get("formaat") != "json" else "json")
