"""API routes of the Intermediairen Contact Punt (included under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from .api import ConcernReportViewSet, MyConcernReportViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("my-concern-reports", MyConcernReportViewSet, basename="my-concern-report")
router.register("concern-reports", ConcernReportViewSet, basename="concern-report")

urlpatterns = router.urls
