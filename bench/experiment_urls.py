"""Experimental variants of the two benchmarked endpoints, mounted under /x/ next to the real
URLs (settings: bench/experiment_settings.py). Not product code: they exist to measure how much
a change to the real code would save. See bench/README.md, "Findings".

/x/lean-queryset/?resident=   the real viewset, the list query fetching only used columns
/x/lean-history/?resident=    DRF auth as now; .values() query without the resident join,
                              plain dicts instead of a ModelSerializer, no django-filter
/x/minimal-history/?resident= no DRF: one token query, user + scope cached per process for
                              60 s, then as lean-history; JsonResponse
/x/empty-drf/                 floor: DRF token auth + IsStaffMember, empty answer
/x/plain-django/              floor: the middleware stack and an empty JsonResponse
/x/lean-register/             POST: resident fetched with 3 columns, the real service, small answer
/x/minimal-register/          POST: as lean-register, without DRF, cached user + scope
"""

import json
import time

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from eenloket.conf import urls as project_urls
from eenloket.contacts import services
from eenloket.contacts.api import ContactMomentViewSet
from eenloket.contacts.models import ContactMoment
from eenloket.contacts.selectors import visible_contacts
from eenloket.core.audit import log_access
from eenloket.organisations.models import User
from eenloket.organisations.selectors import get_scope
from eenloket.residents.models import Resident

PAGE = 25
VALUES = (
    "id",
    "uuid",
    "organisation__code",
    "location__uuid",
    "staff__uuid",
    "staff__first_name",
    "staff__last_name",
    "channel",
    "question",
    "answer",
    "outcome",
    "extra_help_needed",
    "started_at",
    "ended_at",
)


class LeanQuerysetViewSet(ContactMomentViewSet):
    def get_queryset(self):
        own = [
            f.name
            for f in ContactMoment._meta.concrete_fields
            if f.name not in {"organisation", "location", "staff", "resident"}
        ]
        return (
            visible_contacts(self.request.user)
            .select_related("organisation", "location", "staff", "resident")
            .only(
                *own,
                "organisation__code",
                "location__uuid",
                "staff__uuid",
                "staff__first_name",
                "staff__last_name",
                "resident__uuid",
                "resident__bsn",
            )
        )


def _history(user, resident_uuid):
    resident = Resident.objects.only("id", "uuid", "bsn").get(uuid=resident_uuid)
    rows = list(
        visible_contacts(user)
        .filter(resident_id=resident.pk)
        .order_by("-started_at", "-id")
        .values(*VALUES)[: PAGE + 1]
    )
    log_access(
        user=user,
        organisation_code=get_scope(user).primary_organisation_code,
        residents=[resident],
        activity="contactmoment-inzien",
        action="read",
        channel="api",
        object_type="contact-list",
    )
    results = [
        {
            "uuid": r["uuid"],
            "organisation": r["organisation__code"],
            "location": r["location__uuid"],
            "staff": r["staff__uuid"],
            "staff_name": f"{r['staff__first_name']} {r['staff__last_name']}".strip(),
            "resident": resident.uuid,
            "channel": r["channel"],
            "question": r["question"],
            "answer": r["answer"],
            "outcome": r["outcome"],
            "extra_help_needed": r["extra_help_needed"],
            "started_at": r["started_at"],
            "ended_at": r["ended_at"],
        }
        for r in rows[:PAGE]
    ]
    return {"next": None, "previous": None, "results": results}


class LeanHistoryView(APIView):
    def get(self, request):
        return Response(_history(request.user, request.query_params["resident"]))


class EmptyView(APIView):
    def get(self, request):
        return Response({})


def plain_django(request):
    return JsonResponse({})


_users: dict[int, tuple[float, User]] = {}


def _cached_user(request):
    """One query (token -> user id); the user and their scope are cached for 60 s."""
    key = request.headers.get("Authorization", "").removeprefix("Token ").strip()
    user_id = Token.objects.filter(key=key).values_list("user_id", flat=True).first()
    if user_id is None:
        return None
    hit = _users.get(user_id)
    if hit is None or hit[0] < time.monotonic():
        user = User.objects.get(pk=user_id, is_active=True)
        get_scope(user)  # computed once, kept on the cached object
        hit = _users[user_id] = (time.monotonic() + 60, user)
    return hit[1]


def minimal_history(request):
    user = _cached_user(request)
    if user is None:
        return JsonResponse({"title": "U bent niet ingelogd."}, status=401)
    return JsonResponse(_history(user, request.GET["resident"]), encoder=DjangoJSONEncoder)


class LeanRegisterView(APIView):
    def post(self, request):
        return Response(_register(request.user, request.data), status=201)


def _register(user, data):
    resident = Resident.objects.only("id", "uuid", "bsn").get(uuid=data["resident"])
    contact = services.register_contact(
        user=user,
        channel=data["channel"],
        question=data["question"],
        outcome=data["outcome"],
        resident=resident,
        via="api",
    )
    return {"uuid": contact.uuid, "resident": resident.uuid, "started_at": contact.started_at}


@csrf_exempt
def minimal_register(request):
    user = _cached_user(request)
    if user is None:
        return JsonResponse({"title": "U bent niet ingelogd."}, status=401)
    body = _register(user, json.loads(request.body))
    return JsonResponse(body, status=201, encoder=DjangoJSONEncoder)


urlpatterns = [
    path("x/lean-queryset/", LeanQuerysetViewSet.as_view({"get": "list"})),
    path("x/lean-history/", LeanHistoryView.as_view()),
    path("x/minimal-history/", minimal_history),
    path("x/empty-drf/", EmptyView.as_view()),
    path("x/plain-django/", plain_django),
    path("x/lean-register/", LeanRegisterView.as_view()),
    path("x/minimal-register/", minimal_register),
    path("", include(project_urls.urlpatterns)),
]
