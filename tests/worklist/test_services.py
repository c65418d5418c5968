"""Working on a task through the services: claim, assign, call attempts, complete (the kind's
on_complete in the same transaction), cancel; the escalation of overdue tasks; who sees what."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.core.audit import Activity
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import AccessLog, Notification
from eenloket.core.roles import Role
from eenloket.core.sweeps import registry
from eenloket.worklist import selectors, services
from eenloket.worklist.models import TaskAttempt, TaskState

from ..factories import TeamFactory, staff
from .conftest import COMPLETED

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=AMSTERDAM)  # Wednesday morning


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_whole_way_claim_attempts_complete(make_task, member_a):
    task = make_task()
    services.claim(user=member_a, task=task)
    services.log_attempt(user=member_a, task=task, result="niet-bereikt", note="Geen gehoor")
    services.log_attempt(user=member_a, task=task, result="voicemail")
    done = services.complete(user=member_a, task=task, outcome="gedaan", note="Alles uitgelegd")
    assert (done.state, done.outcome, done.outcome_note) == (
        "afgerond",
        "gedaan",
        "Alles uitgelegd",
    )
    assert done.completed_by == member_a and done.completed_at == NOW
    assert [a.result for a in task.attempts.all()] == ["niet-bereikt", "voicemail"]
    assert [
        {"task": task.pk, "user": member_a.pk, "outcome": "gedaan", "note": "Alles uitgelegd"}
    ] == COMPLETED


def test_complete_without_a_claim_makes_the_completer_the_holder(make_task, member_a):
    task = services.complete(user=member_a, task=make_task(), outcome="gedaan")
    assert task.assigned_to == member_a


def test_an_outcome_that_is_not_of_the_kind_is_refused(make_task, member_a):
    task = make_task()
    with pytest.raises(ValidationError) as exc:
        services.complete(user=member_a, task=task, outcome="geholpen")
    assert exc.value.message_dict["outcome"] == ["Kies een uitkomst uit de lijst."]
    task.refresh_from_db()
    assert task.state == "open" and not COMPLETED


def test_when_on_complete_fails_nothing_is_completed(make_task, member_a):
    from .conftest import TEST_KIND, _on_complete

    def refuse(**kwargs):
        raise ValidationError({"outcome": ["Eerst drie keer bellen."]})

    task = make_task()
    object.__setattr__(TEST_KIND, "on_complete", refuse)  # the kind is a frozen dataclass
    try:
        with pytest.raises(ValidationError):
            services.complete(user=member_a, task=task, outcome="gedaan")
    finally:
        object.__setattr__(TEST_KIND, "on_complete", _on_complete)
    task.refresh_from_db()
    assert task.state == "open" and task.completed_at is None


def test_cancel_needs_a_reason(make_task, member_a):
    task = make_task()
    with pytest.raises(ValidationError) as exc:
        services.cancel(user=member_a, task=task, reason="  ")
    assert exc.value.message_dict["reason"] == ["Schrijf op waarom de taak vervalt."]
    task = services.cancel(user=member_a, task=task, reason="Inwoner belde zelf al terug")
    assert task.state == TaskState.CANCELLED and task.outcome_note == "Inwoner belde zelf al terug"
    assert not COMPLETED


def test_a_too_long_note_is_refused_and_nothing_is_written(make_task, member_a):
    task = make_task()
    with pytest.raises(ValidationError) as exc:
        services.log_attempt(user=member_a, task=task, result="bereikt", note="x" * 5001)
    assert exc.value.message_dict["note"] == ["Deze tekst is te lang: hoogstens 5000 tekens."]
    with pytest.raises(ValidationError):
        services.log_attempt(user=member_a, task=task, result="misschien")
    with pytest.raises(ValidationError):
        services.complete(user=member_a, task=task, outcome="gedaan", note="x" * 5001)
    assert not TaskAttempt.objects.exists()
    task.refresh_from_db()
    assert task.state == "open"


def test_someone_else_holds_it_claim_is_a_conflict(make_task, member_a, colleague_a):
    task = make_task()
    services.claim(user=member_a, task=task)
    with pytest.raises(ValidationError) as exc:
        services.claim(user=colleague_a, task=task)
    assert exc.value.code == "already_claimed"
    assert "heeft deze taak al opgepakt" in exc.value.messages[0]


def test_assign_only_to_a_colleague_of_the_team(make_task, member_a, colleague_a, member_b):
    task = make_task()
    with pytest.raises(ValidationError) as exc:
        services.assign(user=member_a, task=task, to_user=member_b)
    assert "to_user" in exc.value.message_dict
    services.assign(user=member_a, task=task, to_user=colleague_a)
    task.refresh_from_db()
    assert task.assigned_to == colleague_a
    assert Notification.objects.filter(user=colleague_a).count() == 1


def test_a_task_without_a_team_goes_to_the_whole_organisation(make_task, member_a, member_b):
    task = make_task(team=None)
    services.assign(user=member_a, task=task, to_user=member_b)
    task.refresh_from_db()
    assert task.assigned_to == member_b


def test_after_handing_over_the_holder_keeps_working(make_task, member_a, member_b):
    task = make_task(team=None, assigned_to=member_b)
    services.log_attempt(user=member_b, task=task, result="bereikt")
    services.complete(user=member_b, task=task, outcome="gedaan")


# ---- who sees what ------------------------------------------------------------------------------
@pytest.fixture
def seen(make_task, member_a, member_b, team_a, team_b):
    return {
        "a": make_task(title="Team A"),
        "b": make_task(title="Team B", team=team_b),
        "org": make_task(title="Zonder team", team=None),
        "b_mine": make_task(title="Team B, aan A gegeven", team=team_b, assigned_to=member_a),
    }


def titles(tasks):
    return sorted(t.title for t in tasks)


def test_work_lists_per_person(seen, member_a, member_b, lead_b):
    assert titles(selectors.worklist_queryset(member_a, "team")) == ["Team A", "Zonder team"]
    assert titles(selectors.worklist_queryset(member_a, "mine")) == ["Team B, aan A gegeven"]
    assert titles(selectors.worklist_queryset(member_b, "team")) == [
        "Team B",
        "Team B, aan A gegeven",
        "Zonder team",
    ]
    # A team lead watches the whole organisation.
    assert len(selectors.worklist_queryset(lead_b, "team")) == 4


def test_other_organisations_see_nothing(seen, counter_maastricht, uwv_staff, uwv, enschede):
    for user in (counter_maastricht, uwv_staff):
        for name in selectors.WORKLISTS:
            assert not selectors.worklist_queryset(user, name).exists()
        assert not selectors.visible_tasks(user).exists()
        with pytest.raises(PermissionDenied):
            services.claim(user=user, task=seen["a"])


def test_a_uwv_employee_at_the_town_hall_sees_only_uwv_tasks(
    seen, uwv, uwv_staff, enschede_location, make_task
):
    uwv_team = TeamFactory(organisation=uwv, name="WW")
    ours = make_task(organisation=uwv, team=None, title="UWV-taak", resident=None)
    staff(uwv, Role.MEDEWERKER_UITVOERING, team=uwv_team, username="uwv.ww")
    assert titles(selectors.worklist_queryset(uwv_staff, "team")) == ["UWV-taak"]
    assert ours.organisation == uwv


def test_a_role_without_contacts_sees_no_tasks(seen, enschede, management_enschede):
    assert not selectors.visible_tasks(management_enschede).exists()


def test_overdue_list(seen, member_a, frozen):
    assert not selectors.worklist_queryset(member_a, "overdue").exists()
    frozen.move_to(dt.datetime(2026, 12, 2, 17, 1, tzinfo=AMSTERDAM))
    assert titles(selectors.worklist_queryset(member_a, "overdue")) == [
        "Team A",
        "Team B, aan A gegeven",
        "Zonder team",
    ]


def test_reading_a_task_about_a_resident_is_logged(make_task, member_a, resident):
    task = make_task()
    selectors.get_task(member_a, task.uuid)
    row = AccessLog.objects.get()
    assert row.processing_activity_id == Activity.TASK_WORK and row.object_id == str(task.uuid)
    anonymous = make_task(resident=None)
    selectors.get_task(member_a, anonymous.uuid)
    assert AccessLog.objects.count() == 1


# ---- escalation ---------------------------------------------------------------------------------
def test_an_overdue_task_is_escalated_once_to_the_team_lead(
    make_task, member_a, lead_a, lead_b, frozen
):
    task = make_task()  # due today 17:00
    done_task = make_task(title="Al gedaan")
    services.complete(user=member_a, task=done_task, outcome="gedaan")
    assert services.escalate_overdue() == 0
    frozen.move_to(dt.datetime(2026, 12, 2, 17, 5, tzinfo=AMSTERDAM))
    assert registry()["worklist.escalate_overdue"].function() == 1
    assert services.escalate_overdue() == 0  # once
    (note,) = Notification.objects.filter(link=f"/taken/{task.uuid}/")
    assert note.user == lead_a  # the lead of the task's team, not the other team's
    assert "Te laat" in note.text and "Testbelletje" in note.text
    assert "woensdag 2 december 2026 om 17:00" in note.text
    task.refresh_from_db()
    assert task.escalated_at is not None and task.state == "open"


def test_without_a_team_lead_the_organisations_leads_hear_it(make_task, lead_b, frozen, team_a):
    task = make_task()
    frozen.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=AMSTERDAM))
    assert services.escalate_overdue() == 1
    assert Notification.objects.get(link=f"/taken/{task.uuid}/").user == lead_b


def test_escalation_text_is_in_the_readers_language(make_task, lead_a, frozen):
    from django.utils import translation

    from eenloket.core.notifications import render

    make_task()
    frozen.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=AMSTERDAM))
    services.escalate_overdue()
    note = Notification.objects.get(user=lead_a)
    assert note.message_id.startswith("Te laat: taak")
    with translation.override("nl"):
        assert "moest af op" in render(note)
