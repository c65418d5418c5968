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
from eenloket.core.formatting import phone_display
from eenloket.core.forms import apply_service_errors
from eenloket.core.roles import CONTACT_ROLES
from eenloket.organisations.models import Organisation, Team, User
from eenloket.organisations.selectors import get_scope, locations_for_scope
from eenloket.residents import selectors as resident_selectors

from . import selectors, services
from .forms import CallbackForm, ContactForm
from .models import Channel, Outcome


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
    callback_form = _callback_form(request, scope, resident)
    # The callback fields count only with the outcome Terugbelverzoek (then both forms are
    # checked, so every error shows at once).
    wants_callback = request.POST.get("outcome") == Outcome.CALLBACK
    callback_ok = callback_form.is_valid() if wants_callback else True
    if request.method == "POST" and form.is_valid() and callback_ok:
        data = dict(form.cleaned_data)
        if data["outcome"] == Outcome.CALLBACK:
            data["callback"] = callback_form.callback()
        try:
            data["service"] = _chosen_service(request.user, data.get("service"))
            contact = services.register_contact(user=request.user, resident=resident, **data)
        except ValidationError as exc:
            _apply_errors(form, callback_form, exc)
        else:
            request.session["last_channel"] = contact.channel
            request.session["last_location"] = contact.location_id
            if contact.outcome == Outcome.CALLBACK:
                messages.success(
                    request,
                    _("Het contact is vastgelegd. Het terugbelverzoek staat bij de taken."),
                )
            else:
                messages.success(request, _("Het contact is vastgelegd."))
            if resident is not None:
                return redirect("resident-overview", uuid=resident.uuid)
            return redirect("contact-detail", uuid=contact.uuid)
    if not wants_callback and callback_form.is_bound:
        # Shown again as typed, without errors: they did not count.
        callback_form = _callback_form(request, scope, resident, bound=False)
    context = {"form": form, "callback_form": callback_form, "resident": resident}
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


# ---- callback requests (terugbelverzoek) --------------------------------------------------------
def _callback_form(request, scope, resident, *, organisation_ids=None, bound=True):
    """The callback fields: the teams of the user's organisations (their own team first
    chosen), their colleagues, the resident's number filled in."""
    organisation_ids = organisation_ids or scope.contact_organisation_ids
    teams = Team.objects.filter(organisation_id__in=organisation_ids).select_related("organisation")
    colleagues = (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=organisation_ids,
            memberships__role__in=CONTACT_ROLES,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
    own_team = teams.filter(pk__in=scope.contact_team_ids).first()
    phone = getattr(resident, "phone", "") or ""
    initial = {
        "callback_team": getattr(own_team, "uuid", None),
        "callback_phone": phone_display(phone) if phone else "",
    }
    posted = request.method == "POST"
    if posted and not bound:
        initial.update({k: v for k, v in request.POST.items() if k.startswith("callback_")})
    return CallbackForm(
        request.POST if posted and bound else None,
        teams=teams,
        colleagues=colleagues,
        initial=initial,
    )


def _apply_errors(form, callback_form, exc):
    """The service's errors on the field they are about (the callback's on its own form)."""
    if hasattr(exc, "error_dict"):
        ours = {k: v for k, v in exc.error_dict.items() if k.startswith("callback_")}
        rest = {k: v for k, v in exc.error_dict.items() if k not in ours}
        if ours:
            apply_service_errors(callback_form, ValidationError(ours))
        if rest:
            apply_service_errors(form, ValidationError(rest))
    else:
        apply_service_errors(form, exc)


@login_required
def callback_request(request, uuid):
    """ "Terugbelverzoek maken" for a contact already recorded."""
    scope = get_scope(request.user)
    permissions.require(permissions.can_work_with_contacts, scope)
    try:
        contact = selectors.get_contact(request.user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = _callback_form(
        request, scope, contact.resident, organisation_ids=[contact.organisation_id]
    )
    if request.method == "POST" and form.is_valid():
        values = form.callback()
        try:
            services.request_callback(user=request.user, contact=contact, **values)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = ValidationError({f"callback_{k}": v for k, v in exc.error_dict.items()})
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Het terugbelverzoek staat bij de taken van het team."))
            return redirect("contact-detail", uuid=contact.uuid)
    return render(request, "contacts/callback.html", {"form": form, "contact": contact})
