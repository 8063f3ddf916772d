"""bench/bench_watch_topics.py reports the halves a labelled file names, so a new set needs no new flag, and
reads a lead as ingest keeps it when asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import import_bench

bench_watch_topics = import_bench("bench_watch_topics")


def _write(path: Path, items: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def test_by_default_each_half_the_file_names_is_reported_then_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labelled = _write(
        tmp_path / "set.jsonl",
        [
            {
                "id": "x1",
                "language": "en",
                "title": "NATO leaders meet",
                "summary": "The alliance met.",
                "topics": ["nato"],
                "half": "D1",
            },
            {
                "id": "x2",
                "language": "en",
                "title": "Rain in Oslo",
                "summary": "It rained all day.",
                "topics": [],
                "half": "D2",
            },
        ],
    )

    assert bench_watch_topics.main([str(labelled)]) == 0

    halves = [line.split(":")[0] for line in capsys.readouterr().out.splitlines() if line.startswith("half ")]
    assert halves == ["half D1", "half D2", "half all"]


def test_a_file_without_halves_is_reported_as_a_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labelled = _write(
        tmp_path / "set.jsonl",
        [{"id": "x1", "language": "en", "title": "Rain in Oslo", "summary": "It rained.", "topics": []}],
    )

    assert bench_watch_topics.main([str(labelled)]) == 0

    halves = [line.split(":")[0] for line in capsys.readouterr().out.splitlines() if line.startswith("half ")]
    assert halves == ["half all"]


def test_as_ingested_reads_a_long_lead_as_ingest_keeps_a_feed_item() -> None:
    lead = "First paragraph of the lead, " * 20 + "ending here.\nSecond paragraph names the alliance."
    item = bench_watch_topics.Item("x1", "en", "-", "positive", frozenset({"nato"}), "Leaders meet", lead)

    whole = bench_watch_topics.as_article(item)
    ingested = bench_watch_topics.as_article(item, as_ingested=True)

    assert (whole.summary, whole.body) == (lead, "")
    # As a feed item's description: its first paragraph, cut at a word, is the summary; all of it the body.
    assert len(ingested.summary) <= 300
    assert ingested.summary.endswith("…")
    assert lead.startswith(ingested.summary.removesuffix("…"))
    assert "Second paragraph" not in ingested.summary
    assert ingested.body == lead
