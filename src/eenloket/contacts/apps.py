from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "eenloket.contacts"
    label = "contacts"
    verbose_name = "Contactmomenten"

    def ready(self):
        # Registers this app's basis for seeing a resident (residents/access.py) and its open
        # items on the resident overview (residents/overview.py).
        from . import access, overview  # noqa: F401
