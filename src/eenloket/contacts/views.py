from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from eenloket.catalogue import selectors as catalogue_selectors
from eenloket.catalogue.views import suggestion_context
from eenloket.core import permissions
from eenloket.core.errors import NotFound
from eenloket.core.forms import apply_service_errors
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope, locations_for_scope
from eenloket.residents import selectors as resident_selectors

from . import selectors, services
from .forms import ContactForm
from .models import Channel


@login_required
def register(request):
    scope = get_scope(request.user)
    permissions.require(permissions.can_work_with_contacts, scope)
    resident = None
    resident_uuid = request.POST.get("inwoner") or request.GET.get("inwoner")
    if resident_uuid:
        try:
            resident = resident_selectors.get_resident(request.user, resident_uuid)
        except NotFound as exc:
            raise Http404(str(exc)) from exc
    organisations = Organisation.objects.filter(pk__in=scope.contact_organisation_ids)
    locations = locations_for_scope(scope)
    initial = {
        "organisation": scope.primary_organisation_id,
        "channel": request.session.get("last_channel", Channel.DESK),
        # Where they are now: the location of their last contact this session (also "none"),
        # else their usual one.
        "location": request.session["last_location"]
        if "last_location" in request.session
        else getattr(selectors.usual_location(request.user, locations), "pk", None),
    }
    form = ContactForm(
        request.POST or None,
        organisations=organisations,
        locations=locations,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["service"] = _chosen_service(request.user, data.get("service"))
            contact = services.register_contact(user=request.user, resident=resident, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            request.session["last_channel"] = contact.channel
            request.session["last_location"] = contact.location_id
            messages.success(request, _("Het contact is vastgelegd."))
            if resident is not None:
                return redirect("resident-overview", uuid=resident.uuid)
            return redirect("contact-detail", uuid=contact.uuid)
    context = {"form": form, "resident": resident}
    if form.is_bound:  # after an error: show the suggestions again, with the pick kept
        context.update(
            suggestion_context(
                request.user, request.POST.get("question", ""), request.POST.get("service", "")
            )
        )
    return render(request, "contacts/register.html", context)


def _chosen_service(user, service_uuid):
    if not service_uuid:
        return None
    try:
        return catalogue_selectors.get_service(service_uuid, catalogue_selectors.tenant_for(user))
    except NotFound as exc:
        raise ValidationError({"service": [_("Deze dienst kunt u hier niet kiezen.")]}) from exc
