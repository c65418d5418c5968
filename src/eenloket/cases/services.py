"""Every change to cases, consents, doorbraak requests, the budget and early signals: one function
per use case, keyword-only, inside a transaction, with the rules. Notifications and tasks are
written in the same transaction. Views and the API call these functions."""

import contextlib
import datetime as dt
import uuid
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eenloket.core import formatting
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.calendar import AMSTERDAM, add_working_days, working_day_end
from eenloket.core.notifications import notify
from eenloket.core.roles import CASE_ROLES, DOORBRAAK_ROLES, Role
from eenloket.core.validators import clean_texts
from eenloket.messaging.services import send_to_resident
from eenloket.organisations.models import SIGNALLING_TYPES, Membership, Organisation
from eenloket.organisations.selectors import get_scope
from eenloket.residents.access import organisation_may_see
from eenloket.residents.models import Resident
from eenloket.residents.services import normalise_postcode
from eenloket.worklist import services as worklist
from eenloket.worklist.models import Task

from . import access, states
from .models import (
    ActionStatus,
    ArrearsKind,
    ArrearsSignal,
    BudgetSpending,
    Case,
    CaseAction,
    CasePart,
    CaseParty,
    CaseStatus,
    CaseUpdate,
    ClosureReason,
    Conference,
    Consent,
    ConsentBasis,
    ConsentForm,
    DoorbraakBudget,
    DoorbraakKind,
    DoorbraakRequest,
    DoorbraakState,
    LegalGround,
    LifeDomain,
    Mandate,
    OfferHow,
    Problem,
    RefusalReason,
    SignalOutcome,
)

# The channel a change came through (views: ui, the API sets "api" with `via_api`).
_channel: ContextVar = ContextVar("cases_channel", default="ui")


@contextlib.contextmanager
def via(channel: str):
    token = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(token)


ACTION_KIND = "casus-actie"
DOORBRAAK_KIND = "doorbraak-beantwoorden"
SIGNAL_KIND = "vroegsignaal"
MAX_CONSENT_DAYS = 366 * 2  # a consent is asked again after two years at most
MONEY_LIMIT = Decimal("1000000")


def _now(now):
    return now or timezone.now()


def _today(now) -> dt.date:
    return _now(now).astimezone(AMSTERDAM).date()


def _texts(values, required=None, limits=None, errors=None):
    texts, text_errors = clean_texts(values, required=required or {}, limits=limits or {})
    errors = {**(errors or {}), **text_errors}
    return texts, errors


def _raise(errors):
    if errors:
        raise ValidationError(errors)


def _money(value, field, errors, *, required=True):
    if value in (None, ""):
        if required:
            errors[field] = [_("Geef een bedrag.")]
        return None
    try:
        amount = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Geef een bedrag in euro's, bijvoorbeeld 125,50.")]
        return None
    if not amount.is_finite() or amount <= 0 or amount >= MONEY_LIMIT:
        errors[field] = [_("Geef een bedrag groter dan 0 en kleiner dan een miljoen euro.")]
        return None
    return amount


def _choice(value, choices, field, message, errors):
    if value not in choices.values:
        errors[field] = [message]
        return ""
    return value


def _date(value, field, errors, message=None):
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[field] = [message or _("Geef een datum.")]
        return None
    return value


def _log(user, organisation_id, resident, activity, action, object_type, object_id):
    """A change that processes the resident's data is logged too (the inzage shows it)."""
    if resident is None:
        return
    code = Organisation.objects.filter(pk=organisation_id).values_list("code", flat=True).first()
    log_access(
        user=user,
        organisation_code=code or "",
        residents=[resident],
        activity=activity,
        action=action,
        channel=_channel.get(),
        object_type=object_type,
        object_id=str(object_id),
    )


def case_link(case) -> str:
    return reverse("cases:detail", kwargs={"uuid": case.uuid})


def doorbraak_link(request) -> str:
    return reverse("cases:doorbraak", kwargs={"uuid": request.uuid})


# ---- who is who --------------------------------------------------------------------------------
def require_owner(user, case):
    scope = get_scope(user)
    if not access.is_owner(scope, case):
        raise PermissionDenied(_("Alleen de casemanager van deze casus mag dit."))
    return scope


def _require_open(case):
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("Deze casus is gesloten."), code="case_closed")


def _locked_case(case) -> Case:
    return (
        Case.objects.select_for_update().select_related("municipality", "resident").get(pk=case.pk)
    )


def works_for(user, organisation_id, roles=None) -> bool:
    qs = Membership.objects.filter(user=user, organisation_id=organisation_id, user__is_active=True)
    if roles is not None:
        qs = qs.filter(role__in=roles)
    return qs.exists()


def _members(organisation_id, roles) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role__in=roles, user__is_active=True
        ).select_related("user")
    ]


def contact_person(case, organisation_id):
    party = next((p for p in case.parties.all() if p.organisation_id == organisation_id), None)
    return party.contact_person if party else None


# ---- the case ------------------------------------------------------------------------------------
@transaction.atomic
def open_case(*, user, resident, title: str, goal: str = "", signal=None, now=None) -> Case:
    """A case manager of a municipality opens a case for a resident (and their household) the
    municipality may see. The municipality is the case's owner."""
    now = _now(now)
    scope = get_scope(user)
    municipalities = [
        org
        for org, role in scope.organisation_roles
        if role in CASE_ROLES
        and any(pk == org and t == "gemeente" for pk, _c, t in scope.organisations)
    ]
    if not municipalities:
        raise PermissionDenied(_("Alleen een casemanager van een gemeente opent een casus."))
    if isinstance(resident, Resident) is False:
        resident = getattr(resident, "resident", resident)
    municipality_id = next((m for m in municipalities if organisation_may_see(m, resident)), None)
    if municipality_id is None:
        raise PermissionDenied(_("Uw gemeente mag de gegevens van deze inwoner niet zien."))
    texts, errors = _texts(
        {"title": title, "goal": goal},
        required={"title": _("Beschrijf in het kort waar de inwoner hulp bij nodig heeft.")},
        limits={"title": 200},
    )
    _raise(errors)
    if signal is not None and signal.municipality_id != municipality_id:
        raise ValidationError({"signal": [_("Dit signaal hoort bij een andere gemeente.")]})
    case = Case.objects.create(
        reference=f"C{now.astimezone(AMSTERDAM):%Y}-{uuid.uuid4().hex[:6].upper()}",
        municipality_id=municipality_id,
        case_manager=user,
        resident=resident,
        household=resident.household,
        title=texts["title"],
        goal=texts["goal"],
        opened_at=now,
        signal=signal,
    )
    _log(user, municipality_id, resident, Activity.CASE_WORK, Action.CREATE, "case", case.uuid)
    return case


@transaction.atomic
def transfer_case(*, user, case, to_user, now=None) -> Case:
    case = _locked_case(case)
    require_owner(user, case)
    _require_open(case)
    if not works_for(to_user, case.municipality_id, CASE_ROLES):
        raise ValidationError(
            {"case_manager": [_("Kies een casemanager van %(org)s.") % {"org": case.municipality}]}
        )
    case.case_manager = to_user
    case.save(update_fields=["case_manager"])
    notify(
        [to_user],
        gettext_lazy("U bent nu casemanager van casus %(reference)s."),
        case_link(case),
        params={"reference": case.reference},
    )
    return case


@transaction.atomic
def add_party(*, user, case, organisation, contact_person=None, role_in_case="", now=None):
    """Involve an organisation (agency or partner) with its named contact person. Involving
    opens nothing: what it sees comes from a consent or legal ground (record_consent)."""
    case = _locked_case(case)
    require_owner(user, case)
    _require_open(case)
    texts, errors = _texts({"role_in_case": role_in_case}, limits={"role_in_case": 200})
    if organisation is None:
        errors["organisation"] = [_("Kies een organisatie.")]
    elif organisation.pk == case.municipality_id:
        errors["organisation"] = [_("Uw eigen gemeente is al de eigenaar van de casus.")]
    elif case.parties.filter(organisation=organisation).exists():
        errors["organisation"] = [_("Deze organisatie is al betrokken.")]
    if (
        contact_person is not None
        and organisation is not None
        and not works_for(contact_person, organisation.pk)
    ):
        errors["contact_person"] = [_("Deze persoon werkt niet bij deze organisatie.")]
    _raise(errors)
    party = CaseParty.objects.create(
        case=case,
        organisation=organisation,
        contact_person=contact_person,
        role_in_case=texts["role_in_case"],
        joined_at=_now(now),
        added_by=user,
    )
    return party


@transaction.atomic
def record_consent(
    *,
    user,
    case,
    organisation,
    parts,
    purpose: str,
    basis: str,
    valid_until,
    valid_from=None,
    domains=(),
    legal_ground: str = "",
    legal_article: str = "",
    given_on=None,
    given_how: str = "",
    given_by: str = "",
    in_interest: bool = False,
    own_request: bool = False,
    no_disadvantage: bool = False,
    informed: bool = False,
    now=None,
) -> Consent:
    """Record which parts of the case `organisation` may see, for which purpose, until when and
    on which basis. Consent counts only when the resident gave it freely: it is in their
    interest, answers their own request for help, saying no has no disadvantage, and they were
    told what is shared, why and with whom (AVG art. 4(11), 7 and recital 43). A legal ground
    names the law and the article. Partners outside government only with consent."""
    now = _now(now)
    today = _today(now)
    case = _locked_case(case)
    require_owner(user, case)
    _require_open(case)
    texts, errors = _texts(
        {"purpose": purpose, "legal_article": legal_article, "given_by": given_by},
        required={"purpose": _("Schrijf op waarvoor de organisatie de gegevens gebruikt.")},
        limits={"purpose": 200, "legal_article": 100, "given_by": 200},
    )
    parts = list(dict.fromkeys(parts or []))
    if not parts:
        errors["parts"] = [_("Kies wat de organisatie mag zien.")]
    elif any(p not in CasePart.values for p in parts):
        errors["parts"] = [_("Onbekend onderdeel van de casus.")]
    domains = list(dict.fromkeys(domains or []))
    if any(d not in LifeDomain.values for d in domains):
        errors["domains"] = [_("Onbekend leefgebied.")]
    if organisation is None:
        errors["organisation"] = [_("Kies een organisatie.")]
    elif organisation.pk == case.municipality_id:
        errors["organisation"] = [_("Uw eigen gemeente ziet de hele casus al.")]
    valid_from = valid_from or today
    _date(valid_from, "valid_from", errors)
    _date(valid_until, "valid_until", errors, _("Geef aan tot wanneer dit geldt."))
    if "valid_from" not in errors and "valid_until" not in errors:
        if valid_from < today:
            errors["valid_from"] = [
                _("Vanaf vandaag of later: delen geldt niet met terugwerkende kracht.")
            ]
        if valid_until < valid_from:
            errors["valid_until"] = [_("De einddatum ligt voor de begindatum.")]
        elif (valid_until - valid_from).days > MAX_CONSENT_DAYS:
            errors["valid_until"] = [_("Hoogstens twee jaar. Vraag daarna opnieuw toestemming.")]
    if basis == ConsentBasis.CONSENT:
        if given_how not in ConsentForm.values:
            errors["given_how"] = [_("Kies hoe de inwoner toestemming gaf.")]
        if not texts["given_by"]:
            errors["given_by"] = [
                _("Schrijf op wie toestemming gaf: de inwoner of de vertegenwoordiger.")
            ]
        if _date(given_on, "given_on", errors, _("Geef de datum van de toestemming.")):
            if given_on > today:
                errors["given_on"] = [_("De toestemming kan niet in de toekomst gegeven zijn.")]
            elif given_on < case.opened_at.astimezone(AMSTERDAM).date() - dt.timedelta(days=31):
                errors["given_on"] = [
                    _("Deze toestemming is te oud voor deze casus. Vraag het opnieuw.")
                ]
        conditions = {
            "in_interest": (in_interest, _("Delen moet in het belang van de inwoner zijn.")),
            "own_request": (
                own_request,
                _("Toestemming telt alleen als de inwoner zelf om hulp vroeg."),
            ),
            "no_disadvantage": (
                no_disadvantage,
                _(
                    "De inwoner moet nee kunnen zeggen zonder nadeel. Anders is het geen vrije "
                    "toestemming: gebruik dan een wettelijke grondslag."
                ),
            ),
            "informed": (
                informed,
                _("Leg de inwoner eerst uit wat u deelt, waarom en met wie."),
            ),
        }
        for name, (value, message) in conditions.items():
            if not value:
                errors[name] = [message]
        legal_ground, texts["legal_article"] = "", ""
    elif basis == ConsentBasis.LEGAL:
        if legal_ground not in LegalGround.values:
            errors["legal_ground"] = [_("Kies de wet die het delen toestaat.")]
        if not texts["legal_article"]:
            errors["legal_article"] = [_("Noem het artikel, bijvoorbeeld: artikel 7.")]
        if organisation is not None and organisation.is_partner:
            errors["basis"] = [
                _(
                    "Met een organisatie buiten de overheid deelt u alleen met toestemming van de inwoner."
                )
            ]
        given_on, given_how, texts["given_by"] = None, "", ""
        in_interest = own_request = no_disadvantage = informed = False
    else:
        errors["basis"] = [_("Kies: toestemming van de inwoner of een wettelijke grondslag.")]
    _raise(errors)
    if not case.parties.filter(organisation=organisation).exists():
        CaseParty.objects.create(case=case, organisation=organisation, joined_at=now, added_by=user)
    consent = Consent.objects.create(
        case=case,
        organisation=organisation,
        parts=parts,
        domains=domains,
        purpose=texts["purpose"],
        basis=basis,
        legal_ground=legal_ground,
        legal_article=texts["legal_article"],
        given_on=given_on,
        given_how=given_how,
        given_by=texts["given_by"],
        in_interest=in_interest,
        own_request=own_request,
        no_disadvantage=no_disadvantage,
        informed=informed,
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=user,
        recorded_at=now,
    )
    _log(
        user,
        case.municipality_id,
        case.resident,
        Activity.CASE_WORK,
        Action.CREATE,
        "case",
        case.uuid,
    )
    person = contact_person(case, organisation.pk)
    notify(
        [person],
        gettext_lazy("U kunt nu meewerken in casus %(reference)s van %(municipality)s."),
        case_link(case),
        params={"reference": case.reference, "municipality": case.municipality.name},
    )
    return consent


@transaction.atomic
def revoke_consent(*, user, consent, reason: str, now=None) -> Consent:
    """The resident withdraws consent (or the ground lapses): from now on the organisation sees
    nothing on it. The row stays as proof."""
    consent = Consent.objects.select_for_update().select_related("case").get(pk=consent.pk)
    require_owner(user, consent.case)
    if consent.revoked_at is not None:
        raise ValidationError(_("Deze toestemming is al ingetrokken."), code="already_revoked")
    texts, errors = _texts(
        {"reason": reason},
        required={"reason": _("Schrijf op waarom het delen stopt.")},
        limits={"reason": 300},
    )
    _raise(errors)
    consent.revoked_at = _now(now)
    consent.revoked_by = user
    consent.revoked_reason = texts["reason"]
    consent.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    notify(
        [contact_person(consent.case, consent.organisation_id)],
        gettext_lazy("Het delen van casus %(reference)s met uw organisatie is gestopt."),
        params={"reference": consent.case.reference},
    )
    return consent


@transaction.atomic
def add_problem(*, user, case, domain: str, description: str, urgent=False, now=None) -> Problem:
    case = _locked_case(case)
    require_owner(user, case)
    _require_open(case)
    texts, errors = _texts(
        {"description": description},
        required={"description": _("Beschrijf het probleem.")},
        limits={"description": 2000},
    )
    _choice(domain, LifeDomain, "domain", _("Kies een leefgebied."), errors)
    _raise(errors)
    return Problem.objects.create(
        case=case,
        domain=domain,
        description=texts["description"],
        urgent=bool(urgent),
        recorded_at=_now(now),
        recorded_by=user,
    )


@transaction.atomic
def solve_problem(*, user, problem, now=None) -> Problem:
    problem = Problem.objects.select_for_update().select_related("case").get(pk=problem.pk)
    require_owner(user, problem.case)
    if problem.solved_at is None:
        problem.solved_at = _now(now)
        problem.save(update_fields=["solved_at"])
    return problem


def _involved(case, organisation_id) -> bool:
    return organisation_id == case.municipality_id or any(
        p.organisation_id == organisation_id for p in case.parties.all()
    )


@transaction.atomic
def add_action(*, user, case, domain: str, description: str, owner, due_on, now=None) -> CaseAction:
    """A step of the plan for the municipality or an involved organisation; it becomes a task
    in that organisation's work list, for its named contact person."""
    now = _now(now)
    case = _locked_case(case)
    require_owner(user, case)
    _require_open(case)
    texts, errors = _texts(
        {"description": description},
        required={"description": _("Beschrijf de actie.")},
        limits={"description": 300},
    )
    _choice(domain, LifeDomain, "domain", _("Kies een leefgebied."), errors)
    if owner is None:
        errors["owner"] = [_("Kies wie de actie doet.")]
    elif not _involved(case, owner.pk):
        errors["owner"] = [_("Betrek deze organisatie eerst bij de casus.")]
    elif owner.pk != case.municipality_id and not _has_basis(case, owner.pk, _today(now)):
        # The task names the case and the action: only for an organisation that may see it.
        errors["owner"] = [
            _(
                "Leg eerst toestemming of een wettelijke grondslag vast voor deze organisatie: "
                "zonder grondslag mag zij de casus niet zien."
            )
        ]
    if _date(due_on, "due_on", errors) and due_on < _today(now):
        errors["due_on"] = [_("Kies vandaag of een datum in de toekomst.")]
    _raise(errors)
    action = CaseAction.objects.create(
        case=case,
        domain=domain,
        description=texts["description"],
        owner=owner,
        due_on=due_on,
        created_at=now,
        created_by=user,
    )
    assignee = user if owner.pk == case.municipality_id else contact_person(case, owner.pk)
    if assignee is not None and not worklist.is_member(assignee, owner):
        assignee = None
    action.task = worklist.create_task(
        kind=ACTION_KIND,
        organisation=owner,
        assigned_to=assignee,
        title=(
            _("Casus %(reference)s: %(action)s")
            % {"reference": case.reference, "action": texts["description"]}
        )[:200],
        due_at=dt.datetime.combine(due_on, dt.time(17), tzinfo=AMSTERDAM),
        source_type="case_action",
        source_id=str(action.uuid),
        created_by=user,
        now=now,
    )
    action.save(update_fields=["task"])
    return action


def may_finish_action(user, action) -> bool:
    """The case manager, or the owner organisation while it still may see the case."""
    scope = get_scope(user)
    if access.is_owner(scope, action.case):
        return True
    return (
        action.case.is_open
        and action.owner_id in scope.contact_organisation_ids
        and _has_basis(action.case, action.owner_id, _today(None))
    )


@transaction.atomic
def finish_action(*, user, action, done: bool = True, result: str = "", now=None) -> CaseAction:
    """The owner organisation (or the case manager) marks the action done or no longer needed;
    its task closes and the case manager hears of it."""
    action = CaseAction.objects.select_for_update().select_related("case").get(pk=action.pk)
    if not may_finish_action(user, action):
        raise PermissionDenied(_("Alleen de organisatie van deze actie of de casemanager mag dit."))
    if action.status != ActionStatus.OPEN:
        raise ValidationError(_("Deze actie is al afgerond."), code="action_finished")
    texts, errors = _texts(
        {"result": result},
        required={} if done else {"result": _("Schrijf op waarom de actie vervalt.")},
        limits={"result": 2000},
    )
    _raise(errors)
    now = _now(now)
    action.status = ActionStatus.DONE if done else ActionStatus.CANCELLED
    action.result = texts["result"]
    action.finished_at = now
    action.finished_by = user
    action.save(update_fields=["status", "result", "finished_at", "finished_by"])
    worklist.close_for_source(
        kind=ACTION_KIND,
        source_type="case_action",
        source_id=action.uuid,
        outcome="klaar" if done else "vervallen",
        user=user,
        note=texts["result"],
        now=now,
    )
    if user != action.case.case_manager:
        notify(
            [action.case.case_manager],
            gettext_lazy("Actie in casus %(reference)s afgerond: %(action)s"),
            case_link(action.case),
            params={"reference": action.case.reference, "action": action.description[:150]},
        )
    return action


def action_task_completed(*, task, user, outcome, note):
    """The work list completed an action's task (worklist kind on_complete)."""
    action = CaseAction.objects.filter(uuid=task.source_id).select_related("case").first()
    if action is None or action.status != ActionStatus.OPEN:
        return
    action.status = ActionStatus.DONE if outcome == "klaar" else ActionStatus.CANCELLED
    action.result = note
    action.finished_at = timezone.now()
    action.finished_by = user
    action.save(update_fields=["status", "result", "finished_at", "finished_by"])


@transaction.atomic
def add_update(*, user, case, text: str, domain: str = "", now=None) -> CaseUpdate:
    """An involved organisation (within an active consent) or the case manager writes what it
    did or what changed; the case manager is notified."""
    scope = get_scope(user)
    view = access.view_for(scope, case, now)
    if not view:
        raise PermissionDenied(_("Uw organisatie werkt niet mee in deze casus."))
    _require_open(case)
    texts, errors = _texts(
        {"text": text}, required={"text": _("Schrijf uw bericht.")}, limits={"text": 3000}
    )
    if domain:
        _choice(domain, LifeDomain, "domain", _("Kies een leefgebied."), errors)
        if "domain" not in errors and not view.shows_domain(domain):
            errors["domain"] = [_("Dit leefgebied valt buiten wat met uw organisatie gedeeld is.")]
    _raise(errors)
    update = CaseUpdate.objects.create(
        case=case,
        organisation_id=view.organisation_id,
        author=user,
        domain=domain,
        text=texts["text"],
        created_at=_now(now),
    )
    if user != case.case_manager:
        notify(
            [case.case_manager],
            gettext_lazy("Nieuw bericht in casus %(reference)s van %(organisation)s"),
            case_link(case),
            params={
                "reference": case.reference,
                "organisation": Organisation.objects.get(pk=view.organisation_id).name,
            },
        )
    return update


@transaction.atomic
def plan_conference(
    *,
    user,
    case,
    starts_at,
    ends_at,
    place: str,
    organisations,
    agenda="",
    with_resident=True,
    now=None,
) -> Conference:
    """A case conference with several involved organisations: each contact person hears of it
    (with a calendar file on the case page)."""
    now = _now(now)
    case = _locked_case(case)
    require_owner(user, case)
    _require_open(case)
    texts, errors = _texts(
        {"place": place, "agenda": agenda},
        required={"place": _("Schrijf op waar het overleg is.")},
        limits={"place": 200, "agenda": 2000},
    )
    if not isinstance(starts_at, dt.datetime):
        errors["starts_at"] = [_("Geef de datum en het begintijdstip.")]
    elif starts_at <= now:
        errors["starts_at"] = [_("Kies een moment in de toekomst.")]
    if not isinstance(ends_at, dt.datetime):
        errors["ends_at"] = [_("Geef het eindtijdstip.")]
    elif isinstance(starts_at, dt.datetime) and ends_at <= starts_at:
        errors["ends_at"] = [_("Het overleg eindigt na het begin.")]
    organisations = list(organisations or [])
    if not organisations:
        errors["organisations"] = [_("Kies wie er meedoen.")]
    elif any(not _involved(case, o.pk) for o in organisations):
        errors["organisations"] = [_("Betrek een organisatie eerst bij de casus.")]
    _raise(errors)
    conference = Conference.objects.create(
        case=case,
        starts_at=starts_at,
        ends_at=ends_at,
        place=texts["place"],
        with_resident=bool(with_resident),
        agenda=texts["agenda"],
        created_by=user,
        created_at=now,
    )
    conference.organisations.set(organisations)
    notify(
        [contact_person(case, o.pk) for o in organisations],
        gettext_lazy("Casusoverleg %(reference)s op %(when)s in %(place)s"),
        case_link(case),
        params={
            "reference": case.reference,
            "when": formatting.long_datetime(starts_at),
            "place": texts["place"][:100],
        },
    )
    return conference


@transaction.atomic
def close_case(*, user, case, reason: str, evaluation: str, obstacles: str = "", now=None) -> Case:
    """Close with an evaluation ("wat heeft geholpen"). Open actions and open doorbraak
    requests must be finished first; sharing stops with the case."""
    case = _locked_case(case)
    require_owner(user, case)
    _require_open(case)
    texts, errors = _texts(
        {"evaluation": evaluation, "obstacles": obstacles},
        required={"evaluation": _("Schrijf op wat heeft geholpen.")},
        limits={"evaluation": 3000, "obstacles": 3000},
    )
    _choice(reason, ClosureReason, "reason", _("Kies waarom de casus sluit."), errors)
    open_actions = case.actions.filter(status=ActionStatus.OPEN).count()
    if open_actions:
        errors["__all__"] = [
            _("Er staan nog %(count)d acties open. Rond ze af of laat ze vervallen.")
            % {"count": open_actions}
        ]
    if case.doorbraak_requests.filter(state__in=states.OPEN).exists():
        errors.setdefault("__all__", []).append(
            _("Er staat nog een doorbraakverzoek open. Wacht op het antwoord of trek het in.")
        )
    _raise(errors)
    case.status = CaseStatus.CLOSED
    case.closed_at = _now(now)
    case.closure_reason = reason
    case.evaluation = texts["evaluation"]
    case.evaluation_obstacles = texts["obstacles"]
    case.save(
        update_fields=[
            "status",
            "closed_at",
            "closure_reason",
            "evaluation",
            "evaluation_obstacles",
        ]
    )
    notify(
        [p.contact_person for p in case.parties.all()],
        gettext_lazy("Casus %(reference)s is gesloten."),
        params={"reference": case.reference},
    )
    return case


# ---- doorbraak -----------------------------------------------------------------------------------
def doorbraak_parties(user, request) -> frozenset:
    scope = get_scope(user)
    parties = set()
    if request.to_organisation_id in scope.contact_organisation_ids:
        parties.add(states.RECEIVER)
    if access.is_owner(scope, request.case):
        parties.add(states.CASE_OWNER)
    return frozenset(parties)


def _locked_request(request) -> DoorbraakRequest:
    return (
        DoorbraakRequest.objects.select_for_update(of=("self",))
        .select_related("case", "case__municipality", "to_organisation", "mandate")
        .get(pk=request.pk)
    )


def _has_basis(case, organisation_id, today) -> bool:
    return bool(access.active_consents(case, {organisation_id}, today))


def _doorbraak_fields(
    case, to_organisation, kind, motivation, amount, pause_days, reference, today
):
    texts, errors = _texts(
        {"motivation": motivation, "reference": reference},
        required={"motivation": _("Leg uit waarom dit nodig is voor de inwoner.")},
        limits={"motivation": 3000, "reference": 100},
    )
    _choice(kind, DoorbraakKind, "kind", _("Kies wat u vraagt."), errors)
    if to_organisation is None:
        errors["to_organisation"] = [_("Kies de organisatie.")]
    elif not any(p.organisation_id == to_organisation.pk for p in case.parties.all()):
        errors["to_organisation"] = [_("Betrek deze organisatie eerst bij de casus.")]
    elif not _has_basis(case, to_organisation.pk, today):
        errors["to_organisation"] = [
            _(
                "Leg eerst toestemming of een wettelijke grondslag vast voor deze organisatie: "
                "zonder grondslag mag zij de casus niet zien."
            )
        ]
    amount = _money(amount, "amount", errors, required=False)
    if pause_days not in (None, ""):
        try:
            pause_days = int(pause_days)
            if not 1 <= pause_days <= 366:
                raise ValueError
        except (TypeError, ValueError):
            errors["pause_days"] = [_("Geef een aantal dagen van 1 tot en met 366.")]
            pause_days = None
    else:
        pause_days = None
    return texts, errors, amount, pause_days


@transaction.atomic
def send_doorbraak(
    *,
    user,
    case,
    to_organisation,
    kind: str,
    motivation: str,
    answer_by,
    amount=None,
    pause_days=None,
    subject_reference: str = "",
    now=None,
) -> DoorbraakRequest:
    """Ask an involved organisation to pause or change a decision, with the date an answer is
    needed by. It lands as a task with the organisation's contact person (or its team)."""
    now = _now(now)
    today = _today(now)
    case = _locked_case(case)
    require_owner(user, case)
    _require_open(case)
    texts, errors, amount, pause_days = _doorbraak_fields(
        case, to_organisation, kind, motivation, amount, pause_days, subject_reference, today
    )
    if _date(answer_by, "answer_by", errors, _("Geef de datum waarop u het antwoord nodig hebt.")):
        if answer_by <= today:
            errors["answer_by"] = [
                _("Kies een datum na vandaag: de organisatie moet tijd hebben om te antwoorden.")
            ]
        elif answer_by > today + dt.timedelta(days=92):
            errors["answer_by"] = [_("Kies een datum binnen drie maanden.")]
    _raise(errors)
    request = DoorbraakRequest.objects.create(
        case=case,
        to_organisation=to_organisation,
        kind=kind,
        motivation=texts["motivation"],
        subject_reference=texts["reference"],
        amount=amount,
        pause_days=pause_days,
        answer_by=answer_by,
        requested_by=user,
        requested_at=now,
    )
    person = contact_person(case, to_organisation.pk)
    if person is not None and not worklist.is_member(person, to_organisation):
        person = None
    request.task = worklist.create_task(
        kind=DOORBRAAK_KIND,
        organisation=to_organisation,
        assigned_to=person,
        title=_("Doorbraakverzoek van %(municipality)s: %(kind)s")
        % {
            "municipality": case.municipality.name,
            "kind": request.get_kind_display(),
        },
        due_at=dt.datetime.combine(answer_by, dt.time(17), tzinfo=AMSTERDAM),
        source_type="doorbraak",
        source_id=str(request.uuid),
        created_by=user,
        now=now,
    )
    request.save(update_fields=["task"])
    _log(
        user,
        case.municipality_id,
        case.resident,
        Activity.DOORBRAAK,
        Action.CREATE,
        "doorbraak",
        request.uuid,
    )
    if person is None:
        notify(
            _members(to_organisation.pk, DOORBRAAK_ROLES),
            gettext_lazy("Nieuw doorbraakverzoek van %(municipality)s: antwoord nodig op %(date)s"),
            doorbraak_link(request),
            params={
                "municipality": case.municipality.name,
                "date": formatting.long_date(answer_by),
            },
        )
    return request


def mandate_for(case, organisation, kind, today) -> Mandate | None:
    for mandate in Mandate.objects.filter(
        municipality_id=case.municipality_id, organisation=organisation
    ):
        if mandate.is_active(today) and kind in mandate.kinds:
            return mandate
    return None


@transaction.atomic
def pause_with_mandate(
    *,
    user,
    case,
    to_organisation,
    kind: str,
    motivation: str,
    pause_days,
    amount=None,
    subject_reference: str = "",
    now=None,
) -> DoorbraakRequest:
    """Within an agreed mandate the case manager pauses at once (kind, amount and days within
    its limits); the organisation may overturn it within the agreed working days."""
    now = _now(now)
    today = _today(now)
    case = _locked_case(case)
    require_owner(user, case)
    _require_open(case)
    texts, errors, amount, pause_days = _doorbraak_fields(
        case, to_organisation, kind, motivation, amount, pause_days, subject_reference, today
    )
    mandate = None
    if to_organisation is not None and "kind" not in errors:
        mandate = mandate_for(case, to_organisation, kind, today)
        if mandate is None:
            errors["kind"] = [
                _(
                    "Er is geen mandaat met deze organisatie voor deze soort. Stuur een doorbraakverzoek."
                )
            ]
    if pause_days is None and "pause_days" not in errors:
        errors["pause_days"] = [_("Geef aan hoeveel dagen de pauze duurt.")]
    if mandate is not None:
        if pause_days is not None and pause_days > mandate.max_days:
            errors["pause_days"] = [
                _("Het mandaat gaat tot %(days)d dagen.") % {"days": mandate.max_days}
            ]
        if amount is not None and mandate.max_amount is not None and amount > mandate.max_amount:
            errors["amount"] = [
                _("Het mandaat gaat tot %(amount)s.")
                % {"amount": formatting.euro(mandate.max_amount)}
            ]
    _raise(errors)
    overturn_until = working_day_end(now, mandate.overturn_days).astimezone(AMSTERDAM).date()
    request = DoorbraakRequest.objects.create(
        case=case,
        to_organisation=to_organisation,
        kind=kind,
        motivation=texts["motivation"],
        subject_reference=texts["reference"],
        amount=amount,
        pause_days=pause_days,
        answer_by=overturn_until,
        state=DoorbraakState.PAUSED,
        requested_by=user,
        requested_at=now,
        mandate=mandate,
        paused_until=today + dt.timedelta(days=pause_days),
        overturn_until=overturn_until,
    )
    person = contact_person(case, to_organisation.pk)
    if person is not None and not worklist.is_member(person, to_organisation):
        person = None
    request.task = worklist.create_task(
        kind=DOORBRAAK_KIND,
        organisation=to_organisation,
        assigned_to=person,
        title=_("Pauze met mandaat door %(municipality)s: %(kind)s")
        % {
            "municipality": case.municipality.name,
            "kind": request.get_kind_display(),
        },
        due_at=dt.datetime.combine(overturn_until, dt.time(17), tzinfo=AMSTERDAM),
        source_type="doorbraak",
        source_id=str(request.uuid),
        created_by=user,
        now=now,
    )
    request.save(update_fields=["task"])
    _log(
        user,
        case.municipality_id,
        case.resident,
        Activity.DOORBRAAK,
        Action.CREATE,
        "doorbraak",
        request.uuid,
    )
    notify(
        [person, *_members(to_organisation.pk, DOORBRAAK_ROLES)],
        gettext_lazy(
            "%(municipality)s pauzeerde met mandaat: %(kind)s, tot en met %(until)s. "
            "Terugdraaien kan tot en met %(overturn)s."
        ),
        doorbraak_link(request),
        params={
            "municipality": case.municipality.name,
            "kind": request.get_kind_display(),
            "until": formatting.long_date(request.paused_until),
            "overturn": formatting.long_date(overturn_until),
        },
    )
    return request


def _close_task(request, user, now, outcome="beantwoord"):
    worklist.close_for_source(
        kind=DOORBRAAK_KIND,
        source_type="doorbraak",
        source_id=request.uuid,
        outcome=outcome,
        user=user,
        now=now,
    )


@transaction.atomic
def answer_doorbraak(
    *,
    user,
    request,
    action: str,
    answer: str = "",
    refusal_reason: str = "",
    obstructing_rule: str = "",
    now=None,
) -> DoorbraakRequest:
    """The organisation asked answers in the platform: grant, partly (say what), or refuse with
    a reason (and the rule that stands in the way). The case manager is notified."""
    if action not in states.ANSWERS:
        raise ValidationError({"action": [_("Kies: toekennen, deels toekennen of weigeren.")]})
    now = _now(now)
    request = _locked_request(request)
    step = states.DOORBRAAK.check(action, request.state, doorbraak_parties(user, request))
    required = {}
    if action == "partly":
        required["answer"] = _("Schrijf op wat wel en wat niet kan.")
    if action == "refuse":
        required["answer"] = _("Leg uit waarom het niet kan.")
    texts, errors = _texts(
        {"answer": answer, "obstructing_rule": obstructing_rule},
        required=required,
        limits={"answer": 3000, "obstructing_rule": 200},
    )
    if action == "refuse":
        _choice(
            refusal_reason,
            RefusalReason,
            "refusal_reason",
            _("Kies de reden van weigeren."),
            errors,
        )
        if (
            refusal_reason in (RefusalReason.LAW, RefusalReason.POLICY)
            and not texts["obstructing_rule"]
        ):
            errors["obstructing_rule"] = [_("Noem de regel die in de weg staat.")]
    else:
        refusal_reason = ""
    _raise(errors)
    request.state = step.target
    request.answer = texts["answer"]
    request.refusal_reason = refusal_reason
    request.obstructing_rule = texts["obstructing_rule"]
    request.answered_by = user
    request.answered_at = now
    request.save(
        update_fields=[
            "state",
            "answer",
            "refusal_reason",
            "obstructing_rule",
            "answered_by",
            "answered_at",
        ]
    )
    _close_task(request, user, now)
    _log(
        user,
        request.to_organisation_id,
        request.case.resident,
        Activity.DOORBRAAK,
        Action.UPDATE,
        "doorbraak",
        request.uuid,
    )
    notify(
        [request.case.case_manager],
        gettext_lazy("%(organisation)s antwoordde op uw doorbraakverzoek: %(state)s"),
        doorbraak_link(request),
        params={
            "organisation": request.to_organisation.name,
            "state": DoorbraakState(request.state).label,
        },
    )
    return request


@transaction.atomic
def confirm_pause(*, user, request, now=None) -> DoorbraakRequest:
    now = _now(now)
    request = _locked_request(request)
    step = states.DOORBRAAK.check("confirm", request.state, doorbraak_parties(user, request))
    request.state = step.target
    request.answered_by = user
    request.answered_at = now
    request.save(update_fields=["state", "answered_by", "answered_at"])
    _close_task(request, user, now)
    notify(
        [request.case.case_manager],
        gettext_lazy("%(organisation)s bevestigde de pauze in casus %(reference)s."),
        doorbraak_link(request),
        params={"organisation": request.to_organisation.name, "reference": request.case.reference},
    )
    return request


@transaction.atomic
def overturn_pause(*, user, request, answer: str, now=None) -> DoorbraakRequest:
    """The organisation overturns a pause made under the mandate, within the agreed days."""
    now = _now(now)
    request = _locked_request(request)
    step = states.DOORBRAAK.check("overturn", request.state, doorbraak_parties(user, request))
    if request.overturn_until is None or _today(now) > request.overturn_until:
        raise ValidationError(
            _("De termijn om terug te draaien is voorbij (tot en met %(date)s).")
            % {"date": formatting.long_date(request.overturn_until)},
            code="overturn_expired",
        )
    texts, errors = _texts(
        {"answer": answer},
        required={"answer": _("Leg uit waarom de pauze niet kan blijven.")},
        limits={"answer": 3000},
    )
    _raise(errors)
    request.state = step.target
    request.answer = texts["answer"]
    request.answered_by = user
    request.answered_at = now
    request.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    _close_task(request, user, now)
    notify(
        [request.case.case_manager],
        gettext_lazy("%(organisation)s draaide de pauze in casus %(reference)s terug."),
        doorbraak_link(request),
        params={"organisation": request.to_organisation.name, "reference": request.case.reference},
    )
    return request


@transaction.atomic
def withdraw_doorbraak(*, user, request, now=None) -> DoorbraakRequest:
    now = _now(now)
    request = _locked_request(request)
    step = states.DOORBRAAK.check("withdraw", request.state, doorbraak_parties(user, request))
    request.state = step.target
    request.save(update_fields=["state"])
    worklist.close_for_source(
        kind=DOORBRAAK_KIND,
        source_type="doorbraak",
        source_id=request.uuid,
        outcome="ingetrokken",
        user=user,
        now=now,
    )
    notify(
        [contact_person(request.case, request.to_organisation_id)],
        gettext_lazy("%(municipality)s trok het doorbraakverzoek in casus %(reference)s in."),
        params={
            "municipality": request.case.municipality.name,
            "reference": request.case.reference,
        },
    )
    return request


def escalate_doorbraak(now=None) -> int:
    """Sweep: a request without an answer by its date goes to the doorbraak coordinator(s) of
    the organisation asked (their management when it has none); still no answer
    DOORBRAAK_MANAGEMENT_WORKING_DAYS working days later: to its management. A pause under
    mandate whose days to overturn passed stays (toegekend). Idempotent: the level is stored."""
    now = _now(now)
    today = _today(now)
    count = 0
    # Level 1 waits N working days (at least N calendar days): only those may be due.
    waited = now - dt.timedelta(days=settings.DOORBRAAK_MANAGEMENT_WORKING_DAYS)
    late = DoorbraakRequest.objects.filter(
        Q(escalation_level=0) | Q(escalation_level=1, escalated_at__lt=waited),
        state=DoorbraakState.SENT,
        answer_by__lt=today,
    ).values_list("pk", flat=True)
    for pk in list(late):
        with transaction.atomic():
            request = (
                DoorbraakRequest.objects.select_for_update(of=("self",))
                .select_related("case__municipality", "to_organisation")
                .get(pk=pk)
            )
            if request.state != DoorbraakState.SENT:
                continue
            count += _escalate_one(request, now, today)
    for pk in list(
        DoorbraakRequest.objects.filter(
            state=DoorbraakState.PAUSED, overturn_until__lt=today
        ).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            request = _locked_request(DoorbraakRequest(pk=pk))
            if request.state != DoorbraakState.PAUSED:
                continue
            step = states.DOORBRAAK.check("settle", request.state, {states.SYSTEM})
            request.state = step.target
            request.answered_at = now
            request.answer = _("Niet teruggedraaid binnen de afgesproken werkdagen.")
            request.save(update_fields=["state", "answered_at", "answer"])
            _close_task(request, None, now, outcome="termijn-verstreken")
            count += 1
    return count


def _escalate_one(request, now, today) -> int:
    states.DOORBRAAK.check("escalate", request.state, {states.SYSTEM})
    params = {
        "municipality": request.case.municipality.name,
        "kind": request.get_kind_display(),
        "date": formatting.long_date(request.answer_by),
    }
    management = _members(request.to_organisation_id, {Role.MANAGEMENT})
    if request.escalation_level == 0:
        coordinators = _members(request.to_organisation_id, DOORBRAAK_ROLES)
        level = 1 if coordinators else 2
        notify(
            coordinators or management,
            gettext_lazy(
                "Doorbraakverzoek van %(municipality)s niet op tijd beantwoord "
                "(%(kind)s, antwoord nodig op %(date)s). Zorgt u voor een antwoord?"
            ),
            doorbraak_link(request),
            params=params,
        )
    else:
        waited = add_working_days(request.escalated_at, settings.DOORBRAAK_MANAGEMENT_WORKING_DAYS)
        if now <= waited:
            return 0
        level = 2
        notify(
            management,
            gettext_lazy(
                "Doorbraakverzoek van %(municipality)s nog steeds zonder antwoord "
                "(%(kind)s, antwoord nodig op %(date)s). De doorbraakcoördinator "
                "antwoordde ook niet."
            ),
            doorbraak_link(request),
            params=params,
        )
    request.escalation_level = level
    request.escalated_at = now
    request.save(update_fields=["escalation_level", "escalated_at"])
    notify(
        [request.case.case_manager],
        gettext_lazy(
            "Uw doorbraakverzoek aan %(organisation)s is opgeschaald: er kwam geen "
            "antwoord op tijd."
        ),
        doorbraak_link(request),
        params={"organisation": request.to_organisation.name},
    )
    return 1


# ---- doorbraak budget ---------------------------------------------------------------------------
def budget_left(budget) -> Decimal:
    spent = budget.spending.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return budget.amount - spent


@transaction.atomic
def spend_budget(
    *, user, case, amount, paid_to: str, justification: str, spent_on=None, now=None
) -> BudgetSpending:
    """Money from the municipality's doorbraak budget for this case, with the reason it helps.
    Never more than what is left of this year's budget."""
    now = _now(now)
    case = _locked_case(case)
    require_owner(user, case)
    _require_open(case)
    spent_on = spent_on or _today(now)
    errors = {}
    amount = _money(amount, "amount", errors)
    texts, errors = _texts(
        {"paid_to": paid_to, "justification": justification},
        required={
            "paid_to": _("Schrijf op aan wie het geld gaat."),
            "justification": _("Leg uit waarom dit geld de inwoner helpt."),
        },
        limits={"paid_to": 200, "justification": 2000},
        errors=errors,
    )
    if _date(spent_on, "spent_on", errors) and spent_on > _today(now):
        errors["spent_on"] = [_("Een uitgave ligt niet in de toekomst.")]
    _raise(errors)
    budget = (
        DoorbraakBudget.objects.select_for_update()
        .filter(municipality_id=case.municipality_id, year=spent_on.year)
        .first()
    )
    if budget is None:
        raise ValidationError(
            {"amount": [_("Er is geen doorbraakbudget voor %(year)d.") % {"year": spent_on.year}]}
        )
    left = budget_left(budget)
    if amount > left:
        raise ValidationError(
            {
                "amount": [
                    _("Er is nog %(left)s over in het budget van %(year)d.")
                    % {"left": formatting.euro(left), "year": budget.year}
                ]
            }
        )
    return BudgetSpending.objects.create(
        budget=budget,
        case=case,
        amount=amount,
        paid_to=texts["paid_to"],
        justification=texts["justification"],
        spent_on=spent_on,
        recorded_by=user,
        recorded_at=now,
    )


# ---- early signals of debt ------------------------------------------------------------------------
def signal_team(municipality):
    """The team of the municipality that offers help on early signals: the one named in
    settings.SIGNAL_TEAM_NAMES (first match), else none (the task goes to the organisation)."""
    names = [n.lower() for n in settings.SIGNAL_TEAM_NAMES]
    teams = list(municipality.teams.all())
    for name in names:
        for team in teams:
            if name in team.name.lower():
                return team
    return None


def _match_resident(municipality, postcode, house_number, surname, addition=""):
    qs = Resident.objects.filter(
        postcode=postcode, house_number=house_number, house_number_addition__iexact=addition
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    people = list(qs.select_related("household", "municipality")[:20])
    named = [r for r in people if r.surname.lower() == surname.lower()]
    return (named or people or [None])[0]


@transaction.atomic
def receive_signal(
    *,
    user,
    kind: str,
    amount,
    months,
    surname: str,
    postcode: str,
    house_number,
    reference: str,
    house_number_addition: str = "",
    municipality_code: str = "",
    now=None,
) -> tuple[ArrearsSignal, bool]:
    """A landlord, energy or drinking-water company or health insurer reports payment arrears.
    The municipality of the address gets a task to offer help within its norm; a later signal
    about the same household joins the first open one (no second task). The same reference
    twice is the same signal (returned, `created` False). Returns (signal, created)."""
    now = _now(now)
    scope = get_scope(user)
    reporters = [
        (pk, t)
        for pk, _c, t in scope.organisations
        if t in SIGNALLING_TYPES and pk in scope.contact_organisation_ids
    ]
    if not reporters:
        raise PermissionDenied(
            _(
                "Alleen verhuurders, energie- en drinkwaterbedrijven en zorgverzekeraars melden betalingsachterstanden."
            )
        )
    reporter_id = reporters[0][0]
    texts, errors = _texts(
        {"surname": surname, "reference": reference, "addition": house_number_addition},
        required={
            "surname": _("Geef de achternaam."),
            "reference": _("Geef uw eigen kenmerk van deze melding."),
        },
        limits={"surname": 200, "reference": 60, "addition": 10},
    )
    _choice(
        kind,
        ArrearsKind,
        "kind",
        _("Kies de soort achterstand: huur, energie, drinkwater of zorgverzekering."),
        errors,
    )
    amount = _money(amount, "amount", errors)
    try:
        months = int(months)
        if not 1 <= months <= 120:
            raise ValueError
    except (TypeError, ValueError):
        errors["months"] = [_("Geef het aantal maanden achterstand (1 tot en met 120).")]
    try:
        house_number = int(house_number)
        if not 1 <= house_number <= 99999:
            raise ValueError
    except (TypeError, ValueError):
        errors["house_number"] = [_("Geef een huisnummer.")]
    postcode = normalise_postcode(postcode or "")
    if len(postcode) != 6:
        errors["postcode"] = [_("Geef een postcode zoals 7511 AB.")]
    _raise(errors)
    existing = ArrearsSignal.objects.filter(
        reporter_id=reporter_id, reporter_reference=texts["reference"]
    ).first()
    if existing is not None:
        return existing, False
    municipality = None
    if municipality_code:
        municipality = Organisation.objects.filter(code=municipality_code, type="gemeente").first()
        if municipality is None:
            raise ValidationError({"municipality": [_("Onbekende gemeente.")]})
    resident = _match_resident(
        municipality, postcode, house_number, texts["surname"], texts["addition"]
    )
    if resident is not None:
        municipality = resident.municipality
    elif municipality is None:  # another dwelling of a known postcode: its municipality
        neighbour = Resident.objects.filter(postcode=postcode).select_related("municipality")
        municipality = getattr(neighbour.first(), "municipality", None)
    if municipality is None:
        raise ValidationError(
            {"municipality": [_("Dit adres staat niet in het register. Geef de gemeente mee.")]}
        )
    open_signals = ArrearsSignal.objects.select_for_update().filter(
        municipality=municipality, outcome="", joined_to__isnull=True
    )
    if resident is not None and resident.household_id:
        same = Q(household_id=resident.household_id) | Q(resident=resident)
    elif resident is not None:
        same = Q(resident=resident)
    else:
        same = Q(
            postcode=postcode,
            house_number=house_number,
            house_number_addition__iexact=texts["addition"],
        )
    primary = open_signals.filter(same).order_by("received_at", "id").first()
    norm = settings.SIGNAL_OFFER_WORKING_DAYS
    signal = ArrearsSignal.objects.create(
        reporter_id=reporter_id,
        reporter_reference=texts["reference"],
        municipality=municipality,
        kind=kind,
        amount=amount,
        months=months,
        surname=texts["surname"],
        postcode=postcode,
        house_number=house_number,
        house_number_addition=texts["addition"],
        resident=resident,
        household=resident.household if resident else None,
        joined_to=primary,
        received_at=now,
        offer_due_on=(
            primary.offer_due_on
            if primary
            else working_day_end(now, norm).astimezone(AMSTERDAM).date()
        ),
    )
    _log(
        user,
        reporter_id,
        resident,
        Activity.EARLY_SIGNAL,
        Action.CREATE,
        "arrears-signal",
        signal.uuid,
    )
    if primary is not None:
        if primary.task_id:
            task = Task.objects.get(pk=primary.task_id)
            extra = _("Nieuw signaal: %(kind)s, %(amount)s achter (%(reporter)s).") % {
                "kind": signal.get_kind_display(),
                "amount": formatting.euro(amount),
                "reporter": signal.reporter.name,
            }
            task.note = f"{task.note}\n{extra}".strip()[:5000]
            task.save(update_fields=["note"])
        return signal, True
    team = signal_team(municipality)
    reporter = Organisation.objects.get(pk=reporter_id)
    signal.task = worklist.create_task(
        kind=SIGNAL_KIND,
        organisation=municipality,
        team=team,
        resident=resident,
        title=_("Hulp aanbieden: %(kind)s achterstand bij %(reporter)s")
        % {
            "kind": signal.get_kind_display().lower(),
            "reporter": reporter.name,
        },
        note=_(
            "%(amount)s achter, %(months)d maanden. Bied hulp aan: bellen, brief met uw naam of huisbezoek."
        )
        % {"amount": formatting.euro(amount), "months": months},
        due_at=working_day_end(now, norm),
        source_type="arrears_signal",
        source_id=str(signal.uuid),
        now=now,
    )
    signal.save(update_fields=["task"])
    return signal, True


def may_handle_signal(user, signal) -> bool:
    return signal.municipality_id in get_scope(user).contact_organisation_ids


@transaction.atomic
def record_offer(*, user, signal, how: str, outcome: str, note: str = "", now=None):
    """The team offered help (call, letter with a named person, home visit) and records what
    came of it; joined signals share the outcome; the task closes."""
    now = _now(now)
    signal = (
        ArrearsSignal.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=signal.pk)
    )
    if not may_handle_signal(user, signal):
        raise PermissionDenied(_("Alleen de gemeente van dit signaal mag dit."))
    if signal.joined_to_id is not None:
        raise ValidationError(
            _("Dit signaal hoort bij een eerder signaal. Leg de uitkomst daar vast.")
        )
    if signal.outcome:
        raise ValidationError(
            _("De uitkomst van dit signaal is al vastgelegd."), code="signal_done"
        )
    texts, errors = _texts({"note": note}, limits={"note": 2000})
    _choice(how, OfferHow, "how", _("Kies hoe u hulp aanbood."), errors)
    _choice(outcome, SignalOutcome, "outcome", _("Kies de uitkomst."), errors)
    if how == OfferHow.LETTER and signal.resident_id is None:
        errors["how"] = [
            _("Het adres staat niet in het register: een brief kan niet. Kies een huisbezoek.")
        ]
    _raise(errors)
    if how == OfferHow.LETTER:
        # A letter by post with the named employee and their direct number (decision V).
        resident = Resident.objects.get(pk=signal.resident_id)
        kinds = [signal.get_kind_display().lower()] + [
            j.get_kind_display().lower() for j in signal.joined.all()
        ]
        send_to_resident(
            organisation=signal.municipality,
            resident=resident,
            template_key="hulpaanbod-schulden",
            context={"soort_achterstand": " en ".join(dict.fromkeys(kinds))},
            sender=user,
            channel="post",
            cause_type="arrears_signal",
            cause_id=str(signal.uuid),
            now=now,
            via=_channel.get(),
        )
    fields = {
        "offered_at": now,
        "offered_how": how,
        "outcome": outcome,
        "outcome_note": texts["note"],
        "handled_by": user,
    }
    for key, value in fields.items():
        setattr(signal, key, value)
    signal.save(update_fields=list(fields))
    ArrearsSignal.objects.filter(joined_to=signal).update(**fields)
    _log(
        user,
        signal.municipality_id,
        signal.resident,
        Activity.EARLY_SIGNAL,
        Action.UPDATE,
        "arrears-signal",
        signal.uuid,
    )
    worklist.close_for_source(
        kind=SIGNAL_KIND,
        source_type="arrears_signal",
        source_id=signal.uuid,
        outcome=outcome,
        user=user,
        note=texts["note"],
        now=now,
    )
    return signal


def signal_task_completed(*, task, user, outcome, note):
    """The work list completed a signal's task: the outcome is the signal's outcome."""
    signal = ArrearsSignal.objects.filter(uuid=task.source_id).first()
    if signal is None or signal.outcome:
        return
    fields = {
        "offered_at": timezone.now(),
        "offered_how": OfferHow.PHONE,
        "outcome": outcome,
        "outcome_note": note,
        "handled_by": user,
    }
    ArrearsSignal.objects.filter(Q(pk=signal.pk) | Q(joined_to=signal)).update(**fields)


def doorbraak_task_completed(*, task, user, outcome, note):
    """A doorbraak task is done only when the request has its answer (never by the list)."""
    request = DoorbraakRequest.objects.filter(uuid=task.source_id).first()
    if request is not None and request.state in states.OPEN and outcome == "beantwoord":
        raise ValidationError(_("Beantwoord eerst het doorbraakverzoek zelf."))
