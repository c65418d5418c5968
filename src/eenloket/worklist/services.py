"""Tasks: create, claim, assign, log a call attempt, complete, cancel; the escalation of overdue
tasks. UI and API call these functions (one per use case, inside a transaction)."""


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
    the kind's default) counted on the Atw calendar from `now`. Joins the caller's transaction."""
    raise NotImplementedError
