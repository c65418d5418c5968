from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from eenloket.catalogue import views as catalogue_views
from eenloket.catalogue.api import RoutingSuggestView, ServiceViewSet
from eenloket.contacts import views as contact_views
from eenloket.contacts.api import ContactMomentViewSet
from eenloket.core import login as core_login
from eenloket.organisations import views as organisation_views
from eenloket.organisations.api import (
    LocationViewSet,
    OrganisationViewSet,
    StaffDirectoryViewSet,
    TeamViewSet,
)
from eenloket.residents import views as resident_views
from eenloket.residents.api import ResidentViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("teams", TeamViewSet, basename="team")
router.register("locations", LocationViewSet, basename="location")
router.register("staff-directory", StaffDirectoryViewSet, basename="staff-directory")
router.register("residents", ResidentViewSet, basename="resident")
router.register("contact-moments", ContactMomentViewSet, basename="contact-moment")
router.register("services", ServiceViewSet, basename="service")

urlpatterns = [
    path("inloggen/", core_login.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("eenloket.workspace.urls")),
    path("inwoners/", resident_views.search, name="resident-search"),
    path("inwoners/nieuw/", resident_views.create, name="resident-create"),
    path(
        "inwoners/<uuid:uuid>/vertegenwoordiger/",
        resident_views.representative_add,
        name="representative-add",
    ),
    path(
        "inwoners/<uuid:uuid>/vertegenwoordiger/<uuid:representative_uuid>/beeindigen/",
        resident_views.representative_end,
        name="representative-end",
    ),
    path("contacten/nieuw/", contact_views.register, name="contact-register"),
    path(
        "contacten/<uuid:uuid>/terugbelverzoek/",
        contact_views.callback_request,
        name="contact-callback",
    ),
    path("catalogus/", catalogue_views.catalogue, name="catalogue"),
    path("catalogus/suggesties/", catalogue_views.suggestions, name="routing-suggestions"),
    path("catalogus/nieuw/", catalogue_views.create_local, name="catalogue-service-create"),
    path("catalogus/<uuid:uuid>/", catalogue_views.detail, name="catalogue-service"),
    path(
        "catalogus/<uuid:uuid>/aanpassen/",
        catalogue_views.override,
        name="catalogue-service-override",
    ),
    path("medewerkersgids/", organisation_views.directory, name="staff-directory"),
    path("", include("eenloket.referrals.urls")),
    path("", include("eenloket.worklist.urls")),
    path("", include("eenloket.messaging.urls")),
    path("", include("eenloket.helped.urls")),
    path("", include("eenloket.appointments.urls")),
    path("", include("eenloket.deadlines.urls")),
    path("", include("eenloket.cases.urls")),
    path("", include("eenloket.complaints.urls")),
    path("", include("eenloket.intermediaries.urls")),
    path("beheer/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/routing/suggest", RoutingSuggestView.as_view(), name="routing-suggest"),
    path("api/v1/", include("eenloket.referrals.api.urls")),
    path("api/v1/", include("eenloket.worklist.api_urls")),
    path("api/v1/", include("eenloket.messaging.api_urls")),
    path("api/v1/", include("eenloket.helped.api_urls")),
    path("api/v1/", include("eenloket.appointments.api_urls")),
    path("api/v1/", include("eenloket.deadlines.api_urls")),
    path("api/v1/", include("eenloket.cases.api_urls")),
    path("api/v1/", include("eenloket.complaints.api_urls")),
    path("api/v1/", include("eenloket.intermediaries.api_urls")),
    path("api/v1/", include(router.urls)),
]

handler403 = "eenloket.core.views.error_403"
handler404 = "eenloket.core.views.error_404"
