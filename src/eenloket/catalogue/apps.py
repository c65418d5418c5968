from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "eenloket.catalogue"
    label = "catalogue"
    verbose_name = "Dienstencatalogus"

    def ready(self):
        from . import auditlog  # noqa: F401  (audit of changes: who changed what)
