"""create_task: the norm, the checks, nothing written on bad input."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.roles import Role
from eenloket.worklist.models import Task, TaskNorm
from eenloket.worklist.services import create_task

from ..factories import TeamFactory, staff
from .conftest import TEST_KIND, TEST_NOTE_KIND

pytestmark = pytest.mark.django_db


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=AMSTERDAM)


def test_a_task_gets_the_kinds_norm_before_the_cutoff_the_same_day(make_task):
    task = make_task(now=at(2026, 12, 2, 10, 30))  # Wednesday morning
    assert task.due_at == at(2026, 12, 2, 17)
    assert task.state == "open"
    assert task.phone == "+31612345678"


def test_after_the_cutoff_the_next_working_day(make_task):
    task = make_task(now=at(2026, 12, 2, 12, 0))
    assert task.due_at == at(2026, 12, 3, 17)


def test_friday_afternoon_is_due_on_monday(make_task):
    assert make_task(now=at(2026, 12, 4, 15)).due_at == at(2026, 12, 7, 17)


def test_a_holiday_is_skipped(make_task):
    # Thursday 24 December after noon: Christmas (25th, 26th) and the weekend pass → Monday 28th.
    assert make_task(now=at(2026, 12, 24, 14)).due_at == at(2026, 12, 28, 17)


def test_made_on_a_saturday_morning_is_due_monday(make_task):
    assert make_task(now=at(2026, 12, 5, 9)).due_at == at(2026, 12, 7, 17)


def test_now_defaults_to_the_clock(make_task):
    with time_machine.travel(at(2026, 12, 2, 9), tick=False):
        task = make_task()
    assert task.created_at == at(2026, 12, 2, 9)
    assert task.due_at == at(2026, 12, 2, 17)


def test_the_organisations_norm_overrides_the_kind(make_task, enschede):
    TaskNorm.objects.create(
        organisation=enschede,
        kind=TEST_KIND.code,
        cutoff=dt.time(10, 0),
        days_before_cutoff=1,
        days_after_cutoff=2,
    )
    assert make_task(now=at(2026, 12, 2, 9)).due_at == at(2026, 12, 3, 17)
    assert make_task(now=at(2026, 12, 2, 11)).due_at == at(2026, 12, 4, 17)


def test_the_kinds_own_default_norm(make_task):
    task = make_task(kind=TEST_NOTE_KIND.code, now=at(2026, 12, 2, 9))
    assert task.due_at == at(2026, 12, 3, 17)


def test_an_explicit_deadline_is_kept(make_task):
    due = at(2026, 12, 10, 12)
    assert make_task(due_at=due, now=at(2026, 12, 2, 9)).due_at == due


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "Geef de taak een onderwerp."),
        ({"title": "x" * 201}, "title", "Deze tekst is te lang: hoogstens 200 tekens."),
        ({"note": "x" * 5001}, "note", "Deze tekst is te lang: hoogstens 5000 tekens."),
        ({"phone": "12345"}, "phone", "Dit telefoonnummer klopt niet."),
        ({"kind": "bestaat-niet"}, "kind", "Onbekende soort taak."),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_is_written(make_task, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        make_task(**changes)
    assert exc.value.message_dict[field] == [message]
    assert not Task.objects.exists()


def test_a_team_of_another_organisation_is_refused(make_task, maastricht):
    with pytest.raises(ValidationError) as exc:
        make_task(team=TeamFactory(organisation=maastricht, name="KCC"))
    assert exc.value.message_dict["team"] == ["Dit team hoort niet bij deze organisatie."]
    assert not Task.objects.exists()


def test_the_assignee_must_work_there(make_task, counter_maastricht, member_a):
    with pytest.raises(ValidationError) as exc:
        make_task(assigned_to=counter_maastricht)
    assert "assigned_to" in exc.value.message_dict
    task = make_task(assigned_to=member_a)
    assert task.assigned_to == member_a
    assert member_a.notifications.count() == 1


def test_an_intermediary_cannot_be_assigned(make_task, enschede):
    outsider = staff(enschede, Role.INTERMEDIAIR, username="intermediair")
    with pytest.raises(ValidationError):
        make_task(assigned_to=outsider)


def test_create_task_joins_the_callers_transaction(make_task):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        make_task()
        raise RuntimeError
    assert not Task.objects.exists()


def test_without_a_phone_number_the_task_has_none(make_task):
    assert make_task(phone="").phone == ""


def test_create_task_is_keyword_only(enschede):
    with pytest.raises(TypeError):
        create_task("test-bellen", enschede, "x")  # noqa
