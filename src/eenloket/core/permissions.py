from rest_framework.permissions import BasePermission

from eenloket.organisations.selectors import get_scope


class IsStaffMember(BasePermission):
    """Signed in, active, and a member of at least one organisation."""

    message = "U moet ingelogd zijn als medewerker van een organisatie."

    def has_permission(self, request, view):
        user = request.user
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return get_scope(user).is_staff_member
