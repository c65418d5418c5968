"""Routing evaluation: top-1 and top-3 accuracy on labelled questions, per split and kind.

A question counts as right at 1 when the first suggestion's organisation is one of its
organisations (or an `also_ok` one); right at 3 when every organisation it needs is among the
first three suggestions (for a single problem, also an `also_ok` one)."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import data
from .engine import Engine
from .models import Service

QUESTIONS = Path(__file__).parent / "evaluation" / "questions.yaml"


@dataclass
class Score:
    total: int = 0
    top1: int = 0
    top3: int = 0
    failures: list = field(default_factory=list)

    def pct(self, value):
        return 100.0 * value / self.total if self.total else 0.0


def load_questions(path=None) -> list[dict]:
    entries = yaml.safe_load(Path(path or QUESTIONS).read_text(encoding="utf-8")) or []
    problems = [i for i, e in enumerate(entries) if not e.get("q") or not e.get("organisations")]
    if problems:
        raise ValueError(f"entries without q or organisations: {problems[:10]}")
    return entries


def judge(entry, organisations_ranked) -> tuple[bool, bool]:
    needed = set(entry["organisations"])
    also = set(entry.get("also_ok") or ())
    first = organisations_ranked[:1]
    top3 = set(organisations_ranked[:3])
    hit1 = bool(first) and first[0] in needed | also
    hit3 = bool(top3 & (needed | also)) if len(needed) == 1 and also else needed <= top3
    return hit1, hit3


def catalogue_engine() -> Engine:
    """An engine over the catalogue only: no learned outcomes, no municipal overrides, so the
    figures measure retrieval and do not depend on the demo's history."""
    services = list(Service.objects.filter(is_active=True, tenant__isnull=True).order_by("id"))
    return Engine(services, [], data.synonym_groups())


def evaluate(entries, engine=None, tenant_id=None) -> dict[str, dict[str, Score]]:
    engine = engine or catalogue_engine()
    scores = defaultdict(lambda: defaultdict(Score))
    for entry in entries:
        ranked = [s.organisation for s in engine.suggest(entry["q"], limit=5, tenant_id=tenant_id)]
        hit1, hit3 = judge(entry, ranked)
        split = entry.get("split", "dev")
        for key in ("all", entry.get("kind", "plain")):
            score = scores[split][key]
            score.total += 1
            score.top1 += hit1
            score.top3 += hit3
            if key == "all" and not (hit1 and hit3):
                score.failures.append((entry, ranked[:3]))
    return scores
