"""The evaluation sets themselves: the held-out part of the blind set is the one committed before
any tuning (its hash), and `evaluate_routing --split` shows one split only."""

import hashlib
import io
import json
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

EVALUATION = Path(__file__).parents[2] / "src" / "eenloket" / "catalogue" / "evaluation"


def test_the_held_out_questions_are_the_ones_committed_before_tuning():
    items = yaml.safe_load((EVALUATION / "questions_blind.yaml").read_text(encoding="utf-8"))
    heldout = [e for e in items if e["split"] == "heldout"]
    digest = hashlib.sha256(
        json.dumps(heldout, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    committed = [
        line.strip()
        for line in (EVALUATION / "questions_blind.heldout.sha256").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert committed == [digest]  # no question text in the message, only the hashes
    assert len(heldout) == 280


@pytest.mark.django_db
def test_evaluate_routing_shows_only_the_split_asked_for():
    out = io.StringIO()
    call_command(
        "evaluate_routing",
        str(EVALUATION / "questions.yaml"),
        split="dev",
        failures="dev",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("dev ")
    assert not any(line.startswith("heldout") for line in lines)
    with pytest.raises(CommandError):
        call_command(
            "evaluate_routing", str(EVALUATION / "questions.yaml"), split="dev", failures="heldout"
        )
