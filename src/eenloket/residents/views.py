from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from eenloket.contacts import selectors as contact_selectors
from eenloket.core.errors import NotFound
from eenloket.core.forms import apply_service_errors
from eenloket.organisations.selectors import get_scope

from . import selectors, services
from .forms import ResidentForm, ResidentSearchForm


def _require_contact_role(user):
    if not get_scope(user).can_work_with_contacts:
        raise PermissionDenied


@login_required
def search(request):
    _require_contact_role(request.user)
    form = ResidentSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        if not form.has_key():
            form.add_error(
                None,
                _("Zoek op BSN, op achternaam met geboortedatum, of op postcode met huisnummer."),
            )
        else:
            try:
                results = selectors.search_residents(request.user, **form.cleaned_data)
            except ValidationError as exc:
                if exc.code == "invalid_bsn":
                    form.add_error("bsn", exc.messages[0])
                else:
                    apply_service_errors(form, exc)
    if results is not None and len(results) == 1 and form.cleaned_data.get("bsn"):
        return redirect("resident-overview", uuid=results[0].uuid)
    return render(request, "residents/search.html", {"form": form, "results": results})


@login_required
def create(request):
    _require_contact_role(request.user)
    form = ResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.create_resident(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("resident-overview", uuid=resident.uuid)
    return render(request, "residents/create.html", {"form": form})


@login_required
def overview(request, uuid):
    try:
        resident = selectors.get_resident(request.user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    members = selectors.household_members(request.user, resident)
    contacts, next_cursor = contact_selectors.resident_contacts(request.user, resident)
    return render(
        request,
        "residents/overview.html",
        {
            "resident": resident,
            "members": members,
            "contacts": contacts,
            "next_cursor": next_cursor,
        },
    )


@login_required
def contact_page(request, uuid):
    """The next page of a resident's contacts (htmx: 'Meer contacten tonen')."""
    try:
        resident = selectors.get_resident(request.user, uuid)
        contacts, next_cursor = contact_selectors.resident_contacts(
            request.user, resident, cursor=request.GET.get("na", "")
        )
    except (NotFound, ValidationError) as exc:
        raise Http404(str(exc)) from exc
    template = "residents/_contact_rows.html" if request.htmx else "residents/contacts_page.html"
    return render(
        request,
        template,
        {"resident": resident, "contacts": contacts, "next_cursor": next_cursor},
    )
