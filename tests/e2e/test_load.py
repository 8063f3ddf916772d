"""``make load``'s driver on a small day: the same generator, the same runtime, the same accounting, in seconds."""

from __future__ import annotations

import io
from types import ModuleType

import pytest

from tests.conftest import import_bench


@pytest.fixture(scope="module")
def bench_load() -> ModuleType:
    return import_bench("bench_load")


def test_a_generated_day_has_the_articles_asked_for_and_is_the_same_for_the_same_seed(bench_load: ModuleType) -> None:
    day = bench_load.generate_load(400, ticks=4)
    assert day.articles == 400
    assert sum(day.duplicates.values()) == 30  # 7.5 %
    assert sum(day.bad.values()) == 4
    assert len(day.feeds) > 2
    assert day.pushes
    assert day.drops
    again = bench_load.generate_load(400, ticks=4)
    assert [drop.data for drop in again.drops] == [drop.data for drop in day.drops]
    assert again.pushes == day.pushes


def test_fifty_articles_through_the_local_runtime_are_all_accounted_for(bench_load: ModuleType) -> None:
    day = bench_load.generate_load(50, ticks=2)
    said: list[str] = []
    result = bench_load.run_load(day, log=io.StringIO(), say=said.append)
    assert result.problems == []
    assert sum(result.fates.values()) == 50
    assert set(result.fates) <= bench_load.FINAL_FATES
    assert result.fates["duplicate"] >= sum(day.duplicates.values())
    assert result.fates["quarantined"] == sum(day.bad.values()) == 1
    assert {"ClassifyFunction (sqs)", "NotifyFunction (sqs)", "IngestFunction (POST)"} <= set(result.stages)
    assert any(line.startswith("tick  2/2") for line in said)
    report = "\n".join(bench_load.report(result, day))
    assert "accounting: every article accounted for" in report


def test_a_malformed_feed_item_polled_twice_is_one_article_in_the_ledger(bench_load: ModuleType) -> None:
    day = bench_load.generate_load(80, ticks=2, bad_feed_items=True)
    assert day.bad["feed item without title or link"] == 1
    result = bench_load.run_load(day, log=io.StringIO(), say=lambda _: None)
    assert result.problems == []
