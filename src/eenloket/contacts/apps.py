from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "eenloket.contacts"
    label = "contacts"
    verbose_name = "Contactmomenten"
