"""`scope` in every template: the signed-in staff member's organisations and roles."""

from .selectors import get_scope


def staff_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": get_scope(user)}
