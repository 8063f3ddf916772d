"""The taxonomy: the bundled file loads, and a malformed one is refused with an error naming the topic."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsalert.taxonomy import TaxonomyError, Term, load_taxonomy, parse_taxonomy

CATEGORIES = {
    "politics",
    "economy",
    "sport",
    "science-technology",
    "health",
    "conflict",
    "arts-culture",
    "disaster",
    "environment",
}

VALID = """
version: 1
topics:
  - id: politics
    label: Politics
    parent: null
    kind: category
    threshold: 0.5
    match:
      phrases: [parliament, {text: election, aliases: [elections], weight: 1.5}]
  - id: sco
    label: SCO
    parent: politics
    kind: watch
    threshold: 0.5
    alert: {breaking: true, min_score: 0.6}
    match:
      case_sensitive:
        - text: SCO
          requires_context: {within: 5, any_of: [summit]}
"""


def with_topic(topic_yaml: str) -> str:
    """The valid taxonomy plus one more topic, given as YAML for one list item."""
    return VALID + "  - " + topic_yaml.strip() + "\n"


def refusal(text: str) -> str:
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy(text)
    return str(caught.value)


# --- the bundled taxonomy ----------------------------------------------------------------------


def test_the_bundled_taxonomy_loads_with_the_expected_topics() -> None:
    taxonomy = load_taxonomy()
    ids = {topic.id for topic in taxonomy.topics}

    assert ids >= CATEGORIES | {"geopolitics", "sco", "china-russia"}
    for category in CATEGORIES:
        assert taxonomy.topic(category).kind == "category"
        assert taxonomy.topic(category).parent is None
    for watch in ("geopolitics", "sco", "china-russia"):
        topic = taxonomy.topic(watch)
        assert (topic.kind, topic.parent, topic.alert.breaking) == ("watch", "politics", True)


def test_bundled_categories_carry_iptc_codes_and_alert_only_on_high_scores() -> None:
    taxonomy = load_taxonomy()

    assert taxonomy.topic("politics").iptc == "medtop:11000000"
    assert taxonomy.topic("sport").iptc == "medtop:15000000"
    for category in CATEGORIES:
        assert taxonomy.topic(category).alert.min_score >= 0.8


def test_china_russia_needs_a_china_side_and_a_russia_side() -> None:
    groups = load_taxonomy().topic("china-russia").match.all_of

    assert [group.name for group in groups] == ["china", "russia"]


def test_a_taxonomy_loads_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(VALID, encoding="utf-8")

    taxonomy = load_taxonomy(path)

    assert [topic.id for topic in taxonomy.topics] == ["politics", "sco"]
    assert taxonomy.root_of("sco").id == "politics"
    assert taxonomy.topic("politics").match.phrases[1] == Term(text="election", aliases=("elections",), weight=1.5)


def test_defaults_are_filled_in() -> None:
    politics = parse_taxonomy(VALID).topic("politics")

    assert (politics.alert.breaking, politics.alert.min_score) == (False, 1.0)
    assert politics.match.phrases[0] == Term(text="parliament")


def test_an_unknown_topic_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="nope"):
        parse_taxonomy(VALID).topic("nope")


# --- refusals name the topic and the problem ---------------------------------------------------


@pytest.mark.parametrize(
    ("topic_yaml", "expected"),
    [
        pytest.param(
            "{id: extra, label: X, parent: nowhere, kind: watch, threshold: 0.5, match: {phrases: [x]}}",
            "topic 'extra': unknown parent 'nowhere'",
            id="unknown-parent",
        ),
        pytest.param(
            "{id: sco, label: X, parent: politics, kind: watch, threshold: 0.5, match: {phrases: [x]}}",
            "topic 'sco': duplicate id",
            id="duplicate-id",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 1.5, match: {phrases: [x]}}",
            "topic 'extra': threshold: Input should be less than or equal to 1",
            id="threshold-above-1",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: -0.1, match: {phrases: [x]}}",
            "topic 'extra': threshold: Input should be greater than or equal to 0",
            id="threshold-below-0",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5, match: {}}",
            "topic 'extra': match: match has no terms",
            id="no-terms",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5, match: {phrases: ['  ']}}",
            "topic 'extra': match.phrases.0.text: term '' has no letters or digits",
            id="blank-term",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5,"
            " match: {all_of: [{name: a, phrases: [x]}, {name: b}]}}",
            "topic 'extra': match.all_of.1: all_of group b has no terms",
            id="empty-all-of-group",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5, match: {phrases: [Beijing, beijing]}}",
            "topic 'extra': match: term 'beijing' is listed twice",
            id="duplicate-term",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5, match: {phrase: [x]}}",
            "topic 'extra': match.phrase: Extra inputs are not permitted",
            id="unknown-key",
        ),
        pytest.param(
            "{id: extra, label: X, kind: watch, threshold: 0.5, match: {phrases: [x]}}",
            "topic 'extra': a top-level topic must be a category",
            id="top-level-watch",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5, alert: {breaking: true, min_score: 0.2},"
            " match: {phrases: [x]}}",
            "topic 'extra': alert.min_score 0.2 is below threshold 0.5",
            id="min-score-below-threshold",
        ),
        pytest.param(
            "{id: extra, label: X, kind: category, threshold: 0.5,"
            " match: {case_sensitive: [{text: SCO, requires_context: {any_of: []}}]}}",
            "topic 'extra': match.case_sensitive.0.requires_context.any_of: Tuple should have at least 1 item",
            id="empty-context",
        ),
        pytest.param(
            "{id: Bad_Id, label: X, kind: category, threshold: 0.5, match: {phrases: [x]}}",
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
  - {id: root, label: R, kind: category, threshold: 0.5, match: {phrases: [r]}}
  - {id: a, label: A, parent: b, kind: watch, threshold: 0.5, match: {phrases: [a]}}
  - {id: b, label: B, parent: a, kind: watch, threshold: 0.5, match: {phrases: [b]}}
"""
    assert "topic 'a': cycle in parents: a -> b -> a" in refusal(text)


def test_every_problem_is_reported_at_once() -> None:
    text = with_topic("{id: x1, label: X, kind: category, threshold: 2, match: {phrases: [x]}}")
    text += "  - {id: x2, label: Y, kind: category, threshold: 0.5, match: {}}\n"

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
