from django.urls import path

from . import views

app_name = "intermediaries"

urlpatterns = [
    # Intermediaries (their own pages, behind the second factor).
    path("icp/", views.home, name="home"),
    path("icp/melden/", views.report_new, name="new"),
    path("icp/meldingen/<uuid:uuid>/", views.report_detail, name="detail"),
    path("icp/verificatie/", views.verify, name="verify"),
    path("icp/uitnodiging/<str:token>/", views.accept, name="accept"),
    # Staff of the routed team, team leads and the functioneel beheerder.
    path("zorgmeldingen/", views.staff_list, name="staff-list"),
    path("zorgmeldingen/overzicht/", views.overview, name="overview"),
    path("zorgmeldingen/intermediairen/", views.beheer, name="beheer"),
    path("zorgmeldingen/intermediairen/uitnodigen/", views.beheer_invite, name="beheer-invite"),
    path("zorgmeldingen/intermediairen/termijnen/", views.beheer_norms, name="beheer-norms"),
    path(
        "zorgmeldingen/intermediairen/<uuid:uuid>/<slug:step>/",
        views.beheer_account,
        name="beheer-account",
    ),
    path("zorgmeldingen/<uuid:uuid>/", views.staff_detail, name="staff-detail"),
    path("zorgmeldingen/<uuid:uuid>/antwoord/", views.staff_answer, name="staff-answer"),
    path("zorgmeldingen/<uuid:uuid>/koppelen/", views.staff_link, name="staff-link"),
    path(
        "zorgmeldingen/<uuid:uuid>/documenten/<uuid:attachment>/",
        views.staff_attachment,
        name="staff-attachment",
    ),
]
