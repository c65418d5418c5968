from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("klachten/", views.complaint_list, name="list"),
    path("klachten/nieuw/", views.complaint_new, name="new"),
    path("klachten/jaaroverzicht/", views.year_overview, name="year"),
    path("klachten/lessen/", views.lessons, name="lessons"),
    path("klachten/kopie/<uuid:uuid>/", views.copy, name="copy"),
    path("klachten/<uuid:uuid>/", views.complaint_detail, name="detail"),
    path("klachten/<uuid:uuid>/behandelaar/<uuid:part>/", views.assign, name="assign"),
    path("klachten/<uuid:uuid>/<slug:step>/<uuid:part>/", views.part_step, name="step"),
    path("klachten/<uuid:uuid>/<slug:step>/", views.complaint_step, name="complaint-step"),
    path("klacht-indienen/", views.public_form, name="public"),
    path("klacht-indienen/ontvangen/", views.public_receipt, name="receipt"),
]
