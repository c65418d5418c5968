from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from eenloket.organisations.selectors import get_scope

from .audit import log_subjects, pseudonymise
from .models import AccessLog
from .validators import normalise_bsn, validate_bsn


def access_log_for_bsn(user, bsn: str, *, limit: int = 500) -> list[AccessLog]:
    """Log entries about one resident, newest first. Reading the log is itself logged."""
    scope = get_scope(user)
    if not scope.can_read_access_log:
        raise PermissionDenied(_("Alleen de privacyfunctionaris mag het logboek inzien."))
    bsn = normalise_bsn(bsn)
    validate_bsn(bsn)
    subject = pseudonymise(bsn)
    entries = list(AccessLog.objects.filter(data_subject_id=subject)[:limit])

    log_subjects(
        user=user,
        organisation_code=scope.primary_organisation_code,
        subjects=[("BSN", subject, "")],
        activity="logboek-inzien",
        action="read",
        channel="ui",
        object_type="access-log",
    )
    return entries
