"""Screens of appointments (included at the site root): the public booking pages (no login)
and the staff screens."""

from django.urls import path

from . import public_views, views

app_name = "appointments"

urlpatterns = [
    # Residents, without login.
    path("afspraak/", public_views.book, name="book"),
    path("afspraak/regelen/", public_views.arrange, name="arrange"),
    path("afspraak/beheren/<str:token>/", public_views.manage, name="manage"),
    path("afspraak/beheren/<str:token>/agenda.ics", public_views.calendar, name="manage-ics"),
    path(
        "afspraak/beheren/<str:token>/verzetten/", public_views.reschedule, name="manage-reschedule"
    ),
    path("afspraak/beheren/<str:token>/annuleren/", public_views.cancel, name="manage-cancel"),
    # Staff.
    path("afspraken/", views.day_list, name="day-list"),
    path("afspraken/nieuw/", views.book, name="staff-book"),
    path("afspraken/vaardigheden/", views.skills, name="skills"),
    path("afspraken/cijfers/", views.figures, name="figures"),
    path("afspraken/spreekuren/", views.schedules, name="schedules"),
    path("afspraken/<uuid:uuid>/", views.detail, name="detail"),
    path("afspraken/<uuid:uuid>/<slug:action>/", views.action, name="action"),
]
