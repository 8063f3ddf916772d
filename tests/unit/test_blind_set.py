"""The published part of the blind set (docs/classifier.md): ids, URLs, labels and our own paraphrases.

What a reader of the published figures relies on: every article is labelled with watch topics
the taxonomy has, once, in one half; the halves are balanced as the split rule promises; and
nothing but our paraphrase stands for the article's text (no publisher's headline or lead).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsalert.classify.taxonomy import load_taxonomy

BLIND_SET = Path(__file__).parents[1] / "data" / "blind-set-paraphrased.jsonl"
KEYS = {"id", "url", "outlet", "language", "published", "topics", "case", "half", "paraphrase"}


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return [json.loads(line) for line in BLIND_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_each_article_is_an_id_a_url_its_labels_and_a_paraphrase_only(items: list[dict[str, Any]]) -> None:
    assert len(items) >= 200
    assert len({item["id"] for item in items}) == len(items)
    assert len({item["url"] for item in items}) == len(items)
    for item in items:
        assert set(item) == KEYS, item["id"]
        assert isinstance(item["paraphrase"], str)
        assert 0 < len(item["paraphrase"]) <= 300, item["id"]


def test_labels_are_watch_topics_and_cases_follow_the_rules(items: list[dict[str, Any]]) -> None:
    watch = {topic.id for topic in load_taxonomy().topics if topic.kind == "watch"}
    for item in items:
        topics = item["topics"]
        assert isinstance(topics, list)
        assert set(topics) <= watch, item["id"]
        case = str(item["case"])
        # A trap, a near miss or ordinary news has no topic; a positive has at least one.
        assert (case == "positive") == bool(topics), item["id"]
        assert case.split(":")[0] in {"positive", "trap", "near-miss", "none"}


def test_the_halves_are_balanced_by_language_and_by_topic(items: list[dict[str, Any]]) -> None:
    halves = Counter(str(item["half"]) for item in items)
    assert set(halves) == {"A", "B"}
    assert abs(halves["A"] - halves["B"]) <= 1
    for key in ("language",):
        for value in {item[key] for item in items}:
            count = Counter(str(item["half"]) for item in items if item[key] == value)
            assert abs(count["A"] - count["B"]) <= 1, value
    for topic in {topic for item in items for topic in item["topics"]}:
        count = Counter(str(item["half"]) for item in items if topic in item["topics"])
        assert abs(count["A"] - count["B"]) <= 1, topic


def test_more_than_english(items: list[dict[str, Any]]) -> None:
    languages = Counter(str(item["language"]) for item in items)
    assert {"en", "fr", "es", "de", "ru", "zh", "ar", "hi", "bn", "fa"} <= set(languages)
    assert languages["en"] < len(items) / 2
