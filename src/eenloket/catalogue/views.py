from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from eenloket.core import permissions
from eenloket.core.errors import NotFound
from eenloket.core.forms import apply_service_errors
from eenloket.organisations.models import OrganisationType
from eenloket.organisations.selectors import get_scope

from . import selectors, services
from .forms import LocalServiceForm, OverrideForm


def _staff_only(request):
    permissions.require(permissions.is_staff_member, get_scope(request.user))


def organisation_label(code, tenant=None):
    if code == OrganisationType.GEMEENTE and tenant is not None:
        return tenant.name
    try:
        return OrganisationType(code).label
    except ValueError:
        return code


def labelled(suggestions, tenant):
    """Suggestions with the organisation's display name, for templates."""
    return [(s, organisation_label(s.organisation, tenant)) for s in suggestions]


@login_required
def catalogue(request):
    _staff_only(request)
    tenant = selectors.tenant_for(request.user)
    query = request.GET.get("q", "").replace("\x00", "").strip()
    organisation = request.GET.get("organisatie", "")
    if organisation not in OrganisationType.values:
        organisation = ""
    context = {
        "query": query,
        "organisation": organisation,
        "tenant": tenant,
        "organisations": [
            (code, organisation_label(code, tenant), count)
            for code, count in selectors.services_for(tenant)
            .values_list("organisation_type")
            .annotate(n=Count("id"))
            .order_by("organisation_type")
        ],
        "can_manage": selectors.can_manage_catalogue(request.user, tenant),
    }
    if query:
        try:
            context["suggestions"] = labelled(
                selectors.suggest(query, limit=20, tenant=tenant), tenant
            )
        except ValidationError as exc:
            context["query_errors"] = [m for ms in exc.message_dict.values() for m in ms]
    elif organisation:
        page = Paginator(selectors.services_for(tenant, organisation=organisation), 50).get_page(
            request.GET.get("pagina")
        )
        page.object_list = selectors.with_overrides(page.object_list, tenant)
        context["page"] = page
        context["organisation_name"] = organisation_label(organisation, tenant)
    template = "catalogue/_results.html" if request.htmx else "catalogue/catalogue.html"
    return render(request, template, context)


@login_required
def detail(request, uuid):
    _staff_only(request)
    tenant = selectors.tenant_for(request.user)
    try:
        service = selectors.get_service(uuid, tenant)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(
        request,
        "catalogue/detail.html",
        {
            "service": service,
            "tenant": tenant,
            "organisation_name": organisation_label(service.organisation_type, tenant),
            "can_manage": selectors.can_manage_catalogue(request.user, tenant),
        },
    )


@login_required
def suggestions(request):
    """The htmx partial under the question in the contact form: suggestions to pick from."""
    _staff_only(request)
    context = suggestion_context(
        request.user, request.GET.get("question", ""), request.GET.get("service", "")
    )
    return render(request, "catalogue/_suggestions.html", context)


def suggestion_context(user, question, picked):
    """Suggestions for the question so far, keeping the service already picked."""
    tenant = selectors.tenant_for(user)
    results = []
    if len((question or "").strip()) >= 3:
        try:
            results = selectors.suggest(question, limit=5, tenant=tenant)
        except ValidationError:
            results = []
    picked = str(picked or "")
    picked_service = None
    if picked and picked not in {s.service["id"] for s in results}:
        try:
            picked_service = selectors.get_service(picked, tenant)
        except (NotFound, ValidationError):
            picked_service = None
    return {
        "suggestions": labelled(results, tenant),
        "picked": picked,
        "picked_service": picked_service,
        "picked_organisation": picked_service
        and organisation_label(picked_service.organisation_type, tenant),
        "question": question or "",
        # Remind staff of the social counsellor (objections, letters, several organisations).
        "counsellor_hint": len((question or "").strip()) >= 3
        and selectors.counsellor_hint(question, results),
    }


def _managed_tenant(request):
    tenant = selectors.tenant_for(request.user)
    if not selectors.can_manage_catalogue(request.user, tenant):
        raise PermissionDenied(permissions.refusal(permissions.can_manage_catalogue))
    return tenant


@login_required
def create_local(request):
    tenant = _managed_tenant(request)
    form = LocalServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.create_local_service(
                user=request.user, tenant=tenant, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("De dienst is toegevoegd aan de catalogus."))
            return redirect("catalogue-service", uuid=service.uuid)
    return render(request, "catalogue/local_form.html", {"form": form, "tenant": tenant})


@login_required
def override(request, uuid):
    tenant = _managed_tenant(request)
    try:
        service = selectors.get_service(uuid, None)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    existing = service.overrides.filter(tenant=tenant).first()
    initial = {"is_offered": True}
    if existing:
        initial = {
            "name": existing.name,
            "description": existing.description,
            "how_to_apply": existing.how_to_apply,
            "keywords": ", ".join(existing.extra_keywords),
            "is_offered": existing.is_offered,
        }
    form = OverrideForm(
        request.POST or None, initial=initial, municipal=service.organisation_type == "gemeente"
    )
    if request.method == "POST" and "verwijderen" in request.POST:
        services.remove_override(user=request.user, tenant=tenant, service=service)
        messages.success(request, _("De landelijke tekst geldt weer."))
        return redirect("catalogue-service", uuid=service.uuid)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_override(
                user=request.user, tenant=tenant, service=service, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("De tekst voor uw gemeente is opgeslagen."))
            return redirect("catalogue-service", uuid=service.uuid)
    return render(
        request,
        "catalogue/override_form.html",
        {"form": form, "service": service, "tenant": tenant, "existing": existing},
    )
