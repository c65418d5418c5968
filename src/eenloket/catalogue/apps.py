from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "eenloket.catalogue"
    label = "catalogue"
    verbose_name = "Dienstencatalogus"
