"""The bundled YAML files are read at cold start from compact JSON twins that hold exactly what the YAML says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newsalert import bundled_data
from newsalert.bundled_data import BUNDLED_YAML, PARSED_QUERIES, bundled_document, compact_name
from newsalert.classify import taxonomy
from newsalert.classify.entities import load_entities, parse_entities
from newsalert.classify.query import Pattern, Term, parse_query
from newsalert.classify.query.trees import node_of, query_of, tree_of
from newsalert.classify.taxonomy import load_taxonomy, parse_taxonomy
from newsalert.classify.topic_ids import bundled_topic_ids, topic_ids
from newsalert.ingest.sources import load_source_catalog, parse_source_catalog
from newsalert.tools import compact_data
from tests.conftest import PROJECT_ROOT

DATA = PROJECT_ROOT / "shared" / "newsalert" / "data"


def make_pattern_like(pattern: Pattern) -> Pattern:
    return Pattern(tuple(pattern.words), pattern.case_sensitive, pattern.prefix)


def _yaml_text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", BUNDLED_YAML)
def test_each_twin_holds_what_its_yaml_file_says(name: str) -> None:
    # Fails after an edit of the YAML file until `make data` has rebuilt the twin.
    assert bundled_document(name) == yaml.safe_load(_yaml_text(name)), f"data/{compact_name(name)}: run `make data`"
    assert (DATA / compact_name(name)).read_text(encoding="utf-8") == compact_data.expected(name)


def test_every_yaml_file_in_the_data_folder_has_a_twin() -> None:
    assert sorted(path.name for path in DATA.glob("*.yaml")) == sorted(BUNDLED_YAML)


def test_loading_the_bundled_files_gives_what_parsing_their_yaml_gives() -> None:
    entities = load_entities()
    assert entities == parse_entities(_yaml_text("entities.yaml"))
    assert load_taxonomy(entities=entities) == parse_taxonomy(_yaml_text("taxonomy.yaml"), entities=entities)
    assert load_source_catalog() == parse_source_catalog(_yaml_text("sources.yaml"))
    assert bundled_topic_ids() == topic_ids(_yaml_text("taxonomy.yaml"))


def test_make_data_rebuilds_a_stale_twin_and_the_check_sees_it(tmp_path: Path) -> None:
    for name in BUNDLED_YAML:
        (tmp_path / name).write_text(_yaml_text(name), encoding="utf-8")
    for name, make in compact_data.generated(tmp_path).items():
        (tmp_path / name).write_text(make(), encoding="utf-8")
    assert compact_data.stale(tmp_path) == []

    (tmp_path / "sources.yaml").write_text(_yaml_text("sources.yaml") + "\n# an edit\nversion: 2\n", encoding="utf-8")
    edited = _yaml_text("taxonomy.yaml").replace("    query: >-\n", "    query: >-\n      Astana OR\n", 1)
    (tmp_path / "taxonomy.yaml").write_text(edited, encoding="utf-8")

    assert compact_data.stale(tmp_path) == ["sources.json", "taxonomy.json", PARSED_QUERIES]
    assert compact_data.main(["--check"]) == 0  # the package's own generated files are fresh


def test_the_bundled_parsed_queries_are_what_parsing_the_yaml_gives() -> None:
    # Fails after an edit of taxonomy.yaml (or of the parser) until `make data` has rebuilt the file.
    assert (DATA / PARSED_QUERIES).read_text(encoding="utf-8") == compact_data.expected_queries(), "run `make data`"
    parsed = parse_taxonomy(_yaml_text("taxonomy.yaml"))
    loaded = load_taxonomy()
    assert [topic.query for topic in loaded.topics] == [topic.query for topic in parsed.topics]
    # Positions too (which equality leaves out: they are only for error messages).
    assert [tree_of(topic.query.root) for topic in loaded.topics] == [
        tree_of(topic.query.root) for topic in parsed.topics
    ]
    for topic in loaded.topics:  # the same pattern objects as the parser's (patterns are interned)
        found = {leaf.pattern for leaf in topic.query.leaves() if isinstance(leaf, Term)}
        assert all(pattern is make_pattern_like(pattern) for pattern in found)


def test_a_query_that_the_parsed_file_does_not_hold_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    trees = bundled_data.parsed_queries()
    first = next(iter(trees))
    monkeypatch.setattr(taxonomy, "parsed_queries", lambda: {first: ["stale text", trees[first][1]]})

    loaded = load_taxonomy()

    assert loaded == parse_taxonomy(_yaml_text("taxonomy.yaml"))
    assert str(loaded.topic(first).query) != "stale text"


def test_a_parsed_tree_reads_back_as_the_same_query() -> None:
    query = parse_query('title:(sanction* OR "export controls"^2) NEAR/5 @china NOT MENTIONS/2 SCO')

    assert query_of(query.text, json.loads(json.dumps(tree_of(query.root)))) == query
    with pytest.raises(ValueError, match="not a query node"):
        node_of(["xor", []])


def test_a_handler_that_reads_only_bundled_files_never_imports_yaml() -> None:
    probe = (
        "import sys\n"
        "from newsalert.classify.taxonomy import load_taxonomy\n"
        "from newsalert.classify.topic_ids import bundled_topic_ids\n"
        "from newsalert.ingest.sources import load_source_catalog\n"
        "load_taxonomy(); bundled_topic_ids(); load_source_catalog()\n"
        "print('yaml' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
