from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "eenloket.referrals"
    label = "referrals"
    verbose_name = "Doorverwijzingen en overleg"
