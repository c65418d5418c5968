"""The apps depend downwards only (DESIGN.md, Layout): `make lint` runs import-linter with the
contract in pyproject.toml; the suite runs it too, so CI fails on an upward import."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return contract


def test_every_app_has_a_place_in_the_layers():
    """A new app that is not in the contract would be unchecked."""
    placed = {
        name.strip().removeprefix("eenloket.")
        for layer in _contract()["layers"]
        for name in layer.split("|")
    }
    apps = {p.parent.name for p in (ROOT / "src" / "eenloket").glob("*/apps.py")}
    assert apps and apps <= placed, sorted(apps - placed)
    assert _contract()["layers"][-1] == "eenloket.core"


def test_no_app_imports_upwards():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout
