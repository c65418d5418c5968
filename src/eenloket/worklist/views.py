"""Staff screens of the one work list: the lists (mine, my team's, overdue) and a task with its
steps. Every step goes through services.py, every read through selectors.py; the buttons come
from the state table (states.TASK). A refused step shows its message in the form and changes
nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eenloket.core import permissions
from eenloket.core.audit import Action
from eenloket.core.errors import NotFound
from eenloket.core.forms import apply_service_errors
from eenloket.organisations.selectors import get_scope

from . import selectors, services, states
from .forms import AssignForm, AttemptForm, CancelForm, CompleteForm
from .kinds import kinds

TABS = (
    ("team", gettext_lazy("Taken van mijn team")),
    ("mine", gettext_lazy("Mijn taken")),
    ("overdue", gettext_lazy("Te laat")),
)
PAGE_SIZE = 25
# The button's slug → the key of its form in the template (no hyphens there).
FORM_KEYS = {
    "toewijzen": "toewijzen",
    "belpoging": "belpoging",
    "afronden": "afronden",
    "laten-vervallen": "vervallen",
}


def _require_contacts(user):
    permissions.require(permissions.can_work_with_contacts, get_scope(user))


@login_required
def task_list(request):
    _require_contacts(request.user)
    name = request.GET.get("lijst", selectors.DEFAULT_WORKLIST)
    if name not in dict(TABS):
        name = selectors.DEFAULT_WORKLIST
    now = timezone.now()
    try:
        rows, next_cursor = selectors.worklist_page(
            request.user, name, cursor=request.GET.get("na", ""), limit=PAGE_SIZE, now=now
        )
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    selectors.log_list_shown(request.user, rows, channel="ui")
    counts = selectors.worklist_counts(request.user, dict(TABS), now=now)
    return render(
        request,
        "worklist/list.html",
        {
            "rows": [(task, states.is_overdue(task, now)) for task in rows],
            "current": name,
            "current_label": dict(TABS)[name],
            "tabs": [(key, label, counts[key]) for key, label in TABS],
            "next_cursor": next_cursor,
        },
    )


def _forms(user, task, bound=None):
    """The forms of the steps this user can take now (one of them bound, after an error)."""
    slugs = states.TASK.slugs(task.state, selectors.task_parties(user, task), task)
    kind = kinds().get(task.kind)
    forms = {}
    if "toewijzen" in slugs:
        forms["toewijzen"] = AssignForm(
            colleagues=selectors.assignable_colleagues(task), prefix="toewijzen"
        )
    if "belpoging" in slugs:
        forms["belpoging"] = AttemptForm(prefix="belpoging")
    if "afronden" in slugs and kind is not None:
        forms["afronden"] = CompleteForm(kind=kind, prefix="afronden")
    if "laten-vervallen" in slugs:
        forms["vervallen"] = CancelForm(prefix="vervallen")
    if bound is not None:
        forms[FORM_KEYS[bound[0]]] = bound[1]
    return slugs, forms


def _render_detail(request, task, *, bound=None, error="", status=200):
    now = timezone.now()
    slugs, forms = _forms(request.user, task, bound)
    kind = kinds().get(task.kind)
    return render(
        request,
        "worklist/detail.html",
        {
            "task": task,
            "kind": kind,
            "source_link": kind.source_link(task) if kind and kind.source_link else "",
            "overdue": states.is_overdue(task, now),
            "attempts": selectors.attempts_of(task),
            "actions": slugs,
            "forms": forms,
            "open_panel": FORM_KEYS[bound[0]] if bound else "",
            "outcome_label": next(
                (o.label for o in (kind.outcomes if kind else ()) if o.code == task.outcome), ""
            ),
            "error": error,
        },
        status=status,
    )


@login_required
def task_detail(request, uuid):
    _require_contacts(request.user)
    try:
        task = selectors.get_task(request.user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return _render_detail(request, task)


# ---- steps ----------------------------------------------------------------------------------------
def _do_claim(request, task):
    services.claim(user=request.user, task=task)
    return _("U heeft de taak opgepakt."), None


def _do_assign(request, task):
    form = AssignForm(
        request.POST, colleagues=selectors.assignable_colleagues(task), prefix="toewijzen"
    )
    if not form.is_valid():
        return None, form
    colleague = form.cleaned_data["to_user"]
    try:
        services.assign(user=request.user, task=task, to_user=colleague)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None, form
    return _("De taak is nu van %(name)s.") % {"name": colleague.get_full_name()}, None


def _do_attempt(request, task):
    form = AttemptForm(request.POST, prefix="belpoging")
    if not form.is_valid():
        return None, form
    try:
        services.log_attempt(user=request.user, task=task, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None, form
    return _("De belpoging is vastgelegd."), None


def _do_complete(request, task):
    form = CompleteForm(request.POST, kind=kinds()[task.kind], prefix="afronden")
    if not form.is_valid():
        return None, form
    try:
        services.complete(user=request.user, task=task, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None, form
    return _("De taak is afgerond."), None


def _do_cancel(request, task):
    form = CancelForm(request.POST, prefix="vervallen")
    if not form.is_valid():
        return None, form
    try:
        services.cancel(user=request.user, task=task, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None, form
    return _("De taak is vervallen."), None


HANDLERS = {
    "claim": _do_claim,
    "assign": _do_assign,
    "attempts": _do_attempt,
    "complete": _do_complete,
    "cancel": _do_cancel,
}
ACTIONS = {row.slug: (row.action, HANDLERS[row.action]) for row in states.TASK.steps if row.slug}


@login_required
@require_POST
def task_action(request, uuid, action):
    if action not in ACTIONS:
        raise Http404(_("Deze stap bestaat niet."))
    _require_contacts(request.user)
    try:
        task = selectors.task_for_step(request.user, uuid)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    _name, handler = ACTIONS[action]
    try:
        message, bound = handler(request, task)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        task.refresh_from_db()
        status = 403 if isinstance(exc, PermissionDenied) else 409
        return _render_detail(request, task, error=text, status=status)
    if bound is not None:
        return _render_detail(request, task, bound=(action, bound), status=400)
    selectors.log_task_work(request.user, task, channel="ui", action=Action.UPDATE)
    messages.success(request, message)
    if not selectors.visible_tasks(request.user).filter(pk=task.pk).exists():
        return redirect("worklist:list")  # handed to another team: no longer yours to see
    return redirect("worklist:detail", uuid=task.uuid)
