from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "eenloket.organisations"
    label = "organisations"
    verbose_name = "Organisaties"

    def ready(self):
        from . import auditlog  # noqa: F401  (audit of changes: who changed what)
