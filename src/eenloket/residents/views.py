from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eenloket.core import permissions
from eenloket.core.forms import apply_service_errors
from eenloket.organisations.selectors import get_scope

from . import selectors, services
from .forms import EndRepresentativeForm, RepresentativeForm, ResidentForm, ResidentSearchForm
from .models import Representative, SearchKey


def _require_contact_role(user):
    permissions.require(permissions.can_work_with_contacts, get_scope(user))


@login_required
def search(request):
    _require_contact_role(request.user)
    rights = selectors.search_rights(request.user)
    allowed = {key for key, pairs in rights.items() if pairs}
    form = ResidentSearchForm(request.GET or None, allowed=allowed)
    results = None
    if form.is_bound and form.is_valid():
        if not form.has_key():
            form.add_error(None, form.missing_key_text())
        else:
            try:
                results = selectors.search_residents(request.user, **form.cleaned_data)
            except ValidationError as exc:
                if exc.code == "invalid_bsn":
                    form.add_error("bsn", exc.messages[0])
                else:
                    apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
    if results is not None and len(results) == 1 and form.cleaned_data.get("bsn"):
        return redirect("resident-overview", uuid=results[0].uuid)
    return render(
        request,
        "residents/search.html",
        {
            "form": form,
            "results": results,
            "may_search": bool(allowed),
            "no_search_text": selectors.refusal_text(rights, SearchKey.BSN) if not allowed else "",
            "rights": [
                (SearchKey(key).label, pairs[0][1]) for key, pairs in rights.items() if pairs
            ],
        },
    )


@login_required
def create(request):
    _require_contact_role(request.user)
    organisation = services.acting_organisation(request.user)
    form = ResidentForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.create_resident(user=request.user, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("resident-overview", uuid=resident.uuid)
    return render(request, "residents/create.html", {"form": form})


def _resident_or_404(request, uuid):
    from django.http import Http404

    from eenloket.core.errors import NotFound

    try:
        return selectors.get_resident(request.user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@login_required
def representative_add(request, uuid):
    """Record who represents the resident (bewindvoerder, curator, mentor, gemachtigde)."""
    _require_contact_role(request.user)
    resident = _resident_or_404(request, uuid)
    if not services.may_record_representative(request.user, resident):
        raise PermissionDenied(
            _(
                "Alleen de woongemeente, of een organisatie die zelf contact had met de "
                "inwoner, legt een vertegenwoordiger vast."
            )
        )
    form = RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_representative(
                user=request.user, resident=resident, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Vastgelegd. Brieven gaan nu ook of alleen naar de vertegenwoordiger.")
            )
            return redirect("resident-overview", uuid=resident.uuid)
    return render(
        request, "residents/representative_form.html", {"resident": resident, "form": form}
    )


@login_required
@require_POST
def representative_end(request, uuid, representative_uuid):
    """End a representation on a given last day."""
    _require_contact_role(request.user)
    resident = _resident_or_404(request, uuid)
    representative = get_object_or_404(
        Representative, uuid=representative_uuid, resident=resident.resident
    )
    form = EndRepresentativeForm(request.POST)
    if form.is_valid():
        try:
            services.end_representative(
                user=request.user,
                representative=representative,
                valid_until=form.cleaned_data["valid_until"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De vertegenwoordiging is beëindigd."))
    else:
        messages.error(request, _("Vul een geldige laatste dag in."))
    return redirect("resident-overview", uuid=resident.uuid)
