"""Screens for referrals and live consults (included at the site root)."""

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    # From a contact moment
    path("contacten/<uuid:uuid>/doorverwijzen/", views.referral_create, name="new"),
    path(
        "contacten/<uuid:uuid>/doorverwijzen/keuzes/",
        views.referral_choices,
        name="new-choices",
    ),
    path("contacten/<uuid:uuid>/overleg/", views.consult_request, name="consult-new"),
    path(
        "contacten/<uuid:uuid>/overleg/organisaties/",
        views.consult_organisations,
        name="consult-organisations",
    ),
    # Referrals
    path("doorverwijzingen/", views.worklist, name="worklist"),
    path("doorverwijzingen/aanspreekpunten/", views.contact_persons, name="contact-persons"),
    path(
        "doorverwijzingen/sociaal-raadslieden/",
        views.counsellor_report,
        name="counsellor-report",
    ),
    path("doorverwijzingen/<uuid:uuid>/", views.referral_detail, name="detail"),
    path(
        "doorverwijzingen/<uuid:uuid>/opnieuw-doorverwijzen/",
        views.referral_rerefer,
        name="rerefer",
    ),
    path(
        "doorverwijzingen/<uuid:uuid>/<slug:action>/",
        views.referral_action,
        name="action",
    ),
    # Live consults
    path("overleg/", views.duty, name="duty"),
    path("overleg/stoppen/", views.duty_stop, name="duty-stop"),
    path("overleg/open/", views.open_consults, name="consult-open"),
    path("overleg/<uuid:uuid>/", views.consult_detail, name="consult"),
    path("overleg/<uuid:uuid>/stand/", views.consult_status, name="consult-status"),
    path("overleg/<uuid:uuid>/aannemen/", views.consult_accept, name="consult-accept"),
    path("overleg/<uuid:uuid>/intrekken/", views.consult_cancel, name="consult-cancel"),
    path("overleg/<uuid:uuid>/afspraak/", views.consult_appointment, name="consult-appointment"),
    path("overleg/<uuid:uuid>/doorverwijzen/", views.consult_referral, name="consult-referral"),
]
