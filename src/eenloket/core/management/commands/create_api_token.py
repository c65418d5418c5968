from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Maak (of toon) het API-token van een medewerker. De laatste regel is het token."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Maak een nieuw token.")

    def handle(self, *args, username, reset, **options):
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"Geen actieve medewerker met gebruikersnaam '{username}'.") from exc
        if reset:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        self.stderr.write(("Nieuw token" if created else "Bestaand token") + f" voor {username}:")
        self.stdout.write(token.key)
