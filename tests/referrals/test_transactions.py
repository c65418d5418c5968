"""Side effects in the transaction (DESIGN.md): a notification, a routing outcome or an
access-log row is written with the change it belongs to, or not at all. PostgreSQL itself makes
one insert fail (a trigger that raises): the service fails, and afterwards nothing of the step
is left: not the new state, not the event, not the side effects written before the failure."""

import datetime as dt
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
import time_machine
from django.db import DatabaseError, connection
from django.forms.models import model_to_dict
from django.urls import reverse

from eenloket.catalogue.models import RoutingOutcome
from eenloket.core.models import AccessLog, Notification
from eenloket.core.roles import Role
from eenloket.referrals import services
from eenloket.referrals.models import (
    ConsultState,
    Escalation,
    LiveConsult,
    Referral,
    ReferralEvent,
    ReferralState,
)

from ..factories import ContactMomentFactory, ResidentFactory, ServiceFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db
S = ReferralState
NOW = dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC)  # a Wednesday, no public holiday


@contextmanager
def inserts_fail(table):
    """Every INSERT into `table` fails in PostgreSQL while this runs."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION test_refuse_insert() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RAISE EXCEPTION 'insert into % refused by the test', TG_TABLE_NAME; "
            "END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER test_refuse_insert BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_insert()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER test_refuse_insert ON {table}")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def w(enschede, uwv, maastricht, enschede_location, counter_enschede):
    team = TeamFactory(organisation=uwv, name="Werk en inkomen")
    contact = ContactMomentFactory(
        organisation=enschede,
        staff=counter_enschede,
        resident=ResidentFactory(),
        location=enschede_location,
        question="Ik ben mijn baan kwijt en wil een WW-uitkering aanvragen",
    )
    return SimpleNamespace(
        uwv=uwv,
        maastricht=maastricht,
        location=enschede_location,
        team=team,
        contact=contact,
        sender=counter_enschede,
        receiver=staff(uwv, Role.MEDEWERKER_UITVOERING, team=team, username="uwv.1"),
        receiver2=staff(uwv, Role.MEDEWERKER_UITVOERING, team=team, username="uwv.2"),
        lead=staff(uwv, Role.TEAMLEIDER, team=team, username="uwv.lead"),
        ww=ServiceFactory(organisation_type="uwv", name="WW-uitkering"),
    )


def send(w) -> Referral:
    return services.create_referral(
        user=w.sender,
        contact=w.contact,
        to_organisation=w.uwv,
        to_team=w.team,
        reason="Hulp bij de WW.",
        preferred_channel="telefoon",
    )


def everything() -> dict:
    """Every row a step may write or change."""
    return {
        "referrals": [model_to_dict(r) for r in Referral.objects.order_by("pk")],
        "consults": [model_to_dict(c) for c in LiveConsult.objects.order_by("pk")],
        "events": ReferralEvent.objects.count(),
        "escalations": Escalation.objects.count(),
        "notifications": Notification.objects.count(),
        "outcomes": RoutingOutcome.objects.count(),
        "access_log": AccessLog.objects.count(),
    }


def accepted(w) -> Referral:
    return services.accept(user=w.receiver, referral=send(w))


def sent_and_claimed(w) -> Referral:
    referral = send(w)
    services.claim(user=w.receiver, referral=referral)
    return referral


# (prepare, step): each step writes one or more notifications after its change.
NOTIFYING_STEPS = {
    "accept": (send, lambda w, r: services.accept(user=w.receiver, referral=r)),
    "assign": (
        send,
        lambda w, r: services.assign(user=w.receiver, referral=r, to_user=w.receiver2),
    ),
    "return": (
        send,
        lambda w, r: services.return_referral(user=w.receiver, referral=r, reason="De SVB."),
    ),
    "helped (after a routing outcome)": (
        accepted,
        lambda w, r: services.mark_helped(
            user=w.receiver, referral=r, service=w.ww, feedback="WW loopt."
        ),
    ),
    "close by the receiver": (
        accepted,
        lambda w, r: services.close(user=w.receiver, referral=r, reason="Verhuisd."),
    ),
    "withdraw by the sender (tells the lead)": (
        send,
        lambda w, r: services.close(user=w.sender, referral=r, reason="Zelf opgelost."),
    ),
    "withdraw by the sender (tells the handler)": (
        sent_and_claimed,
        lambda w, r: services.close(user=w.sender, referral=r, reason="Zelf opgelost."),
    ),
}


@pytest.mark.parametrize("name", list(NOTIFYING_STEPS))
def test_a_failing_notification_undoes_the_whole_referral_step(w, name):
    prepare, step = NOTIFYING_STEPS[name]
    referral = prepare(w)
    before = everything()
    with inserts_fail("core_notification"), pytest.raises(DatabaseError):
        step(w, referral)
    assert everything() == before
    # The same step without the failure writes its change and its notification.
    done = step(w, Referral.objects.get(pk=referral.pk))
    after = everything()
    assert after["notifications"] > before["notifications"]
    assert after["events"] == before["events"] + 1
    assert Notification.objects.filter(link=reverse("referrals:detail", args=[done.uuid])).exists()


def test_a_failing_routing_outcome_undoes_helped_and_writes_no_notification(w):
    referral = accepted(w)
    before = everything()
    with inserts_fail("catalogue_routingoutcome"), pytest.raises(DatabaseError):
        services.mark_helped(user=w.receiver, referral=referral, service=w.ww, feedback="Klaar.")
    assert everything() == before
    assert Referral.objects.get(pk=referral.pk).state == S.ACCEPTED
    services.mark_helped(user=w.receiver, referral=referral, service=w.ww, feedback="Klaar.")
    assert RoutingOutcome.objects.filter(source_id=referral.uuid).count() == 1


def test_a_failing_access_log_undoes_a_re_referral(w):
    """rerefer: the new referral (with its event and access-log row) and the returned one's
    new state are one transaction."""
    referral = send(w)
    services.return_referral(user=w.receiver, referral=referral, reason="De SVB.")
    before = everything()
    with inserts_fail("core_accesslog"), pytest.raises(DatabaseError):
        services.rerefer(
            user=w.sender, referral=referral, to_organisation=w.maastricht, reason="Nu."
        )
    assert everything() == before
    assert Referral.objects.get(pk=referral.pk).state == S.RETURNED


@pytest.fixture
def on_duty(w, uwv):
    colleague = staff(uwv, Role.MEDEWERKER_UITVOERING, username="uwv.dienst")
    services.start_duty(user=colleague, location=w.location)
    return colleague


def ask(w) -> LiveConsult:
    return services.request_consult(
        user=w.sender, contact=w.contact, to_organisation=w.uwv, question="Meekijken?"
    )


def test_a_failing_notification_undoes_accepting_a_consult(w, on_duty):
    consult = ask(w)
    before = everything()
    with inserts_fail("core_notification"), pytest.raises(DatabaseError):
        services.accept_consult(user=on_duty, consult=consult)
    assert everything() == before
    row = LiveConsult.objects.get(pk=consult.pk)
    assert row.state == ConsultState.OPEN and row.accepted_by is None
    services.accept_consult(user=on_duty, consult=row)
    assert Notification.objects.get(user=w.sender).link == reverse(
        "referrals:consult", args=[consult.uuid]
    )


def test_a_failing_notification_leaves_the_consult_open_for_the_next_sweep(w, on_duty, frozen):
    consult = ask(w)
    frozen.shift(dt.timedelta(minutes=10))
    before = everything()
    with inserts_fail("core_notification"), pytest.raises(DatabaseError):
        services.expire_consults()
    assert everything() == before
    assert LiveConsult.objects.get(pk=consult.pk).state == ConsultState.OPEN
    assert services.expire_consults() == 1  # the next run does it, with the notification
    assert LiveConsult.objects.get(pk=consult.pk).state == ConsultState.EXPIRED
    assert Notification.objects.filter(user=w.sender).count() == 1


def test_a_failing_access_log_undoes_turning_a_consult_into_a_referral(w, on_duty):
    consult = ask(w)
    services.cancel_consult(user=w.sender, consult=consult)
    before = everything()
    with inserts_fail("core_accesslog"), pytest.raises(DatabaseError):
        services.consult_to_referral(
            user=w.sender, consult=consult, reason="Doorverwijzen.", preferred_channel="post"
        )
    assert everything() == before
    assert LiveConsult.objects.get(pk=consult.pk).state == ConsultState.CANCELLED


def test_a_failing_notification_undoes_an_escalation(w, frozen):
    referral = send(w)
    frozen.shift(dt.timedelta(days=7))
    before = everything()
    with inserts_fail("core_notification"), pytest.raises(DatabaseError):
        services.escalate_overdue()
    assert everything() == before
    assert not Escalation.objects.filter(referral=referral).exists()
    assert services.escalate_overdue() == 2  # accept and contact norms, each once
    assert Escalation.objects.filter(referral=referral).count() == 2


def test_a_notification_link_must_be_a_page_of_this_site(w):
    from eenloket.core.notifications import notify

    bad_links = (
        "/doorverwijzingen/geen-uuid/extra/niets/",
        "https://example.org/doorverwijzingen/",
        "//example.org/doorverwijzingen/",
        "x",
    )
    for bad in bad_links:
        with pytest.raises(ValueError):
            notify([w.sender], "Doorverwijzing afgesloten: %(reason)s", bad, params={"reason": "-"})
    assert Notification.objects.count() == 0
    referral = send(w)
    [row] = notify(
        [w.sender],
        "Doorverwijzing afgesloten: %(reason)s",
        reverse("referrals:detail", args=[referral.uuid]),
        params={"reason": "-"},
    )
    assert row.link == f"/doorverwijzingen/{referral.uuid}/"
