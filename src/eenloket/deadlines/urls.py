"""Staff screens of legal terms (included at the site root)."""

from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("termijnen/", views.dashboard, name="dashboard"),
    path("termijnen/nieuw/", views.register, name="register"),
    path("termijnen/rekenen/", views.calculator, name="calculator"),
    path("termijnen/feestdagen/", views.holidays, name="holidays"),
    path("termijnen/<uuid:uuid>/", views.detail, name="detail"),
    path("termijnen/<uuid:uuid>/<slug:action>/", views.action, name="action"),
]
