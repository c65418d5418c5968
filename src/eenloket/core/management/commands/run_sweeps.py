from django.core.management.base import BaseCommand

from eenloket.core import sweeps


class Command(BaseCommand):
    help = "Run every periodic sweep once (escalate overdue referrals, expire live consults)."

    def handle(self, *args, **options):
        for name, result in sweeps.run_all().items():
            self.stdout.write(f"{name}: {result}")
