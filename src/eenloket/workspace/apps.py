from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The top layer of the staff screens: the start page, notifications and the privacy log.
    It may use every domain app; no domain app uses it."""

    name = "eenloket.workspace"
    label = "workspace"
    verbose_name = "Werkplek"
