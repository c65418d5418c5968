"""Task kinds, registered by the app that owns them (in its AppConfig.ready), so the work list
does not import them: contacts registers the callback request, helped its follow-up and call
tasks; appointments, legal terms, cases and complaints will add theirs.

A kind says what it is called, which outcomes complete it, its default norm, and what happens on
completion (`on_complete(task, user, outcome, note)`, run inside the completing transaction: the
callback writes a contact moment, the check call records the answer)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outcome:
    code: str
    label: object  # gettext_lazy


@dataclass(frozen=True)
class TaskKind:
    code: str  # stored in Task.kind, e.g. "terugbellen"
    label: object  # Dutch, gettext_lazy: "Terugbelverzoek"
    outcomes: tuple[Outcome, ...]
    is_call: bool = False  # attempts (bereikt / niet bereikt / voicemail) are logged
    # Default norm: made before `cutoff` → `days_before_cutoff` working days (0: the same day),
    # else `days_after_cutoff`. An organisation's TaskNorm row overrides it.
    cutoff: dt.time = dt.time(12, 0)
    days_before_cutoff: int = 0
    days_after_cutoff: int = 1
    on_complete: Callable | None = None
    # (task) → URL of what the task is about (the contact, the check, …), or "".
    source_link: Callable | None = None
    extra: dict = field(default_factory=dict)


_KINDS: dict[str, TaskKind] = {}


def register_kind(kind: TaskKind) -> TaskKind:
    known = _KINDS.get(kind.code)
    if known is not None and known != kind:
        raise ValueError(f"Two task kinds are called {kind.code!r}.")
    _KINDS[kind.code] = kind
    return kind


def get_kind(code: str) -> TaskKind:
    return _KINDS[code]


def kinds() -> dict[str, TaskKind]:
    return dict(_KINDS)
