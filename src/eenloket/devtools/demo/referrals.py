"""Referrals, live consults and duties in the demo, each step through the referral services
at the moment it plausibly happened."""

import datetime as dt

from django.db.models import Max

from eenloket.catalogue.models import RoutingOutcome
from eenloket.core.audit import recorded_at
from eenloket.core.calendar import AMSTERDAM, add_working_days, is_working_day
from eenloket.core.models import Notification
from eenloket.referrals import services as referral_services
from eenloket.referrals.models import LiveConsult, Referral, ReferralEvent

from .clock import _at_local, _morning, _working_days_after
from .data import COUNSELLOR_TOPICS


def _backdate(referral, when):
    """Move a demo referral (and its history) back in time, with its norms recomputed."""
    accept_days, contact_days = referral_services.norm_for(referral.to_organisation)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=when,
        updated_at=when,
        accept_due_at=add_working_days(when, accept_days),
        contact_due_at=add_working_days(when, contact_days),
    )
    for n, event in enumerate(referral.events.order_by("at", "id")):
        ReferralEvent.objects.filter(pk=event.pk).update(at=when + dt.timedelta(hours=2 * n))


STAMPS = ("accepted_at", "contacted_at", "closed_at")


def _last_id(model) -> int:
    return model.objects.aggregate(last=Max("id"))["last"] or 0


def _at(when, step, /, **kwargs):
    """Take a step through its service as if at `when`: the services stamp the present moment,
    so the referral's times, its history, the notifications, the access-log rows and the routing
    lessons the step wrote are set to `when` afterwards (the demo shows a plausible past, not
    load time)."""
    marks = {model: _last_id(model) for model in (ReferralEvent, Notification, RoutingOutcome)}
    referral = kwargs.get("referral")
    before = Referral.objects.values(*STAMPS).get(pk=referral.pk) if referral else {}
    with recorded_at(when):
        result = step(**kwargs)
    ReferralEvent.objects.filter(id__gt=marks[ReferralEvent]).update(at=when)
    Notification.objects.filter(id__gt=marks[Notification]).update(created_at=when)
    RoutingOutcome.objects.filter(id__gt=marks[RoutingOutcome]).update(created_at=when)
    if referral is not None:
        after = Referral.objects.values(*STAMPS).get(pk=referral.pk)
        changed = {name: when for name in STAMPS if after[name] != before[name]}
        Referral.objects.filter(pk=referral.pk).update(updated_at=when, **changed)
    elif isinstance(result, Referral):
        _backdate(result, when)
        result.refresh_from_db()
    return result


def _demo_referrals(rng, story, national, municipal_locations, now, users):
    """Referrals in every state, an overdue one escalated, social counsellor referrals over the
    past year, colleagues on duty and an earlier live consult. Every step goes through the
    referral services, at the moment it plausibly happened (`_at`)."""
    balie = users["enschede.balie"]
    uwv_staff = users["uwv.medewerker"]
    shared = ["naam-en-contactgegevens", "vraag", "besproken"]

    def refer(contact, to, reason, staff=balie, **extra):
        return _at(
            contact.ended_at + dt.timedelta(minutes=rng.randint(2, 6)),
            referral_services.create_referral,
            user=staff,
            contact=contact,
            to_organisation=national[to],
            reason=reason,
            discussed=extra.pop("discussed", "Situatie samen doorgenomen aan de balie."),
            consent_given=True,
            shared=shared,
            preferred_channel=extra.pop("channel", "telefoon"),
            **extra,
        )

    def office(day, first, last):
        """A moment on `day` between `first` and `last` o'clock (local)."""
        return _at_local(day, rng.randint(first * 60, last * 60 - 1), rng.randint(0, 59))

    def day_of(moment):
        return moment.astimezone(AMSTERDAM).date()

    # New for UWV: the walkthrough's referral of Fatima Yilmaz (the working day before the last).
    refer(
        story["fatima"],
        "uwv",
        "Inwoner is haar baan kwijt en de WW-aanvraag online lukt niet.",
        service=story["ww_service"],
    )
    # Helped, with feedback the referrer sees in her list.
    helped = refer(story["wia"], "uwv", "Vragen over de hoogte van de WIA-uitkering.")
    accepted = office(_working_days_after(day_of(helped.created_at), 1), 9, 11)
    _at(accepted, referral_services.accept, user=uwv_staff, referral=helped)
    _at(
        accepted + dt.timedelta(minutes=rng.randint(40, 120)),
        referral_services.mark_contacted,
        user=uwv_staff,
        referral=helped,
        note="Gebeld, afspraak gemaakt.",
    )
    _at(
        office(_working_days_after(day_of(accepted), 3), 10, 16),
        referral_services.mark_helped,
        user=uwv_staff,
        referral=helped,
        feedback="WIA-besluit samen doorgenomen; herberekening aangevraagd.",
    )
    # Returned: wrong place, waiting to be referred again.
    returned = refer(story["cak"], "cak", "Vraag over een rekening voor huishoudelijke hulp.")
    _at(
        office(_working_days_after(day_of(returned.created_at), 1), 9, 12),
        referral_services.return_referral,
        user=users["cak.medewerker"],
        referral=returned,
        reason="Deze rekening is van de gemeente (Wmo), niet van het CAK.",
    )
    # Overdue at SVB: sent a week ago, not yet accepted → escalated to SVB's team lead (below).
    refer(story["svb"], "svb", "AOW-aanvraag: inwoner heeft in Duitsland gewerkt.")
    # Social counsellor referrals over the past year (the yearly count per municipality): the
    # intake accepts them the next working day and reports back a few days later.
    intake = users["raadslieden.medewerker"]
    for contact, staff in story["counsellor"]:
        referral = _at(
            contact.ended_at + dt.timedelta(minutes=rng.randint(2, 6)),
            referral_services.create_referral,
            user=staff,
            contact=contact,
            to_organisation=national["sociaal-raadslieden"],
            kind="sociaal-raadslieden",
            reason=COUNSELLOR_TOPICS[contact.question],
            consent_given=True,
            shared=shared,
            preferred_channel="telefoon",
        )
        accepted = office(_working_days_after(day_of(contact.started_at), 1), 9, 12)
        if accepted > now:
            continue
        _at(accepted, referral_services.accept, user=intake, referral=referral)
        helped_at = office(_working_days_after(day_of(accepted), rng.randint(2, 6)), 10, 16)
        if helped_at <= now:
            _at(
                helped_at,
                referral_services.mark_helped,
                user=intake,
                referral=referral,
                feedback="Inwoner is langs geweest; bezwaar samen opgesteld.",
            )
        elif accepted + dt.timedelta(hours=2) <= now:
            _at(
                accepted + dt.timedelta(minutes=rng.randint(30, 120)),
                referral_services.mark_contacted,
                user=intake,
                referral=referral,
                note="Gebeld; afspraak op het spreekuur gemaakt.",
            )
    # What became overdue was noticed by the sweeps on the first requests of the next working
    # morning (in production Celery beat runs them every few minutes).
    today = now.astimezone(AMSTERDAM).date()
    day = today - dt.timedelta(days=21)
    while day <= today:
        moment = _morning(rng, day)
        if is_working_day(day) and moment <= now:
            _at(moment, referral_services.escalate_overdue, now=moment)
        day += dt.timedelta(days=1)

    # On duty at the town hall: UWV present, Juridisch Loket by phone. Until the end of the day,
    # or at least 12 hours from now so that a demo started in the evening still has them.
    stadhuis = municipal_locations["gemeente-enschede"][0]
    end_of_day = dt.datetime.combine(today, dt.time(23, 59, 59), tzinfo=AMSTERDAM)
    until = min(max(end_of_day, now + dt.timedelta(hours=12)), now + dt.timedelta(hours=23))
    referral_services.start_duty(user=uwv_staff, location=stadhuis, until=until)
    referral_services.start_duty(
        user=users["juridisch-loket.medewerker"],
        location=stadhuis,
        reachable="telefoon",
        until=until,
    )
    # An earlier live consult: a UWV colleague came over to the desk two working days ago.
    contact = story["consult"]
    asked = contact.started_at + dt.timedelta(minutes=rng.randint(3, 6))
    earlier = LiveConsult.objects.create(
        contact=contact,
        requester=balie,
        location=stadhuis,
        to_organisation=national["uwv"],
        question="Inwoner wil weten of WW en bijstand samen kan.",
        state="aangenomen",
        accepted_by=uwv_staff,
        accepted_at=asked + dt.timedelta(minutes=2),
        expires_at=asked + dt.timedelta(minutes=5),
        closed_at=asked + dt.timedelta(minutes=25),
    )
    LiveConsult.objects.filter(pk=earlier.pk).update(created_at=asked)
