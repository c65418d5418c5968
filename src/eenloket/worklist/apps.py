from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "eenloket.worklist"
    label = "worklist"
    verbose_name = "Taken"

    def ready(self):
        # Registers this app's open items on the resident overview (residents/overview.py) and
        # its sweep (core/sweeps.py).
        from . import overview, tasks  # noqa: F401
