from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "eenloket.messaging"
    label = "messaging"
    verbose_name = "Berichten en brieven"
