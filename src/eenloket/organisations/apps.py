from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "eenloket.organisations"
    label = "organisations"
    verbose_name = "Organisaties"

    def ready(self):
        from eenloket.core.audit import set_role_resolver

        from . import auditlog  # noqa: F401  (audit of changes: who changed what)
        from .selectors import role_at

        set_role_resolver(role_at)
