from django.urls import path

from . import views

urlpatterns = [
    path("", views.start, name="start"),
    path("meldingen/", views.notification_list, name="notifications"),
    path("meldingen/gelezen/", views.notification_read_all, name="notifications-read-all"),
    path(
        "meldingen/groep-gelezen/", views.notification_group_read, name="notifications-group-read"
    ),
    path("meldingen/<uuid:uuid>/gelezen/", views.notification_read, name="notification-read"),
    path("inwoners/<uuid:uuid>/", views.resident_overview, name="resident-overview"),
    path("inwoners/<uuid:uuid>/contacten/", views.resident_contacts, name="resident-contacts"),
    path("contacten/<uuid:uuid>/", views.contact_detail, name="contact-detail"),
    path("privacy/logboek/", views.access_log, name="access-log"),
]
