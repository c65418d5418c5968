"""Failed logins, limited per client as well as per account.

django-axes locks a username at one address after 5 failures. That does not stop one password
tried against many accounts (password spraying). So failures are also counted per client address,
across all usernames: after LOGIN_CLIENT_FAILURE_LIMIT failures in LOGIN_CLIENT_WINDOW_MINUTES,
that address cannot log in for a while.

A town hall sits behind one NAT address, so a plain per-address limit would lock out every
colleague there. Hence device cookies (OWASP, "Slow down online guessing attacks with device
cookies"): a browser in which user X logged in successfully gets a signed cookie that names X (as a
keyed hash, not the name). A login as X with that cookie is not held back by the per-address limit
and does not count towards it; axes still limits X at that address to 5 tries. Colleagues who
logged in on their computer before keep working while an attacker behind the same address is
stopped; only browsers that never logged in as that user wait.

The client address is REMOTE_ADDR, or, when REMOTE_ADDR is one of TRUSTED_PROXIES, the address
that the trusted proxies put in X-Forwarded-For; axes uses the same rule (AXES_CLIENT_IP_CALLABLE).

The failures are rows of axes' AccessFailureLog in the database, written here only for clients
without a device cookie for the username tried; refused attempts are not written, so an address
gets at most LIMIT tries per window and the table stays small (`manage.py axes_reset_failure_logs
--age 30` trims it). The database, not a per-process cache, because every app worker and every
host must see the same count, and PostgreSQL is already shared by all of them."""

import datetime as dt
import functools
import ipaddress

from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

DEVICE_COOKIE = "eenloket_device"
DEVICE_SALT = "eenloket.core.login.device"
MAX_DEVICE_USERS = 20  # a shared counter computer remembers this many colleagues


# ---- client address ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _networks(entries: tuple[str, ...]):
    try:
        return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def _address(text: str):
    text = text.strip()
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client. X-Forwarded-For counts only when the peer is a trusted proxy:
    then the rightmost address that is not itself a trusted proxy (a client can put anything at
    the left of the header; each proxy appends the address it saw)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    peer = _address(remote)
    if not _trusted(peer, networks):
        return remote
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([h for h in hops if h.strip()]):
        address = _address(hop)
        if address is None:  # garbage from further left: trust nothing beyond it
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


# ---- device cookies ----------------------------------------------------------------------------------
def _device_token(username: str) -> str:
    return salted_hmac(DEVICE_SALT, username.casefold()).hexdigest()[:24]


def _device_tokens(request) -> list[str]:
    value = request.get_signed_cookie(
        DEVICE_COOKIE, default="", salt=DEVICE_SALT, max_age=device_cookie_age()
    )
    return [t for t in value.split(".") if t]


def device_cookie_age() -> int:
    return settings.LOGIN_DEVICE_COOKIE_DAYS * 24 * 3600


def has_device_cookie(request, username: str) -> bool:
    return bool(username) and _device_token(username) in _device_tokens(request)


def remember_device(request, response, username: str) -> None:
    """After a successful login: this browser is known for this user (most recent first)."""
    token = _device_token(username)
    tokens = [token] + [t for t in _device_tokens(request) if t != token]
    response.set_signed_cookie(
        DEVICE_COOKIE,
        ".".join(tokens[:MAX_DEVICE_USERS]),
        salt=DEVICE_SALT,
        max_age=device_cookie_age(),
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


# ---- the limit ------------------------------------------------------------------------------------
def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_CLIENT_WINDOW_MINUTES)


def client_blocked(request, username: str) -> bool:
    """True when this client may not try a password for `username` now. Asked by the login form
    and again by the backend inside authenticate(): answered once per request."""
    if request is None:
        return False
    answers = request.__dict__.setdefault("_client_blocked", {})
    if username not in answers:
        answers[username] = not has_device_cookie(request, username or "") and (
            AccessFailureLog.objects.filter(
                ip_address=client_ip(request), attempt_time__gte=timezone.now() - _window()
            ).count()
            >= settings.LOGIN_CLIENT_FAILURE_LIMIT
        )
    return answers[username]


def blocked_message() -> str:
    minutes = int(_window().total_seconds() // 60)
    return _(
        "Vanaf dit netwerk is in korte tijd te vaak een verkeerd wachtwoord ingevuld. Daarom kunt "
        "u hier nu niet inloggen. Probeer het over %(minutes)s minuten opnieuw, of vraag uw "
        "functioneel beheerder om hulp."
    ) % {"minutes": minutes}


def record_failure(sender, credentials, request=None, **kwargs):
    """user_login_failed: count a failure of a client without a device cookie for the username
    (connected in CoreConfig.ready)."""
    if request is None or getattr(request, "client_login_refused", False):
        return
    username = str(credentials.get("username") or "")
    if has_device_cookie(request, username):
        return
    AccessFailureLog.objects.create(
        username=username[:255],
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        http_accept=request.META.get("HTTP_ACCEPT", "")[:1025],
        path_info=request.META.get("PATH_INFO", "")[:255],
    )


class ClientLimitBackend(BaseBackend):
    """Refuses every password check for a blocked client, whatever the login page (the admin's
    too). Listed after axes' backend and before ModelBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and client_blocked(request, username):
            request.client_login_refused = True
            raise PermissionDenied(blocked_message())
        return None


# ---- the login page ---------------------------------------------------------------------------------
class LoginForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if username and client_blocked(self.request, username):
            self.client_blocked = True
            raise ValidationError(blocked_message(), code="client_blocked")
        return super().clean()


class LoginView(auth_views.LoginView):
    """Django's login page, plus the per-client limit (429 with a clear message) and the device
    cookie after a successful login."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_device(self.request, response, form.get_user().get_username())
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "client_blocked", False):
            response.context_data["client_blocked"] = blocked_message()
            response.status_code = 429
        return response
