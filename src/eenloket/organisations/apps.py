from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "eenloket.organisations"
    label = "organisations"
    verbose_name = "Organisaties"
