"""API routes of messaging (included under /api/v1/). One list: add routes at the end."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .api import MessageViewSet, NotifyReceiptView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("messages", MessageViewSet, basename="message")

urlpatterns = [
    # Before the router's messages/<uuid>/: the receipts of NotifyNL.
    path(
        "messages/receipts/notify/",
        NotifyReceiptView.as_view(),
        name="message-receipts-notify",
    ),
    *router.urls,
]

# Letters and letter templates (api_letters.py).
from .api_letters import LetterPdfView, LetterTemplateViewSet, LetterViewSet  # noqa: E402

letter_router = DefaultRouter(trailing_slash=True)
letter_router.include_root_view = False
letter_router.register("letter-templates", LetterTemplateViewSet, basename="letter-template")
letter_router.register("letters", LetterViewSet, basename="letter")
urlpatterns += [
    path("letters/<uuid:uuid>/pdf", LetterPdfView.as_view(), name="api-letter-pdf"),
    *letter_router.urls,
]
