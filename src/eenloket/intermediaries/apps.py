from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntermediariesConfig(AppConfig):
    name = "eenloket.intermediaries"
    label = "intermediaries"
    verbose_name = _("Intermediairen Contact Punt")
    default_auto_field = "django.db.models.BigAutoField"
