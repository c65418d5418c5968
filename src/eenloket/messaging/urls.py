"""Screens of messaging (included at the site root)."""

from django.urls import path

from . import letter_views, views

app_name = "messaging"

urlpatterns: list = []

# The outbox for the functional admin: dead letters, sent messages, print batches (views.py).
urlpatterns += [
    path("beheer-berichten/", views.outbox_page, name="outbox"),
    path("beheer-berichten/<uuid:uuid>/opnieuw/", views.message_retry, name="message-retry"),
    path("beheer-berichten/<uuid:uuid>/annuleren/", views.message_cancel, name="message-cancel"),
    path("beheer-berichten/drukwerk/nieuw/", views.batch_create, name="batch-create"),
    path(
        "beheer-berichten/drukwerk/<uuid:uuid>/verstuurd/",
        views.batch_sent,
        name="batch-sent",
    ),
    path(
        "beheer-berichten/drukwerk/<uuid:uuid>/<str:kind>/",
        views.batch_download,
        name="batch-download",
    ),
]

# Letters: templates, exemptions, a letter's PDF (letter_views.py).
urlpatterns += [
    path("brieven/", letter_views.template_list, name="letter-templates"),
    path("brieven/sjablonen/<uuid:uuid>/", letter_views.template_edit, name="letter-template"),
    path(
        "brieven/sjablonen/<uuid:uuid>/voorbeeld/",
        letter_views.template_preview,
        name="letter-template-preview",
    ),
    path(
        "brieven/sjablonen/<uuid:uuid>/aanpassen/",
        letter_views.template_override,
        name="letter-template-override",
    ),
    path("brieven/uitzonderingen/", letter_views.exemptions, name="letter-exemptions"),
    path(
        "brieven/uitzonderingen/<int:pk>/beeindigen/",
        letter_views.exemption_end,
        name="letter-exemption-end",
    ),
    path("brieven/<uuid:uuid>/pdf/", letter_views.letter_pdf, name="letter-pdf"),
]
