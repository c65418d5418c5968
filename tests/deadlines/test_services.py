"""Legal terms through the services: registering a request with its due date counted by hand
(Awb 4:13, Wmo 2015, Awb 6:7 + 7:10, Awb 9:11, Woo 4.4, AVG 12 under Regulation 1182/71, with
the Dutch holidays of the Algemene termijnenwet), bad input refused per field with nothing
written, suspension (Awb 4:15), extension only together with a notice, the delay notice
(Awb 4:14) that moves no legal term, deciding, withdrawing, and the penalty (Awb 4:17).

The dates of 2026 used below (worked out by hand): Goede Vrijdag 3 April, Easter Monday 6 April,
Koningsdag Monday 27 April, Bevrijdingsdag Tuesday 5 May, Ascension 14 May, Whit Monday 25 May.
Tuesday 24 March 2026 is the usual day of receipt."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import EquatedDay
from eenloket.core.roles import Role
from eenloket.deadlines import services
from eenloket.deadlines.kinds import WATCH
from eenloket.deadlines.models import (
    DelayNotice,
    Extension,
    RequestState,
    RequestType,
    Suspension,
    TrackedRequest,
)
from eenloket.messaging.models import Letter, Message
from eenloket.worklist.models import Task, TaskState

from ..factories import ResidentFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db

D = dt.date
# Wednesday 15 April 2026, 10:00 in Enschede.
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)
RECEIVED = D(2026, 3, 24)  # Tuesday


def at(day: dt.date, hour=10, minute=0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def written() -> tuple[int, int, int, int, int, int]:
    """(requests, suspensions, extensions, notices, messages, letters) in the database."""
    return (
        TrackedRequest.objects.count(),
        Suspension.objects.count(),
        Extension.objects.count(),
        DelayNotice.objects.count(),
        Message.objects.count(),
        Letter.objects.count(),
    )


def shared(code) -> RequestType:
    return RequestType.objects.get(organisation=None, code=code)


def fresh(obj) -> TrackedRequest:
    return TrackedRequest.objects.get(pk=obj.pk)


# ---- registering: the due date of every shared type ---------------------------------------------
@pytest.mark.parametrize(
    ("code", "received_on", "extra", "due", "fragments"),
    [
        # 24 March + 8 weeks = Tuesday 19 May: a working day.
        ("aanvraag", RECEIVED, {}, D(2026, 5, 19), ["Awb 4:13", "8 weken", "dinsdag 19 mei 2026"]),
        # 24 March + 6 weeks = Tuesday 5 May (Bevrijdingsdag) → Wednesday 6 May (Atw art. 1).
        (
            "wmo-melding",
            RECEIVED,
            {},
            D(2026, 5, 6),
            ["Wmo 2015 art. 2.3.2 lid 1", "6 weken", "Atw art. 1", "woensdag 6 mei 2026"],
        ),
        # Monday 23 March + 2 weeks = Easter Monday 6 April → Tuesday 7 April.
        (
            "wmo-aanvraag",
            D(2026, 3, 23),
            {},
            D(2026, 4, 7),
            ["Wmo 2015 art. 2.3.5 lid 1", "2 weken", "Atw art. 1", "dinsdag 7 april 2026"],
        ),
        # Published Tuesday 10 February: the objection period ends 24 March; + 6 weeks = 5 May
        # (Bevrijdingsdag) → Wednesday 6 May.
        (
            "bezwaar",
            D(2026, 3, 2),
            {"decision_published_on": D(2026, 2, 10)},
            D(2026, 5, 6),
            ["Awb 6:7", "Awb 7:10 lid 1", "dinsdag 24 maart 2026", "woensdag 6 mei 2026"],
        ),
        # The same with an advisory committee: 24 March + 12 weeks = Tuesday 16 June.
        (
            "bezwaar",
            D(2026, 3, 2),
            {"decision_published_on": D(2026, 2, 10), "advisory_committee": True},
            D(2026, 6, 16),
            ["Awb 6:7", "12 weken", "dinsdag 16 juni 2026"],
        ),
        # Received on the last day of the objection period: in time, counted from its end.
        (
            "bezwaar",
            RECEIVED,
            {"decision_published_on": D(2026, 2, 10)},
            D(2026, 5, 6),
            ["Awb 6:7", "woensdag 6 mei 2026"],
        ),
        # Published Friday 20 February: 6 weeks later is Goede Vrijdag 3 April; the objection
        # period runs on over the weekend and Easter Monday to Tuesday 7 April; + 6 weeks =
        # Tuesday 19 May.
        (
            "bezwaar",
            D(2026, 4, 1),
            {"decision_published_on": D(2026, 2, 20)},
            D(2026, 5, 19),
            ["Awb 6:7", "dinsdag 7 april 2026", "Atw art. 1", "dinsdag 19 mei 2026"],
        ),
        # A late objection (received Thursday 26 March, after the period ended on 24 March)
        # counts from its receipt: + 6 weeks = Thursday 7 May.
        (
            "bezwaar",
            D(2026, 3, 26),
            {"decision_published_on": D(2026, 2, 10)},
            D(2026, 5, 7),
            ["kwam later binnen", "donderdag 7 mei 2026"],
        ),
        # Klacht: 6 weeks = 5 May → 6 May; with a committee 10 weeks = Tuesday 2 June.
        ("klacht", RECEIVED, {}, D(2026, 5, 6), ["Awb 9:11 lid 1", "woensdag 6 mei 2026"]),
        (
            "klacht",
            RECEIVED,
            {"advisory_committee": True},
            D(2026, 6, 2),
            ["Awb 9:11 lid 1", "10 weken", "dinsdag 2 juni 2026"],
        ),
        # Woo: 4 weeks = Tuesday 21 April.
        (
            "woo-verzoek",
            RECEIVED,
            {},
            D(2026, 4, 21),
            ["Woo art. 4.4 lid 1", "4 weken", "dinsdag 21 april 2026"],
        ),
        # AVG, EU regime: Saturday 31 January + 1 month = the last day of February, Saturday
        # 28 February → Monday 2 March (Regulation 1182/71 art. 3(4)).
        (
            "avg-inzage",
            D(2026, 1, 31),
            {},
            D(2026, 3, 2),
            ["AVG art. 12 lid 3", "1 maand", "1182/71", "maandag 2 maart 2026"],
        ),
        # AVG received Friday 27 March: + 1 month = Koningsdag → Tuesday 28 April.
        ("avg-inzage", D(2026, 3, 27), {}, D(2026, 4, 28), ["dinsdag 28 april 2026"]),
    ],
)
def test_registering_counts_the_legal_due_date(register, code, received_on, extra, due, fragments):
    obj = register(code, received_on=received_on, **extra)
    stored = fresh(obj)
    assert stored.state == RequestState.OPEN
    assert stored.due_date == due
    assert stored.original_due_date == due
    assert stored.days_left is None
    for fragment in fragments:
        assert fragment in stored.due_explanation, (fragment, stored.due_explanation)


def test_the_advisory_committee_is_kept_and_the_publication_ignored_where_it_does_not_apply(
    register,
):
    obj = fresh(register("aanvraag", decision_published_on=D(2026, 2, 10)))
    assert obj.decision_published_on is None
    assert obj.due_date == D(2026, 5, 19)
    assert fresh(register("klacht", advisory_committee=True)).advisory_committee is True


def test_days_equated_by_royal_decree_count_for_the_atw_but_not_under_eu_law(register):
    # Monday 2 March 2026 equated with a holiday (for this test).
    EquatedDay.objects.create(day=D(2026, 3, 2), reason="Test: gelijkgesteld")
    # Woo received Monday 2 February + 4 weeks = Monday 2 March → Tuesday 3 March.
    woo = register("woo-verzoek", received_on=D(2026, 2, 2))
    assert fresh(woo).due_date == D(2026, 3, 3)
    # AVG received 31 January: 28 February is a Saturday → Monday 2 March, which the EU
    # regulation does not treat as a holiday.
    avg = register("avg-inzage", received_on=D(2026, 1, 31))
    assert fresh(avg).due_date == D(2026, 3, 2)


def test_an_own_type_on_the_plain_calendar_keeps_a_sunday(enschede, team, handler):
    own = RequestType.objects.create(
        organisation=enschede,
        code="kwijtschelding",
        name="Kwijtschelding",
        regime="kalender",
        term="P26D",
        article="Verordening kwijtschelding art. 3",
    )
    obj = services.register(
        user=handler,
        organisation=enschede,
        request_type=own,
        subject="Kwijtschelding afvalstoffenheffing",
        team=team,
        received_on=RECEIVED,
    )
    # 24 March + 26 days = Sunday 19 April: the plain calendar moves nothing.
    assert fresh(obj).due_date == D(2026, 4, 19)


# ---- registering: bad input ---------------------------------------------------------------------
@pytest.fixture
def maastricht_team(maastricht):
    return TeamFactory(organisation=maastricht, name="Klantcontact Maastricht")


@pytest.fixture
def maastricht_type(maastricht):
    return RequestType.objects.create(
        organisation=maastricht,
        code="parkeervergunning",
        name="Parkeervergunning",
        term="P8W",
        article="Parkeerverordening Maastricht art. 4",
    )


@pytest.mark.parametrize(
    ("field", "arguments"),
    [
        ("subject", lambda c: {"subject": "   "}),
        ("subject", lambda c: {"subject": "x" * 201}),
        ("team", lambda c: {"team": c["maastricht_team"]}),
        ("received_on", lambda c: {"received_on": D(2026, 4, 16)}),  # tomorrow
        ("received_on", lambda c: {"received_on": "2026-03-24"}),  # no date
        ("decision_published_on", lambda c: {"code": "bezwaar"}),
        (
            "decision_published_on",
            lambda c: {"code": "bezwaar", "decision_published_on": D(2026, 3, 25)},
        ),
        ("advisory_committee", lambda c: {"code": "aanvraag", "advisory_committee": True}),
        ("advisory_committee", lambda c: {"code": "woo-verzoek", "advisory_committee": True}),
        ("handler", lambda c: {"handler_user": c["maastricht_staff"]}),
    ],
    ids=[
        "empty-subject",
        "long-subject",
        "team-of-maastricht",
        "received-tomorrow",
        "received-not-a-date",
        "bezwaar-without-publication",
        "published-after-receipt",
        "committee-for-aanvraag",
        "committee-for-woo",
        "handler-of-maastricht",
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_written(
    register, maastricht_team, counter_maastricht, field, arguments
):
    context = {"maastricht_team": maastricht_team, "maastricht_staff": counter_maastricht}
    before = written()
    with pytest.raises(ValidationError) as exc:
        register(**arguments(context))
    assert set(exc.value.message_dict) == {field}
    assert exc.value.message_dict[field][0]
    assert written() == before


def test_a_request_type_of_another_organisation_is_refused(
    enschede, team, handler, maastricht_type
):
    with pytest.raises(ValidationError) as exc:
        services.register(
            user=handler,
            organisation=enschede,
            request_type=maastricht_type,
            subject="Parkeervergunning",
            team=team,
            received_on=RECEIVED,
        )
    assert set(exc.value.message_dict) == {"request_type"}
    assert not TrackedRequest.objects.exists()


def test_an_inactive_type_is_refused(register):
    RequestType.objects.filter(organisation=None, code="klacht").update(active=False)
    with pytest.raises(ValidationError) as exc:
        register("klacht")
    assert set(exc.value.message_dict) == {"request_type"}
    assert not TrackedRequest.objects.exists()


def test_every_error_is_given_at_once(register, maastricht_team):
    with pytest.raises(ValidationError) as exc:
        register(
            "bezwaar",
            subject="",
            team=maastricht_team,
            received_on=D(2026, 5, 1),
            advisory_committee=False,
        )
    assert set(exc.value.message_dict) == {
        "subject",
        "team",
        "received_on",
        "decision_published_on",
    }
    assert not TrackedRequest.objects.exists()


@pytest.mark.parametrize("who", ["counter_maastricht", "uwv_staff", "management_enschede"])
def test_only_contact_staff_of_the_organisation_may_register(register, request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        register(user=user)
    assert not TrackedRequest.objects.exists()


def test_a_request_received_today_and_without_a_resident_is_fine(register):
    obj = fresh(register("woo-verzoek", received_on=D(2026, 4, 15), resident=None))
    assert obj.resident is None
    # Wednesday 15 April + 4 weeks = Wednesday 13 May.
    assert obj.due_date == D(2026, 5, 13)
    assert obj.reference.startswith("WV-2026-")


# ---- suspension (Awb 4:15) ----------------------------------------------------------------------
def suspend(obj, user, starts_on, reason="Loonstroken ontbreken"):
    return services.suspend(user=user, request=obj, starts_on=starts_on, reason=reason)


def test_a_suspension_stops_the_clock_and_resume_adds_the_days(register, handler):
    obj = register()  # aanvraag, due Tuesday 19 May
    stopped = suspend(obj, handler, D(2026, 4, 1))
    stored = fresh(stopped)
    assert stored.state == RequestState.SUSPENDED
    assert stored.due_date is None
    # From 1 April to 19 May: 48 days were left.
    assert stored.days_left == 48
    assert "48 dagen" in stored.due_explanation
    assert stored.original_due_date == D(2026, 5, 19)

    services.resume(user=handler, request=obj, ends_on=D(2026, 4, 11))
    stored = fresh(obj)
    assert stored.state == RequestState.OPEN
    assert stored.days_left is None
    # Awb 4:15 lid 1: stopped from the day after the invitation (2 April) until the day the
    # request was completed (11 April), which counts again: 2-10 April, 9 days. 19 May + 9 =
    # Thursday 28 May (= 11 April as the first day of the 48 days left).
    assert stored.due_date == D(2026, 5, 28)
    assert stored.original_due_date == D(2026, 5, 19)
    assert "9 dagen opschorting" in stored.due_explanation
    assert [(s.starts_on, s.ends_on, s.days) for s in stored.suspensions.all()] == [
        (D(2026, 4, 1), D(2026, 4, 11), 9)
    ]


def test_two_suspensions_in_a_row_add_up(register, handler):
    obj = register()  # due 19 May
    suspend(obj, handler, D(2026, 4, 1))
    services.resume(user=handler, request=obj, ends_on=D(2026, 4, 11))  # 9 days: 28 May
    suspend(obj, handler, D(2026, 4, 13), reason="Bankafschriften ontbreken")
    stored = fresh(obj)
    assert stored.due_date is None
    assert stored.days_left == 45  # 13 April to 28 May
    services.resume(user=handler, request=obj, ends_on=D(2026, 4, 15))  # 14 April: 1 more day
    # 19 May + 10 days = Friday 29 May.
    stored = fresh(obj)
    assert stored.due_date == D(2026, 5, 29)
    assert "10 dagen opschorting" in stored.due_explanation


def test_a_resumed_term_ending_on_a_holiday_runs_on(register, handler):
    obj = register("woo-verzoek")  # due Tuesday 21 April
    suspend(obj, handler, D(2026, 4, 10))
    services.resume(user=handler, request=obj, ends_on=D(2026, 4, 15))
    # 21 April + 5 days = Sunday 26 April; Monday 27 April is Koningsdag → Tuesday 28 April.
    assert fresh(obj).due_date == D(2026, 4, 28)


@pytest.mark.parametrize(
    ("starts_on", "now"),
    [
        (D(2026, 3, 23), NOW),  # before the receipt on 24 March
        (D(2026, 4, 16), NOW),  # tomorrow
        (D(2026, 4, 22), at(D(2026, 4, 30))),  # after the due date of 21 April
    ],
)
def test_a_suspension_outside_the_term_is_refused(register, handler, frozen, starts_on, now):
    obj = register("woo-verzoek")  # due 21 April
    frozen.move_to(now)
    with pytest.raises(ValidationError) as exc:
        suspend(obj, handler, starts_on)
    assert set(exc.value.message_dict) == {"starts_on"}
    stored = fresh(obj)
    assert (stored.state, stored.due_date) == (RequestState.OPEN, D(2026, 4, 21))
    assert not Suspension.objects.exists()


def test_a_suspension_needs_a_reason(register, handler):
    obj = register()
    with pytest.raises(ValidationError) as exc:
        suspend(obj, handler, D(2026, 4, 1), reason=" ")
    assert set(exc.value.message_dict) == {"reason"}
    assert not Suspension.objects.exists()


def test_a_suspension_overlapping_the_earlier_one_is_refused(register, handler):
    obj = register()
    suspend(obj, handler, D(2026, 4, 1))
    services.resume(user=handler, request=obj, ends_on=D(2026, 4, 11))
    with pytest.raises(ValidationError) as exc:
        suspend(obj, handler, D(2026, 4, 5))
    assert set(exc.value.message_dict) == {"starts_on"}
    stored = fresh(obj)
    assert (stored.state, stored.due_date) == (RequestState.OPEN, D(2026, 5, 28))
    assert Suspension.objects.count() == 1


@pytest.mark.parametrize("ends_on", [D(2026, 4, 9), D(2026, 4, 16)])
def test_resuming_before_the_start_or_in_the_future_is_refused(register, handler, ends_on):
    obj = register()
    suspend(obj, handler, D(2026, 4, 10))
    with pytest.raises(ValidationError) as exc:
        services.resume(user=handler, request=obj, ends_on=ends_on)
    assert set(exc.value.message_dict) == {"ends_on"}
    stored = fresh(obj)
    assert (stored.state, stored.due_date) == (RequestState.SUSPENDED, None)
    assert Suspension.objects.get().ends_on is None


# ---- extension: only with a notice ----------------------------------------------------------------
def test_an_extension_always_comes_with_a_notice_and_a_letter(register, handler, resident):
    obj = register("woo-verzoek")  # due Tuesday 21 April
    extension = services.extend(user=handler, request=obj, reason="Er zijn veel stukken.")
    # 21 April + 2 weeks (Woo 4.4 lid 2) = 5 May, Bevrijdingsdag → Wednesday 6 May.
    assert (extension.kind, extension.term) == ("wettelijk", "P2W")
    assert extension.article == "Woo art. 4.4 lid 2"
    assert (extension.due_date_before, extension.due_date_after) == (D(2026, 4, 21), D(2026, 5, 6))
    stored = fresh(obj)
    assert stored.due_date == D(2026, 5, 6)
    assert stored.expected_on == D(2026, 5, 6)
    assert stored.original_due_date == D(2026, 4, 21)
    assert "Woo art. 4.4 lid 2" in stored.due_explanation

    notice = extension.notice
    assert notice.timely is True
    assert (notice.sent_on, notice.due_date_then, notice.expected_on) == (
        D(2026, 4, 15),
        D(2026, 4, 21),
        D(2026, 5, 6),
    )
    assert notice.sent_by == handler
    # The resident wants post: the message is a letter, with its PDF.
    message = notice.message
    assert message is not None and message.resident_id == resident.pk
    assert (message.channel, notice.channel) == ("post", "post")
    assert message.template_key == "verlenging"
    assert message.cause_id == str(obj.uuid)
    assert message.letter is not None
    assert bytes(message.letter.pdf).startswith(b"%PDF")
    assert message.letter.contact_phone == "+31534811234"  # the handler's direct number
    assert written()[2:] == (1, 1, 1, 1)


def test_an_extension_to_a_resident_who_wants_email_is_an_email(register, handler, enschede):
    resident = ResidentFactory(
        municipality=enschede, preferred_channel="email", email="anna@example.org"
    )
    obj = register("woo-verzoek", resident=resident)
    extension = services.extend(user=handler, request=obj, reason="Er zijn veel stukken.")
    message = extension.notice.message
    assert (message.channel, message.to, message.letter) == ("email", "anna@example.org", None)


def test_extending_after_the_term_expired_is_refused_and_writes_nothing(register, handler, frozen):
    obj = register("woo-verzoek")  # due 21 April
    before = written()
    frozen.move_to(at(D(2026, 4, 22), 0, 30))
    with pytest.raises(ValidationError) as exc:
        services.extend(user=handler, request=obj, reason="Te laat bedacht")
    assert exc.value.code == "term_expired"
    assert "dinsdag 21 april 2026" in exc.value.messages[0]
    assert written() == before
    assert fresh(obj).due_date == D(2026, 4, 21)


def test_extending_late_on_the_last_day_is_still_in_time(register, handler, frozen):
    obj = register("woo-verzoek")
    frozen.move_to(at(D(2026, 4, 21), 23, 30))  # 21:30 UTC, still the 21st in Enschede
    extension = services.extend(user=handler, request=obj, reason="Er zijn veel stukken.")
    assert extension.notice.timely is True
    assert fresh(obj).due_date == D(2026, 5, 6)


@pytest.mark.parametrize("code", ["aanvraag", "wmo-melding", "wmo-aanvraag"])
def test_no_extension_where_the_law_gives_none(register, handler, code):
    obj = register(code, received_on=D(2026, 4, 14))
    due = fresh(obj).due_date
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.extend(user=handler, request=obj, reason="Druk", term="P2W")
    assert exc.value.code == "no_extension"
    assert written() == before
    assert fresh(obj).due_date == due


@pytest.mark.parametrize(
    ("code", "term", "due"),
    [
        # bezwaar, due 6 May: at most 6 weeks; 3 weeks → Wednesday 27 May.
        ("bezwaar", "P3W", D(2026, 5, 27)),
        ("bezwaar", "P6W", D(2026, 6, 17)),
        ("bezwaar", "P42D", D(2026, 6, 17)),
        # klacht, due 6 May: at most 4 weeks → Wednesday 3 June.
        ("klacht", "P4W", D(2026, 6, 3)),
        # woo, due 21 April: 1 week → 28 April.
        ("woo-verzoek", "P1W", D(2026, 4, 28)),
    ],
)
def test_an_extension_up_to_the_legal_length_is_allowed(register, handler, code, term, due):
    extra = {"decision_published_on": D(2026, 2, 10)} if code == "bezwaar" else {}
    obj = register(code, **extra)
    services.extend(user=handler, request=obj, reason="Advies komt later", term=term)
    assert fresh(obj).due_date == due


@pytest.mark.parametrize(
    ("code", "term"),
    [("bezwaar", "P7W"), ("bezwaar", "P2M"), ("klacht", "P5W"), ("woo-verzoek", "P15D")],
)
def test_a_longer_extension_than_the_law_allows_is_refused(register, handler, code, term):
    extra = {"decision_published_on": D(2026, 2, 10)} if code == "bezwaar" else {}
    obj = register(code, **extra)
    due = fresh(obj).due_date
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.extend(user=handler, request=obj, reason="Advies komt later", term=term)
    assert set(exc.value.message_dict) == {"term"}
    assert written() == before
    assert fresh(obj).due_date == due


def test_a_term_that_is_no_term_is_refused(register, handler):
    obj = register("woo-verzoek")
    with pytest.raises(ValidationError) as exc:
        services.extend(user=handler, request=obj, reason="Druk", term="twee weken")
    assert set(exc.value.message_dict) == {"term"}
    assert not Extension.objects.exists()


def test_an_extension_needs_a_reason_the_resident_reads(register, handler):
    obj = register("woo-verzoek")
    with pytest.raises(ValidationError) as exc:
        services.extend(user=handler, request=obj, reason="  ")
    assert set(exc.value.message_dict) == {"reason"}
    assert written()[2:] == (0, 0, 0, 0)


def test_avg_extension_of_two_months_under_eu_law(register, handler, frozen):
    frozen.move_to(at(D(2026, 2, 20)))
    obj = register("avg-inzage", received_on=D(2026, 1, 31))  # due Monday 2 March
    services.extend(user=handler, request=obj, reason="Veel verzoeken tegelijk")
    # 2 March + 2 months = Saturday 2 May → Monday 4 May (4 May is no holiday).
    assert fresh(obj).due_date == D(2026, 5, 4)


def test_a_second_delay_of_a_bezwaar_only_with_the_residents_consent(register, handler):
    obj = register("bezwaar", decision_published_on=D(2026, 2, 10))  # due 6 May
    services.extend(user=handler, request=obj, reason="Advies van de commissie komt later")
    assert fresh(obj).due_date == D(2026, 6, 17)
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.extend(user=handler, request=obj, reason="Hoorzitting verplaatst", term="P4W")
    assert set(exc.value.message_dict) == {"consent_note"}
    with pytest.raises(ValidationError) as exc:
        services.extend(
            user=handler, request=obj, reason="Hoorzitting verplaatst", consent_note="Akkoord"
        )
    assert set(exc.value.message_dict) == {"term"}
    assert written() == before

    second = services.extend(
        user=handler,
        request=obj,
        reason="Hoorzitting verplaatst",
        term="P4W",
        consent_note="Mevrouw De Boer stemde telefonisch in op 15 april",
    )
    # 17 June + 4 weeks = Wednesday 15 July.
    assert (second.kind, second.due_date_before, second.due_date_after) == (
        "instemming",
        D(2026, 6, 17),
        D(2026, 7, 15),
    )
    assert second.consent_note == "Mevrouw De Boer stemde telefonisch in op 15 april"
    assert "7:10 lid 4" in second.article
    assert second.notice.message is not None
    assert fresh(obj).due_date == D(2026, 7, 15)
    assert fresh(obj).original_due_date == D(2026, 5, 6)


@pytest.mark.parametrize(
    ("code", "received_on"),
    [("klacht", RECEIVED), ("woo-verzoek", RECEIVED), ("avg-inzage", D(2026, 3, 27))],
)
def test_only_one_extension_where_the_law_gives_no_further_delay(
    register, handler, code, received_on
):
    obj = register(code, received_on=received_on)
    services.extend(user=handler, request=obj, reason="Er zijn veel stukken.")
    due = fresh(obj).due_date
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.extend(
            user=handler, request=obj, reason="Nog meer stukken", term="P1W", consent_note="Ja"
        )
    assert exc.value.code == "no_extension"
    assert written() == before
    assert fresh(obj).due_date == due


def test_no_extension_without_a_resident_to_tell(register, handler):
    obj = register("woo-verzoek", resident=None)
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.extend(user=handler, request=obj, reason="Er zijn veel stukken.")
    assert "Koppel eerst de inwoner" in exc.value.messages[0]
    assert written() == before
    assert fresh(obj).due_date == D(2026, 4, 21)


def test_no_extension_when_the_resident_cannot_be_reached(register, handler, enschede):
    unreachable = ResidentFactory(
        municipality=enschede, street="", postcode="", city="", phone="", email=""
    )
    obj = register("woo-verzoek", resident=unreachable)
    before = written()
    with pytest.raises(ValidationError):
        services.extend(user=handler, request=obj, reason="Er zijn veel stukken.")
    assert written() == before
    assert fresh(obj).due_date == D(2026, 4, 21)


# ---- the delay notice without an extension (Awb 4:14) ---------------------------------------------
NEW_DATE = D(2026, 6, 2)


def notify_delay(obj, user, expected_on=NEW_DATE, reason="Het advies van de GGD is er nog niet"):
    return services.send_delay_notice(
        user=user, request=obj, reason=reason, expected_on=expected_on
    )


def test_a_delay_notice_before_the_due_date_is_timely_and_moves_no_term(register, handler):
    # A statutory term (Wmo 2015 art. 2.3.2): 24 March + 6 weeks = 5 May (Bevrijdingsdag) → 6 May.
    obj = register("wmo-melding")
    notice = notify_delay(obj, handler)
    assert notice.timely is True
    assert (notice.sent_on, notice.due_date_then, notice.expected_on) == (
        D(2026, 4, 15),
        D(2026, 5, 6),
        D(2026, 6, 2),
    )
    assert notice.message.template_key == "vertragingsbericht"
    assert notice.message.channel == "post" and notice.message.letter is not None
    stored = fresh(obj)
    assert stored.due_date == D(2026, 5, 6)  # the legal term stays
    assert stored.expected_on == D(2026, 6, 2)
    assert not Extension.objects.exists()


@pytest.mark.parametrize(
    ("now", "timely"),
    [
        (at(D(2026, 5, 19), 23, 30), True),  # the last day, late in the evening
        (at(D(2026, 5, 20), 0, 30), False),  # half an hour later: 22:30 UTC on the 19th
        (at(D(2026, 5, 26)), False),
    ],
)
def test_a_delay_notice_after_the_due_date_is_recorded_as_late(
    register, handler, frozen, now, timely
):
    obj = register()  # due 19 May
    frozen.move_to(now)
    notice = notify_delay(obj, handler)
    assert notice.timely is timely
    assert notice.due_date_then == D(2026, 5, 19)
    assert notice.sent_on == now.date()
    # An aanvraag (Awb 4:13): only the notice in time names the new term (Awb 4:14 lid 3).
    assert fresh(obj).due_date == (D(2026, 6, 2) if timely else D(2026, 5, 19))


@pytest.mark.parametrize(
    ("expected_on", "now"),
    [
        (D(2026, 5, 19), NOW),  # the due date itself: no delay
        (D(2026, 5, 1), NOW),  # before the due date
        (D(2026, 5, 25), at(D(2026, 5, 25))),  # after the due date but today
        (D(2026, 5, 22), at(D(2026, 5, 25))),  # in the past
        ("2026-06-02", NOW),  # no date
    ],
)
def test_the_new_date_must_lie_after_the_due_date_and_today(
    register, handler, frozen, expected_on, now
):
    obj = register()
    frozen.move_to(now)
    with pytest.raises(ValidationError) as exc:
        notify_delay(obj, handler, expected_on=expected_on)
    assert set(exc.value.message_dict) == {"expected_on"}
    assert written()[2:] == (0, 0, 0, 0)
    assert fresh(obj).expected_on is None


def test_no_delay_notice_without_a_resident(register, handler):
    obj = register(resident=None)
    with pytest.raises(ValidationError) as exc:
        notify_delay(obj, handler)
    assert "Koppel eerst de inwoner" in exc.value.messages[0]
    assert written()[2:] == (0, 0, 0, 0)


@pytest.fixture
def team_without_phone(enschede):
    return TeamFactory(organisation=enschede, name="Wmo-loket", phone="")


@pytest.fixture
def handler_without_phone(enschede, team_without_phone):
    return staff(enschede, Role.BALIEMEDEWERKER, team=team_without_phone, direct_phone="")


def test_no_notice_without_a_direct_number_to_call(
    register, handler_without_phone, team_without_phone
):
    # Decision III: the letter names a direct number; 14 053 alone is not enough.
    obj = register(team=team_without_phone, handler_user=handler_without_phone)
    with pytest.raises(ValidationError) as exc:
        notify_delay(obj, handler_without_phone)
    assert "contact" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.extend(
            user=handler_without_phone,
            request=register("woo-verzoek", team=team_without_phone),
            reason="Veel stukken",
        )
    assert written()[1:] == (0, 0, 0, 0, 0)
    assert fresh(obj).expected_on is None


def test_without_a_direct_number_of_their_own_the_team_number_is_on_the_letter(
    register, enschede, team
):
    colleague = staff(enschede, Role.BALIEMEDEWERKER, team=team, direct_phone="")
    obj = register()
    notice = notify_delay(obj, colleague)
    assert notice.message.letter.contact_phone == "+31534819999"


# ---- deciding and withdrawing --------------------------------------------------------------------
def decide(obj, user, decided_on):
    return services.decide(user=user, request=obj, decided_on=decided_on, note="Toegekend")


@pytest.mark.parametrize(
    ("decided_on", "in_time"),
    [(D(2026, 4, 15), True), (D(2026, 5, 19), True), (D(2026, 5, 20), False)],
)
def test_deciding_in_time_or_late(register, handler, frozen, decided_on, in_time):
    obj = register()  # due 19 May
    frozen.move_to(at(D(2026, 5, 25)))
    decide(obj, handler, decided_on)
    stored = fresh(obj)
    assert stored.state == RequestState.DECIDED
    assert (stored.decided_on, stored.decided_in_time) == (decided_on, in_time)
    assert stored.decision_note == "Toegekend"


@pytest.mark.parametrize("decided_on", [D(2026, 4, 16), D(2026, 3, 23), "2026-04-15"])
def test_a_decision_in_the_future_or_before_the_receipt_is_refused(register, handler, decided_on):
    obj = register()
    with pytest.raises(ValidationError) as exc:
        decide(obj, handler, decided_on)
    assert set(exc.value.message_dict) == {"decided_on"}
    stored = fresh(obj)
    assert (stored.state, stored.decided_on) == (RequestState.OPEN, None)


def test_deciding_while_suspended_ends_the_suspension(register, handler):
    obj = register()  # due 19 May
    suspend(obj, handler, D(2026, 4, 1))
    decide(obj, handler, D(2026, 4, 15))
    stored = fresh(obj)
    assert stored.state == RequestState.DECIDED
    assert Suspension.objects.get().ends_on == D(2026, 4, 15)
    # 2-14 April suspended, 13 days: 19 May + 13 = Monday 1 June.
    assert stored.due_date == D(2026, 6, 1)
    assert stored.decided_in_time is True


def watch_task(obj) -> Task:
    return Task.objects.get(kind=WATCH, source_type="tracked_request", source_id=str(obj.uuid))


def test_deciding_closes_the_open_watch_task_of_that_request_only(register, handler, frozen):
    woo = register("woo-verzoek")  # due 21 April
    other = register("woo-verzoek", subject="Stukken over de nieuwe brug")
    services.warn_and_escalate(at(D(2026, 4, 15)))
    assert watch_task(woo).state == TaskState.OPEN
    frozen.move_to(at(D(2026, 4, 16)))
    decide(woo, handler, D(2026, 4, 16))
    task = watch_task(woo)
    assert (task.state, task.outcome, task.completed_by) == (TaskState.DONE, "besloten", handler)
    assert watch_task(other).state == TaskState.OPEN


def test_withdrawing_closes_the_request_and_its_task(register, handler):
    obj = register("woo-verzoek")
    services.warn_and_escalate(at(D(2026, 4, 15)))
    services.withdraw(user=handler, request=obj, note="Inwoner trekt het verzoek in")
    stored = fresh(obj)
    assert stored.state == RequestState.WITHDRAWN
    assert stored.decision_note == "Inwoner trekt het verzoek in"
    # The day it was closed (a running penalty stops there); no decision, so neither in time
    # nor late.
    assert stored.decided_on == services.today()
    assert stored.decided_in_time is None
    assert watch_task(obj).state == TaskState.DONE


# ---- the penalty (Awb 4:17) -----------------------------------------------------------------------
def default_notice(obj, user, received_on):
    return services.record_default_notice(user=user, request=obj, received_on=received_on)


def test_no_penalty_without_an_ingebrekestelling(register, frozen):
    obj = register()  # due 19 May
    frozen.move_to(at(D(2026, 9, 1)))
    assert services.penalty(fresh(obj), D(2026, 9, 1)) == (0, 0)


@pytest.mark.parametrize("received_on", [D(2026, 5, 10), D(2026, 5, 19), D(2026, 6, 1)])
def test_an_ingebrekestelling_only_after_the_due_date_and_not_in_the_future(
    register, handler, frozen, received_on
):
    obj = register()  # due 19 May
    frozen.move_to(at(D(2026, 5, 25)))
    with pytest.raises(ValidationError) as exc:
        default_notice(obj, handler, received_on)
    assert set(exc.value.message_dict) == {"received_on"}
    assert fresh(obj).default_notice_on is None


@pytest.mark.parametrize(
    ("on", "days", "euros"),
    [
        (D(2026, 6, 3), 0, 0),  # two weeks after 20 May have passed at the end of 3 June
        (D(2026, 6, 4), 1, 23),
        (D(2026, 6, 17), 14, 14 * 23),
        (D(2026, 6, 18), 15, 14 * 23 + 35),
        (D(2026, 7, 1), 28, 14 * 23 + 14 * 35),
        (D(2026, 7, 2), 29, 14 * 23 + 14 * 35 + 45),
        (D(2026, 7, 15), 42, 1442),
        (D(2026, 9, 1), 42, 1442),  # 42 days at most
    ],
)
def test_the_penalty_runs_two_weeks_after_the_ingebrekestelling(
    register, handler, frozen, on, days, euros
):
    obj = register()  # aanvraag, due Tuesday 19 May
    frozen.move_to(at(D(2026, 5, 20)))
    default_notice(obj, handler, D(2026, 5, 20))
    stored = fresh(obj)
    assert stored.default_notice_on == D(2026, 5, 20)
    assert services.penalty(stored, on) == (days, euros)


def test_the_penalty_counts_from_the_later_of_due_date_and_ingebrekestelling(
    register, handler, frozen
):
    obj = register()  # due 19 May
    frozen.move_to(at(D(2026, 6, 1)))
    default_notice(obj, handler, D(2026, 6, 1))
    stored = fresh(obj)
    # 1 June + two weeks = 15 June: the first day is 16 June.
    assert services.penalty(stored, D(2026, 6, 15)) == (0, 0)
    assert services.penalty(stored, D(2026, 6, 16)) == (1, 23)
    # Were the due date later than the receipt (a term moved afterwards), it would count.
    stored.due_date = D(2026, 6, 5)
    assert services.penalty(stored, D(2026, 6, 19)) == (0, 0)
    assert services.penalty(stored, D(2026, 6, 20)) == (1, 23)


def test_the_penalty_stops_at_the_decision(register, handler, frozen):
    obj = register()
    frozen.move_to(at(D(2026, 5, 20)))
    default_notice(obj, handler, D(2026, 5, 20))
    frozen.move_to(at(D(2026, 6, 10)))
    decide(obj, handler, D(2026, 6, 10))
    stored = fresh(obj)
    assert stored.decided_in_time is False
    # 4 to 9 June: 6 days; the day of the decision no longer counts.
    assert services.penalty(stored, D(2026, 9, 1)) == (6, 6 * 23)
    assert services.penalty(stored) == (6, 6 * 23)


def test_a_wmo_aanvraag_has_a_penalty_too(register, handler, frozen):
    obj = register("wmo-aanvraag")  # 24 March + 2 weeks: due Tuesday 7 April
    default_notice(obj, handler, D(2026, 4, 8))
    # 8 April + two weeks = 22 April: from 23 April; on 24 April two days.
    assert services.penalty(fresh(obj), D(2026, 4, 24)) == (2, 46)


@pytest.mark.parametrize("code", ["klacht", "woo-verzoek", "wmo-melding", "avg-inzage"])
def test_no_penalty_for_types_without_one(register, handler, frozen, code):
    obj = register(code, received_on=D(2026, 3, 2))
    frozen.move_to(at(D(2026, 6, 1)))
    stored = fresh(obj)
    default_notice(obj, handler, stored.due_date + dt.timedelta(days=1))
    assert services.penalty(fresh(obj), D(2026, 9, 1)) == (0, 0)


# ---- bugs ---------------------------------------------------------------------------------------
def test_the_penalty_stops_when_the_request_is_withdrawn(register, handler, frozen):
    obj = register()  # due 19 May
    frozen.move_to(at(D(2026, 5, 20)))
    default_notice(obj, handler, D(2026, 5, 20))
    frozen.move_to(at(D(2026, 6, 10)))
    services.withdraw(user=handler, request=obj, note="Inwoner trekt het verzoek in")
    stored = fresh(obj)
    assert services.penalty(stored, D(2026, 9, 1)) == services.penalty(stored, D(2026, 6, 10))


def test_a_handler_without_a_contact_role_is_refused(register, management_enschede):
    with pytest.raises(ValidationError) as exc:
        register(handler_user=management_enschede)
    assert set(exc.value.message_dict) == {"handler"}
