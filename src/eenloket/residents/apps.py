from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "eenloket.residents"
    label = "residents"
    verbose_name = "Inwoners"
