from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "eenloket.residents"
    label = "residents"
    verbose_name = "Inwoners"

    def ready(self):
        # Registers this app's kind of basis for seeing a resident (residents/access.py) and
        # its audit of changes (residents/auditlog.py).
        from django.db.models.signals import post_delete, post_save

        from . import access, auditlog  # noqa: F401
        from .models import RegisterAuthorisation

        for signal in (post_save, post_delete):
            signal.connect(  # the uid is per signal: one receiver on each
                access.clear_authorisation_cache,
                sender=RegisterAuthorisation,
                dispatch_uid="register-authorisations-changed",
            )
