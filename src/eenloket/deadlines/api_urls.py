"""API routes of legal terms (included under /api/v1/)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .api import DueDateView, RequestTypeViewSet, TrackedRequestViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("request-types", RequestTypeViewSet, basename="request-type")
router.register("requests", TrackedRequestViewSet, basename="tracked-request")

urlpatterns = [
    path("deadlines/due-date", DueDateView.as_view(), name="deadlines-due-date"),
    *router.urls,
]
