from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "eenloket.cases"
    label = "cases"
    verbose_name = _("Casussen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import access, auditlog, kinds, overview, tasks  # noqa: F401
