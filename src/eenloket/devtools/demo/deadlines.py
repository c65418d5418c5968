"""Requests with a legal term in the demo (background 001, decision IX), at Gemeente Enschede:
a Wmo-melding whose term ends within a few working days (the sweep put a warning task in the
Wmo team's work list), a bezwaar extended yesterday with a delay-notice letter by post (named
contact person, reason, new date), an application that passed its term without a notice and
with an ingebrekestelling (a penalty runs), one late but announced, a suspended Wmo-aanvraag, a
Woo-verzoek, an AVG request (EU counting), a complaint about to pass (the team lead was told),
and three months of decided requests for the dashboard figures."""

import datetime as dt
import itertools

from django.contrib.auth.models import Group, Permission
from django.db.models import Max

from eenloket.core.audit import recorded_at
from eenloket.core.calendar import AMSTERDAM, is_working_day, working_day_end
from eenloket.core.models import Notification
from eenloket.core.terms import compute_due_date, parse_term
from eenloket.deadlines import services as deadline_services
from eenloket.deadlines.models import DelayNotice, RequestType
from eenloket.messaging.models import Message
from eenloket.organisations.models import Team

from .clock import _at_local, _working_days_before

SUBJECTS = {
    "aanvraag": [
        "Bijzondere bijstand voor een wasmachine",
        "Bijzondere bijstand voor tandartskosten",
        "Individuele inkomenstoeslag",
        "Kwijtschelding gemeentelijke belastingen",
        "Vergoeding kosten bewindvoering",
    ],
    "wmo-melding": [
        "Hulp bij het huishouden",
        "Scootmobiel om boodschappen te doen",
        "Traplift in een huurwoning",
        "Begeleiding na ziekenhuisopname",
    ],
    "wmo-aanvraag": ["Rolstoel voor buiten", "Woningaanpassing badkamer", "Dagbesteding"],
    "bezwaar": [
        "Bezwaar tegen terugvordering bijstand",
        "Bezwaar tegen afwijzing parkeervergunning",
        "Bezwaar tegen WOZ-waarde",
    ],
    "klacht": [
        "Klacht over bejegening aan de balie",
        "Klacht: niet teruggebeld",
        "Klacht over de afvalinzameling",
    ],
    "woo-verzoek": ["Woo-verzoek over de bouw van sporthal Zuid", "Woo-verzoek over parkeerbeleid"],
    "avg-inzage": ["Inzage in mijn gegevens bij de gemeente"],
}
TEAM_OF = {
    "aanvraag": "Werk en inkomen",
    "wmo-melding": "Wmo en jeugd",
    "wmo-aanvraag": "Wmo en jeugd",
    "bezwaar": "Kwaliteit en klachten",
    "klacht": "Kwaliteit en klachten",
    "woo-verzoek": "Kwaliteit en klachten",
    "avg-inzage": "Kwaliteit en klachten",
}
HANDLER_OF = {
    "Werk en inkomen": "enschede.casemanager",
    "Wmo en jeugd": "enschede.wmo",
    "Kwaliteit en klachten": "enschede.klachten",
}


def _received_for_due(code, due: dt.date, published=False) -> dt.date:
    """The first receipt date (for a bezwaar: publication date of the contested decision) whose
    legal due date is `due` or later."""
    rtype = RequestType.objects.get(organisation=None, code=code)
    length = (parse_term(rtype.term).after(due) - due).days + (42 if published else 0)
    day = due - dt.timedelta(days=length + 7)
    while True:
        start = compute_due_date(start=day, term="P6W").due_date if published else day
        if compute_due_date(start=start, term=rtype.term, regime=rtype.regime).due_date >= due:
            while not is_working_day(day):  # post is opened on working days
                day += dt.timedelta(days=1)
            return day
        day += dt.timedelta(days=1)


def _demo_deadlines(rng, municipalities, staff, adults, now) -> dict:
    enschede = municipalities["gemeente-enschede"]
    teams = {t.name: t for t in Team.objects.filter(organisation=enschede)}
    today = now.astimezone(AMSTERDAM).date()
    # Residents the other demo stories do not use first; a resident may have several requests.
    people = [r for r in adults if r.municipality_id == enschede.pk and r.street]
    people = itertools.cycle(people[40:] + people[:40])
    types = {t.code: t for t in RequestType.objects.filter(organisation=None)}

    def moment(day, hour=10):
        return min(_at_local(day, hour * 60 + rng.randint(0, 50)), now)

    def register(code, received, *, subject=None, resident=None, at=None, **extra):
        team = teams[TEAM_OF[code]]
        handler = staff[HANDLER_OF[team.name]]
        when = at or moment(received if is_working_day(received) else today)
        with recorded_at(when):
            return deadline_services.register(
                user=handler,
                organisation=enschede,
                request_type=types[code],
                subject=subject or rng.choice(SUBJECTS[code]),
                team=team,
                handler=handler,
                received_on=received,
                resident=resident if resident is not None else next(people),
                now=when,
                **extra,
            )

    # ---- three months of decided requests (the figures) --------------------------------------------
    history = 0
    first = today - dt.timedelta(days=98)
    for n in range(48):
        code = rng.choices(
            ["aanvraag", "wmo-melding", "wmo-aanvraag", "bezwaar", "klacht", "woo-verzoek"],
            weights=[14, 10, 6, 6, 8, 3],
        )[0]
        received = first + dt.timedelta(days=rng.randint(0, 40))
        while not is_working_day(received):
            received += dt.timedelta(days=1)
        extra = {}
        if code == "bezwaar":
            extra["decision_published_on"] = received - dt.timedelta(days=rng.randint(10, 35))
        request = register(code, received, **extra)
        handler = request.handler
        late = n % 9 == 4
        announced = late and n % 2 == 0
        if announced:
            notice_day = _working_days_before(request.due_date, 2)
            with recorded_at(moment(notice_day)):
                deadline_services.send_delay_notice(
                    user=handler,
                    request=request,
                    reason="Wij wachten nog op informatie van een andere organisatie.",
                    expected_on=request.due_date + dt.timedelta(days=14),
                    now=moment(notice_day),
                )
        total = (request.due_date - received).days
        decided = received + dt.timedelta(
            days=(total + rng.randint(3, 12)) if late else rng.randint(total // 3, total)
        )
        decided = min(decided, today - dt.timedelta(days=1))
        while not is_working_day(decided):
            decided -= dt.timedelta(days=1)
        decided = max(decided, received)
        with recorded_at(moment(decided, 15)):
            deadline_services.decide(
                user=handler,
                request=request,
                decided_on=decided,
                note="Besluit verstuurd.",
                now=moment(decided, 15),
            )
        history += 1

    # ---- open requests -----------------------------------------------------------------------------------
    in_three = working_day_end(now, 3).astimezone(AMSTERDAM).date()
    melding = register(
        "wmo-melding",
        _received_for_due("wmo-melding", in_three),
        subject="Hulp bij het huishouden na een heupoperatie",
    )

    # A bezwaar: its term would end within days; yesterday the team extended it by letter.
    post_resident = next(people)
    post_resident.preferred_channel = "post"
    post_resident.save(update_fields=["preferred_channel"])
    yesterday = _working_days_before(today, 1)
    bezwaar_due = working_day_end(now, 2).astimezone(AMSTERDAM).date()
    received = _received_for_due("bezwaar", bezwaar_due, published=True)
    bezwaar = register(
        "bezwaar",
        received + dt.timedelta(weeks=5),
        subject="Bezwaar tegen terugvordering bijzondere bijstand",
        resident=post_resident,
        decision_published_on=received,
        at=moment(yesterday - dt.timedelta(weeks=3)),
    )
    with recorded_at(moment(yesterday, 14)):
        extension = deadline_services.extend(
            user=bezwaar.handler,
            request=bezwaar,
            reason=(
                "De bezwaarcommissie wil u eerst horen. De hoorzitting is over drie weken. "
                "Daarna beslissen wij."
            ),
            now=moment(yesterday, 14),
        )

    # An application that passed its term without a notice; the resident sent an
    # ingebrekestelling, so a penalty runs (Awb 4:17).
    late_due = _working_days_before(today, 15)
    late = register(
        "aanvraag",
        _received_for_due("aanvraag", late_due),
        subject="Bijzondere bijstand voor een koelkast",
    )
    default_on = late.due_date + dt.timedelta(days=2)
    while not is_working_day(default_on):
        default_on += dt.timedelta(days=1)
    with recorded_at(moment(default_on)):
        deadline_services.record_default_notice(
            user=late.handler, request=late, received_on=default_on, now=moment(default_on)
        )

    # Late, but the resident was told in time that it takes longer (Awb 4:14).
    announced_due = _working_days_before(today, 3)
    announced = register(
        "aanvraag",
        _received_for_due("aanvraag", announced_due),
        subject="Individuele inkomenstoeslag",
    )
    notice_day = _working_days_before(announced.due_date, 2)
    with recorded_at(moment(notice_day)):
        deadline_services.send_delay_notice(
            user=announced.handler,
            request=announced,
            reason="Uw bankafschriften van drie maanden zijn nog niet compleet bekeken.",
            expected_on=today + dt.timedelta(days=7),
            now=moment(notice_day),
        )

    # Suspended: the resident was asked to send a medical statement (Awb 4:15).
    asked = _working_days_before(today, 2)
    suspended = register(
        "wmo-aanvraag",
        _working_days_before(today, 5),
        subject="Rolstoel voor buiten",
    )
    with recorded_at(moment(asked)):
        deadline_services.suspend(
            user=suspended.handler,
            request=suspended,
            starts_on=asked,
            reason="Wij wachten op een verklaring van de huisarts.",
            now=moment(asked),
        )

    woo = register("woo-verzoek", _working_days_before(today, 4))
    avg = register("avg-inzage", _working_days_before(today, 6))
    complaint = register(
        "klacht",
        _received_for_due("klacht", working_day_end(now, 1).astimezone(AMSTERDAM).date()),
        subject="Klacht: twee keer niet teruggebeld",
    )
    for _n in range(5):
        register(
            rng.choice(["aanvraag", "wmo-melding", "klacht"]),
            today - dt.timedelta(days=rng.randint(3, 20)),
        )

    # The application manager who keeps the days equated with a holiday (for the whole country).
    keepers, _ = Group.objects.get_or_create(name="Beheer feestdagen (landelijk)")
    keepers.permissions.add(Permission.objects.get(codename="add_equatedday"))
    keepers.permissions.add(Permission.objects.get(codename="delete_equatedday"))
    staff["enschede.beheer"].groups.add(keepers)

    # The sweep as it runs every half hour, last during office hours: warning tasks and the
    # team lead's notifications.
    local = now.astimezone(AMSTERDAM)
    if is_working_day(local.date()) and local.time() >= dt.time(8, 45):
        sweep_at = min(now, _at_local(local.date(), 16 * 60 + 45))
    else:
        sweep_at = _at_local(_working_days_before(local.date(), 1), 16 * 60 + 45)
    mark = Notification.objects.aggregate(last=Max("id"))["last"] or 0
    deadline_services.warn_and_escalate(sweep_at)
    Notification.objects.filter(id__gt=mark).update(created_at=sweep_at)
    for notice in DelayNotice.objects.exclude(message=None):
        Message.objects.filter(pk=notice.message_id).update(created_at=notice.sent_at)
    return {
        "requests": history + 14,
        "warned": melding.reference,
        "extended": bezwaar.reference,
        "extension_letter": extension.notice.message_id,
        "late": late.reference,
        "announced": announced.reference,
        "suspended": suspended.reference,
        "woo": woo.reference,
        "avg": avg.reference,
        "complaint": complaint.reference,
    }
