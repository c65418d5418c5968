"""The "Berichten" screens of the functional admin: dead letters (retry, cancel), sent messages
(links clickable, the rest escaped), print batches; permissions across organisations; paging."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from eenloket.core.models import AccessLog
from eenloket.messaging.models import DeliveryAttempt, Message, MessageState

from ..factories import ResidentFactory
from .conftest import make_message, make_post_message

S = MessageState
URL = reverse("messaging:outbox")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("manual_delivery")]


def make_dead(organisation, n=0, attempts=3, reason="SMTP 421: Even niet", **kwargs):
    message = make_message(organisation, n, **kwargs)
    start = timezone.now() - dt.timedelta(hours=3)
    for i in range(attempts):
        DeliveryAttempt.objects.create(
            message=message,
            at=start + dt.timedelta(minutes=i * 5),
            result=DeliveryAttempt.Result.TEMPORARY,
            detail=reason,
        )
    Message.objects.filter(pk=message.pk).update(
        state=S.DEAD, attempts=attempts, last_error=reason, next_attempt_at=None
    )
    message.refresh_from_db()
    return message


def make_sent(organisation, n=0, **kwargs):
    message = make_message(organisation, n, **kwargs)
    Message.objects.filter(pk=message.pk).update(state=S.SENT, sent_at=timezone.now(), attempts=1)
    message.refresh_from_db()
    return message


def test_dead_letter_list_shows_the_reason_and_retries(enschede, admin_enschede, ui_as):
    resident = ResidentFactory()
    dead = make_dead(enschede, resident=resident)
    make_sent(enschede, 2)
    client = ui_as(admin_enschede)
    page = client.get(URL).content.decode()
    assert "SMTP 421: Even niet" in page and dead.recipient_name in page
    assert "Opnieuw proberen" in page and "Annuleren" in page
    assert "Uw terugbelverzoek 2" not in page  # the sent one is on its own tab
    assert 'href="/beheer-berichten/">Berichten</a>' in page.replace(' aria-current="page"', "")
    assert AccessLog.objects.filter(object_type="message-list", actor_id=str(admin_enschede.uuid))

    response = client.post(reverse("messaging:message-retry", args=[dead.uuid]), follow=True)
    assert "wordt opnieuw verstuurd" in response.content.decode()
    dead.refresh_from_db()
    assert dead.state == S.QUEUED and dead.attempts == 0

    # again: not in the list any more, a clear message, nothing changed
    response = client.post(reverse("messaging:message-retry", args=[dead.uuid]), follow=True)
    assert "kan niet: het bericht staat op" in response.content.decode()


def test_cancel_from_the_list(enschede, admin_enschede, ui_as):
    dead = make_dead(enschede)
    response = ui_as(admin_enschede).post(
        reverse("messaging:message-cancel", args=[dead.uuid]), follow=True
    )
    assert "is geannuleerd" in response.content.decode()
    dead.refresh_from_db()
    assert dead.state == S.CANCELLED


def test_steps_need_post(enschede, admin_enschede, ui_as):
    dead = make_dead(enschede)
    client = ui_as(admin_enschede)
    assert client.get(reverse("messaging:message-retry", args=[dead.uuid])).status_code == 405


def test_other_organisations_and_roles_are_refused(
    enschede, admin_maastricht, counter_enschede, ui_as, client
):
    dead = make_dead(enschede)
    other = ui_as(admin_maastricht)
    assert dead.recipient_name not in other.get(URL).content.decode()
    assert other.post(reverse("messaging:message-retry", args=[dead.uuid])).status_code == 404
    assert other.post(reverse("messaging:message-cancel", args=[dead.uuid])).status_code == 404
    counter = ui_as(counter_enschede)
    assert counter.get(URL).status_code == 403
    assert counter.post(reverse("messaging:message-retry", args=[dead.uuid])).status_code == 403
    assert "/beheer-berichten/" not in counter.get("/").content.decode()  # no menu item
    assert client.get(URL).status_code == 302  # to the login
    dead.refresh_from_db()
    assert dead.state == S.DEAD


def test_sent_messages_links_clickable_everything_else_escaped(enschede, admin_enschede, ui_as):
    make_sent(
        enschede,
        body="Bekijk https://www.enschede.nl/afspraak?id=7&x=1 of <script>alert(1)</script>.",
        subject="Uw <b>afspraak</b>",
    )
    page = ui_as(admin_enschede).get(URL, {"tab": "verzonden"}).content.decode()
    assert '<a href="https://www.enschede.nl/afspraak?id=7&amp;x=1"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Uw &lt;b&gt;afspraak&lt;/b&gt;" in page


def test_sent_messages_are_paged_without_flooding(
    enschede, admin_enschede, ui_as, django_assert_max_num_queries
):
    for n in range(30):
        make_sent(enschede, n, resident=ResidentFactory())
    client = ui_as(admin_enschede)
    with django_assert_max_num_queries(12):
        first = client.get(URL, {"tab": "verzonden"})
    html = first.content.decode()
    assert html.count('class="panel message"') == 25
    next_url = first.context["next_url"]
    second = client.get(next_url).content.decode()
    assert second.count('class="panel message"') == 5
    assert "Oudere berichten" not in second
    bad = client.get(URL, {"tab": "verzonden", "na": "kapot"}, follow=True)
    assert "Deze pagina-aanwijzer klopt niet." in bad.content.decode()


def test_print_batches_from_the_screen(enschede, admin_enschede, admin_maastricht, ui_as):
    make_post_message(enschede)
    make_post_message(enschede)
    client = ui_as(admin_enschede)
    page = client.get(URL, {"tab": "drukwerk"}).content.decode()
    assert "Er staan 2 brieven klaar voor de drukker." in page
    response = client.post(reverse("messaging:batch-create"), {"organisatie": enschede.code})
    assert response.status_code == 302
    page = client.get(URL, {"tab": "drukwerk"}).content.decode()
    assert "Er staan 0 brieven klaar" in page and "Batch maken" not in page
    batch = enschede.print_batches.get()
    pdf = client.get(reverse("messaging:batch-download", args=[batch.uuid, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and bytes(pdf.content).startswith(b"%PDF")
    manifest = client.get(reverse("messaging:batch-download", args=[batch.uuid, "csv"]))
    assert manifest.content.decode().startswith("bericht,naam,")
    other = ui_as(admin_maastricht)
    assert (
        other.get(reverse("messaging:batch-download", args=[batch.uuid, "pdf"])).status_code == 404
    )
    assert other.post(reverse("messaging:batch-sent", args=[batch.uuid])).status_code == 404

    response = client.post(reverse("messaging:batch-sent", args=[batch.uuid]), follow=True)
    assert "verstuurd naar de drukker" in response.content.decode()
    assert set(batch.messages.values_list("state", flat=True)) == {S.SENT}
    response = client.post(
        reverse("messaging:batch-create"), {"organisatie": enschede.code}, follow=True
    )
    assert "Er staan geen brieven klaar voor de drukker." in response.content.decode()


def test_django_admin_shows_messages_read_only_and_logs_the_read(enschede, ui_as):
    from ..factories import UserFactory

    superuser = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    dead = make_dead(enschede, resident=ResidentFactory())
    client = ui_as(superuser)
    assert client.get("/beheer/messaging/message/").status_code == 200
    detail = client.get(f"/beheer/messaging/message/{dead.pk}/change/")
    assert detail.status_code == 200 and "SMTP 421" in detail.content.decode()
    assert AccessLog.objects.filter(channel="admin", object_id=str(dead.uuid)).exists()
    assert client.get("/beheer/messaging/channelsettings/add/").status_code == 200
    assert client.get("/beheer/messaging/printbatch/").status_code == 200
