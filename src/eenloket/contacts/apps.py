from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "eenloket.contacts"
    label = "contacts"
    verbose_name = "Contactmomenten"

    def ready(self):
        # Registers this app's basis for seeing a resident (residents/access.py) and the
        # callback request as a kind of task (worklist/kinds.py); open callback requests reach
        # the resident overview as tasks (worklist/overview.py).
        from . import access, kinds  # noqa: F401
