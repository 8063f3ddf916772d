"""bench/bench_watch_topics.py reports the halves a labelled file names, so a new set needs no new flag."""

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
