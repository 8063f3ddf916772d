"""``newsalert stories`` and the stories mode of ``newsalert eval`` on small invented articles."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newsalert.classify.stories import DEFAULT_THRESHOLD
from newsalert.tools.cli import main


@dataclass
class Run:
    status: int
    out: str
    err: str

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines()]


Newsalert = Callable[..., Run]


@pytest.fixture
def newsalert(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Newsalert:
    def run(*arguments: str, stdin: str = "") -> Run:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        status = main(list(arguments))
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


QUAKE_1 = {
    "id": "q1",
    "story": "test:quake",
    "title": "Magnitude 6.8 earthquake strikes near Izmir, Turkey",
    "text": "A magnitude 6.8 earthquake struck western Turkey near Izmir, collapsing buildings in Bayrakli.",
    "source": "Wire One",
    "published": "2024-07-04",
}
QUAKE_2 = {
    "id": "q2",
    "story": "test:quake",
    "title": "Buildings collapse in Izmir as strong quake hits Turkey's Aegean coast",
    "text": "Apartment blocks collapsed in Izmir's Bayrakli district after a 6.8-magnitude tremor hit Turkey.",
    "source": "Daily Courier",
    "published": None,
}
COACH = {
    "id": "c1",
    "story": "other:coach",
    "title": "Northgate Rovers hire Elena Marsh as head coach",
    "text": "Northgate Rovers have hired Elena Marsh as their new head coach, chairman Ivo Brandt announced.",
    "source": "Sports Desk",
    "published": "2024-07-04",
}


def _lines(*records: object) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def test_stories_prints_each_article_s_story_in_order(newsalert: Newsalert) -> None:
    run = newsalert("stories", stdin=_lines(QUAKE_1, QUAKE_2, COACH))

    assert run.status == 0
    first, second, coach = run.lines
    assert [line["id"] for line in run.lines] == ["q1", "q2", "c1"]
    assert first["new_story"] is True
    assert first["similarity"] is None
    assert second["story"] == first["story"]
    assert second["new_story"] is False
    assert second["articles"] == 2
    assert second["outlets"] == ["Wire One", "Daily Courier"]
    assert second["similarity"] >= DEFAULT_THRESHOLD
    assert coach["story"] != first["story"]
    assert "3 article(s) in 2 stories, 0 refused" in run.err


def test_stories_reports_a_refused_item_in_its_place(newsalert: Newsalert) -> None:
    run = newsalert("stories", stdin=_lines(QUAKE_1, {"id": "bad", "text": "no title"}, COACH))

    assert run.status == 1
    assert [line["id"] for line in run.lines] == ["q1", "bad", "c1"]
    refused = run.lines[1]
    assert "title" in refused["reason"]
    assert refused["origin"] == "stdin:2"


def test_stories_reads_files_in_order(newsalert: Newsalert, tmp_path: Path) -> None:
    (tmp_path / "one.jsonl").write_text(_lines(QUAKE_1), encoding="utf-8")
    (tmp_path / "two.jsonl").write_text(_lines(QUAKE_2), encoding="utf-8")

    run = newsalert("stories", str(tmp_path / "one.jsonl"), str(tmp_path / "two.jsonl"))

    assert [line["articles"] for line in run.lines] == [1, 2]


def test_a_threshold_of_one_keeps_every_article_alone(newsalert: Newsalert) -> None:
    run = newsalert("stories", "--threshold", "1", stdin=_lines(QUAKE_1, QUAKE_2))

    assert [line["new_story"] for line in run.lines] == [True, True]


def test_a_threshold_outside_0_and_1_is_a_usage_error(newsalert: Newsalert) -> None:
    with pytest.raises(SystemExit) as exit_info:
        newsalert("stories", "--threshold", "2")

    assert exit_info.value.code == 2


def test_eval_measures_stories_per_source_when_items_carry_a_story_label(newsalert: Newsalert, tmp_path: Path) -> None:
    labelled = tmp_path / "stories.jsonl"
    labelled.write_text(_lines(QUAKE_1, QUAKE_2, COACH), encoding="utf-8")

    run = newsalert("eval", str(labelled), "--json")

    assert run.status == 0
    report = json.loads(run.out)
    assert report["method"] == "grouper"
    assert set(report["stories"]) == {"test", "other", "all"}
    overall = report["stories"]["all"]
    assert (overall["items"], overall["gold_stories"], overall["predicted_stories"]) == (3, 2, 2)
    assert overall["bcubed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert overall["pairwise"]["f1"] == 1.0


def test_eval_measures_the_hashing_baselines(newsalert: Newsalert, tmp_path: Path) -> None:
    labelled = tmp_path / "stories.jsonl"
    labelled.write_text(_lines(QUAKE_1, QUAKE_2, COACH), encoding="utf-8")

    for method in ("near-duplicate", "exact"):
        run = newsalert("eval", str(labelled), "--method", method, "--json")
        report = json.loads(run.out)
        # Two wordings of one quake share no wire text: hashing keeps them apart.
        assert report["stories"]["all"]["predicted_stories"] == 3
        assert report["stories"]["all"]["bcubed"]["recall"] < 1.0


def test_eval_stories_text_report_names_b_cubed_and_pairwise(newsalert: Newsalert, tmp_path: Path) -> None:
    labelled = tmp_path / "stories.jsonl"
    labelled.write_text(_lines(QUAKE_1, QUAKE_2, COACH), encoding="utf-8")

    run = newsalert("eval", str(labelled), "--errors")

    assert run.status == 0
    assert "B3 F1" in run.out
    assert "pair F1" in run.out
    assert "method grouper, threshold 0.24, window 48 h" in run.out
    assert "predicted stories that mix gold stories" in run.out


def test_eval_stories_flag_without_labels_measures_nothing(newsalert: Newsalert, tmp_path: Path) -> None:
    labelled = tmp_path / "plain.jsonl"
    labelled.write_text(_lines({"id": "x", "title": "A title"}), encoding="utf-8")

    run = newsalert("eval", str(labelled), "--stories")

    assert run.status == 1
    assert "no article with a 'story' label" in run.err


def test_eval_orders_groups_the_items_in_shuffled_orders_too_and_reports_the_mean(
    newsalert: Newsalert, tmp_path: Path
) -> None:
    labelled = tmp_path / "stories.jsonl"
    labelled.write_text(_lines(QUAKE_1, QUAKE_2, COACH), encoding="utf-8")

    run = newsalert("eval", str(labelled), "--orders", "3", "--json")
    text = newsalert("eval", str(labelled), "--orders", "3")

    assert run.status == 0
    orders = json.loads(run.out)["orders"]
    assert orders["count"] == 4
    overall = orders["stories"]["all"]
    assert overall["f1"] == overall["f1_min"] == overall["f1_max"] == 1.0  # any order groups these right
    assert set(orders["stories"]) == {"test", "other", "all"}
    assert "mean over 4 orders (the file's and 3 shuffled, seeds 1-3)" in text.out


def test_eval_orders_must_be_a_small_whole_number(newsalert: Newsalert, tmp_path: Path) -> None:
    labelled = tmp_path / "stories.jsonl"
    labelled.write_text(_lines(QUAKE_1), encoding="utf-8")

    for wrong in ("-1", "two", "100000"):
        with pytest.raises(SystemExit) as exit_info:
            newsalert("eval", str(labelled), "--orders", wrong)
        assert exit_info.value.code == 2
