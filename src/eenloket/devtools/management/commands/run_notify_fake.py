"""Run the local NotifyNL fake (devtools/notify_fake.py) until Ctrl-C, for the demo:

    python manage.py run_notify_fake --port 8132
    NOTIFY_BASE_URL=http://127.0.0.1:8132 NOTIFY_API_KEY=<printed key> MESSAGING_EMAIL_VIA=notify \
    NOTIFY_EMAIL_TEMPLATE_ID=<any uuid> python manage.py runserver"""

import threading

from django.core.management.base import BaseCommand

from eenloket.devtools.notify_fake import NotifyFake


class Command(BaseCommand):
    help = "Runs a local NotifyNL-compatible server (for the demo and manual tests)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8132)
        parser.add_argument("--api-key", default="", help="name-<service uuid>-<secret uuid>")

    def handle(self, *args, port, api_key, **options):
        fake = NotifyFake(port=port, api_key=api_key).start()
        self.stdout.write(f"NOTIFY_BASE_URL={fake.base_url}")
        self.stdout.write(f"NOTIFY_API_KEY={fake.api_key}")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            fake.stop()
