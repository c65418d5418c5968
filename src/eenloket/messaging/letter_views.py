"""Screens for letters: the letter-template editor of the functional admin (list, edit with a
live preview and B1 indication, version history, "Aanpassen voor <gemeente>"), the naming
exemptions, and a letter's PDF for staff (permission-scoped, logged).

Kept apart from views.py (the outbox screens) so both can grow without stepping on each other."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eenloket.core import permissions
from eenloket.core.errors import NotFound
from eenloket.core.forms import apply_service_errors
from eenloket.organisations.selectors import get_scope

from . import letters, selectors, services
from .forms import ExemptionForm, TemplateForm
from .models import LetterTemplate, NamingExemption


def _admin_organisation(request):
    """The organisation whose letters the admin works on (?organisatie=<code> when they are
    admin of several)."""
    organisations = selectors.admin_organisations(request.user)
    if not organisations:
        raise PermissionDenied(permissions.refusal(permissions.is_functional_admin))
    code = request.GET.get("organisatie") or request.POST.get("organisatie")
    chosen = next((o for o in organisations if o.code == code), organisations[0])
    return chosen, organisations


def _editable(request, uuid) -> tuple[LetterTemplate, object]:
    """A template the admin may open: shared, or of an organisation they manage."""
    template = get_object_or_404(LetterTemplate.objects.select_related("organisation"), uuid=uuid)
    organisation, _all = _admin_organisation(request)
    if template.organisation_id is not None:
        scope = get_scope(request.user)
        if not permissions.is_functional_admin(scope, template.organisation_id):
            raise Http404(_("Dit sjabloon bestaat niet of hoort bij een andere organisatie."))
        organisation = template.organisation
    return template, organisation


@login_required
def template_list(request):
    organisation, organisations = _admin_organisation(request)
    return render(
        request,
        "messaging/letter_templates.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "rows": selectors.templates_for(organisation),
            "kinds": letters.KNOWN_KEYS,
        },
    )


@login_required
@require_POST
def template_override(request, uuid):
    shared, organisation = _editable(request, uuid)
    try:
        own = services.override_template(
            user=request.user, shared=shared, organisation=organisation
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("messaging:letter-templates")
    messages.success(
        request,
        _("U heeft nu een eigen versie voor %(org)s. Pas de tekst hieronder aan.")
        % {"org": organisation.name},
    )
    return redirect("messaging:letter-template", uuid=own.uuid)


def _preview(key, language, subject, body, short_text):
    """What the preview shows: the text with example values, the errors, the B1 indication."""
    errors = []
    for text in (subject, body, short_text):
        errors += [e for e in letters.template_errors(text or "", key=key) if e not in errors]
    with translation.override(language):
        values = letters.example_values(key)
        contact = letters.ContactBlock(
            values["contactpersoon"], _("consulent"), values["telefoon"], False
        )
        rendered_subject = letters.render_text(subject, values)
        rendered_body = letters.render_text(body, values)
        rendered_short = letters.render_text(short_text, values)
        contact_text = contact.text()
    return {
        "preview_errors": errors,
        "preview_subject": rendered_subject,
        "preview_blocks": letters.blocks(rendered_body),
        "preview_short": rendered_short,
        "preview_contact": contact_text,
        "preview_language": language,
        "readability": letters.readability(body) if language == "nl" else None,
    }


@login_required
def template_edit(request, uuid):
    template, organisation = _editable(request, uuid)
    is_own = template.organisation_id is not None
    initial = {
        "subject": template.subject,
        "body": template.body,
        "short_text": template.short_text,
    }
    form = TemplateForm(request.POST or None, key=template.key, initial=initial)
    if request.method == "POST":
        if not is_own:
            raise PermissionDenied(
                _("Een landelijk sjabloon past u niet aan. Maak een eigen versie.")
            )
        if form.is_valid():
            try:
                services.save_template(user=request.user, template=template, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Opgeslagen als nieuwe versie."))
                return redirect("messaging:letter-template", uuid=template.uuid)
    data = form.data if form.is_bound else initial
    override = None
    if not is_own:
        override = LetterTemplate.objects.filter(
            organisation=organisation, key=template.key, language=template.language
        ).first()
    return render(
        request,
        "messaging/letter_template_edit.html",
        {
            "template": template,
            "organisation": organisation,
            "is_own": is_own,
            "override": override,
            "form": form,
            "variables": letters.variables_for(template.key),
            "versions": template.versions.select_related("created_by")[:20],
            **_preview(
                template.key,
                template.language,
                data.get("subject", ""),
                data.get("body", ""),
                data.get("short_text", ""),
            ),
        },
    )


@login_required
@require_POST
def template_preview(request, uuid):
    """htmx: the preview of the text as typed (nothing is saved)."""
    template, _organisation = _editable(request, uuid)
    return render(
        request,
        "messaging/letter_preview.html",
        _preview(
            template.key,
            template.language,
            request.POST.get("subject", ""),
            request.POST.get("body", ""),
            request.POST.get("short_text", ""),
        ),
    )


@login_required
def exemptions(request):
    organisation, organisations = _admin_organisation(request)
    form = ExemptionForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_exemption(
                user=request.user,
                organisation=organisation,
                employee=form.cleaned_data["employee"],
                reason=form.cleaned_data["reason"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Vastgelegd. Op brieven staat nu het team met het directe nummer.")
            )
            return redirect(f"{request.path}?organisatie={organisation.code}")
    return render(
        request,
        "messaging/letter_exemptions.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "form": form,
            "exemptions": selectors.exemptions_for(organisation),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def exemption_end(request, pk):
    exemption = get_object_or_404(NamingExemption.objects.select_related("organisation"), pk=pk)
    if not permissions.is_functional_admin(get_scope(request.user), exemption.organisation_id):
        raise Http404(_("Deze uitzondering bestaat niet of hoort bij een andere organisatie."))
    services.end_exemption(user=request.user, exemption=exemption)
    messages.success(
        request, _("Beëindigd. Op nieuwe brieven staat weer de naam van de medewerker.")
    )
    url = reverse("messaging:letter-exemptions")
    return redirect(f"{url}?organisatie={exemption.organisation.code}")


@login_required
def letter_pdf(request, uuid):
    """The PDF of a letter: for the organisation that sent it or staff with a basis for the
    resident; the read is logged."""
    try:
        letter = selectors.get_letter(request.user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="brief-{letter.uuid}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
