"""API routes of worklist (included under /api/v1/)."""

urlpatterns: list = []
