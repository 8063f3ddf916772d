"""What an article costs in AWS, kept true: a generated day through the stack, metered as ``make cost`` meters it.

The figures are counts of calls, write units and log bytes, so they repeat from run to run;
the bounds sit at what docs/cost.md reports, with a little room, so a change that makes an
article dearer fails here before it reaches a bill.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import import_bench

bench_cost = import_bench("bench_cost")
Meter = import_bench("aws_meter").Meter
CostReport = bench_cost.CostReport


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> CostReport:
    return bench_cost.measure(120, bench_cost.load_prices(), workdir=Path(tmp_path_factory.mktemp("cost")))


def test_an_article_costs_few_write_units_and_a_feed_item_seen_before_almost_none(day: CostReport) -> None:
    # A new article: its text and its id claimed (2), its fate (1), its story when it may alert (1-5),
    # its alert when it is one; the mix of this day is almost all alertable news (docs/cost.md).
    assert day.per_article("write_units") <= 4.4
    assert day.seen_write_units <= 0.1


def test_the_stages_talk_in_batches_and_without_transactions(day: CostReport) -> None:
    calls = day.calls()
    assert calls["sqs:SendMessage"] == 0
    assert calls["sqs:SendMessageBatch"] > 0
    assert calls["dynamodb:TransactWriteItems"] == 0
    # One archive object per classify batch, not one per article.
    assert day.functions["ClassifyFunction"].calls["s3:PutObject"] <= day.articles / 50


def test_the_functions_log_at_most_600_bytes_per_article(day: CostReport) -> None:
    functions: dict[str, Any] = day.functions
    logged = sum(day.log_bytes[name] for name in functions if name.endswith("Function"))
    assert logged / day.articles <= 600


def test_a_million_articles_cost_what_docs_cost_md_says(day: CostReport) -> None:
    assert day.total <= 4.4
    assert day.per_million["DynamoDB writes"] <= 2.8


def test_the_daily_sweep_reads_what_the_table_keeps_per_article_and_no_more(day: CostReport) -> None:
    # The sweeper reads the whole table on each run: its price is the table's bytes per article.
    assert day.table_bytes_per_article <= 900
    assert day.per_million["DynamoDB reads (sweeper)"] <= 0.45


# ------------------------------------------------------------- write units by kind of article

ORDINARY = [
    {
        "title": f"Library {number} extends its weekend opening hours",
        "summary": "Readers asked for longer Saturday hours; the reading room now stays open until six.",
        "source": "Town Crier",
        "url": f"https://towncrier.example/library-hours-{number}",
        "published": "2024-07-04T09:00:00Z",
    }
    for number in range(10)
]


def _write_units_of(runtime: Any, send: Callable[[], object]) -> float:
    """The write units the functions spend on what ``send`` puts into the stack, drained."""
    meter = Meter(runtime.clients.client("dynamodb"))
    with meter.metering():
        send()
        runtime.drain()
    return sum(figures.write_units for name, figures in meter.functions.items() if name.endswith("Function"))


def test_a_new_article_that_cannot_alert_costs_three_write_units_and_a_copy_one(runtime: Any) -> None:
    # Ten ordinary articles in one request: each claims its text and its id, classify gives its
    # fate; the request's ledger item is shared by the ten.
    pushed = _write_units_of(runtime, lambda: runtime.push_articles(json.dumps(ORDINARY)))
    assert pushed == 10 * 3 + 1

    # The same texts under other URLs: one refused claim each, and the request's ledger item.
    copies = [article | {"url": article["url"].replace("towncrier", "mirror")} for article in ORDINARY]
    copied = _write_units_of(runtime, lambda: runtime.push_articles(json.dumps(copies)))
    assert copied == 10 * 1 + 1
