"""The bundled taxonomy against the project's own labelled watch-topic set, ``tests/data/watch-topics.jsonl``.

The set was written for newsalert: short original articles, several for each watch topic of
issue 4, and hard negatives marked with a ``case``: articles that name the SCO only in passing
(``sco-in-passing``) and traps that look like a watch topic and are not (``trap:...``: the
Shanghai Masters, the SCO Group's Linux lawsuit, business summits in Shanghai, Putin named in
passing, Scotland, "SCO" inside a link, BRICS and bricks, G7 the camera...). Gold ``topics``
name what an article is *about*, as a follower of the topic would want it; a passing mention
does not count.

What is asserted: the traps never make an article ``sco`` (precision 1.0, the goal of issue 4),
and floors for topics the taxonomy already covers well (raise them as it improves). Every
topic's precision and recall is printed with ``pytest -v``. A watch topic the taxonomy does not
have yet is skipped, saying so, rather than failed.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from newsalert.classify.taxonomy import Taxonomy, load_taxonomy
from newsalert.classify.topics import classify
from newsalert.tools.accuracy import BinaryCounts, topic_counts
from newsalert.tools.article_input import InputArticle, read_json_lines
from tests.conftest import WATCH_TOPICS

WATCH_SET = Path(__file__).parents[1] / "data" / "watch-topics.jsonl"
SCO_TRAP_KINDS = {
    "trap:shanghai-masters",
    "trap:sco-group-lawsuit",
    "trap:shanghai-business-summit",
    "trap:putin-in-passing",
    "trap:scotland",
    "trap:sco-in-url",
}
# Floors the bundled taxonomy meets today, with a margin; raise them as the taxonomy improves.
_WATCH = ("brics", "china-russia", "climate-diplomacy", "elections", "g7-g20", "middle-east", "nato", "sanctions")
# Floors a little under what the bundled taxonomy measures, so that a taxonomy change that
# costs precision or recall fails here; geopolitics is the broad one, with the most judgement calls.
PRECISION_FLOORS = {**dict.fromkeys(_WATCH, 0.9), "sco": 0.95, "un": 0.9, "ukraine-war": 0.9, "geopolitics": 0.7}
RECALL_FLOORS = {**dict.fromkeys(_WATCH, 0.85), "sco": 0.95, "un": 0.85, "ukraine-war": 0.8, "geopolitics": 0.9}


@cache
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@cache
def labelled() -> tuple[tuple[InputArticle, frozenset[str]], ...]:
    """Every article of the set with its gold topics."""
    with WATCH_SET.open(encoding="utf-8") as lines:
        read = list(read_json_lines(lines, origin=WATCH_SET.name, received_at=datetime(2025, 1, 1, tzinfo=UTC)))
    articles = [item for item in read if isinstance(item, InputArticle)]
    assert len(articles) == len(read), "every line of the watch set is an article"
    return tuple((item, frozenset(item.json_object["topics"])) for item in articles)


@cache
def predicted(item_id: str) -> frozenset[str]:
    article = next(item.article for item, _ in labelled() if item.item_id == item_id)
    return frozenset(match.topic for match in classify(article, taxonomy()).topics)


def counts_for(topic: str, cases: set[str] | None = None) -> BinaryCounts:
    """Counts over the whole set, or over the gold positives of ``topic`` plus the items of the given cases."""
    examples = [
        (gold, predicted(item.item_id))
        for item, gold in labelled()
        if cases is None or topic in gold or item.json_object.get("case") in cases
    ]
    return topic_counts(examples, [topic])[topic]


def report(
    topic: str, counts: BinaryCounts, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    if request.config.get_verbosity() > 0:

        def shown(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.3f}"

        with capsys.disabled():
            print(
                f"\n    {topic}: precision {shown(counts.precision)}, recall {shown(counts.recall)}, "
                f"F1 {shown(counts.f1)} (TP {counts.true_positives}, FP {counts.false_positives}, "
                f"FN {counts.false_negatives})",
                end=" ",
            )


# ------------------------------------------------------------------ the set itself


def test_the_set_has_sixty_or_more_articles_with_unique_ids() -> None:
    ids = [item.item_id for item, _ in labelled()]

    assert len(ids) >= 60
    assert len(set(ids)) == len(ids)


def test_every_gold_topic_is_a_watch_topic_and_each_has_several_positives() -> None:
    per_topic = Counter(topic for _, gold in labelled() for topic in gold)

    assert set(per_topic) <= set(WATCH_TOPICS)
    assert {topic: per_topic[topic] for topic in WATCH_TOPICS if per_topic[topic] < 4} == {}


def test_every_kind_of_sco_trap_is_in_the_set_at_least_twice() -> None:
    kinds = Counter(item.json_object.get("case") for item, _ in labelled())

    assert {kind: kinds[kind] for kind in SCO_TRAP_KINDS if kinds[kind] < 2} == {}
    assert kinds["sco-in-passing"] >= 2


def test_no_trap_is_labelled_with_a_watch_topic_it_imitates() -> None:
    traps = [(item, gold) for item, gold in labelled() if str(item.json_object.get("case", "")).startswith("trap:")]

    assert traps
    assert [item.item_id for item, gold in traps if gold] == []


# ------------------------------------------------------------------ the taxonomy on the set


def test_sco_has_precision_one_on_the_traps(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]) -> None:
    # Given the SCO articles and every trap that only looks like the SCO
    counts = counts_for("sco", cases=SCO_TRAP_KINDS)
    report("sco on its traps", counts, request, capsys)

    # Then no trap is taken for the SCO, and the real SCO stories are found
    fooled = [
        item.item_id
        for item, gold in labelled()
        if item.json_object.get("case") in SCO_TRAP_KINDS and "sco" in predicted(item.item_id)
    ]
    assert fooled == []
    assert counts.precision == 1.0
    assert counts.true_positives > 0


@pytest.mark.parametrize("topic", WATCH_TOPICS)
def test_watch_topic_precision_and_recall(
    topic: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    if topic not in {known.id for known in taxonomy().topics}:
        pytest.skip(f"watch topic {topic!r} is not in the bundled taxonomy yet (issue 4 asks for it)")
    counts = counts_for(topic)
    report(topic, counts, request, capsys)

    if topic in PRECISION_FLOORS:
        assert counts.precision is not None
        assert counts.precision >= PRECISION_FLOORS[topic]
    if topic in RECALL_FLOORS:
        assert counts.recall is not None
        assert counts.recall >= RECALL_FLOORS[topic]


def test_the_set_is_plain_json_lines() -> None:
    # The file is also the example of the labelled format in docs/classifier.md: keep it readable by any tool.
    for line in WATCH_SET.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert set(record) <= {"id", "title", "summary", "body", "topics", "case"}
