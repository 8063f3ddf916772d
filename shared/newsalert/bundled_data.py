"""The configuration files bundled in ``newsalert/data``, read at cold start from their compact form.

The YAML files (``taxonomy.yaml``, ``entities.yaml``, ``sources.yaml``) are what people edit;
each has a ``.json`` twin holding exactly the document that ``yaml.safe_load`` gives for it.
PyYAML parses in pure Python, about 100 ms for the taxonomy and its entities on classify's
cold start; ``json.loads`` reads the same documents in about a millisecond, and a handler that
reads only bundled files never imports yaml at all.

``make data`` rebuilds the twins (``newsalert.tools.compact_data``); tests/unit/test_bundled_data.py
fails when one differs from its YAML file. Operators' files (an override in S3, a path given to
the CLI) are still YAML, and still parsed as such.

``make data`` also writes what the bundled taxonomy's queries parse into
(``taxonomy.queries.json``, ``newsalert.classify.query.trees``), so that classify's cold start
does not parse them; the same test keeps it equal to what parsing the YAML gives.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from newsalert.yaml_files import versioned_document

BUNDLED_YAML = ("entities.yaml", "sources.yaml", "taxonomy.yaml")
PARSED_QUERIES = "taxonomy.queries.json"
"""The parsed trees of the bundled taxonomy's queries, by topic id: ``{"queries": {id: [text, tree]}}``."""


def compact_name(yaml_name: str) -> str:
    """The compact twin of a bundled YAML file: ``taxonomy.yaml`` -> ``taxonomy.json``."""
    return yaml_name.removesuffix(".yaml") + ".json"


def bundled_document(yaml_name: str) -> Any:
    """The document of ``newsalert/data/<yaml_name>`` as ``yaml.safe_load`` reads it, from its compact twin.

    A fresh copy on each call (a caller may keep or change it).
    """
    if yaml_name not in BUNDLED_YAML:
        raise ValueError(f"{yaml_name} is not a bundled configuration file")
    data = resources.files("newsalert").joinpath("data", compact_name(yaml_name)).read_bytes()
    return json.loads(data)


def parsed_queries() -> dict[str, list[Any]]:
    """The bundled taxonomy's queries as ``make data`` parsed them: topic id -> ``[text, tree]``
    (``newsalert.classify.query.trees``); empty if the file is missing."""
    try:
        data = resources.files("newsalert").joinpath("data", PARSED_QUERIES).read_bytes()
    except FileNotFoundError:
        return {}
    queries: dict[str, list[Any]] = json.loads(data)["queries"]
    return queries


def read_bundled(
    yaml_name: str, *, collection: str, version: int, error: type[ValueError]
) -> tuple[dict[str, Any], str]:
    """The mapping of a bundled versioned file (``version`` and ``collection`` keys), and its name for messages."""
    source = f"newsalert/data/{yaml_name}"
    document = versioned_document(
        bundled_document(yaml_name), source=source, collection=collection, version=version, error=error
    )
    return document, source
