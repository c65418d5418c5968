from django.core.management.base import BaseCommand, CommandError

from eenloket.catalogue import engine
from eenloket.catalogue.services import CatalogueDataError, import_catalogue


class Command(BaseCommand):
    help = (
        "Import the service catalogue: the UPL's resident products mapped to the organisation "
        "that delivers them, plus the agencies' services. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--upl", help="path to UPL-actueel.csv (default: the snapshot)")
        parser.add_argument("--list-skipped", action="store_true")

    def handle(self, *args, upl=None, list_skipped=False, **options):
        try:
            report = import_catalogue(csv_path=upl)
        except CatalogueDataError as exc:
            raise CommandError("The catalogue files have errors:\n" + str(exc)) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"UPL file not found: {exc.filename}") from exc
        engine.reset_engine()
        total = sum(report.per_organisation.values())
        self.stdout.write(
            f"Catalogue: {total} services ({report.created} new, {report.updated} changed, "
            f"{report.deactivated} deactivated); {report.upl_imported} from the UPL."
        )
        for code, count in sorted(report.per_organisation.items()):
            self.stdout.write(f"  {code:<20} {count:>4}")
        self.stdout.write(
            f"UPL resident products left out: {len(report.upl_not_ours)} not delivered by one "
            f"of our organisations, {len(report.upl_without_text)} without a text."
        )
        if list_skipped:
            for name, reason in report.upl_not_ours:
                self.stdout.write(f"  - {name}: {reason}")
            for name in report.upl_without_text:
                self.stdout.write(f"  - {name}: no text written yet")
