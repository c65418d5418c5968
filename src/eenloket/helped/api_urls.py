"""API routes of helped (included under /api/v1/)."""

urlpatterns: list = []
