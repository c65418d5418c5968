from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from eenloket.intermediaries.totp import DEMO_KEY, current_code


class Command(BaseCommand):
    help = (
        "Toon de code die de app voor tweestapsverificatie nu laat zien, voor een "
        "intermediair uit de demo (alleen voor demo-accounts met de vaste demosleutel)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = (
            TOTPDevice.objects.filter(user__username=username, confirmed=True)
            .order_by("id")
            .first()
        )
        if device is None or device.key.lower() != DEMO_KEY:
            raise CommandError(f"{username} heeft geen demo-sleutel voor tweestapsverificatie.")
        self.stdout.write(current_code(device))
