"""Reads of letters, letter templates and messages to a resident, with the permission filter.

A letter (and a message) to a resident is seen by staff of the organisation that sent it, or by
staff whose organisation has a recorded basis for the resident (residents/access.py). Anyone else
gets NotFound, exactly as for a letter that does not exist. Reading a letter (its PDF or text) is
logged (Activity.LETTER_VIEW)."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.errors import NotFound
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope
from eenloket.residents.access import has_basis

from .models import Letter, LetterTemplate, Message, NamingExemption

NOT_FOUND = _("Deze brief bestaat niet of u mag hem niet zien.")


def _contact_scope(user):
    scope = get_scope(user)
    permissions.require(permissions.can_work_with_contacts, scope)
    return scope


def may_see_letter(scope, letter) -> bool:
    if letter.organisation_id in scope.contact_organisation_ids:
        return True
    return has_basis(scope.contact_organisation_ids, letter.resident)


def get_letter(user, letter_uuid, *, channel: str = "ui", log: bool = True) -> Letter:
    """One letter, for its sender organisation or staff with a basis for the resident; the read
    is logged. NotFound otherwise."""
    scope = _contact_scope(user)
    try:
        letter = Letter.objects.select_related(
            "resident", "organisation", "template_version__template", "sender", "representative"
        ).get(uuid=letter_uuid)
    except (Letter.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound(str(NOT_FOUND)) from exc
    if not may_see_letter(scope, letter):
        raise NotFound(str(NOT_FOUND))
    if log:
        log_access(
            user=user,
            organisation_code=scope.primary_organisation_code,
            residents=[letter.resident],
            activity=Activity.LETTER_VIEW,
            action=Action.READ,
            channel=channel,
            object_type="letter",
            object_id=str(letter.uuid),
        )
    return letter


def resident_messages(user, resident, *, limit: int = 20) -> list[Message]:
    """The newest letters and messages to a resident (and their representative), for the
    resident overview. The caller has checked the basis for the resident (the overview is only
    shown with one); the overview's read is logged there."""
    _contact_scope(user)
    resident = getattr(resident, "resident", resident)
    return list(
        Message.objects.filter(resident=resident)
        .select_related("organisation", "letter", "representative")
        .order_by("-created_at", "-id")[:limit]
    )


# ---- templates (the functional admin) ---------------------------------------------------------
def admin_organisations(user) -> list[Organisation]:
    """The organisations the user is functional admin of."""
    scope = get_scope(user)
    ids = [pk for pk, _c, _t in scope.organisations if permissions.is_functional_admin(scope, pk)]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def templates_for(organisation) -> list[dict]:
    """Per kind and language: the shared (landelijke) template and the organisation's own
    override, if any: what the editor lists."""
    rows = LetterTemplate.objects.filter(
        Q(organisation=organisation) | Q(organisation__isnull=True)
    ).order_by("key", "language", "organisation_id")
    grouped: dict = {}
    for template in rows:
        entry = grouped.setdefault((template.key, template.language), {"shared": None, "own": None})
        entry["own" if template.organisation_id else "shared"] = template
    return [
        {"key": key, "language": language, **entry}
        for (key, language), entry in sorted(grouped.items())
    ]


def visible_templates(user):
    """For the API: the shared templates and those of the user's organisations."""
    scope = get_scope(user)
    permissions.require(permissions.is_staff_member, scope)
    return LetterTemplate.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id__in=scope.organisation_ids)
    ).select_related("organisation")


def exemptions_for(organisation):
    return (
        NamingExemption.objects.filter(organisation=organisation)
        .select_related("user", "recorded_by")
        .order_by("-recorded_at")
    )
