from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntermediariesConfig(AppConfig):
    name = "eenloket.intermediaries"
    label = "intermediaries"
    verbose_name = _("Intermediairen Contact Punt")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import auditlog, kinds, tasks  # noqa: F401
        from .middleware import remember_kind_of_account

        user_logged_in.connect(remember_kind_of_account, dispatch_uid="icp-kind-of-account")
