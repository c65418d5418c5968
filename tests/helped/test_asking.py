"""Asking and answering: the channel follows the resident's preference (e-mail, sms, post, or a
call task for the counter); "nee" and silence become follow-up tasks for the team (frozen time);
a completed call task records the answer; bad input writes nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from eenloket.helped import services, tasks, tokens
from eenloket.helped.models import CheckState, HelpedCheck
from eenloket.messaging.models import Letter, Message
from eenloket.worklist import services as worklist
from eenloket.worklist.models import Task

from ..factories import ResidentFactory
from .conftest import local

pytestmark = pytest.mark.django_db

MONDAY = local(2026, 11, 16, 9, 30)
WEDNESDAY_10 = local(2026, 11, 18, 10, 0)


def ask(make_contact, resident):
    """A contact on Monday, asked on Wednesday at 10:00 (frozen)."""
    make_contact(MONDAY, resident=resident)
    with time_machine.travel(WEDNESDAY_10, tick=False):
        tasks.schedule_checks(WEDNESDAY_10)
    return HelpedCheck.objects.get(resident=resident)


def test_email_carries_a_working_signed_link(make_contact, resident):
    check = ask(make_contact, resident)
    assert check.state == CheckState.SENT and check.channel == "email"
    message = Message.objects.get(cause_id=str(check.uuid))
    assert message.channel == "email"
    assert "http://127.0.0.1:8000/geholpen/" in message.body
    token = message.body.split("/geholpen/")[1].split("/")[0]
    assert tokens.read_token(token) == (check.uuid, check.nonce)
    assert "Bijzondere bijstand" in message.body  # the topic: the service, not the question
    assert "geheime vraag" not in message.body


def test_sms_for_a_resident_who_prefers_sms(make_contact):
    resident = ResidentFactory(preferred_channel="sms", phone="+31612345678")
    check = ask(make_contact, resident)
    assert check.channel == "sms"
    assert Message.objects.get(cause_id=str(check.uuid)).to == "+31612345678"


def test_a_letter_for_a_resident_who_prefers_post(make_contact):
    resident = ResidentFactory(preferred_channel="post")
    check = ask(make_contact, resident)
    assert (check.state, check.channel) == (CheckState.SENT, "post")
    assert Letter.objects.filter(cause_id=str(check.uuid)).exists()


def test_a_call_task_for_a_resident_who_prefers_the_phone(make_contact, team):
    resident = ResidentFactory(preferred_channel="telefoon", phone="0612345678")
    check = ask(make_contact, resident)
    assert (check.state, check.channel) == (CheckState.CALLING, "bellen")
    task = check.task
    assert task.kind == "geholpen-bellen"
    assert task.team == team and task.resident == resident
    assert task.phone == "+31612345678"
    assert task.source_type == "helped-check" and task.source_id == str(check.uuid)
    assert check.answer_due_at == task.due_at
    assert not Message.objects.filter(cause_id=str(check.uuid)).exists()


def test_no_email_address_means_the_counter_calls(make_contact):
    resident = ResidentFactory(preferred_channel="email", email="", phone="+31612345678")
    check = ask(make_contact, resident)
    assert check.state == CheckState.CALLING


def test_nobody_to_reach_is_skipped_with_a_reason(make_contact):
    resident = ResidentFactory(
        preferred_channel="balie", phone="", email="", street="", postcode="", house_number=None
    )
    check = ask(make_contact, resident)
    assert (check.state, check.skip_reason) == (CheckState.SKIPPED, "onbereikbaar")


@pytest.mark.parametrize(
    ("outcome", "state", "follow_up"),
    [
        ("geholpen", CheckState.HELPED, False),
        ("niet-geholpen", CheckState.NOT_HELPED, True),
        ("niet-bereikt", CheckState.NO_ANSWER, False),
    ],
)
def test_completing_the_call_task_records_the_answer(
    make_contact, counter, team, outcome, state, follow_up
):
    resident = ResidentFactory(preferred_channel="telefoon")
    check = ask(make_contact, resident)
    later = WEDNESDAY_10 + dt.timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        worklist.complete(
            user=counter, task=check.task, outcome=outcome, note="Wacht nog op de uitkering."
        )
    check.refresh_from_db()
    assert check.state == state
    assert check.follow_up_task is not None if follow_up else check.follow_up_task is None
    if state != CheckState.NO_ANSWER:
        assert check.answered_via == "bellen"
        assert check.answered_at == later
    if follow_up:
        task = check.follow_up_task
        assert task.kind == "geholpen-opvolgen" and task.team == team
        assert "Wacht nog op de uitkering." in task.note


def test_nee_creates_a_follow_up_task_for_the_team_with_the_comment(make_contact, resident, team):
    check = ask(make_contact, resident)
    answered = WEDNESDAY_10 + dt.timedelta(hours=2)  # 12:00: after the cutoff → 2 working days
    with time_machine.travel(answered, tick=False):
        services.answer_by_link(
            token=tokens.make_token(check),
            helped=False,
            rating=2,
            comment="Ik weet nog steeds niet of ik recht heb.",
        )
    check.refresh_from_db()
    assert check.state == CheckState.NOT_HELPED
    assert (check.helped, check.rating) == (False, 2)
    assert check.used_at == answered and check.answered_at == answered
    task = check.follow_up_task
    assert task.kind == "geholpen-opvolgen"
    assert (task.organisation, task.team, task.resident) == (check.organisation, team, resident)
    assert "Ik weet nog steeds niet of ik recht heb." in task.note
    assert task.created_at == answered
    assert task.due_at == local(2026, 11, 20, 17, 0)  # Friday, end of the working day
    with pytest.raises(services.AlreadyAnswered):
        services.answer_by_link(token=tokens.make_token(check), helped=True)


def test_ja_is_helped_without_a_task(make_contact, resident):
    check = ask(make_contact, resident)
    with time_machine.travel(WEDNESDAY_10 + dt.timedelta(hours=1), tick=False):
        services.answer_by_link(token=tokens.make_token(check), helped=True, rating=5)
    check.refresh_from_db()
    assert (check.state, check.rating, check.follow_up_task) == (CheckState.HELPED, 5, None)
    assert not Task.objects.filter(kind="geholpen-opvolgen").exists()


def test_silence_becomes_no_answer_and_a_follow_up_task_at_the_right_time(
    make_contact, resident, team
):
    check = ask(make_contact, resident)
    assert check.answer_due_at == local(2026, 11, 25, 23, 59, 59)
    # The link (and the wait) lasts the answer time plus 12 hours of grace.
    just_before = local(2026, 11, 26, 11, 59)
    with time_machine.travel(just_before, tick=False):
        assert tasks.expire_unanswered(just_before) == 0
    check.refresh_from_db()
    assert check.state == CheckState.SENT
    after = local(2026, 11, 26, 12, 0)
    with time_machine.travel(after, tick=False):
        assert tasks.expire_unanswered(after) == 1
        assert tasks.expire_unanswered(after) == 0  # idempotent
    check.refresh_from_db()
    assert check.state == CheckState.NO_ANSWER
    task = check.follow_up_task
    assert task.kind == "geholpen-opvolgen" and task.team == team
    assert task.created_at == after
    assert "geen antwoord" in task.title
    with pytest.raises(tokens.LinkExpired):
        services.check_for_link(tokens.make_token(check), after)


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"helped": None}, "helped"),
        ({"helped": True, "rating": 7}, "rating"),
        ({"helped": True, "rating": "x"}, "rating"),
        ({"helped": False, "comment": "x" * 1001}, "comment"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(make_contact, resident, answer, field):
    check = ask(make_contact, resident)
    with pytest.raises(ValidationError) as refused:
        services.answer_by_link(token=tokens.make_token(check), **answer)
    assert field in refused.value.message_dict
    check.refresh_from_db()
    assert check.state == CheckState.SENT and check.used_at is None
    assert not Task.objects.filter(kind="geholpen-opvolgen").exists()


def test_a_tampered_or_replaced_link_is_invalid(make_contact, resident):
    check = ask(make_contact, resident)
    token = tokens.make_token(check)
    with pytest.raises(tokens.LinkInvalid):
        services.check_for_link(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    old = token
    check.nonce = tokens.new_nonce()
    check.save()
    with pytest.raises(tokens.LinkInvalid):
        services.check_for_link(old)
