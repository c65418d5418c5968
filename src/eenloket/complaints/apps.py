from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "eenloket.complaints"
    label = "complaints"
    verbose_name = _("Klachten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import auditlog  # noqa: F401
