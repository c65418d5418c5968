"""API throttling (REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]). A module of its own: DRF reads
that setting while `rest_framework.views` is imported, so it cannot live in core.api.

DRF's own throttles keep a list of every request time per client in the cache and copy it on
each request: at the rates the bench needs (thousands per second with one token) that list is
the bottleneck. These count per fixed window instead: one counter per client and window, one
cache increment per request. A client may send up to twice the rate across a window boundary,
which is fine for a guard against runaway scripts. The rates are read on every request
(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]), so a test can change them; a rate of None turns
the throttle off. Above the rate: a 429 problem+json with Retry-After (core.api)."""

import math

from rest_framework import throttling
from rest_framework.settings import api_settings


class FixedWindowThrottle(throttling.SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:  # rate and its parts are read in SimpleRateThrottle.__init__
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.wait_seconds = (window + 1) * self.duration - now
        key = f"{self.key}:{window}"
        try:  # the common case: the window's counter exists (one round trip less than add first)
            count = self.cache.incr(key)
        except ValueError:  # the first request of the window (or another process just began it)
            started = self.cache.add(key, 1, timeout=self.duration + 1)
            count = 1 if started else self.cache.incr(key)
        return count <= self.num_requests

    def wait(self):
        return max(1, math.ceil(self.wait_seconds))

    def get_ident(self, request):
        """The client address through trusted proxies only (TRUSTED_PROXIES, core/login.py);
        DRF's own would believe any X-Forwarded-For header."""
        from .login import client_ip  # it needs the models; this module is read before them

        return client_ip(request)


class UserRateThrottle(FixedWindowThrottle):
    """Per signed-in user (token or session)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonRateThrottle(FixedWindowThrottle):
    """Per client address, for anonymous requests only (the schema, for instance)."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def form_post_wait(request, prefix: str, *, limit: int, window: int) -> int:
    """For public forms without login (the "bent u geholpen?" answer, booking an appointment):
    counts this post for the client address in a fixed window in the cache; the seconds to wait
    when it is over `limit`, else 0."""
    import time

    from django.core.cache import cache

    from .login import client_ip

    now = time.time()
    slot = int(now // window)
    key = f"{prefix}:{client_ip(request)}:{slot}"
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1 if cache.add(key, 1, timeout=window + 1) else cache.incr(key)
    if count > limit:
        return max(1, math.ceil((slot + 1) * window - now))
    return 0
