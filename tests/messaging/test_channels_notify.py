"""The NotifyNL adapter's contract against the local Notify fake over a real socket: the client's
JWT accepted, reference = message uuid, 4xx not retried, 5xx and timeouts retried, a resend looks
the reference up first, delivery receipts through the callback endpoint; the sms gateway too."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from notifications_python_client.notifications import NotificationsAPIClient

from eenloket.messaging import outbox
from eenloket.messaging.channels import PermanentError, get_channel
from eenloket.messaging.models import ChannelSettings, DeliveryAttempt, MessageState

from .conftest import NOTIFY_EMAIL_TEMPLATE, NOTIFY_SMS_TEMPLATE, make_message

S = MessageState
R = DeliveryAttempt.Result
T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("manual_delivery")]


def later(minutes):
    return T0 + dt.timedelta(minutes=minutes)


def test_fake_refuses_a_wrong_key(notify_fake):
    wrong = NotificationsAPIClient(
        "x-" + notify_fake.service_id + "-" + "0" * 8 + "-0000-4000-8000-" + "0" * 12,
        base_url=notify_fake.base_url,
    )
    from notifications_python_client.errors import HTTPError

    with pytest.raises(HTTPError) as refused:
        wrong.send_email_notification("a@example.org", NOTIFY_EMAIL_TEMPLATE)
    assert refused.value.status_code == 403


def test_email_through_notify_with_reference(enschede, notify_fake):
    message = make_message(enschede, subject="Uw afspraak", body="Tot dinsdag.")
    assert outbox.deliver_due(T0) == 1
    message.refresh_from_db()
    [sent] = notify_fake.sent("email")
    assert message.state == S.SENT and message.provider_id == sent["id"]
    assert sent["reference"] == str(message.uuid)
    assert sent["email_address"] == message.to
    assert sent["template"]["id"] == NOTIFY_EMAIL_TEMPLATE
    assert (sent["subject"], sent["body"]) == ("Uw afspraak", "Tot dinsdag.")
    # the first attempt does not look anything up
    assert [r.method for r in notify_fake.requests] == ["POST"]


def test_sms_through_notify(enschede, notify_fake):
    message = make_message(enschede, channel="sms", to="+31612345678", body="Wij bellen u.")
    outbox.deliver_due(T0)
    [sent] = notify_fake.sent("sms")
    assert sent["phone_number"] == "+31612345678" and sent["body"] == "Wij bellen u."
    assert sent["template"]["id"] == NOTIFY_SMS_TEMPLATE
    message.refresh_from_db()
    assert message.state == S.SENT


def test_4xx_is_not_retried(enschede, notify_fake):
    message = make_message(enschede)
    notify_fake.fail_next(1, status=400)
    outbox.deliver_due(T0)
    message.refresh_from_db()
    assert message.state == S.DEAD and message.attempts == 1
    assert message.last_error.startswith("NotifyNL 400")
    assert outbox.deliver_due(later(600)) == 0
    assert len(notify_fake.sends()) == 1


def test_5xx_is_retried_with_a_lookup_first(enschede, notify_fake):
    message = make_message(enschede)
    notify_fake.fail_next(2, status=500)
    outbox.deliver_due(T0)
    message.refresh_from_db()
    assert message.state == S.QUEUED and message.last_error.startswith("NotifyNL 500")
    outbox.deliver_due(later(2))
    outbox.deliver_due(later(10))
    message.refresh_from_db()
    assert message.state == S.SENT and message.attempts == 3
    assert [a.result for a in message.delivery_attempts.all()] == [R.TEMPORARY, R.TEMPORARY, R.OK]
    # before each resend the reference was looked up
    methods = [(r.method, r.query.get("reference")) for r in notify_fake.requests]
    ref = str(message.uuid)
    assert methods == [("POST", None), ("GET", ref), ("POST", None), ("GET", ref), ("POST", None)]
    assert len(notify_fake.sent()) == 1


def test_timeout_is_retried_and_not_sent_twice(enschede, notify_fake):
    """Notify took it but answered too late: the resend finds it by its reference."""
    message = make_message(enschede)
    notify_fake.hang_next(1, seconds=5, record=True)
    outbox.deliver_due(T0)
    message.refresh_from_db()
    assert message.state == S.QUEUED and message.last_error.startswith("NotifyNL 503")
    outbox.deliver_due(later(2))
    message.refresh_from_db()
    [sent] = notify_fake.sent()
    assert message.state == S.SENT and message.provider_id == sent["id"]
    assert [a.result for a in message.delivery_attempts.all()] == [R.TEMPORARY, R.ALREADY_SENT]
    assert len(notify_fake.sends()) == 1


def test_timeout_without_notification_is_sent_again(enschede, notify_fake):
    message = make_message(enschede)
    notify_fake.hang_next(1, seconds=5, record=False)
    outbox.deliver_due(T0)
    outbox.deliver_due(later(2))
    message.refresh_from_db()
    assert message.state == S.SENT and len(notify_fake.sent()) == 1


def test_notify_unreachable_is_temporary(enschede, notify_fake, settings):
    settings.NOTIFY_BASE_URL = "http://127.0.0.1:1"
    message = make_message(enschede)
    outbox.deliver_due(T0)
    message.refresh_from_db()
    assert message.state == S.QUEUED and message.last_error.startswith("NotifyNL 503")


def test_missing_key_is_permanent_with_a_clear_reason(enschede, notify_fake, settings):
    settings.NOTIFY_API_KEY = ""
    message = make_message(enschede)
    outbox.deliver_due(T0)
    message.refresh_from_db()
    assert message.state == S.DEAD
    assert message.last_error == (
        "NotifyNL is niet ingesteld: de API-sleutel of het adres ontbreekt."
    )


def test_organisation_settings_choose_the_channel_and_key(
    enschede, maastricht, notify_fake, smtp_server, settings, monkeypatch
):
    settings.MESSAGING_EMAIL_VIA = "smtp"
    settings.NOTIFY_API_KEY = ""
    monkeypatch.setenv("NOTIFY_KEY_ENSCHEDE", notify_fake.api_key)
    ChannelSettings.objects.create(
        organisation=enschede,
        email_via="notify",
        notify_base_url=notify_fake.base_url,
        notify_api_key_env="NOTIFY_KEY_ENSCHEDE",
        notify_email_template_id=NOTIFY_EMAIL_TEMPLATE,
    )
    via_notify = make_message(enschede, 1)
    via_smtp = make_message(maastricht, 2)
    assert get_channel(via_notify).name == "notify"
    assert get_channel(via_smtp).name == "email_smtp"
    outbox.deliver_due(T0)
    assert [n["reference"] for n in notify_fake.sent()] == [str(via_notify.uuid)]
    assert smtp_server.message_ids() == [f"<{via_smtp.uuid}@eenloket.nl>"]


def test_portal_falls_back_to_email(enschede, smtp_server):
    message = make_message(enschede, channel="portaal")
    assert get_channel(message).name == "email_smtp"
    outbox.deliver_due(T0)
    assert smtp_server.message_ids() == [f"<{message.uuid}@eenloket.nl>"]


def test_sms_without_a_channel_is_a_dead_letter(enschede, settings):
    settings.MESSAGING_SMS_VIA = "geen"
    message = make_message(enschede, channel="sms", to="+31612345678")
    outbox.deliver_due(T0)
    message.refresh_from_db()
    assert message.state == S.DEAD and "sms" in message.last_error


def test_post_channel_never_sends():
    from eenloket.messaging.channels.post import PostChannel

    with pytest.raises(PermanentError):
        PostChannel().send(None)


# ---- receipts -------------------------------------------------------------------------------------
URL = "/api/v1/messages/receipts/notify/"


@pytest.fixture
def callback_token(settings):
    settings.NOTIFY_CALLBACK_TOKEN = "geheim-callback-token-1234567890"
    return settings.NOTIFY_CALLBACK_TOKEN


def post_receipt(client, payload, token):
    return client.post(
        URL,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_receipts_update_the_state(enschede, notify_fake, callback_token, client):
    delivered, bounced = make_message(enschede, 1), make_message(enschede, 2)
    outbox.deliver_due(T0)
    by_ref = {n["reference"]: n["id"] for n in notify_fake.sent()}
    ok = post_receipt(
        client, notify_fake.callback_payload(by_ref[str(delivered.uuid)]), callback_token
    )
    assert ok.status_code == 204, ok.content
    failed = notify_fake.callback_payload(by_ref[str(bounced.uuid)], "permanent-failure")
    assert post_receipt(client, failed, callback_token).status_code == 204
    delivered.refresh_from_db()
    bounced.refresh_from_db()
    assert delivered.state == S.DELIVERED and delivered.delivered_at is not None
    assert bounced.state == S.BOUNCED
    assert "bestaat niet" in bounced.last_error


def test_receipt_needs_the_token(enschede, notify_fake, callback_token, client):
    from ..conftest import problem

    message = make_message(enschede)
    outbox.deliver_due(T0)
    payload = notify_fake.callback_payload(notify_fake.sent()[0]["id"])
    problem(post_receipt(client, payload, "fout"), 401)
    problem(client.post(URL, data=payload, content_type="application/json"), 401)
    message.refresh_from_db()
    assert message.state == S.SENT


def test_receipt_refused_when_no_token_is_set(enschede, client, settings):
    from ..conftest import problem

    settings.NOTIFY_CALLBACK_TOKEN = ""
    problem(post_receipt(client, {"status": "delivered"}, ""), 401)


def test_receipt_bad_input_and_unknown(callback_token, client):
    from ..conftest import problem

    problem(post_receipt(client, {"status": "delivered"}, callback_token), 400)
    unknown = {"id": "x", "reference": "niet-een-uuid", "status": "delivered"}
    problem(post_receipt(client, unknown, callback_token), 404)


def test_receipt_for_a_cancelled_message_changes_nothing(
    enschede, notify_fake, callback_token, client, admin_enschede
):
    message = make_message(enschede)
    outbox.deliver_due(T0)
    payload = notify_fake.callback_payload(notify_fake.sent()[0]["id"], "permanent-failure")
    post_receipt(client, payload, callback_token)
    outbox.cancel(user=admin_enschede, message=message)
    payload["status"] = "delivered"
    assert post_receipt(client, payload, callback_token).status_code == 204
    message.refresh_from_db()
    assert message.state == S.CANCELLED


# ---- the plain sms gateway ------------------------------------------------------------------------
class Gateway:
    def __init__(self):
        self.replies = []
        self.received = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.received.append((dict(self.headers), body))
                status = owner.replies.pop(0) if owner.replies else 200
                data = json.dumps({"id": f"gw-{len(owner.received)}"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"


@pytest.fixture
def gateway(settings):
    gw = Gateway()
    settings.MESSAGING_SMS_VIA = "gateway"
    settings.SMS_GATEWAY_URL = gw.url
    settings.SMS_GATEWAY_TOKEN = "gw-token"
    yield gw
    gw.server.shutdown()
    gw.server.server_close()


def test_sms_gateway_with_idempotency_key_and_retries(enschede, gateway):
    message = make_message(enschede, channel="sms", to="+31612345678", body="Wij bellen u.")
    gateway.replies = [503]
    outbox.deliver_due(T0)
    outbox.deliver_due(later(5))
    message.refresh_from_db()
    assert message.state == S.SENT and message.provider_id == "gw-2"
    keys = {h["Idempotency-Key"] for h, _ in gateway.received}
    assert keys == {str(message.uuid)}  # the same key on the resend
    headers, body = gateway.received[-1]
    assert headers["Authorization"] == "Bearer gw-token"
    assert body == {"to": "+31612345678", "text": "Wij bellen u.", "reference": str(message.uuid)}


def test_sms_gateway_4xx_is_permanent(enschede, gateway):
    message = make_message(enschede, channel="sms", to="+31612345678")
    gateway.replies = [422]
    outbox.deliver_due(T0)
    message.refresh_from_db()
    assert message.state == S.DEAD and message.last_error.startswith("sms-gateway 422")
