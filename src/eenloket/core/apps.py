from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "eenloket.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_delete, post_save

        from . import auditlog, calendar, login  # noqa: F401
        from .models import EquatedDay

        user_login_failed.connect(login.record_failure, dispatch_uid="core.login.record_failure")
        for signal in (post_save, post_delete):
            signal.connect(calendar.forget_equated_days, sender=EquatedDay, weak=False)
