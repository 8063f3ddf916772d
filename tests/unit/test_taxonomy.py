"""The taxonomy: the bundled file loads, and a malformed one is refused with an error naming the topic."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsalert.classify.entities import parse_entities
from newsalert.classify.query import EntityRef, Query
from newsalert.classify.taxonomy import TaxonomyError, load_taxonomy, parse_taxonomy
from newsalert.classify.topics import classify
from newsalert.models import Article
from tests.conftest import WATCH_TOPICS

VALID = """
version: 1
topics:
  - id: politics
    label: Politics
    parent: null
    kind: category
    threshold: 0.5
    query: parliament OR election^1.5
  - id: sco
    label: SCO
    parent: politics
    kind: watch
    threshold: 0.5
    alert: {breaking: true, min_score: 0.6}
    query: '@sco^2 OR (summit NEAR/8 Astana)'
"""


def with_topic(topic_yaml: str) -> str:
    """The valid taxonomy plus one more topic, given as YAML for one list item."""
    return VALID + "  - " + topic_yaml.strip() + "\n"


def refusal(text: str) -> str:
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy(text)
    return str(caught.value)


# --- the bundled taxonomy ----------------------------------------------------------------------


IPTC_TOP_LEVEL = {
    "arts-culture": "medtop:01000000",
    "crime-justice": "medtop:02000000",
    "disaster": "medtop:03000000",
    "economy": "medtop:04000000",
    "education": "medtop:05000000",
    "environment": "medtop:06000000",
    "health": "medtop:07000000",
    "human-interest": "medtop:08000000",
    "labour": "medtop:09000000",
    "lifestyle": "medtop:10000000",
    "politics": "medtop:11000000",
    "religion": "medtop:12000000",
    "science-technology": "medtop:13000000",
    "society": "medtop:14000000",
    "sport": "medtop:15000000",
    "conflict": "medtop:16000000",
    "weather": "medtop:17000000",
}


def test_the_bundled_categories_are_the_iptc_media_topics_top_level() -> None:
    taxonomy = load_taxonomy()
    categories = {topic.id: topic for topic in taxonomy.topics if topic.kind == "category"}

    assert {topic_id: topic.iptc for topic_id, topic in categories.items()} == IPTC_TOP_LEVEL
    assert all(topic.parent is None for topic in categories.values())


def test_the_bundled_watch_topics_sit_below_a_category_and_may_alert() -> None:
    taxonomy = load_taxonomy()
    watch = {topic.id: topic for topic in taxonomy.topics if topic.kind == "watch"}

    assert set(watch) >= set(WATCH_TOPICS)
    for topic in watch.values():
        assert topic.parent in IPTC_TOP_LEVEL
        assert topic.alert.breaking is True
        assert topic.alert.min_score >= topic.threshold


def test_a_category_alerts_on_strong_evidence_only_or_never() -> None:
    for topic in load_taxonomy().topics:
        if topic.kind == "category" and topic.alert.breaking:
            assert topic.alert.min_score >= 0.8, topic.id


@pytest.mark.parametrize(
    ("title", "summary", "expected"),
    [
        ("Putin and Xi sign energy pact in Beijing", "Russia will sell more gas to China under the deal.", True),
        ("Xi Jinping holds talks with Vladimir Putin in Moscow", "", True),
        ("中俄签署联合声明", "两国元首在莫斯科会谈。", True),
        # Both attend a bloc's summit: the bloc is the subject, not their relationship.
        ("SCO summit opens in Tianjin", "Xi Jinping welcomed Vladimir Putin and Narendra Modi to the summit.", False),
        # Russia named once, in passing, in a story about China.
        ("Chinese exports rise", "Beijing said sales to Russia and Europe grew.", False),
    ],
)
def test_china_russia_needs_the_two_as_the_subject(title: str, summary: str, expected: bool) -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    article = Article.create(title=title, summary=summary, source="t", published=when, received_at=when)
    topics = {match.topic for match in classify(article, load_taxonomy()).topics}
    assert ("china-russia" in topics) is expected


def _nodes(query: Query) -> list[object]:
    found: list[object] = []
    pending: list[object] = [query.root]
    while pending:
        node = pending.pop()
        found.append(node)
        pending.extend(getattr(node, "children", ()))
        pending.extend(child for name in ("child", "left", "right") if (child := getattr(node, name, None)))
    return found


def test_every_bundled_query_is_parsed_at_load() -> None:
    taxonomy = load_taxonomy()

    for topic in taxonomy.topics:
        assert isinstance(topic.query, Query)
        assert taxonomy.compiled(topic.id).query is topic.query
    # The SCO's query is its name (^2), less the lists of bodies it is named in (a NOT beside it).
    root = taxonomy.topic("sco").query.root
    assert getattr(root, "children", (root,))[0] == EntityRef("sco", 2.0)


def test_a_taxonomy_loads_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(VALID, encoding="utf-8")

    taxonomy = load_taxonomy(path)

    assert [topic.id for topic in taxonomy.topics] == ["politics", "sco"]
    assert taxonomy.root_of("sco").id == "politics"
    assert str(taxonomy.topic("politics").query) == "parliament OR election^1.5"


def test_defaults_are_filled_in() -> None:
    politics = parse_taxonomy(VALID).topic("politics")

    assert (politics.alert.breaking, politics.alert.min_score) == (False, 1.0)
    assert (politics.iptc, politics.description) == (None, "")


def test_a_taxonomy_dumps_its_queries_as_text() -> None:
    dumped = parse_taxonomy(VALID).model_dump()

    assert dumped["topics"][1]["query"] == "@sco^2 OR (summit NEAR/8 Astana)"


def test_queries_may_name_the_entities_of_a_given_catalog() -> None:
    catalog = parse_entities("entities: [{id: acme, kind: organisation, label: Acme, aliases: [Acme Corp]}]")
    text = "version: 1\ntopics:\n  - {id: a, label: A, kind: category, threshold: 0.5, query: '@acme'}\n"

    assert parse_taxonomy(text, entities=catalog).entities is catalog
    assert "unknown entity '@acme'" in refusal(text)


def test_an_unknown_topic_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="nope"):
        parse_taxonomy(VALID).topic("nope")


# --- refusals name the topic and the problem ---------------------------------------------------


@pytest.mark.parametrize(
    ("topic_yaml", "expected"),
    [
        pytest.param(
            "{id: extra, label: X, parent: nowhere, kind: watch, threshold: 0.5, query: x}",
            "topic 'extra': unknown parent 'nowhere'",
            id="unknown-parent",
        ),
        pytest.param(
            "{id: sco, label: X, parent: politics, kind: watch, threshold: 0.5, query: x}",
            "topic 'sco': duplicate id",
            id="duplicate-id",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 1.5, query: x}",
            "topic 'extra': threshold: Input should be less than or equal to 1",
            id="threshold-above-1",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: -0.1, query: x}",
            "topic 'extra': threshold: Input should be greater than or equal to 0",
            id="threshold-below-0",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5}",
            "topic 'extra': query: Field required",
            id="no-query",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5, query: '  '}",
            "topic 'extra': query: the query must be a non-empty string",
            id="blank-query",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5, query: '(summit OR Astana'}",
            "topic 'extra': query: expected ')' at column 18 (the '(' at column 1 is never closed)\n"
            "    (summit OR Astana\n"
            "                     ^",
            id="query-syntax-error",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5, query: 'summit NEAR/8 @kazakstan'}",
            "topic 'extra': query: unknown entity '@kazakstan' at column 15 (not in entities.yaml)",
            id="unknown-entity",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5, querry: x}",
            "topic 'extra': querry: Extra inputs are not permitted",
            id="unknown-key",
        ),
        pytest.param(
            "{id: extra, label: X, kind: watch, threshold: 0.5, query: x}",
            "topic 'extra': a top-level topic must be a category",
            id="top-level-watch",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5, alert: {breaking: true, min_score: 0.2}, query: x}",
            "topic 'extra': alert.min_score 0.2 is below threshold 0.5",
            id="min-score-below-threshold",
        ),
        pytest.param(
            "{id: Bad_Id, label: X, kind: category, threshold: 0.5, query: x}",
            "topic 'Bad_Id': id: String should match pattern",
            id="bad-id",
        ),
    ],
)
def test_a_malformed_topic_is_refused_with_its_name_and_the_problem(topic_yaml: str, expected: str) -> None:
    assert expected in refusal(with_topic(topic_yaml))


def test_a_cycle_in_parents_is_refused() -> None:
    text = """
version: 1
topics:
  - {id: root, label: R, kind: category, threshold: 0.5, query: r}
  - {id: a, label: A, parent: b, kind: watch, threshold: 0.5, query: a}
  - {id: b, label: B, parent: a, kind: watch, threshold: 0.5, query: b}
"""
    assert "topic 'a': cycle in parents: a -> b -> a" in refusal(text)


def test_every_problem_is_reported_at_once() -> None:
    text = with_topic("{id: x1, label: X, kind: category, threshold: 2, query: x}")
    text += "  - {id: x2, label: Y, kind: category, threshold: 0.5, query: 'a OR'}\n"

    message = refusal(text)

    assert "topic 'x1'" in message
    assert "topic 'x2'" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("topics: [unclosed", "not valid YAML", id="bad-yaml"),
        pytest.param("- just a list", "expected a mapping", id="not-a-mapping"),
        pytest.param("version: 2\ntopics: []", "unsupported version 2", id="version"),
        pytest.param("version: 1\ntopics: []", "the taxonomy has no topics", id="no-topics"),
    ],
)
def test_a_malformed_file_is_refused(text: str, expected: str) -> None:
    assert expected in refusal(text)


def test_a_missing_file_is_a_taxonomy_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read taxonomy"):
        load_taxonomy(tmp_path / "missing.yaml")


def test_errors_name_the_source_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\ntopics: []\n", encoding="utf-8")

    with pytest.raises(TaxonomyError, match=r"broken\.yaml"):
        load_taxonomy(path)


def test_two_loads_of_one_file_are_equal() -> None:
    assert load_taxonomy() == load_taxonomy()
