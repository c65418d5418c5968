from django.apps import AppConfig


class HelpedConfig(AppConfig):
    name = "eenloket.helped"
    label = "helped"
    verbose_name = "Bent u geholpen?"
