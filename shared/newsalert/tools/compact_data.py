"""Rebuild what is generated from the bundled YAML files (``newsalert/data/*.json``): ``make data``.

Run it after editing ``taxonomy.yaml``, ``entities.yaml`` or ``sources.yaml``;
tests/unit/test_bundled_data.py fails until it has run. ``--check`` changes nothing and
exits 1 naming the stale files. What is generated:

* the compact twin of each YAML file (``taxonomy.json``...), see ``newsalert.bundled_data``;
* ``taxonomy.queries.json``: the parsed tree of each of the taxonomy's queries, see
  ``newsalert.classify.query.trees``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from newsalert.bundled_data import BUNDLED_YAML, PARSED_QUERIES, compact_name

DATA = Path(__file__).resolve().parents[1] / "data"


def compact_text(document: Any) -> str:
    """The twin's text: compact JSON, keys in the YAML's order, non-ASCII kept as is."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def expected(yaml_name: str, data: Path = DATA) -> str:
    """What the twin of ``data/<yaml_name>`` must hold."""
    return compact_text(yaml.safe_load((data / yaml_name).read_text(encoding="utf-8")))


def expected_queries(data: Path = DATA) -> str:
    """What ``data/taxonomy.queries.json`` must hold: each topic's query text and its parsed tree,
    from ``data/taxonomy.yaml`` checked against ``data/entities.yaml``."""
    from newsalert.classify.entities import parse_entities
    from newsalert.classify.query.trees import tree_of
    from newsalert.classify.taxonomy import parse_taxonomy

    entities = parse_entities((data / "entities.yaml").read_text(encoding="utf-8"), source="entities.yaml")
    taxonomy = parse_taxonomy(
        (data / "taxonomy.yaml").read_text(encoding="utf-8"), source="taxonomy.yaml", entities=entities
    )
    trees = {topic.id: [topic.query.text, tree_of(topic.query.root)] for topic in taxonomy.topics}
    return compact_text({"queries": trees})


def generated(data: Path = DATA) -> dict[str, Callable[[], str]]:
    """Each generated file's name in ``data``, with what makes its text."""
    files: dict[str, Callable[[], str]] = {compact_name(name): partial(expected, name, data) for name in BUNDLED_YAML}
    files[PARSED_QUERIES] = partial(expected_queries, data)
    return files


def stale(data: Path = DATA) -> list[str]:
    """The generated files that are missing or differ from what their YAML files give."""
    found = []
    for name, make in generated(data).items():
        target = data / name
        if not target.exists() or target.read_text(encoding="utf-8") != make():
            found.append(name)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a generated file is stale")
    args = parser.parse_args(argv)
    if args.check:
        outdated = stale()
        for name in outdated:
            print(f"newsalert/data/{name} is stale: run `make data`", file=sys.stderr)
        return 1 if outdated else 0
    for name, make in generated().items():
        (DATA / name).write_text(make(), encoding="utf-8")
        print(f"newsalert/data/{name} <- {name.removesuffix('.queries.json').removesuffix('.json')}.yaml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
