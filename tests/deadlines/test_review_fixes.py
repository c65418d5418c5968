"""The findings of the legal-terms review, one test (or a few) each: a back-dated suspension after
the term ended (Awb 4:15), the new term a notice names for an aanvraag (Awb 4:14 lid 3), equated
days that recount stored due dates (Atw art. 3 lid 3), one "told in time" predicate for the
sweep and the figures, the days a suspension stops the clock (Awb 4:15 lid 1), the respond-by
date that ends a suspension by itself, the first ingebrekestelling that counts (Awb 4:17), two
former 500s, the admin, the overview, the state table and Atw art. 4 with mixed units.

2026: Goede Vrijdag 3 April, Easter Monday 6 April, Koningsdag Monday 27 April, Bevrijdingsdag
Tuesday 5 May, Ascension 14 May, Whit Monday 25 May. Received Tuesday 24 March: an aanvraag is
due Tuesday 19 May, a Woo-verzoek Tuesday 21 April."""

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import EquatedDay, Notification
from eenloket.core.roles import Role
from eenloket.core.terms import Term, compute_due_date
from eenloket.deadlines import selectors, services
from eenloket.deadlines.models import (
    DelayNotice,
    Extension,
    RequestState,
    RequestType,
    Suspension,
    TrackedRequest,
)

from ..factories import staff

pytestmark = pytest.mark.django_db

D = dt.date
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)  # Wednesday


def at(day: dt.date, hour=10, minute=0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def fresh(obj) -> TrackedRequest:
    return TrackedRequest.objects.get(pk=obj.pk)


JUNE_2 = D(2026, 6, 2)


def notice(obj, user, expected_on=JUNE_2, reason="Wij wachten op een rapport."):
    return services.send_delay_notice(
        user=user, request=obj, reason=reason, expected_on=expected_on
    )


# ---- 1. a back-dated suspension after the term ended -------------------------------------------
def test_a_late_request_cannot_be_made_timely_with_a_back_dated_suspension(
    register, handler, frozen
):
    obj = register("woo-verzoek")  # due Tuesday 21 April
    frozen.move_to(at(D(2026, 4, 28)))
    with pytest.raises(ValidationError) as exc:
        services.suspend(
            user=handler, request=obj, starts_on=D(2026, 4, 10), reason="Stukken ontbreken"
        )
    assert exc.value.code == "term_expired"
    assert "dinsdag 21 april 2026" in exc.value.messages[0]
    assert not Suspension.objects.exists()
    # The notice sent now is late, and stays so.
    sent = notice(obj, handler, expected_on=D(2026, 5, 12))
    assert sent.timely is False
    assert fresh(obj).due_date == D(2026, 4, 21)


def test_the_api_refuses_a_back_dated_suspension_with_a_409(api_as, handler, register, frozen):
    obj = register("woo-verzoek")
    frozen.move_to(at(D(2026, 4, 28)))
    response = api_as(handler).post(
        f"/api/v1/requests/{obj.uuid}/suspend/",
        {"starts_on": "2026-04-10", "reason": "Stukken ontbreken"},
        format="json",
    )
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "term_expired"
    assert not Suspension.objects.exists()


def test_a_notice_while_a_suspension_entered_too_late_runs_is_not_timely(register, handler, frozen):
    """Data from before the fix: a suspension registered after the term ended. A notice sent
    while it runs is about the due date the clock stopped short of, and late."""
    obj = register("woo-verzoek")  # due 21 April
    Suspension.objects.create(
        request=obj,
        starts_on=D(2026, 4, 10),
        reason="Te laat ingevoerd",
        created_by=handler,
        created_at=at(D(2026, 4, 28)),
    )
    TrackedRequest.objects.filter(pk=obj.pk).update(
        state=RequestState.SUSPENDED, due_date=None, days_left=11
    )
    frozen.move_to(at(D(2026, 4, 29)))
    sent = notice(fresh(obj), handler, expected_on=D(2026, 5, 20))
    assert (sent.timely, sent.due_date_then) == (False, D(2026, 4, 21))


# ---- 2. Awb 4:14 lid 3: the notice names the new term of an aanvraag ---------------------------
def test_the_shared_aanvraag_names_a_new_term_in_its_notice():
    flags = dict(
        RequestType.objects.filter(organisation=None).values_list("code", "notice_sets_term")
    )
    assert flags["aanvraag"] is True
    assert not any(value for code, value in flags.items() if code != "aanvraag")


def test_a_timely_notice_on_an_aanvraag_sets_the_new_due_date(register, handler):
    obj = register()  # aanvraag, due 19 May
    sent = notice(obj, handler, expected_on=D(2026, 6, 6))  # a Saturday: kept as named
    extension = Extension.objects.get(request=obj)
    assert extension.kind == "mededeling"
    assert extension.notice_id == sent.pk
    assert extension.article == "Awb 4:14 lid 3"
    assert (extension.due_date_before, extension.due_date_after) == (D(2026, 5, 19), D(2026, 6, 6))
    stored = fresh(obj)
    assert stored.due_date == D(2026, 6, 6)
    assert stored.original_due_date == D(2026, 5, 19)
    assert "Awb 4:14 lid 3" in stored.due_explanation

    # A second notice names no new legal term: the article speaks of the Awb 4:13 term.
    notice(obj, handler, expected_on=D(2026, 7, 1))
    assert Extension.objects.filter(request=obj).count() == 1
    assert fresh(obj).due_date == D(2026, 6, 6)


def test_a_late_notice_on_an_aanvraag_moves_nothing(register, handler, frozen):
    obj = register()
    frozen.move_to(at(D(2026, 5, 20)))
    sent = notice(obj, handler, expected_on=D(2026, 6, 9))
    assert sent.timely is False
    assert not Extension.objects.exists()
    assert fresh(obj).due_date == D(2026, 5, 19)


def test_a_notice_on_a_type_with_a_statutory_term_moves_nothing(register, handler):
    obj = register("wmo-melding")  # due 6 May
    notice(obj, handler)
    assert not Extension.objects.exists()
    assert fresh(obj).due_date == D(2026, 5, 6)


def test_the_api_shows_the_new_term_of_an_aanvraag(api_as, handler, register):
    obj = register()
    body = (
        api_as(handler)
        .post(
            f"/api/v1/requests/{obj.uuid}/delay-notice/",
            {"reason": "Wij wachten op een rapport.", "expected_on": "2026-06-02"},
            format="json",
        )
        .json()
    )
    assert body["due_date"] == "2026-06-02"
    assert body["notices"][0]["extension"] is True
    assert body["extensions"][0]["kind"] == "mededeling"
    assert body["request_type"]["notice_sets_term"] is True


# ---- 3. an equated day recounts the stored due dates -------------------------------------------
@pytest.fixture
def keeper(enschede):
    user = staff(enschede, Role.FUNCTIONEEL_BEHEERDER)
    user.user_permissions.add(
        Permission.objects.get(codename="add_equatedday"),
        Permission.objects.get(codename="delete_equatedday"),
    )
    return user


def test_adding_and_removing_an_equated_day_recounts_open_requests(register, handler, keeper):
    obj = register()  # due Tuesday 19 May
    decided = register()
    services.decide(user=handler, request=decided, decided_on=D(2026, 4, 15))
    later = register("woo-verzoek", received_on=D(2026, 4, 15))  # due 13 May: before the day

    services.add_equated_day(user=keeper, day=D(2026, 5, 19), reason="Brugdag")
    stored = fresh(obj)
    assert stored.due_date == D(2026, 5, 20)
    assert "gelijkgesteld" in stored.due_explanation
    assert fresh(decided).due_date == D(2026, 5, 19)  # closed: as it was
    assert fresh(later).due_date == D(2026, 5, 13)

    services.remove_equated_day(user=keeper, equated=EquatedDay.objects.get())
    assert fresh(obj).due_date == D(2026, 5, 19)


# ---- 4. one predicate: told in time about the current due date ---------------------------------
def test_the_figures_count_only_a_notice_about_the_current_due_date(
    register, handler, enschede, frozen
):
    # A Woo-verzoek extended in time (its notice was about 21 April), then decided late.
    obj = register("woo-verzoek")
    services.extend(user=handler, request=obj, reason="Er zijn veel stukken.")  # due 6 May
    frozen.move_to(at(D(2026, 5, 8)))
    services.decide(user=handler, request=obj, decided_on=D(2026, 5, 8))
    figures = selectors.figures(enschede, start=D(2026, 4, 1), end=D(2026, 5, 8), on=D(2026, 5, 8))
    assert (figures.decided, figures.late) == (1, 1)
    assert figures.timely_notice == 0
    assert figures.late_without_notice == 1


def test_the_sweep_and_the_figures_share_the_predicate():
    from eenloket.deadlines import models

    assert selectors._timely_notice().query.where == models.told_for_due_date().query.where


# ---- 5. the days a suspension stops the clock (Awb 4:15 lid 1) ---------------------------------
@pytest.mark.parametrize(
    ("starts_on", "ends_on", "days"),
    [
        (D(2026, 4, 1), D(2026, 4, 1), 0),  # completed the day of the invitation
        (D(2026, 4, 1), D(2026, 4, 2), 0),  # the day after: the clock never stood still
        (D(2026, 4, 1), D(2026, 4, 3), 1),  # 2 April
        (D(2026, 4, 1), D(2026, 4, 11), 9),  # 2-10 April
    ],
)
def test_suspended_from_the_day_after_the_invitation_until_the_completion(starts_on, ends_on, days):
    assert Suspension(starts_on=starts_on, ends_on=ends_on).days == days


# ---- 6. the respond-by date ends a suspension by itself ------------------------------------------
def test_an_unanswered_suspension_ends_the_day_after_the_respond_by_date(register, handler, frozen):
    obj = register()  # due 19 May
    services.suspend(
        user=handler,
        request=obj,
        starts_on=D(2026, 4, 15),
        respond_by=D(2026, 4, 29),
        reason="Loonstroken ontbreken",
    )
    assert Suspension.objects.get().respond_by == D(2026, 4, 29)

    frozen.move_to(at(D(2026, 4, 29)))
    services.warn_and_escalate(at(D(2026, 4, 29)))
    assert fresh(obj).state == RequestState.SUSPENDED  # the last day to answer

    frozen.move_to(at(D(2026, 4, 30)))
    services.warn_and_escalate(at(D(2026, 4, 30)))
    stored = fresh(obj)
    assert stored.state == RequestState.OPEN
    assert Suspension.objects.get().ends_on == D(2026, 4, 30)
    # Stopped 16-29 April, 14 days: 19 May + 14 = Tuesday 2 June.
    assert stored.due_date == D(2026, 6, 2)
    [told] = Notification.objects.filter(user=handler, text__startswith="De termijn loopt weer")
    assert "niet aangevuld" in told.text and "2 juni 2026" in told.text

    services.warn_and_escalate(at(D(2026, 4, 30), 11))  # idempotent
    assert Notification.objects.filter(text__startswith="De termijn loopt weer").count() == 1


def test_resuming_after_the_respond_by_date_counts_to_the_day_after_it(register, handler, frozen):
    obj = register()
    services.suspend(
        user=handler,
        request=obj,
        starts_on=D(2026, 4, 1),
        respond_by=D(2026, 4, 8),
        reason="Loonstroken ontbreken",
    )
    services.resume(user=handler, request=obj, ends_on=D(2026, 4, 15))
    assert Suspension.objects.get().ends_on == D(2026, 4, 9)
    assert fresh(obj).due_date == D(2026, 5, 26)  # 19 May + 7 days (2-8 April)


def test_a_respond_by_date_before_the_invitation_is_refused(register, handler):
    obj = register()
    with pytest.raises(ValidationError) as exc:
        services.suspend(
            user=handler,
            request=obj,
            starts_on=D(2026, 4, 10),
            respond_by=D(2026, 4, 10),
            reason="Stukken",
        )
    assert set(exc.value.message_dict) == {"respond_by"}
    assert not Suspension.objects.exists()


def test_the_suspend_form_takes_the_respond_by_date(ui_as, handler, register):
    obj = register()
    response = ui_as(handler).post(
        f"/termijnen/{obj.uuid}/opschorten/",
        {
            "opschorten-starts_on": "2026-04-14",
            "opschorten-reason": "Loonstroken ontbreken",
            "opschorten-respond_by": "2026-04-28",
        },
    )
    assert response.status_code == 302
    assert Suspension.objects.get().respond_by == D(2026, 4, 28)
    page = ui_as(handler).get(f"/termijnen/{obj.uuid}/").content.decode()
    assert "aanvullen uiterlijk op dinsdag 28 april 2026" in page


# ---- 7. the first ingebrekestelling counts ---------------------------------------------------------
def test_a_second_ingebrekestelling_does_not_move_the_first(register, handler, frozen):
    obj = register()  # due 19 May
    frozen.move_to(at(D(2026, 6, 10)))
    services.record_default_notice(user=handler, request=obj, received_on=D(2026, 5, 20))
    with pytest.raises(ValidationError) as exc:
        services.record_default_notice(user=handler, request=obj, received_on=D(2026, 6, 1))
    assert "woensdag 20 mei 2026" in exc.value.message_dict["received_on"][0]
    with pytest.raises(ValidationError):  # the same one again
        services.record_default_notice(user=handler, request=obj, received_on=D(2026, 5, 20))
    assert fresh(obj).default_notice_on == D(2026, 5, 20)


def test_an_earlier_ingebrekestelling_replaces_a_later_one(register, handler, frozen):
    obj = register()
    frozen.move_to(at(D(2026, 6, 10)))
    services.record_default_notice(user=handler, request=obj, received_on=D(2026, 5, 28))
    services.record_default_notice(user=handler, request=obj, received_on=D(2026, 5, 21))
    assert fresh(obj).default_notice_on == D(2026, 5, 21)


# ---- 8. two former 500s ------------------------------------------------------------------------------
@pytest.mark.parametrize("regime", ["", "&regime=atw", "&regime=kalender"])
def test_the_calculator_explains_a_date_beyond_the_calendar(ui_as, handler, regime):
    response = ui_as(handler).get(f"/termijnen/rekenen/?start=9990-01-01&amount=99&unit=Y{regime}")
    assert response.status_code == 200
    assert "Kies een datum tussen 2000 en 2199." in response.content.decode()


def test_the_calculator_with_the_longest_term_from_the_last_day(ui_as, handler):
    response = ui_as(handler).get(
        "/termijnen/rekenen/?start=2199-12-31&amount=99&unit=Y&regime=atw"
    )
    assert response.status_code == 200
    assert "Uiterlijk op" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "", "999999"])
def test_removing_an_unknown_equated_day_says_so_on_the_page(ui_as, keeper, value):
    EquatedDay.objects.create(day=D(2027, 5, 7), reason="Vrijdag na Hemelvaartsdag")
    response = ui_as(keeper).post("/termijnen/feestdagen/", {"verwijder": value})
    assert response.status_code == 400
    assert "Deze dag staat niet (meer) in de lijst." in response.content.decode()
    assert EquatedDay.objects.count() == 1


# ---- 9. smaller ones ---------------------------------------------------------------------------------
def test_the_admin_deletes_no_requests_or_extensions(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    for model in (TrackedRequest, Extension):
        assert site._registry[model].has_delete_permission(request) is False


def test_the_overview_shows_one_uiterlijk_date_after_a_late_notice(
    ui_as, handler, register, resident, frozen
):
    from django.urls import reverse

    obj = register("wmo-melding")  # due 6 May
    notice(obj, handler, expected_on=D(2026, 6, 2))
    page = ui_as(handler).get(reverse("resident-overview", kwargs={"uuid": resident.uuid}))
    text = page.content.decode()
    assert (
        "Uiterlijk besluiten op woensdag 6 mei 2026 · bericht gestuurd op woensdag 15 april "
        "2026 (nieuwe datum in het bericht: dinsdag 2 juni 2026)" in text
    )
    assert "besluit uiterlijk" not in text


def test_no_ingebrekestelling_while_suspended(register, handler):
    obj = register()
    services.suspend(user=handler, request=obj, starts_on=D(2026, 4, 10), reason="Stukken")
    with pytest.raises(ValidationError) as exc:
        services.record_default_notice(user=handler, request=obj, received_on=D(2026, 4, 15))
    assert exc.value.code == "invalid_transition"
    assert "default-notice" not in selectors.available_actions(handler, fresh(obj))


@pytest.mark.parametrize(
    ("term", "beyond"),
    [
        (Term(months=2, weeks=6), True),  # 2 months and 6 weeks: more than 3 months
        (Term(months=1, weeks=10), True),  # 1 month and 70 days
        (Term(months=1, weeks=8), False),  # 1 month and 56 days: less than 3 months
        (Term(months=3), False),
        (Term(months=3, days=1), True),
        (Term(weeks=12, days=6), False),  # 90 days
        (Term(weeks=12, days=7), True),  # 91 days
    ],
)
def test_atw_art_4_with_mixed_units(term, beyond):
    assert term.beyond_atw(D(2026, 3, 24)) is beyond


def test_a_mixed_term_longer_than_three_months_is_not_moved_by_the_atw():
    # 24 March + 2 months = 24 May, + 6 weeks = Sunday 5 July: the Atw does not apply.
    result = compute_due_date(start=D(2026, 3, 24), term="P2M6W")
    assert result.due_date == D(2026, 7, 5)
    assert "Atw art. 4" in result.explanation
    assert DelayNotice.objects.count() == 0
