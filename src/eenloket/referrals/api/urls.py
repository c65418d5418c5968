"""API routes for referrals, live consults and on-duty status (included under /api/v1/)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .viewsets import LiveConsultViewSet, OnDutyView, ReferralViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("referrals", ReferralViewSet, basename="referral")
router.register("live-consults", LiveConsultViewSet, basename="live-consult")

urlpatterns = [
    path("on-duty/", OnDutyView.as_view(), name="on-duty"),
    *router.urls,
]
