"""API routes of appointments (included under /api/v1/)."""

from rest_framework.routers import DefaultRouter

from .api import AppointmentViewSet, FiguresView, ScheduleViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("appointments/figures", FiguresView, basename="appointment-figures")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("appointment-schedules", ScheduleViewSet, basename="appointment-schedule")

urlpatterns = [*router.urls]
