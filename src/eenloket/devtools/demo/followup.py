"""Nobody lets go (issue 10) in the demo: callback tasks due today and one overdue, letters with a
named contact person (and one under an exemption, for a resident with a bewindvoerder), "bent u
geholpen?" (a month of answers for the figures, a "nee" that became a follow-up task, a call task
for a resident who prefers the phone, and one open question with a working link), and a message
that failed three times. Everything through the services, moved to a plausible moment after."""

import datetime as dt

from django.conf import settings
from django.db.models import Max
from django.test import override_settings

from eenloket.contacts import services as contact_services
from eenloket.contacts.models import Channel, ContactMoment, Outcome
from eenloket.core.audit import recorded_at
from eenloket.core.calendar import AMSTERDAM, is_working_day
from eenloket.core.models import Notification
from eenloket.helped import services as helped_services
from eenloket.helped import tokens
from eenloket.helped.models import AskChannel, CheckState, HelpedCheck
from eenloket.messaging import outbox
from eenloket.messaging import services as messaging_services
from eenloket.messaging.models import Message
from eenloket.organisations.models import Location, Team
from eenloket.residents import services as resident_services
from eenloket.residents.models import PreferredChannel, RepresentativeKind, RepresentativeScope
from eenloket.worklist import services as task_services
from eenloket.worklist.kinds import get_kind
from eenloket.worklist.models import Task, TaskAttempt, TaskState

from .clock import _at_local, _working_days_before

CALLBACK_QUESTIONS = [
    (
        "Mijn bijzondere bijstand voor de wasmachine is nog niet betaald.",
        "Collega van Werk en inkomen kijkt naar de betaling en belt terug.",
        "Werk en inkomen",
    ),
    (
        "Ik heb een brief over de Wmo gekregen die ik niet begrijp.",
        "Wmo-consulent belt terug om de brief samen door te lopen.",
        "Wmo en jeugd",
    ),
    (
        "Kan mijn afspraak voor een nieuw paspoort eerder?",
        "Publiekszaken belt terug als er een plek vrijkomt.",
        "Publiekszaken",
    ),
]
OVERDUE_QUESTION = (
    "Ik krijg steeds aanmaningen van de gemeente, maar ik heb een regeling.",
    "Terugbelverzoek voor Schuldhulpverlening: regeling nakijken.",
    "Schuldhulpverlening",
)


def _move(task, created, *, due=None):
    """A task made by the services now, moved to when it was asked (its due time recomputed)."""
    due = due or task_services.due_for(get_kind(task.kind), task.organisation, created)
    Task.objects.filter(pk=task.pk).update(created_at=created, due_at=due)
    Message.objects.filter(cause_type="task", cause_id=str(task.uuid)).update(created_at=created)
    task.created_at, task.due_at = created, due
    return task


def _callback(rng, *, user, resident, question, answer, team, asked, location=None):
    contact = ContactMoment.objects.create(
        organisation=team.organisation,
        location=location,
        staff=user,
        resident=resident,
        channel=Channel.PHONE,
        question=question,
        answer=answer,
        outcome=Outcome.CALLBACK,
        started_at=asked - dt.timedelta(minutes=rng.randint(4, 9)),
        ended_at=asked,
    )
    ContactMoment.objects.filter(pk=contact.pk).update(created_at=asked)
    with recorded_at(asked):
        task = contact_services.request_callback(
            user=user, contact=contact, team=team, phone=resident.phone, note=answer
        )
    return _move(task, asked)


def _demo_followup(rng, story, municipalities, staff, adults, now) -> dict:
    enschede = municipalities["gemeente-enschede"]
    maastricht = municipalities["gemeente-maastricht"]
    teams = {t.name: t for t in Team.objects.filter(organisation=enschede)}
    local = now.astimezone(AMSTERDAM)
    today = local.date()
    last = today if is_working_day(today) else _working_days_before(today, 1)
    in_enschede = [r for r in adults if r.municipality_id == enschede.pk]
    used = {story["fatima"].resident_id}
    for key in ("wia", "cak", "svb", "consult"):
        used.add(story[key].resident_id)

    def pick(*, prefers=None, email=None, where=in_enschede):
        for resident in where:
            if resident.pk in used:
                continue
            if prefers and resident.preferred_channel != prefers:
                continue
            if email is not None and bool(resident.email) != email:
                continue
            used.add(resident.pk)
            return resident
        # A small demo (fewer residents): make an unused one fit.
        resident = next((r for r in where if r.pk not in used), where[0])
        used.add(resident.pk)
        if prefers:
            resident.preferred_channel = prefers
        if email and not resident.email:
            resident.email = f"{resident.given_names.lower()}.{resident.pk}@example.nl"
        resident.save(update_fields=["preferred_channel", "email"])
        return resident

    # ---- callback requests ------------------------------------------------------------------------
    kcc = staff["enschede.kcc"]
    fatima_call = ContactMoment.objects.get(uuid=story["callback"].uuid)
    with recorded_at(fatima_call.ended_at):
        fatima_task = contact_services.request_callback(
            user=kcc,
            contact=fatima_call,
            team=teams["Contactcentrum"],
            phone=fatima_call.resident.phone,
            note="Vraagt om een betalingsregeling voor de aanslag gemeentelijke belastingen. "
            "Eerst navragen bij Belastingen wat kan.",
        )
    _move(fatima_task, fatima_call.ended_at)
    # Asked this morning (or, on a day off, on the last working day): due today (or next).
    if is_working_day(today):
        asked = min(now - dt.timedelta(minutes=20), _at_local(today, 11 * 60))
    else:
        asked = _at_local(last, 15 * 60 + 10)
    for i, (question, answer, team_name) in enumerate(CALLBACK_QUESTIONS):
        # The first one prefers letters: the confirmation is a letter with a named employee.
        resident = pick(prefers=PreferredChannel.POST) if i == 0 else pick()
        _callback(
            rng,
            user=kcc,
            resident=resident,
            question=question,
            answer=answer,
            team=teams[team_name],
            asked=asked - dt.timedelta(minutes=37 * i),
        )
    # One overdue: asked two working days ago, one try without reaching her; the team lead hears
    # of it through the escalation sweep.
    earlier = _at_local(_working_days_before(last, 2), 10 * 60 + 15)
    question, answer, team_name = OVERDUE_QUESTION
    overdue = _callback(
        rng,
        user=kcc,
        resident=pick(),
        question=question,
        answer=answer,
        team=teams[team_name],
        asked=earlier,
    )
    attempt = task_services.log_attempt(
        user=staff["enschede.schulden"],
        task=overdue,
        result=TaskAttempt.Result.NOT_REACHED,
        note="Geen gehoor, geen voicemail.",
    )
    TaskAttempt.objects.filter(pk=attempt.pk).update(at=earlier + dt.timedelta(hours=3))
    mark = Notification.objects.aggregate(last=Max("id"))["last"] or 0
    task_services.escalate_overdue(now)
    # The sweep saw it at the end of that day (it runs every few minutes).
    Notification.objects.filter(id__gt=mark).update(created_at=overdue.due_at)
    Task.objects.filter(pk=overdue.pk).update(escalated_at=overdue.due_at)
    # Maastricht has its own work too.
    m_teams = {t.name: t for t in Team.objects.filter(organisation=maastricht)}
    in_maastricht = [r for r in adults if r.municipality_id == maastricht.pk]
    _callback(
        rng,
        user=staff["maastricht.kcc"],
        resident=pick(where=in_maastricht),
        question="Wanneer wordt mijn huishoudelijke hulp weer ingepland?",
        answer="Wmo-consulent belt terug over de planning.",
        team=m_teams["Wmo en jeugd"],
        asked=asked - dt.timedelta(minutes=12),
    )

    # ---- a resident in debt with a bewindvoerder; a debt counsellor who is not named ---------------
    schulden = staff["enschede.schulden"]
    debtor = pick(prefers=PreferredChannel.POST)
    with recorded_at(asked - dt.timedelta(minutes=100)):
        _bewindvoerder(schulden, debtor, today)
    messaging_services.record_exemption(
        user=staff["enschede.beheer"],
        organisation=enschede,
        employee=schulden,
        reason="Veiligheid: bedreigd na een beslaglegging. Haar naam staat niet op brieven.",
    )
    _callback(
        rng,
        user=schulden,
        resident=debtor,
        question="Er ligt beslag op mijn loon en ik kan de huur niet betalen.",
        answer="Schuldhulpverlening belt terug over een noodregeling; bewindvoerder op de hoogte.",
        team=teams["Schuldhulpverlening"],
        asked=asked - dt.timedelta(minutes=90),
    )

    # ---- "bent u geholpen?" -----------------------------------------------------------------------
    link = _demo_helped(rng, enschede, staff, in_enschede, used, pick, now, today)

    # ---- one message that failed three times ------------------------------------------------------
    dead = _dead_letter(enschede, pick(prefers=PreferredChannel.EMAIL, email=True), now)
    return {"answer_link": link, "dead_letter": dead}


def _bewindvoerder(schulden, debtor, today):
    resident_services.record_representative(
        user=schulden,
        resident=debtor,
        kind=RepresentativeKind.BEWINDVOERDER,
        name="Jeroen Scholten",
        organisation_name="Scholten Bewindvoering",
        street="Deurningerstraat",
        house_number="41",
        postcode="7514BC",
        city="Enschede",
        email="post@scholtenbewindvoering.nl",
        phone="+31534306120",
        scope=RepresentativeScope.BOTH,
        subject="geldzaken (beschermingsbewind)",
        valid_from=today - dt.timedelta(days=412),
        valid_until=None,
    )


def _demo_helped(rng, enschede, staff, in_enschede, used, pick, now, today) -> str:
    """A month of answers (history for the figures), then three fresh checks through the services:
    a "nee" with its follow-up task, a call task, and an open question whose link the demo prints."""
    helped_services.schedule_checks(now)
    history = list(
        HelpedCheck.objects.filter(state=CheckState.SCHEDULED, scheduled_for__lte=now)
        .select_related("resident", "location")
        .order_by("scheduled_for", "id")
    )
    follow_ups = []
    for check in history:
        channel = helped_services.choose_channel(check.resident) or AskChannel.CALL
        asked = check.scheduled_for
        check.channel, check.sent_at = channel, asked
        roll = rng.random()
        # Residents value an agency's service at the town hall higher (background 002).
        at_town_hall = check.location is not None and check.organisation_id != enschede.pk
        if roll < 0.08 and channel != AskChannel.CALL:
            check.state = CheckState.NO_ANSWER
        else:
            helped = roll > (0.12 if not at_town_hall else 0.18) or at_town_hall
            check.state = CheckState.HELPED if helped else CheckState.NOT_HELPED
            check.helped = helped
            check.answered_at = asked + dt.timedelta(hours=rng.randint(1, 30))
            check.answered_via = channel
            check.used_at = check.answered_at if channel != AskChannel.CALL else None
            if rng.random() < 0.7:
                check.rating = (
                    rng.choice([4, 5, 5])
                    if at_town_hall
                    else rng.choice([2, 3, 4, 4, 5])
                    if helped
                    else rng.choice([1, 2, 2, 3])
                )
        if check.state in (CheckState.NOT_HELPED, CheckState.NO_ANSWER):
            done = (check.answered_at or asked) + dt.timedelta(days=1, hours=rng.randint(0, 6))
            follow_ups.append(
                (
                    check,
                    Task(
                        kind=helped_services.KIND_FOLLOW_UP,
                        organisation_id=check.organisation_id,
                        team_id=check.team_id,
                        resident_id=check.resident_id,
                        title="Opvolgen: inwoner zegt niet geholpen te zijn"
                        if check.state == CheckState.NOT_HELPED
                        else "Opvolgen: geen antwoord op de vraag",
                        state=TaskState.DONE,
                        due_at=done,
                        created_at=check.answered_at or asked,
                        completed_at=done,
                        outcome="alsnog-geholpen",
                        source_type=helped_services.TASK_SOURCE,
                        source_id=str(check.uuid),
                    ),
                )
            )
    Task.objects.bulk_create([task for _, task in follow_ups])
    for check, task in follow_ups:
        check.follow_up_task = task
    HelpedCheck.objects.bulk_update(
        history,
        [
            "channel",
            "sent_at",
            "state",
            "helped",
            "rating",
            "answered_at",
            "answered_via",
            "used_at",
            "follow_up_task",
        ],
        batch_size=200,
    )

    # Three residents without a recent question, each with a contact at the counter last week.
    asked_lately = set(
        HelpedCheck.objects.filter(scheduled_for__gte=now - dt.timedelta(days=30)).values_list(
            "resident_id", flat=True
        )
    )
    used |= asked_lately
    balie = staff["enschede.balie"]
    stadhuis = Location.objects.filter(organisation=enschede).order_by("id").first()
    contact_day = _at_local(_working_days_before(today, 3), 10 * 60 + 40)
    fresh = {
        "nee": pick(prefers=PreferredChannel.EMAIL, email=True),
        "call": pick(prefers=PreferredChannel.PHONE),
        "open": pick(prefers=PreferredChannel.EMAIL, email=True),
    }
    questions = {
        "nee": "Ik heb bijzondere bijstand aangevraagd voor een bril. Hoe lang duurt dat?",
        "call": "Hoe vraag ik een parkeervergunning voor gehandicapten aan?",
        "open": "Ik wil mijn nieuwe adres doorgeven.",
    }
    rows = {}
    for i, (key, resident) in enumerate(fresh.items()):
        start = contact_day + dt.timedelta(minutes=25 * i)
        row = ContactMoment.objects.create(
            organisation=enschede,
            location=stadhuis,
            staff=balie,
            resident=resident,
            channel=Channel.DESK,
            question=questions[key],
            answer="Uitgelegd wat de inwoner kan doen en wat er nu gebeurt.",
            outcome=Outcome.ANSWERED,
            started_at=start,
            ended_at=start + dt.timedelta(minutes=9),
        )
        ContactMoment.objects.filter(pk=row.pk).update(created_at=row.ended_at)
        rows[key] = row
    helped_services.schedule_checks(now)
    asked_at = helped_services.send_time(contact_day, settings.HELPED_CHECK_DELAY_WORKING_DAYS)
    with recorded_at(asked_at):
        helped_services.send_due_checks(now)
    checks = {key: HelpedCheck.objects.get(contact=row) for key, row in rows.items()}
    answered = min(asked_at + dt.timedelta(hours=3), now)
    with recorded_at(answered):
        helped_services.answer_by_link(
            token=tokens.make_token(checks["nee"]),
            helped=False,
            rating=2,
            comment="Ik heb nog steeds niets gehoord over mijn aanvraag. Ik heb de bril echt "
            "nodig.",
            now=answered,
        )
    return settings.HELPED_CHECK_BASE_URL.rstrip("/") + tokens.answer_path(checks["open"])


def _dead_letter(enschede, resident, now) -> str:
    """An e-mail the mail server never took: three attempts, then the dead-letter list."""
    start = now - dt.timedelta(hours=3)
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=9,  # discard: nothing listens, the connection is refused
        MESSAGING_EMAIL_VIA="smtp",
        MESSAGING_MAX_ATTEMPTS=3,
        MESSAGING_DELIVER_ON_COMMIT=False,
        MESSAGING_SEND_TIMEOUT_SECONDS=2,
    ):
        message = outbox.enqueue(
            organisation=enschede,
            channel="email",
            resident=resident,
            recipient_name=resident.full_name,
            to=resident.email,
            subject="Wij bellen u terug",
            body=f"Beste {resident.full_name},\n\nU vroeg ons om u terug te bellen over uw "
            "afvalcontainer. Wij bellen u vóór morgen 17:00 uur.\n\n"
            "Meer informatie: https://www.enschede.nl/afval\n\nGemeente Enschede",
            now=start,
        )
        for minutes in (0, 5, 30):
            outbox.deliver_due(start + dt.timedelta(minutes=minutes), only=[message.pk])
    Message.objects.filter(pk=message.pk).update(created_at=start)
    message.refresh_from_db()
    return message.state
