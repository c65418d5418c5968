from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "eenloket.worklist"
    label = "worklist"
    verbose_name = "Taken"
