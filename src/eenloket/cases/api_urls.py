"""API routes of cases, consents, doorbraak requests, early signals and the inzage (included
under /api/v1/)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .api import (
    CaseActionViewSet,
    CaseViewSet,
    ConsentViewSet,
    DoorbraakViewSet,
    InzageView,
    SignalViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")
router.register("case-actions", CaseActionViewSet, basename="case-action")
router.register("consents", ConsentViewSet, basename="consent")
router.register("doorbraak-requests", DoorbraakViewSet, basename="doorbraak-request")
router.register("signals", SignalViewSet, basename="signal")

urlpatterns = [
    path("inzage/", InzageView.as_view(), name="cases-inzage"),
    *router.urls,
]
