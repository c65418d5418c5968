from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from eenloket.catalogue import selectors
from eenloket.organisations.models import Organisation


class Command(BaseCommand):
    help = 'Show the routing suggestions for a question: manage.py route "aow aanvragen"'

    def add_arguments(self, parser):
        parser.add_argument("question")
        parser.add_argument("--limit", type=int, default=5)
        parser.add_argument("--municipality", help="e.g. gemeente-enschede")

    def handle(self, *args, question, limit, municipality=None, **options):
        tenant = None
        if municipality:
            tenant = Organisation.objects.filter(code=municipality).first()
            if tenant is None:
                raise CommandError(f"Unknown municipality {municipality!r}")
        try:
            suggestions = selectors.suggest(question, limit=limit, tenant=tenant)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(m for ms in exc.message_dict.values() for m in ms)
            ) from exc
        if not suggestions:
            self.stdout.write("Geen dienst gevonden.")
            return
        for rank, s in enumerate(suggestions, 1):
            self.stdout.write(
                f"{rank}. {s.organisation:<20} {s.score:>7.3f}  {s.service['name']}\n   {s.reason}"
            )
