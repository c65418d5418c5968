"""API routes for referrals, live consults and on-duty status (included under /api/v1/)."""

urlpatterns = []
