"""A small NotifyNL (GOV.UK Notify-compatible) server for tests and the demo: a real HTTP server
on 127.0.0.1 in a thread (stdlib only), spoken to by `notifications-python-client` as it is.

    with NotifyFake() as fake:
        settings.NOTIFY_BASE_URL, settings.NOTIFY_API_KEY = fake.base_url, fake.api_key
        fake.fail_next(2, status=500)           # the next two sends answer 500
        fake.hang_next(1, record=True)          # takes the next one, then answers too late
        ...
        fake.sent()                             # the notifications it took

Endpoints (v2 of the Notify API): POST /v2/notifications/email and /v2/notifications/sms
(201 with id, reference, content, template, uri), GET /v2/notifications?reference=…&status=…
and GET /v2/notifications/<id>. Every request must carry the client's JWT
(`Authorization: Bearer …`, HS256, `iss` = the service id, `iat` within 30 s), signed with the
secret of the API key `name-<service id>-<secret>`; otherwise 403 as Notify answers. A send
without a template id or address is a 400 (ValidationError). `requests` records every request
(method, path, query, JSON body) in order.

Programmed failures apply to the next sends (POSTs) in order: `fail_next(n, status)` answers
with that status; `hang_next(n, seconds, record=...)` keeps the connection waiting (the client
times out), after taking the notification first when `record` is true (Notify has it, the
sender does not know). `stop()` releases what still hangs.

`python manage.py run_notify_fake --port 8132` runs one for the demo."""

import datetime as dt
import json
import threading
import urllib.parse
import urllib.request
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    body: dict | None
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


class NotifyFake:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, api_key: str = ""):
        if api_key:
            self.service_id, self.secret = api_key[-73:-37], api_key[-36:]
        else:
            self.service_id, self.secret = str(uuid.uuid4()), str(uuid.uuid4())
        self.api_key = api_key or f"eenloket_fake-{self.service_id}-{self.secret}"
        self.requests: list[Recorded] = []
        self.notifications: dict[str, dict] = {}
        self._failures: deque = deque()
        self._lock = threading.Lock()
        self._release = threading.Event()
        self.hanging = threading.Event()  # set when a programmed hang begins
        self._host, self._port = host, port
        self._server = None
        self._thread = None

    # ---- running ----
    def start(self) -> "NotifyFake":
        fake = self

        class Handler(_Handler):
            owner = fake

        self._release.clear()
        self._server = ThreadingHTTPServer((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # ---- programming ----
    def fail_next(self, n: int = 1, status: int = 500) -> None:
        with self._lock:
            self._failures.extend([("status", status, False, 0.0)] * n)

    def hang_next(
        self, n: int = 1, seconds: float = 30.0, *, record: bool = False, after: int = 0
    ) -> None:
        """The next `n` sends (after `after` normal ones) hang for `seconds` or until
        `release()`; with `record`, the notification is taken first."""
        with self._lock:
            self._failures.extend([("ok", 0, True, 0.0)] * after)
            self._failures.extend([("hang", 0, record, seconds)] * n)

    def release(self) -> None:
        """End every hang now (and the ones still to come)."""
        self._release.set()

    def sent(self, kind: str | None = None) -> list[dict]:
        with self._lock:
            return [n for n in self.notifications.values() if kind in (None, n["type"])]

    def sends(self) -> list[Recorded]:
        """The send requests received (POSTs), failed ones included."""
        return [r for r in self.requests if r.method == "POST"]

    # ---- receipts ----
    def set_status(self, notification_id: str, status: str) -> dict:
        with self._lock:
            notification = self.notifications[notification_id]
            notification["status"] = status
            notification["completed_at"] = _now()
            return dict(notification)

    def callback_payload(self, notification_id: str, status: str = "delivered") -> dict:
        """The body Notify POSTs to the service's callback URL for a delivery receipt."""
        n = self.set_status(notification_id, status)
        return {
            "id": n["id"],
            "reference": n["reference"],
            "to": n.get("email_address") or n.get("phone_number"),
            "status": status,
            "created_at": n["created_at"],
            "completed_at": n["completed_at"],
            "sent_at": n["sent_at"],
            "notification_type": n["type"],
        }

    def send_callback(self, url: str, token: str, notification_id: str, status="delivered"):
        """POST the receipt to `url` with `Authorization: Bearer <token>`; returns the status."""
        body = json.dumps(self.callback_payload(notification_id, status)).encode()
        request = urllib.request.Request(  # noqa: S310 - the test's own callback URL
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    # ---- used by the handler ----
    def _next_failure(self):
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def _record(self, entry: Recorded) -> None:
        with self._lock:
            self.requests.append(entry)

    def _create(self, kind: str, body: dict) -> dict:
        notification_id = str(uuid.uuid4())
        personalisation = body.get("personalisation") or {}
        now = _now()
        notification = {
            "id": notification_id,
            "reference": body.get("reference"),
            "type": kind,
            "status": "sending",
            "template": {"id": body["template_id"], "version": 1, "uri": ""},
            "body": personalisation.get("body", ""),
            "subject": personalisation.get("subject") if kind == "email" else None,
            "created_at": now,
            "sent_at": now,
            "completed_at": None,
        }
        if kind == "email":
            notification["email_address"] = body["email_address"]
        else:
            notification["phone_number"] = body["phone_number"]
        with self._lock:
            self.notifications[notification_id] = notification
        return notification


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class _Handler(BaseHTTPRequestHandler):
    owner: NotifyFake
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (timeout)
            pass

    def _error(self, status: int, error: str, message: str) -> None:
        self._answer(
            status, {"status_code": status, "errors": [{"error": error, "message": message}]}
        )

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            self._error(401, "AuthError", "Unauthorized: authentication token must be provided")
            return False
        token = header[len("Bearer ") :]
        try:
            if get_token_issuer(token) != self.owner.service_id:
                raise TokenError("Invalid token: service not found")
            decode_jwt_token(token, self.owner.secret)
        except TokenError as exc:
            self._error(403, "AuthError", exc.message)
            return False
        return True

    def _parsed(self):
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        return url.path.rstrip("/"), query

    def do_POST(self):  # noqa: N802 - http.server's name
        path, query = self._parsed()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        self.owner._record(Recorded("POST", path, query, body))
        if not self._authorised():
            return
        kinds = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}
        if path not in kinds:
            self._error(404, "NotFound", "Not found")
            return
        kind = kinds[path]
        failure = self.owner._next_failure()
        if failure and failure[0] == "ok":
            failure = None
        if failure and failure[0] == "status":
            self._error(failure[1], "FakeError", f"Programmed failure {failure[1]}")
            return
        address = "email_address" if kind == "email" else "phone_number"
        if not isinstance(body, dict) or not body.get("template_id") or not body.get(address):
            self._error(400, "ValidationError", f"template_id and {address} are required")
            return
        notification = None
        if failure is None or failure[2]:
            notification = self.owner._create(kind, body)
        if failure and failure[0] == "hang":
            self.owner.hanging.set()
            self.owner._release.wait(failure[3])
            self.close_connection = True
            return
        content = {"body": notification["body"]}
        if kind == "email":
            content.update(subject=notification["subject"], from_email="noreply@notify.example")
        else:
            content["from_number"] = "EenLoket"
        self._answer(
            201,
            {
                "id": notification["id"],
                "reference": notification["reference"],
                "content": content,
                "uri": f"{self.owner.base_url}/v2/notifications/{notification['id']}",
                "template": notification["template"],
            },
        )

    def do_GET(self):  # noqa: N802
        path, query = self._parsed()
        self.owner._record(Recorded("GET", path, query, None))
        if not self._authorised():
            return
        if path == "/v2/notifications":
            found = [
                n
                for n in self.owner.sent()
                if ("reference" not in query or n["reference"] == query["reference"])
                and ("status" not in query or n["status"] == query["status"])
                and ("template_type" not in query or n["type"] == query["template_type"])
            ]
            found.reverse()  # newest first, as Notify lists them
            self._answer(
                200,
                {
                    "notifications": found,
                    "links": {"current": f"{self.owner.base_url}/v2/notifications"},
                },
            )
            return
        prefix = "/v2/notifications/"
        if path.startswith(prefix):
            notification = self.owner.notifications.get(path[len(prefix) :])
            if notification is not None:
                self._answer(200, notification)
                return
        self._error(404, "NoResultFound", "No result found")
