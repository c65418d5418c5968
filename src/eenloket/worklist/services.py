"""Tasks: create, claim, assign, log a call attempt, complete, cancel; the escalation of overdue
tasks. UI and API call these functions (one per use case, inside a transaction).

Every step is checked against the one table, states.TASK: who may take it (the task's team, its
assignee, the system) and from which state. A step that does not fit the state is refused with
a ValidationError of code `invalid_transition` (409 in the API)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eenloket.core.calendar import norm_deadline
from eenloket.core.notifications import notify
from eenloket.core.roles import CONTACT_ROLES
from eenloket.core.validators import MAX_TEXT, clean_texts
from eenloket.organisations.models import Membership
from eenloket.organisations.selectors import team_leads
from eenloket.residents.services import normalise_phone

from . import states
from .kinds import TaskKind, kinds
from .models import Task, TaskAttempt, TaskNorm, TaskState
from .selectors import assignable_colleagues, task_parties

TITLE_MAX = 200
# The working day of a task ends at 17:00 (Amsterdam): a callback "today" is before closing.
DAY_ENDS = dt.time(17, 0)


# ---- helpers ----------------------------------------------------------------------------------
def _kind(code) -> TaskKind:
    kind = kinds().get(code)
    if kind is None:
        raise ValidationError({"kind": [_("Onbekende soort taak.")]})
    return kind


def due_for(kind: TaskKind, organisation, now) -> dt.datetime:
    """The deadline of a new task of `kind` made at `now`: the organisation's norm (TaskNorm),
    else the kind's default, on the Atw calendar; the day ends at DAY_ENDS."""
    norm = TaskNorm.objects.filter(organisation=organisation, kind=kind.code).first()
    if norm is not None:
        cutoff, before, after = norm.cutoff, norm.days_before_cutoff, norm.days_after_cutoff
    else:
        cutoff, before, after = kind.cutoff, kind.days_before_cutoff, kind.days_after_cutoff
    if isinstance(cutoff, str):
        cutoff = dt.time.fromisoformat(cutoff)
    return norm_deadline(
        now, cutoff=cutoff, days_before_cutoff=before, days_after_cutoff=after, end=DAY_ENDS
    )


def is_member(user, organisation, team=None) -> bool:
    """An active colleague with a contact role in the organisation (in the team, when given)."""
    if user is None or not user.is_active:
        return False
    members = Membership.objects.filter(
        user=user, organisation=organisation, role__in=CONTACT_ROLES
    )
    if team is not None:
        members = members.filter(team=team)
    return members.exists()


def _locked(task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("assigned_to", "organisation", "team", "resident")
        .get(pk=task.pk)
    )


def _authorise(user, task, action) -> frozenset:
    parties = task_parties(user, task)
    states.TASK.authorise(action, parties)
    return parties


def link(task) -> str:
    return reverse("worklist:detail", args=[task.uuid])


def _text(value, field, *, required="", limit=MAX_TEXT) -> str:
    texts, errors = clean_texts(
        {field: value},
        required={field: required} if required else {},
        limits={field: limit},
    )
    if errors:
        raise ValidationError(errors)
    return texts[field]


# ---- creating ---------------------------------------------------------------------------------
def create_task(
    *,
    kind: str,
    organisation,
    title: str,
    team=None,
    assigned_to=None,
    resident=None,
    note: str = "",
    phone: str = "",
    due_at=None,
    source_type: str = "",
    source_id: str = "",
    created_by=None,
    now=None,
):
    """A new open task; `due_at` defaults to the kind's norm for the organisation (TaskNorm or
    the kind's default) counted on the Atw calendar from `now`. Joins the caller's transaction.

    Checks: a registered kind; a title (at most 200 characters) and a note within the one text
    limit; the team belongs to the organisation; the assignee is an active colleague with a
    contact role there; the number, when given, is a valid phone number (stored E.164). All
    errors at once, as a ValidationError per field (Dutch). Who may create it is the caller's
    check (the service that makes the task: a callback request, a follow-up)."""
    now = now or timezone.now()
    errors = {}
    task_kind = kinds().get(kind)
    if task_kind is None:
        errors["kind"] = [_("Onbekende soort taak.")]
    texts, text_errors = clean_texts(
        {"title": title, "note": note},
        required={"title": _("Geef de taak een onderwerp.")},
        limits={"title": TITLE_MAX},
    )
    errors.update(text_errors)
    if organisation is None:
        errors["organisation"] = [_("Kies de organisatie van de taak.")]
    elif team is not None and team.organisation_id != organisation.pk:
        errors["team"] = [_("Dit team hoort niet bij deze organisatie.")]
    if (
        assigned_to is not None
        and organisation is not None
        and not is_member(assigned_to, organisation)
    ):
        errors["assigned_to"] = [_("Deze persoon werkt niet met inwoners bij deze organisatie.")]
    try:
        phone = normalise_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if due_at is None:
        due_at = due_for(task_kind, organisation, now)
    with transaction.atomic():
        task = Task.objects.create(
            kind=kind,
            organisation=organisation,
            team=team,
            assigned_to=assigned_to,
            resident=resident,
            title=texts["title"],
            note=texts["note"],
            phone=phone,
            due_at=due_at,
            source_type=source_type,
            source_id=str(source_id or ""),
            created_by=created_by,
            created_at=now,
        )
        if assigned_to is not None and assigned_to != created_by:
            notify(
                [assigned_to],
                gettext_lazy("U heeft een taak gekregen: %(title)s"),
                link(task),
                params={"title": task.title[:200]},
            )
    return task


# ---- working on it ------------------------------------------------------------------------------
@transaction.atomic
def claim(*, user, task) -> Task:
    """Take an open task as your own. Idempotent: taking one you already hold changes nothing;
    one someone else holds is refused (ask them, or a lead, to hand it over)."""
    parties = _authorise(user, task, "claim")
    current = _locked(task)
    states.TASK.check("claim", current.state, parties)
    if current.assigned_to_id == user.pk:
        return current
    if current.assigned_to_id:
        raise ValidationError(
            _("%(name)s heeft deze taak al opgepakt.")
            % {"name": current.assigned_to.get_full_name()},
            code="already_claimed",
        )
    current.assigned_to = user
    current.save(update_fields=["assigned_to"])
    return current


@transaction.atomic
def assign(*, user, task, to_user) -> Task:
    """Give an open task to a colleague of its team (or, without a team, its organisation)."""
    parties = _authorise(user, task, "assign")
    if to_user is None or not assignable_colleagues(task).filter(pk=to_user.pk).exists():
        raise ValidationError(
            {"to_user": [_("U kunt de taak alleen geven aan een collega van het team.")]}
        )
    current = _locked(task)
    states.TASK.check("assign", current.state, parties)
    if current.assigned_to_id == to_user.pk:
        return current
    current.assigned_to = to_user
    current.save(update_fields=["assigned_to"])
    if to_user.pk != user.pk:
        notify(
            [to_user],
            gettext_lazy("U heeft een taak gekregen: %(title)s"),
            link(current),
            params={"title": current.title[:200]},
        )
    return current


@transaction.atomic
def log_attempt(*, user, task, result: str, note: str = "", now=None) -> TaskAttempt:
    """A try to reach the resident (call tasks only): bereikt, niet bereikt or voicemail."""
    parties = _authorise(user, task, "attempts")
    if not _kind(task.kind).is_call:
        raise ValidationError(_("Bij deze taak hoort geen belpoging."), code="not_a_call")
    note = _text(note, "note")
    if result not in TaskAttempt.Result.values:
        raise ValidationError({"result": [_("Kies wat de belpoging opleverde.")]})
    current = _locked(task)
    states.TASK.check("attempts", current.state, parties)
    return TaskAttempt.objects.create(
        task=current, at=now or timezone.now(), by=user, result=result, note=note
    )


@transaction.atomic
def complete(*, user, task, outcome: str, note: str = "", now=None) -> Task:
    """Finish a task with one of its kind's outcomes; the kind's `on_complete` (a contact
    moment for a callback, the answer for a check call) runs in the same transaction."""
    parties = _authorise(user, task, "complete")
    kind = _kind(task.kind)
    note = _text(note, "outcome_note")
    if outcome not in {o.code for o in kind.outcomes}:
        raise ValidationError({"outcome": [_("Kies een uitkomst uit de lijst.")]})
    current = _locked(task)
    states.TASK.check("complete", current.state, parties)
    current.state = TaskState.DONE
    current.outcome = outcome
    current.outcome_note = note
    current.completed_at = now or timezone.now()
    current.completed_by = user
    current.assigned_to = current.assigned_to or user
    current.save()
    if kind.on_complete is not None:
        kind.on_complete(task=current, user=user, outcome=outcome, note=note)
    return current


@transaction.atomic
def cancel(*, user, task, reason: str, now=None) -> Task:
    """End an open task without doing it (no longer needed, made by mistake): with a reason."""
    parties = _authorise(user, task, "cancel")
    reason = _text(reason, "reason", required=_("Schrijf op waarom de taak vervalt."))
    current = _locked(task)
    states.TASK.check("cancel", current.state, parties)
    current.state = TaskState.CANCELLED
    current.outcome_note = reason
    current.completed_at = now or timezone.now()
    current.completed_by = user
    current.save()
    return current


# ---- escalation sweep ---------------------------------------------------------------------------
def escalate_overdue(now: dt.datetime | None = None) -> int:
    """Idempotent sweep: every open task past its deadline is reported once to the team lead(s)
    of its team (else of its organisation). The task stays open, marked overdue."""
    now = now or timezone.now()
    overdue = Task.objects.filter(
        state__in=states.TASK.sources("escalate"), due_at__lt=now, escalated_at__isnull=True
    ).select_related("organisation", "team")
    escalated = 0
    for task in overdue:
        with transaction.atomic():
            # Claim the escalation on the row itself: a second sweep at the same time finds it
            # done and tells nobody again.
            updated = Task.objects.filter(pk=task.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not updated:
                continue
            notify(
                team_leads(task.organisation_id, task.team_id),
                gettext_lazy("Te laat: taak “%(title)s” (%(kind)s) moest af op %(deadline)s."),
                link(task),
                params={
                    "title": task.title[:200],
                    "kind": _kind_label(task.kind),
                    "deadline": task.due_at,
                },
            )
        escalated += 1
    return escalated


def _kind_label(code):
    kind = kinds().get(code)
    return kind.label if kind is not None else code


def close_for_source(
    *, kind: str, source_type: str, source_id, outcome: str, user=None, note: str = "", now=None
) -> int:
    """Complete the open tasks of `kind` made for one source (a request that got its decision:
    its "termijn bewaken" task is done). In the caller's transaction; returns how many."""
    if outcome not in {o.code for o in _kind(kind).outcomes}:
        raise ValueError(f"{outcome!r} is no outcome of {kind!r}")
    return Task.objects.filter(
        kind=kind,
        source_type=source_type,
        source_id=str(source_id),
        state__in=states.TASK.sources("complete"),
    ).update(
        state=TaskState.DONE,
        outcome=outcome,
        outcome_note=note,
        completed_at=now or timezone.now(),
        completed_by=user,
    )
