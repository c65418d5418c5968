"""State machines as tables (DESIGN.md: "State machines are tables"). An app declares each of
its machines once, as a `Machine` of `Step` rows: the action, the states it may be taken from, the
state it leads to, who may take it (the app's parties, plus `SYSTEM` for sweeps), the Dutch label
(the button text) and the slug of its button. The services check a step with `Machine.check`;
the buttons (`slugs`), the API's `available_actions` (`available_actions`) and the work lists
(`open_states`, `final_states`) come from the same table. See referrals/states.py."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

SYSTEM = "system"  # a sweep


@dataclass(frozen=True)
class Step:
    action: str  # the service's and the API's name of the step (API path: …/<action>/)
    sources: frozenset  # states it may be taken from
    target: str | None  # the state it leads to; None: the state stays (who holds it changes)
    by: frozenset  # who may take it
    label: object  # Dutch button text (gettext_lazy)
    slug: str = ""  # the button's URL slug on the screens ("" for the system)
    event: str = ""  # the ReferralEvent action written (referrals)
    # PermissionDenied text when the user is none of `by` (default: the machine's per party).
    forbidden: object = None
    # ValidationError text when the state does not fit (default: the machine's, with label).
    stale: object = None
    # Extra condition for offering the button (the service says why not, with its own text).
    offer: Callable | None = None


def step(action, sources, target, by, label, slug="", **extra) -> Step:
    return Step(action, frozenset(sources), target, frozenset(by), label, slug, **extra)


class Machine:
    def __init__(self, *, name, states, steps, forbidden, stale, code):
        self.name = name
        self.states = states
        self.steps = tuple(steps)
        self._forbidden = forbidden  # party → PermissionDenied text
        self._stale = stale  # ValidationError text, with %(action)s and %(state)s
        self.code = code
        unknown = {s for st in self.steps for s in st.sources | {st.target} if s} - set(
            states.values
        )
        if unknown:
            raise ValueError(f"{name}: unknown states {sorted(unknown)}")

    @property
    def actions(self) -> tuple[str, ...]:
        """The actions (API steps), in table order."""
        return tuple(dict.fromkeys(st.action for st in self.steps))

    @property
    def person_actions(self) -> tuple[str, ...]:
        """The actions people take (the system's own steps, such as expiry, left out)."""
        return tuple(a for a in self.actions if any(st.by - {SYSTEM} for st in self.rows(a)))

    def rows(self, action) -> tuple[Step, ...]:
        rows = tuple(st for st in self.steps if st.action == action)
        if not rows:
            raise KeyError(action)
        return rows

    def sources(self, action, party=None) -> frozenset:
        """The states `action` may be taken from (by `party`)."""
        return frozenset().union(
            *(st.sources for st in self.rows(action) if party is None or party in st.by)
        )

    @property
    def open_states(self) -> frozenset:
        """States some person can still take a step from (the system's own steps left out)."""
        return frozenset().union(*(st.sources for st in self.steps if st.by - {SYSTEM}))

    @property
    def final_states(self) -> frozenset:
        return frozenset(self.states.values) - self.open_states

    def row_for(self, action, state, parties: Iterable[str]) -> Step | None:
        """The row that is taken: the first of `action` for one of `parties` from `state`."""
        parties = frozenset(parties)
        return next(
            (st for st in self.rows(action) if st.by & parties and state in st.sources), None
        )

    def authorise(self, action, parties: Iterable[str]) -> list[Step]:
        """The rows of `action` for someone who is `parties` (in any state); PermissionDenied
        when there are none."""
        parties = frozenset(parties)
        rows = self.rows(action)
        theirs = [st for st in rows if st.by & parties]
        if not theirs:
            first = rows[0]
            message = first.forbidden or self._forbidden[sorted(first.by)[0]]
            raise PermissionDenied(str(message))
        return theirs

    def check(self, action, state, parties: Iterable[str]) -> Step:
        """The row `action` takes from `state` for someone who is `parties`; else refused:
        PermissionDenied when none of the rows is for them, ValidationError when the state does
        not fit."""
        theirs = self.authorise(action, parties)
        taken = self.row_for(action, state, parties)
        if taken is not None:
            return taken
        first = theirs[0]
        if first.stale:
            message = str(first.stale)
        else:
            message = str(self._stale) % {
                "action": first.label,
                "state": self.states(state).label,
            }
        raise ValidationError(message, code=self.code)

    def available(self, state, parties: Iterable[str], obj=None) -> list[Step]:
        """The rows this person can take now, one per action: what `check` would take."""
        parties = frozenset(parties)
        rows = (self.row_for(action, state, parties) for action in self.actions)
        return [st for st in rows if st is not None and (st.offer is None or st.offer(obj))]

    def available_actions(self, state, parties, obj=None) -> list[str]:
        return [st.action for st in self.available(state, parties, obj)]

    def slugs(self, state, parties, obj=None) -> set[str]:
        """The buttons on the screens."""
        return {st.slug for st in self.available(state, parties, obj) if st.slug}
