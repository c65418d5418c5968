from django.apps import AppConfig


class HelpedConfig(AppConfig):
    name = "eenloket.helped"
    label = "helped"
    verbose_name = "Bent u geholpen?"

    def ready(self):
        # Registers the task kinds (worklist/kinds.py), the open checks on the resident overview
        # (residents/overview.py) and the sweeps (core/sweeps.py).
        from . import kinds, overview, tasks  # noqa: F401
