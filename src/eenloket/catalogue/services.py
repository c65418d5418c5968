"""Changes to the catalogue: the import from the UPL and our service texts, a municipality's
own services and overrides, and recording which service helped (learning for routing)."""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from eenloket.core import permissions
from eenloket.core.validators import clean_texts
from eenloket.organisations.models import Organisation, OrganisationType

from . import data, text
from .models import ApplyChannel, RoutingOutcome, Service, ServiceOverride
from .selectors import can_manage_catalogue

MAX_NAME = 120
MAX_TEXT = 1000
MAX_KEYWORDS = 30


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    per_organisation: Counter = field(default_factory=Counter)
    upl_imported: int = 0
    upl_not_ours: list[tuple[str, str]] = field(default_factory=list)  # (name, who delivers)
    upl_without_text: list[str] = field(default_factory=list)


class CatalogueDataError(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


def _entry_problems(entry, upl) -> list[str]:
    where = f"{entry['_file']}: {entry.get('upl') or entry.get('name')!r}"
    problems = []
    if "upl" in entry and entry["upl"] not in upl:
        problems.append(f"{where}: no resident product with this name in the UPL")
    organisation = entry.get("organisation")
    if organisation is None:
        if "upl" not in entry:
            problems.append(f"{where}: a service without an organisation")
        return problems
    if organisation not in OrganisationType.values:
        problems.append(f"{where}: unknown organisation code {organisation!r}")
    for key in ("name", "description", "how_to_apply"):
        if not str(entry.get(key) or "").strip():
            problems.append(f"{where}: {key} is missing")
    if not set(entry.get("channels") or ()) <= set(data.CHANNELS) or not entry.get("channels"):
        problems.append(f"{where}: channels must be a non-empty subset of {data.CHANNELS}")
    return problems


def import_catalogue(*, csv_path=None, files=None) -> ImportReport:
    """Create or update the national catalogue from the UPL snapshot and our service texts.
    Idempotent; a service that disappeared from the files is deactivated, never deleted (old
    contacts still point to it). Refuses to write anything when a file has an error."""
    upl = data.upl_products(csv_path)
    entries = data.service_entries(files)
    problems = []
    by_upl = {}
    for entry in entries:
        problems += _entry_problems(entry, upl)
        if "upl" in entry:
            if entry["upl"] in by_upl:
                problems.append(f"{entry['_file']}: {entry['upl']!r} is described twice")
            by_upl[entry["upl"]] = entry
    report = ImportReport()
    wanted = {}
    for name, row in upl.items():
        entry = by_upl.get(name)
        if entry is None:
            report.upl_without_text.append(name)
            continue
        if entry.get("organisation") is None:
            report.upl_not_ours.append((name, entry.get("reason", "")))
            continue
        code = f"upl-{slugify(name)}"[:MAX_NAME]
        wanted[code] = _fields(entry, row)
        report.upl_imported += 1
    for entry in entries:
        if "upl" in entry or entry.get("organisation") is None:
            continue
        code = slugify(entry.get("code") or f"{entry['organisation']}-{entry['name']}")[:MAX_NAME]
        if code in wanted:
            problems.append(f"{entry['_file']}: code {code!r} is used twice")
        wanted[code] = _fields(entry, None)
    if problems:
        raise CatalogueDataError(problems)

    with transaction.atomic():
        existing = {s.code: s for s in Service.objects.filter(tenant__isnull=True)}
        new, changed = [], []
        for code, values in wanted.items():
            report.per_organisation[values["organisation_type"]] += 1
            service = existing.get(code)
            if service is None:
                new.append(Service(code=code, **values))
                continue
            values = {**values, "is_active": True}
            if any(getattr(service, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(service, k, v)
                changed.append(service)
        Service.objects.bulk_create(new, batch_size=500)
        if changed:
            Service.objects.bulk_update(changed, list(values), batch_size=500)
            # bulk_update skips auto_now: touch them so every process rebuilds its index.
            Service.objects.filter(pk__in=[s.pk for s in changed]).update(updated_at=timezone.now())
        gone = [s.pk for code, s in existing.items() if code not in wanted and s.is_active]
        if gone:
            Service.objects.filter(pk__in=gone).update(is_active=False, updated_at=timezone.now())
        report.created, report.updated, report.deactivated = len(new), len(changed), len(gone)
    return report


def _fields(entry, row):
    legal_basis = str(entry.get("legal_basis") or (row or {}).get("Grondslaglabel") or "")
    return {
        "organisation_type": entry["organisation"],
        "name": str(entry["name"]).strip()[:MAX_NAME],
        "description": str(entry["description"]).strip(),
        "how_to_apply": str(entry.get("how_to_apply") or "").strip(),
        "channels": [c for c in data.CHANNELS if c in entry["channels"]],
        "legal_basis": legal_basis[:300],
        "legal_basis_url": ((row or {}).get("Grondslaglink") or "")[:500],
        "keywords": [str(k).strip().lower() for k in entry.get("keywords") or []],
        "english": [str(k).strip().lower() for k in entry.get("english") or []],
        "upl_name": row["UniformeProductnaam"] if row else "",
        "upl_uri": row["URI"] if row else "",
    }


# ---- a municipality's own services and texts ---------------------------------------------
def _clean_texts(values: dict, *, required: tuple[str, ...]) -> dict:
    cleaned, errors = clean_texts(
        {key: values.get(key) for key in ("name", "description", "how_to_apply")},
        required=dict.fromkeys(required, ""),
        limits={"name": MAX_NAME, "description": MAX_TEXT, "how_to_apply": MAX_TEXT},
    )
    keywords = values.get("keywords") or []
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    keywords = [k.strip().lower() for k in keywords if k and k.strip()]
    if len(keywords) > MAX_KEYWORDS:
        errors.setdefault("keywords", []).append(
            _("Hoogstens %(limit)d zoekwoorden.") % {"limit": MAX_KEYWORDS}
        )
    if any(len(k) > 60 for k in keywords):
        errors.setdefault("keywords", []).append(_("Een zoekwoord is te lang (hoogstens 60)."))
    cleaned["keywords"] = keywords
    if errors:
        raise ValidationError(errors)
    return cleaned


def _require_manager(user, tenant):
    if not can_manage_catalogue(user, tenant):
        raise PermissionDenied(permissions.refusal(permissions.can_manage_catalogue))


def create_local_service(*, user, tenant: Organisation, **values) -> Service:
    """A service only this municipality offers (e.g. a local fund or a district team)."""
    _require_manager(user, tenant)
    cleaned = _clean_texts(values, required=("name", "description"))
    channels = list(values.get("channels") or [])
    if not channels or not set(channels) <= set(ApplyChannel.values):
        raise ValidationError({"channels": [_("Kies minstens één kanaal.")]})
    base = slugify(f"{tenant.code}-{cleaned['name']}")[:110] or tenant.code
    with transaction.atomic():
        code, n = base, 1
        while Service.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{n}"
        return Service.objects.create(
            code=code,
            organisation_type=OrganisationType.GEMEENTE,
            tenant=tenant,
            name=cleaned["name"],
            description=cleaned["description"],
            how_to_apply=cleaned["how_to_apply"],
            channels=[c for c in data.CHANNELS if c in channels],
            keywords=cleaned["keywords"],
        )


def save_override(
    *, user, tenant: Organisation, service: Service, is_offered: bool = True, **values
) -> ServiceOverride:
    """The municipality's own wording for a service (empty fields keep the national text),
    or — for a generic municipal service — the note that it does not offer it."""
    _require_manager(user, tenant)
    if service.tenant_id is not None:
        raise ValidationError(
            {"service": [_("Een eigen dienst past u direct aan, niet met een aanpassing.")]}
        )
    cleaned = _clean_texts(values, required=())
    if not is_offered and service.organisation_type != OrganisationType.GEMEENTE:
        raise ValidationError(
            {"is_offered": [_("Alleen een gemeentelijke dienst kan de gemeente uitzetten.")]}
        )
    override, _created = ServiceOverride.objects.update_or_create(
        service=service,
        tenant=tenant,
        defaults={
            "name": cleaned["name"],
            "description": cleaned["description"],
            "how_to_apply": cleaned["how_to_apply"],
            "extra_keywords": cleaned["keywords"],
            "is_offered": bool(is_offered),
            "updated_by": user,
        },
    )
    return override


def remove_override(*, user, tenant: Organisation, service: Service) -> None:
    _require_manager(user, tenant)
    ServiceOverride.objects.filter(service=service, tenant=tenant).delete()


# ---- learning ----------------------------------------------------------------------------
def learning_terms(question: str) -> str:
    """The stems the engine learns from: content words only, nothing with a digit in it (no BSN,
    phone or case numbers); the question itself is not kept."""
    stems = dict.fromkeys(
        text.stem(w)
        for w in text.content_words(question or "")
        if not any(ch.isdigit() for ch in w)
    )
    return " ".join(list(stems)[:60])


def record_outcome(
    *, service: Service, tenant: Organisation | None, question: str, source, source_id
):
    """Remember that `service` helped with `question` (once per contact or referral)."""
    terms = learning_terms(question)
    if not terms:
        return None
    if tenant is not None and not tenant.is_municipality:
        tenant = None
    try:
        with transaction.atomic():
            return RoutingOutcome.objects.create(
                service=service, tenant=tenant, terms=terms, source=source, source_id=source_id
            )
    except IntegrityError:  # already recorded for this contact or referral
        return RoutingOutcome.objects.filter(source=source, source_id=source_id).first()
