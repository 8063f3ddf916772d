"""The published part of the blind sets (docs/classifier.md): ids, URLs, labels and our own paraphrases.

What a reader of the published figures relies on: every article is labelled with watch topics
the taxonomy has, once, in one half; the halves follow the split rule each set promises; the
sets do not share an article; and nothing but our paraphrase stands for the article's text (no
publisher's headline or lead). The first set (halves A and B) is balanced by construction; sets C
(halves C1 and C2), D (D1, D2), E (E1, E2) and F (F1, F2) are split by the URL alone.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsalert.classify.taxonomy import load_taxonomy

DATA = Path(__file__).parents[1] / "data"
BLIND_SET = DATA / "blind-set-paraphrased.jsonl"
SET_C = DATA / "blind-set-c-paraphrased.jsonl"
SET_D = DATA / "blind-set-d-paraphrased.jsonl"
SET_E = DATA / "blind-set-e-paraphrased.jsonl"
SET_F = DATA / "blind-set-f-paraphrased.jsonl"
KEYS = {"id", "url", "outlet", "language", "published", "topics", "case", "half", "paraphrase"}


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module", params=[BLIND_SET, SET_C, SET_D, SET_E, SET_F], ids=["A-B", "C", "D", "E", "F"])
def items(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return read(request.param)


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


def test_the_halves_are_balanced_by_language_and_by_topic() -> None:
    items = read(BLIND_SET)
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


@pytest.mark.parametrize(
    ("path", "halves"),
    [(SET_C, ("C1", "C2")), (SET_D, ("D1", "D2")), (SET_E, ("E1", "E2")), (SET_F, ("F1", "F2"))],
    ids=["C", "D", "E", "F"],
)
def test_sets_c_to_f_are_split_by_the_url_alone_so_no_article_moved_into_view_while_they_grew(
    path: Path, halves: tuple[str, str]
) -> None:
    for item in read(path):
        even = hashlib.sha1(item["url"].encode("utf-8"), usedforsecurity=False).digest()[-1] % 2 == 0
        assert item["half"] == (halves[0] if even else halves[1]), item["id"]


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations([BLIND_SET, SET_C, SET_D, SET_E, SET_F], 2)))
def test_the_sets_share_no_article(first: Path, second: Path) -> None:
    one, other = read(first), read(second)
    assert not {item["url"] for item in one} & {item["url"] for item in other}
    assert not {item["id"] for item in one} & {item["id"] for item in other}
