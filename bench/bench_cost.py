"""``make cost``: what a million articles cost on AWS, measured on the stack from template.yaml in embedded AWS.

Drives the whole pipeline with a generated day of news (bench/news_stream.py: stories reported
by several outlets, through polled feeds and pushes, with duplicates and a little bad input),
meters every AWS call with bench/aws_meter.py, counts the functions' log bytes, and prices it
all with bench/prices.yaml (dated). A second poll of the same, unchanged feeds (served without
validators, so no 304 helps) is metered apart: what an item seen before costs.

Prints, per service and in all, the cost of a million articles that enter, and ends with
``total: $X.XX per million articles``. The figures are counts, so they repeat run to run; the
Lambda duration is an estimate (the handlers' own time plus a round trip per AWS call from the
latency table in bench/aws_meter.py).

Run: ``make cost`` or ``.venv/bin/python bench/bench_cost.py [--stories N]``.
"""

from __future__ import annotations

import argparse
import io
import json
import math
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from aws_meter import PLATFORM, FunctionMeter, Meter, item_size
from news_stream import Day, feed_document, generate_day

from newsalert.aws.articles_table import RETENTION
from newsalert.tools.local.feedserver import serve_feeds
from newsalert.tools.local.runtime import LocalRuntime

ROOT = Path(__file__).resolve().parents[1]
PRICES = Path(__file__).with_name("prices.yaml")
START = datetime(2024, 7, 4, 0, 0, tzinfo=UTC)
MEMORY_GB = 0.5
"""The functions' memory size (template.yaml, Globals): Lambda bills duration at it."""
PLATFORM_LOG_BYTES = 350
"""Lambda's own START, END and REPORT lines for each invocation, in CloudWatch Logs."""
TRACE_SAMPLING = 0.05
"""X-Ray's default sampling beyond the first request each second: traces recorded per invocation."""
SWEEPS_PER_DAY = 1
"""The sweeper's runs a day (template.yaml's SweepSchedule default): each reads the whole articles table."""
SCAN_BYTES_PER_READ_UNIT = 2 * 4096
"""A Scan reads eventually consistent: half a read unit per 4 KB of items read."""


class CountingLog(io.StringIO):
    """The functions' log, counting the bytes each function writes (as CloudWatch Logs would ingest them)."""

    def __init__(self, meter: Meter) -> None:
        super().__init__()
        self.meter = meter
        self.bytes: Counter[str] = Counter()

    def write(self, text: str) -> int:
        self.bytes[self.meter._current or PLATFORM] += len(text.encode("utf-8"))
        return super().write(text)


def _feed_files(day: Day, folder: Path) -> list[Path]:
    paths = []
    for number, (name, items) in enumerate(sorted(day.feeds.items())):
        path = folder / f"feed-{number}.xml"
        path.write_bytes(feed_document(name, items))
        paths.append(path)
    return paths


def _run(runtime: LocalRuntime, day: Day, feeds: list[str]) -> tuple[int, int]:
    """The day through the stack, its feeds served at ``feeds``; returns (articles that entered, feed items)."""
    entered = 0
    runtime.now = START + timedelta(hours=23)
    runtime.register_feeds(feeds)
    runtime.run_schedules("poll-feeds")
    runtime.drain()
    for push in day.pushes:
        result = runtime.push_articles(json.dumps(push)).result
        entered += len(json.loads(result["body"]).get("results", [])) if isinstance(result, dict) else 0
        runtime.drain()
    runtime.run_schedules("send-digests")
    runtime.drain()
    polled = sum(len(items[:100]) for items in day.feeds.values())
    return entered + polled, polled


def _make_feeds_due_without_validators(runtime: LocalRuntime) -> None:
    """Every feed due now and without ETag or Last-Modified: no 304 will help its next poll."""
    table = runtime.stack.outputs["FeedsTableName"]
    for item in runtime.clients.dynamodb.scan(TableName=table)["Items"]:
        runtime.clients.dynamodb.update_item(
            TableName=table,
            Key={"feed_id": item["feed_id"]},
            UpdateExpression="SET next_poll_at = :zero REMOVE etag, last_modified",
            ExpressionAttributeValues={":zero": {"N": "0"}},
        )


def _second_poll(runtime: LocalRuntime) -> None:
    """The tick again, an hour later, every feed unchanged: each item is one seen before."""
    runtime.now = runtime.now + timedelta(hours=1)
    runtime.run_schedules("poll-feeds")
    runtime.drain()


def _dollars(
    figures: dict[str, FunctionMeter], log_bytes: Counter[str], prices: dict[str, Any], *, http_requests: int
) -> dict[str, float]:
    """What the metered work costs, by service; ``http_requests`` is the pushes through the HTTP API."""
    invocations = sum(meter.invocations for name, meter in figures.items() if name != PLATFORM)
    gb_seconds = sum(
        math.ceil((meter.handler_seconds + meter.round_trips) * 1000) / 1000 * MEMORY_GB
        for name, meter in figures.items()
        if name != PLATFORM
    )
    logs_gb = (sum(log_bytes.values()) + PLATFORM_LOG_BYTES * invocations) / 1e9
    return {
        "DynamoDB writes": sum(m.write_units for m in figures.values())
        * prices["dynamodb"]["per_million_write_request_units"]
        / 1e6,
        "DynamoDB reads": sum(m.read_units for m in figures.values())
        * prices["dynamodb"]["per_million_read_request_units"]
        / 1e6,
        "SQS": sum(m.sqs_requests for m in figures.values()) * prices["sqs"]["per_million_requests"] / 1e6,
        "SNS publishes": sum(m.sns_publishes for m in figures.values()) * prices["sns"]["per_million_publishes"] / 1e6,
        "S3": sum(m.s3_puts for m in figures.values()) * prices["s3"]["per_thousand_put_requests"] / 1e3
        + sum(m.s3_gets for m in figures.values()) * prices["s3"]["per_thousand_get_requests"] / 1e3,
        "Lambda requests": invocations * prices["lambda"]["per_million_requests"] / 1e6,
        "Lambda duration": gb_seconds * prices["lambda"]["per_gb_second"],
        "CloudWatch Logs": logs_gb * prices["cloudwatch_logs"]["per_gb_ingested"],
        "X-Ray": invocations * TRACE_SAMPLING * prices["xray"]["per_million_traces_recorded"] / 1e6,
        "API Gateway (pushes)": http_requests * prices["api_gateway_http"]["per_million_requests"] / 1e6,
    }


def _table(figures: dict[str, FunctionMeter], articles: int, log_bytes: Counter[str]) -> list[str]:
    lines = [
        f"| {'function':<22} | {'calls':>6} | {'WCU':>7} | {'RCU':>7} | {'SQS':>5} | {'log bytes':>9} |",
        f"|{'-' * 24}|{'-' * 8}|{'-' * 9}|{'-' * 9}|{'-' * 7}|{'-' * 11}|",
    ]
    for name in sorted(figures):
        meter = figures[name]
        lines.append(
            f"| {name:<22} | {sum(meter.calls.values()) / articles:>6.2f} | {meter.write_units / articles:>7.2f} "
            f"| {meter.read_units / articles:>7.2f} | {meter.sqs_requests / articles:>5.2f} "
            f"| {log_bytes[name] / articles:>9.0f} |"
        )
    return lines


def _per_alert(figures: dict[str, FunctionMeter]) -> str:
    """The AWS calls behind each published alert: notify's own, and the whole pipeline's."""
    notify = figures.get("NotifyFunction")
    alerts = notify.calls.get("sns:Publish", 0) if notify else 0
    if not notify or not alerts:
        return "No alert was published."
    everything = sum(sum(meter.calls.values()) for meter in figures.values())
    operations = ", ".join(f"{op} {n / alerts:.2f}" for op, n in sorted(notify.calls.items()))
    return (
        f"Per alert published ({alerts} alerts and digests): notify makes {sum(notify.calls.values()) / alerts:.1f} "
        f"AWS calls ({operations}), the silent joins it records included; the whole pipeline makes "
        f"{everything / alerts:.1f}, most of them for the articles that did not alert."
    )


@dataclass
class CostReport:
    """What a metered day cost: the figures per function, and per million articles by service."""

    articles: int
    polled: int
    reports: int
    stories: int
    functions: dict[str, FunctionMeter]
    log_bytes: Counter[str]
    seen_write_units: float
    """Write units per feed item seen before (a second poll of every feed, unchanged)."""
    seen_calls: Counter[str]
    """The AWS operations of that second poll."""
    per_million: dict[str, float]
    table_bytes_per_article: float = 0.0
    """What the articles table holds per article that entered: what each sweep reads again."""

    @property
    def total(self) -> float:
        return sum(self.per_million.values())

    def per_article(self, figure: str) -> float:
        """A figure of every function together (``write_units``, ``read_units``...) per article that entered."""
        total: float = sum(getattr(meter, figure) for meter in self.functions.values())
        return total / self.articles

    def calls(self) -> Counter[str]:
        """Every AWS operation the pipeline made, counted."""
        counted: Counter[str] = Counter()
        for meter in self.functions.values():
            counted.update(meter.calls)
        return counted


def measure(stories: int, prices: dict[str, Any], *, workdir: Path) -> CostReport:
    """Run a generated day of ``stories`` stories through the stack, metered, then poll every feed again."""
    day = generate_day(stories=stories, start=START)
    workdir.mkdir(parents=True, exist_ok=True)
    with LocalRuntime(ROOT, now=START, log=io.StringIO()) as runtime, serve_feeds(_feed_files(day, workdir)) as served:
        meter = Meter(runtime.clients.client("dynamodb"))
        log = CountingLog(meter)
        runtime.log = log
        runtime.invoker._log = log
        with meter.metering():
            articles, polled = _run(runtime, day, list(served.values()))
        pipeline, pipeline_logs = dict(meter.functions), Counter(log.bytes)
        table_bytes = _table_bytes(runtime)
        _make_feeds_due_without_validators(runtime)
        seen = Meter(runtime.clients.client("dynamodb"))
        seen_log = CountingLog(seen)
        runtime.log = runtime.invoker._log = seen_log
        with seen.metering():
            _second_poll(runtime)
        failed_polls = seen_log.getvalue().count('"feed failed"')
        if failed_polls:
            raise RuntimeError(f"{failed_polls} feeds failed at the second poll: the figure would not be a seen item's")
    costs = _dollars(pipeline, pipeline_logs, prices, http_requests=len(day.pushes))
    # Each article's items are read by every sweep while the table keeps them (RETENTION).
    sweep_read_units = table_bytes / SCAN_BYTES_PER_READ_UNIT * SWEEPS_PER_DAY * RETENTION.days
    costs["DynamoDB reads (sweeper)"] = sweep_read_units * prices["dynamodb"]["per_million_read_request_units"] / 1e6
    return CostReport(
        articles=articles,
        polled=polled,
        reports=len(day.reports),
        stories=day.stories,
        functions=pipeline,
        log_bytes=pipeline_logs,
        seen_write_units=sum(m.write_units for m in seen.functions.values()) / max(polled, 1),
        seen_calls=sum((Counter(m.calls) for m in seen.functions.values()), Counter()),
        per_million={service: cost / articles * 1e6 for service, cost in costs.items()},
        table_bytes_per_article=table_bytes / articles,
    )


def _table_bytes(runtime: LocalRuntime) -> int:
    """The size of every item of the articles table, as DynamoDB counts it."""
    total, arguments = 0, {"TableName": runtime.stack.outputs["ArticlesTableName"]}
    while True:
        page = runtime.clients.dynamodb.scan(**arguments)
        total += sum(item_size(item) for item in page["Items"])
        if "LastEvaluatedKey" not in page:
            return total
        arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def load_prices() -> dict[str, Any]:
    prices: dict[str, Any] = yaml.safe_load(PRICES.read_text(encoding="utf-8"))
    return prices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=120, help="stories in the generated day (default 120)")
    parser.add_argument("--calls", action="store_true", help="also list every AWS operation per function")
    args = parser.parse_args()
    prices = load_prices()
    report = measure(args.stories, prices, workdir=Path(".newsalert") / "cost")
    articles = report.articles
    print(
        f"{articles} articles entered ({report.reports} reports of {report.stories} stories, "
        f"{report.polled} through feeds);"
    )
    print(f"prices: {prices['region']} on-demand, as of {prices['as_of']} (bench/prices.yaml)")
    print()
    print("Per article that entered:")
    print("\n".join(_table(report.functions, articles, report.log_bytes)))
    if args.calls:
        for name, figures in sorted(report.functions.items()):
            print(f"  {name}: " + ", ".join(f"{op} {n / articles:.2f}" for op, n in sorted(figures.calls.items())))
    print()
    print(_per_alert(report.functions))
    print()
    print(
        f"An item seen before (a second poll of the {report.polled} unchanged items): "
        f"{report.seen_write_units:.3f} write units"
    )
    if args.calls:
        print("  " + ", ".join(f"{op} {n}" for op, n in sorted(report.seen_calls.items())))
    print(
        f"The sweeper: the articles table holds {report.table_bytes_per_article:.0f} bytes per article, read by "
        f"{SWEEPS_PER_DAY} sweep(s) a day for the {RETENTION.days} days it is kept"
    )
    print()
    print(f"| {'service':<24} | {'$ per million articles':>22} |")
    print(f"|{'-' * 26}|{'-' * 24}|")
    for service, cost in report.per_million.items():
        print(f"| {service:<24} | {cost:>22.2f} |")
    print()
    print("SNS deliveries (email, SMS, push, HTTPS) are priced per subscriber and left out.")
    print(f"total: ${report.total:.2f} per million articles")


if __name__ == "__main__":
    main()
