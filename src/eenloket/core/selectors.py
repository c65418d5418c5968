"""Reads of the access log for the privacy officer (privacyfunctionaris)."""

import base64
import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from eenloket.core.roles import AUDIT_ROLES
from eenloket.organisations.models import Membership, Organisation

from .audit import log_subjects, pseudonymise
from .models import AccessLog
from .validators import normalise_bsn, validate_bsn

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
    ids = Membership.objects.filter(
        user_id=user.pk, user__is_active=True, role__in=AUDIT_ROLES
    ).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _encode(entry: AccessLog) -> str:
    raw = json.dumps([entry.start_time.isoformat(), entry.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        when = parse_datetime(moment)
        if when is None:
            raise ValueError
        return when, int(pk)
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise ValidationError(_("Deze pagina-aanwijzer klopt niet."), code="bad_cursor") from exc


def access_log_for_bsn(user, bsn: str, *, cursor: str = "", limit: int = PAGE_SIZE):
    """Log entries about one resident written by the officer's own organisation(s), newest
    first, a page at a time. Reading the log is itself logged (once, on the first page)."""
    organisations = _audit_organisations(user)
    if not organisations:
        raise PermissionDenied(_("Alleen de privacyfunctionaris mag het logboek inzien."))
    bsn = normalise_bsn(bsn)
    validate_bsn(bsn)
    subject = pseudonymise(bsn)
    codes = [o.code for o in organisations]
    qs = AccessLog.objects.filter(data_subject_id=subject, actor_organisation__in=codes)
    total = qs.count()
    if cursor:
        moment, pk = _decode(cursor)
        qs = qs.filter(Q(start_time__lt=moment) | Q(start_time=moment, id__lt=pk))
    rows = list(qs.order_by("-start_time", "-id")[: limit + 1])
    next_cursor = _encode(rows[limit - 1]) if len(rows) > limit else None
    names = {o.code: o.name for o in organisations}
    for row in rows:
        row.organisation_name = names.get(row.actor_organisation, row.actor_organisation)
    if not cursor:
        log_subjects(
            user=user,
            organisation_code=codes[0],
            subjects=[("BSN", subject, "")],
            activity="logboek-inzien",
            action="read",
            channel="ui",
            object_type="access-log",
        )
    return AccessLogPage(
        entries=rows[:limit],
        total=total,
        next_cursor=next_cursor,
        organisation_names=names,
        organisations=[o.name for o in organisations],
    )
