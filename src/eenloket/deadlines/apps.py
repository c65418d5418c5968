from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "eenloket.deadlines"
    label = "deadlines"
    verbose_name = _("Termijnen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import auditlog, kinds, overview, tasks  # noqa: F401
