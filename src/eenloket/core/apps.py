from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "eenloket.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from . import login

        user_login_failed.connect(login.record_failure, dispatch_uid="core.login.record_failure")
