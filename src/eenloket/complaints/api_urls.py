"""API routes of complaints (included under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from .api import ComplaintViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("complaints", ComplaintViewSet, basename="complaint")

urlpatterns = [*router.urls]
