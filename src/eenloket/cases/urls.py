from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("casussen/", views.case_list, name="list"),
    path("casussen/nieuw/<uuid:resident>/", views.case_new, name="new"),
    path("casussen/patronen/", views.patterns, name="patterns"),
    path("casussen/<uuid:uuid>/", views.case_detail, name="detail"),
    path(
        "casussen/<uuid:uuid>/overleg/<uuid:conference>.ics",
        views.conference_ics,
        name="conference-ics",
    ),
    path("casussen/<uuid:uuid>/<slug:step>/", views.case_step, name="step"),
    path("doorbraak/", views.doorbraak_inbox, name="doorbraak-inbox"),
    path("doorbraak/<uuid:uuid>/", views.doorbraak_detail, name="doorbraak"),
    path("signalen/", views.signal_list, name="signals"),
    path("signalen/<uuid:uuid>/", views.signal_detail, name="signal"),
    path("inzage/", views.inzage, name="inzage"),
    path("inzage/casus/<uuid:uuid>/", views.case_inzage, name="case-inzage"),
]
