import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eenloket.devtools import demo
from eenloket.organisations.models import Organisation


class Command(BaseCommand):
    help = "Vul de database met demogegevens en toon de demo-logins."

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=240)
        parser.add_argument("--contacts", type=int, default=2400)
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="De poort waarop de demo draait (make demo geeft PORT door).",
        )

    def handle(self, *args, residents, contacts, port, **options):
        if Organisation.objects.filter(code="gemeente-enschede").exists():
            raise CommandError(
                "Er staan al demogegevens in deze database. Begin met een lege database."
            )
        if not os.environ.get("HELPED_CHECK_BASE_URL"):
            # Links in messages to residents point at the demo being served.
            settings.HELPED_CHECK_BASE_URL = f"http://127.0.0.1:{port}"
        if not os.environ.get("PUBLIC_BASE_URL"):
            settings.PUBLIC_BASE_URL = f"http://127.0.0.1:{port}"
        result = demo.load(residents=residents, contacts=contacts)
        out = self.stdout
        out.write(
            f"Demogegevens geladen: {result['residents']} inwoners, {result['contacts']} contactmomenten."
        )
        out.write(f"Voorbeeld: zoek op BSN {result['example']} (Fatima Yilmaz, Enschede).")
        out.write(f"Vraag 'bent u geholpen?' als inwoner beantwoorden: {result['answer_link']}")
        out.write(
            f"Afspraak maken als inwoner (zonder inloggen): http://127.0.0.1:{port}/afspraak/ "
            "— bijvoorbeeld AOW bij de SVB op het Stadhuis Maastricht; daarna als "
            "svb.medewerker onder Afspraken."
        )
        out.write(
            f"Termijnen (Awb, Algemene termijnenwet): http://127.0.0.1:{port}/termijnen/ — "
            "als enschede.wmo (taak: termijn loopt af), enschede.klachten (bezwaar verlengd "
            "met een brief per post) of enschede.management (de cijfers)."
        )
        out.write("")
        out.write(f"Demo-logins (wachtwoord voor iedereen: {demo.DEMO_PASSWORD}):")
        width = max(len(u) for u, _, _ in result["logins"])
        for username, org, role in result["logins"]:
            out.write(f"  {username.ljust(width)}  {role} — {org}")
        out.write(
            "Intermediairen (buurtkracht.*) loggen daarna in met een code uit hun app: "
            "`.venv/bin/python manage.py icp_demo_code buurtkracht.vrijwilliger` toont de "
            "code van nu (of zet de demosleutel GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ in een "
            f"authenticator-app). Hun pagina: http://127.0.0.1:{port}/icp/"
        )
        out.write("")
        out.write(f"Open http://127.0.0.1:{port}/ en log in, bijvoorbeeld als enschede.balie.")
