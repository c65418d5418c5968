from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "eenloket.messaging"
    label = "messaging"
    verbose_name = "Berichten en brieven"

    def ready(self):
        # The delivery task and sweep of the outbox (core/sweeps.py); the audit of changes of
        # the channel settings.
        from . import auditlog, tasks  # noqa: F401
