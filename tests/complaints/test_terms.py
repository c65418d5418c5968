"""The complaint's terms (Awb 9:11) through the deadlines feature, at frozen moments: six weeks
after receipt, ten with an advisory committee, one postponement of at most four weeks with a
written notice to the resident and the employee, no second one."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from eenloket.complaints import services
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import Notification
from eenloket.deadlines.models import Extension
from eenloket.messaging.models import Message

from .helpers import formal_part

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 10:00 in Enschede. Six weeks later: Monday 13 April; ten weeks: Monday
# 11 May (no holiday on either: Easter Monday is 6 April).
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)
RECEIVED = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_six_weeks_after_receipt(coordinator, enschede, employee, resident):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    assert part.tracked_request.received_on == RECEIVED
    assert part.tracked_request.due_date == RECEIVED + dt.timedelta(weeks=6)
    assert part.tracked_request.request_type.article == "Awb 9:11 lid 1"


def test_ten_weeks_with_an_advisory_committee(coordinator, enschede, employee, resident):
    from .helpers import register

    complaint = register(coordinator, enschede, resident=resident, employee=employee)
    part = services.make_formal(
        user=coordinator, part=complaint.parts.get(), advisory_committee=True
    )
    assert part.tracked_request.due_date == RECEIVED + dt.timedelta(weeks=10)


def test_postpone_four_weeks_at_most_once_with_notice(
    coordinator, handler, enschede, employee, resident, frozen
):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    services.assign_handler(user=coordinator, part=part, handler=handler)
    due = part.tracked_request.due_date
    frozen.move_to(NOW + dt.timedelta(weeks=5))

    with pytest.raises(ValidationError) as too_long:
        services.postpone(user=handler, part=part, reason="Wij wachten op een getuige.", weeks=5)
    assert "ten hoogste vier weken" in " ".join(too_long.value.messages)
    assert not Extension.objects.exists()

    with pytest.raises(ValidationError) as no_reason:
        services.postpone(user=handler, part=part, reason="  ", weeks=4)
    assert "waarom" in " ".join(no_reason.value.messages).lower()
    assert not Extension.objects.exists()

    services.postpone(user=handler, part=part, reason="Wij wachten op een getuige.", weeks=4)
    part.tracked_request.refresh_from_db()
    assert part.tracked_request.due_date == due + dt.timedelta(weeks=4)
    notice = Message.objects.get(template_key="verlenging", resident=resident)
    assert "Wij wachten op een getuige." in notice.body
    told = Notification.objects.filter(user=employee, message_id__contains="verdaagd")
    assert told.count() == 1

    with pytest.raises(ValidationError) as second:
        services.postpone(user=handler, part=part, reason="Nog een getuige.", weeks=1)
    assert "al een keer verdaagd" in " ".join(second.value.messages)
    part.tracked_request.refresh_from_db()
    assert part.tracked_request.due_date == due + dt.timedelta(weeks=4)
    assert Extension.objects.count() == 1


def test_no_postponement_after_the_term(coordinator, handler, enschede, employee, resident, frozen):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    services.assign_handler(user=coordinator, part=part, handler=handler)
    frozen.move_to(NOW + dt.timedelta(weeks=7))
    with pytest.raises(ValidationError) as late:
        services.postpone(user=handler, part=part, reason="Te druk.", weeks=2)
    assert "liep af" in " ".join(late.value.messages)
    assert not Extension.objects.exists()
