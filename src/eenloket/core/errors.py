"""Domain errors raised by services and selectors; views and the API translate them."""

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: F401


class NotFound(Exception):
    """The object does not exist, or this user may not know that it exists."""
