"""The gate of the contact point: an intermediary account works only behind a verified second
factor (django-otp, TOTP) and only on its own pages. Staff accounts pass through untouched.

After the password at /inloggen/ an intermediary is sent to the verification step; until the
code is right, every other page (the API too) is closed. Once verified they may use /icp/ and
their own API; every staff page answers 403, whatever its own checks say (defence in depth: they
also have no membership, so the staff predicates refuse them too).

Whether an account is an intermediary's is kept in the session at login (one query then, none
per request)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from eenloket.core.api import problem_response

SESSION_KEY = "eenloket_icp"
API_PREFIX = "/api/v1/my-concern-reports/"
# Open to a signed-in intermediary before the second factor is verified.
ALWAYS_OPEN = ("/uitloggen/", "/i18n/", "/static/", "/icp/uitnodiging/", "/favicon")


def _is_intermediary(user) -> bool:
    from .models import Intermediary

    return Intermediary.objects.filter(user_id=user.pk, is_active=True).exists()


def remember_kind_of_account(sender, request, user, **kwargs):
    """user_logged_in: note in the session whether this is an intermediary's account."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = _is_intermediary(user)


def _verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class IntermediaryGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        if SESSION_KEY not in session:
            session[SESSION_KEY] = _is_intermediary(user)
        if not session[SESSION_KEY]:
            return self.get_response(request)
        path = request.path_info
        verify = reverse("intermediaries:verify")
        home = reverse("intermediaries:home")
        if path.startswith(ALWAYS_OPEN):
            return self.get_response(request)
        if not _verified(user):
            if path == verify:
                return self.get_response(request)
            if path.startswith("/api/"):
                return problem_response(
                    request, 403, _("Bevestig eerst uw inlog met de code uit uw app.")
                )
            wanted = request.get_full_path()
            if path in ("/", home) or not url_has_allowed_host_and_scheme(
                wanted, allowed_hosts={request.get_host()}
            ):
                return redirect(verify)
            return redirect(f"{verify}?{urlencode({'next': wanted})}")
        if path == "/" or path == reverse("login"):
            return redirect(home)
        if path.startswith(API_PREFIX) or (path.startswith("/icp/")):
            return self.get_response(request)
        if path.startswith("/api/"):
            return problem_response(
                request, 403, _("Deze gegevens zijn alleen voor medewerkers van de gemeente.")
            )
        return render(request, "intermediaries/refused.html", status=403)
