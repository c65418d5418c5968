"""Screens of "bent u geholpen?".

The public answer page (`/geholpen/<token>/`, no login): the question, Ja/Nee, an optional rating
and comment; then a thank-you page. It shows the organisation's name, the date of the contact
and the service's name (or "uw vraag"): never the resident's name or the text of the question.
A tampered link, an expired one, a used one and too many posts from one address each get their
own page, without personal data. The form is CSRF protected (the GET sets the cookie) and the
page needs no inline script (the character counter is a static file: CSP). Dutch by default, or
the resident's language when the visitor has not chosen one (the language switch).

The figures page (`/geholpen/cijfers/`) is for team leads, management and functional admins."""

import datetime as dt
import math

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods

from eenloket.core.permissions import can_read_reports, refusal
from eenloket.core.throttling import form_post_wait

from . import selectors, services, tokens
from .forms import AnswerForm
from .models import HelpedCheck

PERIODS = (30, 90, 365)


# ---- the public page ------------------------------------------------------------------------------
def _language_of(request, check) -> None:
    """The resident's language when the visitor did not choose one with the language switch."""
    if check is None or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return
    language = (check.resident.language or "").lower()[:2]
    if language in {code for code, _name in settings.LANGUAGES}:
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _render(request, template, context, *, status=200):
    response = render(request, template, context, status=status)
    response["Content-Language"] = translation.get_language()
    response["Cache-Control"] = "no-store"  # the page belongs to one link and one moment
    # The token must not leak to other sites ("no-referrer" would make Chromium send
    # "Origin: null" with the form, which the CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


def _organisation_phone(check) -> str:
    if check is None:
        return ""
    if check.team_id and check.team.phone:
        return check.team.phone
    return check.organisation.phone


def _message(request, kind, check=None, *, status):
    _language_of(request, check)
    texts = {
        "invalid": (
            _("Deze link klopt niet"),
            _(
                "De link is niet goed overgenomen, of er is een nieuwere link gestuurd. "
                "Kijk of u de hele link heeft gebruikt."
            ),
        ),
        "expired": (
            _("Deze link is verlopen"),
            _("U kunt deze vraag niet meer beantwoorden. Heeft u nog een vraag? Bel ons."),
        ),
        "used": (
            _("U heeft deze vraag al beantwoord. Dank u wel."),
            _("Wij hebben uw antwoord ontvangen. U hoeft niets meer te doen."),
        ),
        "too-many": (
            _("Even wachten"),
            _(
                "Er zijn vanaf uw internetverbinding te veel antwoorden verstuurd. "
                "Probeer het over %(minutes)s minuten opnieuw."
            )
            % {"minutes": math.ceil(settings.HELPED_CHECK_RATE_WINDOW_SECONDS / 60)},
        ),
    }
    heading, text = texts[kind]
    return _render(
        request,
        "helped/message.html",
        {
            "heading": heading,
            "text": text,
            "kind": kind,
            "organisation": check.organisation if check is not None else None,
            "phone": _organisation_phone(check) if kind == "expired" else "",
        },
        status=status,
    )


def _wait_seconds(request) -> int:
    return form_post_wait(
        request,
        "helped-answer",
        limit=settings.HELPED_CHECK_RATE_LIMIT,
        window=settings.HELPED_CHECK_RATE_WINDOW_SECONDS,
    )


def _link_problem(request, exc):
    check = exc.args[0] if exc.args else None
    if isinstance(exc, services.AlreadyAnswered):
        return _message(request, "used", check, status=200)
    if isinstance(exc, tokens.LinkExpired):
        return _message(request, "expired", check, status=410)
    return _message(request, "invalid", None, status=404)


LINK_ERRORS = (tokens.LinkInvalid, tokens.LinkExpired, services.AlreadyAnswered)


@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def answer(request, token):
    if request.method == "POST":
        wait = _wait_seconds(request)
        if wait:
            response = _message(request, "too-many", status=429)
            response["Retry-After"] = str(wait)
            return response
    try:
        check = services.check_for_link(token)
    except LINK_ERRORS as exc:
        return _link_problem(request, exc)
    _language_of(request, check)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_by_link(token=token, **form.answer())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except LINK_ERRORS as exc:
            return _link_problem(request, exc)
        else:
            return redirect("helped:thanks", token=token)
    return _render(
        request,
        "helped/answer.html",
        {
            "check": check,
            "form": form,
            # The service's name; none: "Bent u geholpen met uw vraag?"
            "topic": check.service.name if check.service_id else "",
            "comment_max": services.COMMENT_MAX,
            "organisation": check.organisation,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def thanks(request, token):
    try:
        check_uuid, nonce = tokens.read_token(token)
    except (tokens.LinkInvalid, tokens.LinkExpired):
        return _message(request, "invalid", status=404)
    check = (
        HelpedCheck.objects.select_related("organisation", "resident")
        .filter(uuid=check_uuid)
        .first()
    )
    if check is None or not tokens.nonce_matches(check, nonce):
        return _message(request, "invalid", status=404)
    if check.used_at is None:
        return redirect("helped:answer", token=token)
    _language_of(request, check)
    return _render(
        request,
        "helped/thanks.html",
        {"check": check, "organisation": check.organisation, "not_helped": check.helped is False},
    )


# ---- figures for team leads and management ----------------------------------------------------
@login_required
@require_GET
def report(request):
    try:
        organisation_ids = selectors.report_organisation_ids(request.user)
    except PermissionDenied:
        return render(request, "403.html", {"reason": refusal(can_read_reports)}, status=403)
    try:
        days = int(request.GET.get("periode", "90"))
    except ValueError:
        days = 90
    if days not in PERIODS:
        days = 90
    since = timezone.now() - dt.timedelta(days=days)
    groups = [
        (
            _("Per kanaal van het contact"),
            selectors.helped_rates(organisation_ids, since, "channel"),
        ),
        (_("Per manier van vragen"), selectors.helped_rates(organisation_ids, since, "asked_via")),
        (_("Per locatie"), selectors.helped_rates(organisation_ids, since, "location")),
        (_("Per team"), selectors.helped_rates(organisation_ids, since, "team")),
    ]
    return render(
        request,
        "helped/report.html",
        {"groups": groups, "days": days, "periods": PERIODS, "since": since},
    )
