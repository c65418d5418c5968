"""The catalogue's source files in `data/`: the UPL snapshot (CSV), the service texts we wrote
(YAML, one entry per service) and the synonym groups."""

import csv
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"
UPL_CSV = DATA_DIR / "upl" / "UPL-actueel.csv"
SYNONYMS = DATA_DIR / "synonyms.yaml"
CHANNELS = ("online", "telefoon", "balie", "post")


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    if not SYNONYMS.exists():
        return ()
    groups = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8")) or []
    return tuple(tuple(str(t) for t in group) for group in groups if len(group) >= 2)


def service_files() -> list[Path]:
    return sorted(p for p in DATA_DIR.glob("*.yaml") if p != SYNONYMS)


def service_entries(files=None) -> list[dict]:
    """All entries of the service files, each with `_file` for error messages."""
    entries = []
    for path in files or service_files():
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            entries.append({**entry, "_file": path.name})
    return entries


def upl_products(path=None) -> dict[str, dict]:
    """UPL products meant for residents ('Burger' = X), by their uniform name."""
    with open(path or UPL_CSV, encoding="utf-8", newline="") as handle:
        return {
            row["UniformeProductnaam"]: row
            for row in csv.DictReader(handle)
            if row.get("Burger") == "X"
        }
