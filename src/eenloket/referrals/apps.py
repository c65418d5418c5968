from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "eenloket.referrals"
    label = "referrals"
    verbose_name = "Doorverwijzingen en overleg"

    def ready(self):
        # Registers this app's basis for seeing a resident (residents/access.py) and its open
        # items on the resident overview (residents/overview.py); its audit of changes; its
        # sweeps (core/sweeps.py).
        from . import access, auditlog, overview, tasks  # noqa: F401
