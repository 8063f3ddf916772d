"""Rebuild the compact twins of the bundled YAML files (``newsalert/data/*.json``): ``make data``.

Run it after editing ``taxonomy.yaml``, ``entities.yaml`` or ``sources.yaml``;
tests/unit/test_bundled_data.py fails until it has run. ``--check`` changes nothing and
exits 1 naming the stale twins. See ``newsalert.bundled_data`` for why the twins exist.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from newsalert.bundled_data import BUNDLED_YAML, compact_name

DATA = Path(__file__).resolve().parents[1] / "data"


def compact_text(document: Any) -> str:
    """The twin's text: compact JSON, keys in the YAML's order, non-ASCII kept as is."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def expected(yaml_name: str, data: Path = DATA) -> str:
    """What the twin of ``data/<yaml_name>`` must hold."""
    return compact_text(yaml.safe_load((data / yaml_name).read_text(encoding="utf-8")))


def stale(data: Path = DATA) -> list[str]:
    """The twins that are missing or differ from their YAML file."""
    found = []
    for name in BUNDLED_YAML:
        twin = data / compact_name(name)
        if not twin.exists() or twin.read_text(encoding="utf-8") != expected(name, data):
            found.append(twin.name)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a twin is stale")
    args = parser.parse_args(argv)
    if args.check:
        outdated = stale()
        for name in outdated:
            print(f"newsalert/data/{name} is stale: run `make data`", file=sys.stderr)
        return 1 if outdated else 0
    for name in BUNDLED_YAML:
        (DATA / compact_name(name)).write_text(expected(name), encoding="utf-8")
        print(f"newsalert/data/{compact_name(name)} <- {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
