"""API routes of messaging (included under /api/v1/)."""

urlpatterns: list = []
