"""Reads of the access log for the privacy officer (privacyfunctionaris)."""

from dataclasses import dataclass

from eenloket.core.audit import Action, Activity, Channel, log_subjects, pseudonymise
from eenloket.core.models import AccessLog
from eenloket.core.pagination import newest_first_page
from eenloket.core.permissions import is_privacy_officer, require
from eenloket.core.roles import AUDIT_ROLES
from eenloket.core.validators import normalise_bsn, validate_bsn
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope

PAGE_SIZE = 50


@dataclass
class AccessLogPage:
    entries: list[AccessLog]
    total: int
    next_cursor: str | None
    organisation_names: dict[str, str]
    organisations: list[str]  # the names of the organisations whose processing is shown


def _audit_organisations(user) -> list[Organisation]:
    """The organisations whose processing this user supervises: where they are privacy
    officer. A privacy officer sees their own organisation's processing only; the resident's
    overview across organisations is the inzage export of the cases feature."""
    scope = get_scope(user)
    require(is_privacy_officer, scope)
    ids = {org for org, role in scope.organisation_roles if role in AUDIT_ROLES}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def access_log_for_bsn(user, bsn: str, *, cursor: str = "", limit: int = PAGE_SIZE):
    """Log entries about one resident written by the officer's own organisation(s), newest
    first, a page at a time. Reading the log is itself logged (once, on the first page)."""
    organisations = _audit_organisations(user)
    bsn = normalise_bsn(bsn)
    validate_bsn(bsn)
    subject = pseudonymise(bsn)
    codes = [o.code for o in organisations]
    qs = AccessLog.objects.filter(data_subject_id=subject, actor_organisation__in=codes)
    total = qs.count()
    rows, next_cursor = newest_first_page(qs, time_field="start_time", cursor=cursor, limit=limit)
    names = {o.code: o.name for o in organisations}
    for row in rows:
        row.organisation_name = names.get(row.actor_organisation, row.actor_organisation)
    if not cursor:
        log_subjects(
            user=user,
            organisation_code=codes[0],
            subjects=[("BSN", subject, "")],
            activity=Activity.LOG_VIEW,
            action=Action.READ,
            channel=Channel.UI,
            object_type="access-log",
        )
    return AccessLogPage(
        entries=rows,
        total=total,
        next_cursor=next_cursor,
        organisation_names=names,
        organisations=[o.name for o in organisations],
    )
