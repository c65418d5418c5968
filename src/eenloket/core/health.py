"""Health endpoints for the platform that runs Eén Loket (Kubernetes probes, a load balancer):

    GET /health/        liveness: the process answers. Touches nothing else, not the database.
    GET /health/ready/  readiness: the database answers a query, and the Celery broker a ping
                        (only when CELERY_BROKER_URL is set and tasks do not run in-process).
                        200 with the checks, or 503 problem+json saying which check failed.

Both are answered by HealthCheckMiddleware, first in MIDDLEWARE: no login, no session or cookie,
no host check (a probe asks by the pod's address), no HTTPS redirect (a probe speaks plain HTTP
inside the cluster), no sweep and no request log line. The answer says nothing about the data."""

import structlog
from django.conf import settings
from django.db import connections
from django.http import HttpResponseNotAllowed, JsonResponse

from .api import problem_response

logger = structlog.stdlib.get_logger(__name__)

OK = "ok"
FAILED = "fout"


def live(request):
    """Liveness: the process is up and answers requests."""
    return JsonResponse({"status": OK})


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker() -> None:
    from kombu import Connection

    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)


def checks() -> dict:
    """The checks that readiness runs, by name."""
    found = {"database": _database}
    if settings.HEALTH_CHECK_BROKER and not settings.CELERY_TASK_ALWAYS_EAGER:
        found["broker"] = _broker
    return found


def ready(request):
    """Readiness: the process can serve, because what it needs answers."""
    results = {}
    for name, check in checks().items():
        try:
            check()
        except Exception:  # any failure makes the instance not ready; the log says why
            logger.warning("health check failed", check=name, exc_info=True)
            results[name] = FAILED
        else:
            results[name] = OK
    failed = [name for name, result in results.items() if result != OK]
    if failed:
        return problem_response(
            request, 503, "Niet gereed: " + ", ".join(failed) + ".", checks=results
        )
    return JsonResponse({"status": OK, "checks": results})


VIEWS = {"/health/": live, "/health/ready/": ready}


class HealthCheckMiddleware:
    """Answers /health/ and /health/ready/ before any other middleware (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = VIEWS.get(request.path_info)
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        response = view(request)
        response["Cache-Control"] = "no-store"
        return response
