"""One complaint about Gemeente Enschede and UWV (proposal 15): both coordinators see the shared
part and keep one thread, each organisation judges its own part with its own handler, the
resident gets ONE answer from the lead organisation once every part is judged; a coordinator of
an organisation that is not involved sees nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.complaints import selectors, services
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.errors import NotFound
from eenloket.messaging.models import Message

from .helpers import register

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def linked(coordinator, enschede, uwv, employee, resident, uwv_coordinator):
    return register(
        coordinator,
        enschede,
        resident=resident,
        employee=employee,
        description="De gemeente stuurde mij naar UWV, UWV terug naar de gemeente.",
        also=[{"organisation": uwv}],
    )


def _judge(coordinator, handler, part, finding):
    part = services.make_formal(user=coordinator, part=part)
    services.assign_handler(user=coordinator, part=part, handler=handler)
    services.waive_hearing(user=handler, part=part, reason="klager-wil-niet")
    return services.decide(
        user=handler, part=part, finding=finding, findings=f"Bevinding van {part.organisation}."
    )


def test_what_each_coordinator_sees(
    linked, coordinator, uwv_coordinator, maastricht_coordinator, handler, uwv, enschede
):
    for user in (coordinator, uwv_coordinator):
        view = selectors.get_complaint(user, linked.uuid)
        assert view.complaint.resident.full_name == "Fatima Yilmaz"
        assert {pv.part.organisation for pv in view.parts} == {enschede, uwv}
        assert view.coordinator
    with pytest.raises(NotFound):
        selectors.get_complaint(maastricht_coordinator, linked.uuid)
    assert selectors.complaint_list(maastricht_coordinator) == []
    # Only the coordinator of UWV's own part takes UWV's steps.
    uwv_part = linked.parts.get(organisation=uwv)
    with pytest.raises(PermissionDenied):
        services.make_formal(user=coordinator, part=uwv_part)
    with pytest.raises(PermissionDenied):
        services.post_message(user=maastricht_coordinator, complaint=linked, text="Hallo")


def test_shared_thread(linked, coordinator, uwv_coordinator, handler):
    services.post_message(user=coordinator, complaint=linked, text="Wij nemen de brief op ons.")
    services.post_message(user=uwv_coordinator, complaint=linked, text="Prima, wij leveren aan.")
    view = selectors.get_complaint(uwv_coordinator, linked.uuid)
    assert [m.text for m in selectors.thread(view)] == [
        "Wij nemen de brief op ons.",
        "Prima, wij leveren aan.",
    ]
    with pytest.raises(ValidationError):
        services.post_message(user=coordinator, complaint=linked, text="   ")


def test_one_answer_after_every_part(
    linked, coordinator, uwv_coordinator, handler, uwv_handler, enschede, uwv
):
    ens_part = linked.parts.get(organisation=enschede)
    uwv_part = linked.parts.get(organisation=uwv)
    _judge(coordinator, handler, ens_part, "gegrond")
    with pytest.raises(ValidationError) as waiting:
        services.send_answer(user=coordinator, complaint=linked)
    assert "UWV" in " ".join(waiting.value.messages)
    assert not Message.objects.filter(template_key="klacht-uitkomst").exists()

    _judge(uwv_coordinator, uwv_handler, uwv_part, "ongegrond")
    with pytest.raises(PermissionDenied):  # UWV is not the lead organisation
        services.send_answer(user=uwv_coordinator, complaint=linked)
    services.send_answer(user=coordinator, complaint=linked)
    letters = Message.objects.filter(template_key="klacht-uitkomst")
    assert letters.count() == 1
    body = letters.get().body
    assert "Gemeente Enschede: gegrond" in body and "UWV: ongegrond" in body
    uwv_part.refresh_from_db()
    assert uwv_part.state == "afgehandeld" and uwv_part.handler == uwv_handler
    assert uwv_part.tracked_request.state == "besloten"
