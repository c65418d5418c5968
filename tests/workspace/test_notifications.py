"""Notifications on the start page (issue 8): the work first, then the notifications grouped
with a true unread count, "Alles gelezen" and per-group read; and each notification in the
reader's language, whoever wrote it (a message id with parameters, translated when shown)."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from eenloket.core import formatting
from eenloket.core.models import Notification
from eenloket.core.notifications import notify
from eenloket.referrals import services

from ..factories import ContactMomentFactory, ResidentFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def html(response) -> str:
    return response.content.decode()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def referral(counter_enschede, enschede, enschede_location, uwv):
    contact = ContactMomentFactory(
        organisation=enschede,
        location=enschede_location,
        staff=counter_enschede,
        resident=ResidentFactory(),
        question="Mijn WW stopt",
    )
    return services.create_referral(
        user=counter_enschede,
        contact=contact,
        to_organisation=uwv,
        reason="Vraag over WW",
        preferred_channel="telefoon",
    )


# --- the reader's language ---------------------------------------------------------------------


def test_a_notification_written_in_english_mode_reads_dutch_for_a_dutch_reader(
    ui_as, counter_enschede, uwv_staff, referral
):
    with translation.override("en"):  # the UWV colleague works in English
        services.accept(user=uwv_staff, referral=referral)
    note = Notification.objects.get(user=counter_enschede)
    assert note.message_id == "%(org)s heeft uw doorverwijzing geaccepteerd."
    assert note.params == {"org": "UWV"}
    assert note.text == "UWV heeft uw doorverwijzing geaccepteerd."  # Dutch, for the admin
    assert note.link == reverse("referrals:detail", args=[referral.uuid])

    dutch = html(ui_as(counter_enschede).get("/"))
    assert "UWV heeft uw doorverwijzing geaccepteerd." in dutch
    assert "has accepted" not in dutch
    page = html(english(ui_as(counter_enschede)).get("/"))
    assert "UWV has accepted your referral." in page
    assert "heeft uw doorverwijzing" not in page


def test_escalation_label_and_deadline_follow_the_readers_language(
    ui_as, counter_enschede, referral
):
    services.escalate_overdue(now=referral.contact_due_at + dt.timedelta(days=3))
    notes = Notification.objects.filter(user=counter_enschede, message_id__startswith="Te laat")
    accept = notes.get(params__what__msgid="niet op tijd geaccepteerd")
    assert accept.params["deadline"] == {"datetime": referral.accept_due_at.isoformat()}
    with translation.override("nl"):
        dutch_deadline = formatting.long_datetime(referral.accept_due_at)
    with translation.override("en"):
        english_date = formatting.long_date(referral.accept_due_at)
    assert re.search(r"^\w+dag \d+ \w+ 20\d\d om \d\d:\d\d$", dutch_deadline)
    assert f"(norm: {dutch_deadline})" in accept.text  # never "02-12-2026 23:59"

    dutch = html(ui_as(counter_enschede).get("/meldingen/"))
    assert "niet op tijd geaccepteerd (norm: " + dutch_deadline in dutch
    page = html(english(ui_as(counter_enschede)).get("/meldingen/"))
    assert "Overdue: referral from Gemeente Enschede to UWV: not accepted in time" in page
    assert english_date in page  # e.g. "Tuesday 1 December 2026"
    assert "niet op tijd" not in page


def test_rows_from_before_message_ids_show_their_stored_text(ui_as, counter_enschede):
    Notification.objects.create(user=counter_enschede, text="Een oude melding in het Nederlands.")
    Notification.objects.create(
        user=counter_enschede,
        text="Tekst zoals geschreven.",
        message_id="%(org)s heeft uw doorverwijzing geaccepteerd.",
        params={},  # does not fit the message: the stored text is shown, not an error
    )
    for client in (ui_as(counter_enschede), english(ui_as(counter_enschede))):
        page = html(client.get("/"))
        assert "Een oude melding in het Nederlands." in page
        assert "Tekst zoals geschreven." in page


# --- grouped, counted, work first ----------------------------------------------------------------


@pytest.fixture
def inbox(counter_enschede, uwv_staff):
    """35 unread notifications: 20 of one kind (each about another referral), 2 each of seven
    other organisations, one old row; and one of someone else."""
    for i in range(20):
        with time_machine.travel(T0 + dt.timedelta(minutes=i), tick=False):
            notify(
                [counter_enschede],
                "%(org)s heeft de inwoner geholpen.",
                f"/doorverwijzingen/00000000-0000-0000-0000-{i:012d}/",
                params={"org": "Sociaal raadslieden"},
            )
    for n in range(7):
        for i in range(2):
            with time_machine.travel(T0 - dt.timedelta(hours=n + 1, minutes=i), tick=False):
                notify(
                    [counter_enschede],
                    "%(org)s heeft uw doorverwijzing geaccepteerd.",
                    "/doorverwijzingen/",
                    params={"org": f"Organisatie {n}"},
                )
    with time_machine.travel(T0 - dt.timedelta(days=2), tick=False):
        Notification.objects.create(user=counter_enschede, text="Oude melding")
    notify([uwv_staff], "%(org)s heeft de inwoner geholpen.", params={"org": "CAK"})
    assert Notification.objects.filter(user=counter_enschede, read_at__isnull=True).count() == 35


def test_start_page_shows_the_true_unread_count_and_groups_newest_first(
    ui_as, counter_enschede, inbox, django_assert_max_num_queries
):
    client = ui_as(counter_enschede)
    with django_assert_max_num_queries(20):
        response = client.get("/")
    page = html(response)
    assert response.context["unread_count"] == 35
    assert 'Meldingen <span class="notifications__count">(35 ongelezen)' in page
    assert "Meldingen: 35 ongelezen" in page  # in the work overview, a link down to them
    groups = response.context["notification_groups"]
    assert len(groups) == 5  # bounded; the rest behind "meer meldingen tonen"
    assert [g.count for g in groups] == [20, 2, 2, 2, 2]
    assert groups[0].text == "Sociaal raadslieden heeft de inwoner geholpen."
    assert [g.text for g in groups[1:3]] == [
        "Organisatie 0 heeft uw doorverwijzing geaccepteerd.",
        "Organisatie 1 heeft uw doorverwijzing geaccepteerd.",
    ]
    assert page.count("Sociaal raadslieden heeft de inwoner geholpen.") == 2  # text + button
    assert "20 meldingen" in page
    assert page.count('class="notification"') == 5
    assert 'href="/meldingen/"' in page and "Meer meldingen tonen (nog 4 soorten)" in page

    everything = client.get("/meldingen/")
    assert len(everything.context["notification_groups"]) == 9
    assert "Oude melding" in html(everything)
    # each notification of the big group is one link away
    for i in (0, 19):
        assert f'href="/doorverwijzingen/00000000-0000-0000-0000-{i:012d}/"' in html(everything)


def test_work_comes_before_the_notifications(ui_as, counter_enschede, enschede, inbox):
    ContactMomentFactory(organisation=enschede, staff=counter_enschede, outcome="terugbelverzoek")
    page = html(ui_as(counter_enschede).get("/"))
    notifications = page.index('id="kop-meldingen"')
    for work in ("kop-doorverwijzingen", "kop-mijn-taken", "kop-team-taken", "kop-recent"):
        assert page.index(f'id="{work}"') < notifications, work
    assert page.index('href="/inwoners/"') < notifications


def test_alles_gelezen_marks_every_own_unread_notification(ui_as, counter_enschede, inbox):
    client = ui_as(counter_enschede)
    assert client.get(reverse("notifications-read-all")).status_code == 405  # POST only
    response = client.post(reverse("notifications-read-all"))
    assert response.status_code == 302 and response.url == "/"
    assert not Notification.objects.filter(user=counter_enschede, read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # someone else's
    page = html(client.get("/"))
    assert "35 meldingen zijn gelezen." in page
    assert "U heeft geen nieuwe meldingen." in page and "(0 ongelezen)" in page


def test_a_group_is_marked_read_at_once_and_only_your_own(
    ui_as, counter_enschede, uwv_staff, inbox
):
    client = ui_as(counter_enschede)
    big = client.get("/").context["notification_groups"][0]
    others = Notification.objects.get(user=uwv_staff)
    response = client.post(
        reverse("notifications-group-read"),
        {"melding": [*map(str, big.uuids), str(others.uuid), "geen-id"], "next": "/meldingen/"},
    )
    assert response.status_code == 302 and response.url == "/meldingen/"
    unread = Notification.objects.filter(user=counter_enschede, read_at__isnull=True)
    assert unread.count() == 15
    assert not unread.filter(message_id="%(org)s heeft de inwoner geholpen.").exists()
    others.refresh_from_db()
    assert others.read_at is None
    page = html(client.get("/meldingen/"))
    assert "20 meldingen zijn gelezen." in page and "Sociaal raadslieden heeft" not in page

    # A "next" to another site is not followed.
    response = client.post(reverse("notifications-group-read"), {"next": "https://example.org/"})
    assert response.url == "/"
