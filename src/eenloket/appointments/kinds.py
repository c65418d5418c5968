"""The task kind of appointments (worklist/kinds.py): "afspraak regelen", made when a resident
needs support that no free, trained employee can give in the coming weeks and asks to be
called to arrange it (decision VIII: never booked silently without the need met)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from eenloket.worklist.kinds import Outcome, TaskKind, register_kind

ARRANGE = "afspraak-regelen"

register_kind(
    TaskKind(
        code=ARRANGE,
        label=_("Afspraak regelen met ondersteuning"),
        outcomes=(
            Outcome("afspraak-gemaakt", _("Afspraak gemaakt")),
            Outcome("anders-geholpen", _("Op een andere manier geholpen")),
            Outcome("niet-bereikt", _("Inwoner niet bereikt")),
        ),
        is_call=True,
        cutoff=dt.time(12, 0),
        days_before_cutoff=1,
        days_after_cutoff=2,
    )
)
