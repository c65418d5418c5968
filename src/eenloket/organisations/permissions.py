"""DRF permission classes over the staff scope (the predicates are in core/permissions.py).

    REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ["eenloket.organisations.permissions.IsStaffMember"]
    permission_classes = [CanWorkWithContacts]

Each class refuses with the one Dutch message of its predicate."""

from rest_framework.permissions import BasePermission

from eenloket.core import permissions

from .selectors import get_scope


class IsStaffMember(BasePermission):
    """Signed in, active, and a member of at least one organisation."""

    message = permissions.is_staff_member.refusal
    predicate = staticmethod(permissions.is_staff_member)

    def has_permission(self, request, view):
        user = request.user
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        scope = get_scope(user)
        for test in (permissions.is_staff_member, self.predicate):
            if not test(scope):
                self.message = permissions.refusal(test)
                return False
        return True


def requires(predicate, name: str = "") -> type[IsStaffMember]:
    """A permission class: a staff member for whom `predicate(scope)` holds."""
    return type(
        name or "".join(part.capitalize() for part in predicate.__name__.split("_")),
        (IsStaffMember,),
        {"predicate": staticmethod(predicate), "__doc__": predicate.__doc__},
    )


CanWorkWithContacts = requires(permissions.can_work_with_contacts)
CanReadReports = requires(permissions.can_read_reports)
