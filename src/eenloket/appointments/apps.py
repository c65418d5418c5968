from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "eenloket.appointments"
    label = "appointments"
    verbose_name = "Afspraken"

    def ready(self):
        # Registers the task kind "afspraak regelen" (worklist) and the sweeps (reminders).
        from . import access, auditlog, kinds, overview, tasks  # noqa: F401
