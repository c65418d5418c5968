"""Domain errors raised by services and selectors; views and the API translate them."""


class NotFound(Exception):
    """The object does not exist, or this user may not know that it exists."""
