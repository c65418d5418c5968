from django.core.management.base import BaseCommand, CommandError

from eenloket.catalogue.routing_eval import evaluate, load_questions


class Command(BaseCommand):
    help = (
        "Top-1 and top-3 accuracy of routing on a labelled question file (YAML: q, "
        "organisations, split, kind), per split and kind."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--split",
            choices=["dev", "heldout"],
            help="evaluate and show only this split (tune on dev; look at heldout once, at the end)",
        )
        parser.add_argument(
            "--failures",
            choices=["dev", "heldout"],
            help="list the questions routed wrongly in this split",
        )

    def handle(self, *args, file, split=None, failures=None, **options):
        try:
            entries = load_questions(file)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        if split:
            entries = [e for e in entries if e.get("split", "dev") == split]
            if failures and failures != split:
                raise CommandError(f"--failures {failures} is not in --split {split}")
        scores = evaluate(entries)
        for name in sorted(scores):
            kinds = scores[name]
            overall = kinds["all"]
            self.stdout.write(
                f"{name:<8} n={overall.total:<4} top-1 {overall.pct(overall.top1):5.1f} %   "
                f"top-3 {overall.pct(overall.top3):5.1f} %"
            )
            for kind in sorted(k for k in kinds if k != "all"):
                score = kinds[kind]
                self.stdout.write(
                    f"  {kind:<11} n={score.total:<4} top-1 {score.pct(score.top1):5.1f} %   "
                    f"top-3 {score.pct(score.top3):5.1f} %"
                )
        if failures:
            for entry, ranked in scores[failures]["all"].failures:
                self.stdout.write(
                    f"- {entry['q']!r}: wanted {entry['organisations']}, got {ranked}"
                )
