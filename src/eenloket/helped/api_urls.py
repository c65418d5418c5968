"""API routes of helped (included under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from .api import HelpedCheckViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("helped-checks", HelpedCheckViewSet, basename="helped-check")

urlpatterns = router.urls
