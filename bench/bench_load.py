"""``make load``: ten thousand articles of a generated day through the local runtime, then exact accounting.

The day (bench/news_stream.py's stories, told by several outlets in their own words) enters
the way it would in AWS, in ticks through the day: at each tick files are dropped in the inbox
bucket, JSON batches are pushed to ``POST /articles`` and the feed-poll schedule fires, each
feed, served on 127.0.0.1 and nowhere else, listing what its outlet published since a little
before the previous tick (an item seen before is polled again); then the queues are drained.
About 7.5 % of the articles are exact duplicates (the same article in a second feed, pushed
again, dropped again, in a feed and pushed), many are the same story from other outlets, and
1 % is bad input (an item without a title, a PDF, a page with no article in it).

At the end every article that entered must be accounted for: its intake ledger entry is there
(as many entries per input as the day sent through it), and its fate is final (alerted, not
breaking, joined to an alerted story, duplicate or quarantined); every alert and digest an
article names reached the catch-all subscriber exactly once, and no subscriber received one
twice. Prints the throughput of each stage, the wall time and the peak memory; exits non-zero
when the accounting fails.

With ``--faults RATE`` (``make load FAULTS=0.01``) every AWS call the functions make is throttled
with that chance and answered 5xx with that chance again (``newsalert.tools.local.faults``: botocore
parses the error and retries as it would in AWS), ``--lost RATE`` adds calls performed whose answer
is lost; the accounting is the same, and the fates the faults may leave visibly — a message in a
dead-letter queue, an article the sweeper marked unfinished, an alert whose publish is unconfirmed —
are counted as such. A push that answers 5xx is sent again, as a client would; the report lists the
faults injected by operation.

Run: ``make load`` or ``.venv/bin/python bench/bench_load.py [--articles N] [--ticks N] [--faults RATE]
[--lost RATE] [--profile FILE]``.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from news_stream import OUTLETS, Report, _as_json, feed_document, generate_day

from newsalert.models import intake_input
from newsalert.notify.subscribers import Subscriber
from newsalert.tools.local.faults import FaultInjector, FaultRates
from newsalert.tools.local.feedserver import serve_documents
from newsalert.tools.local.runtime import DrainProgress, LocalRuntime
from newsalert.tools.local.simulation import ArticleFate, FateReader, dead_article_ids

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2024, 7, 4, 0, 0, tzinfo=UTC)
SEED = 20240710
DUPLICATE_SHARE = 0.075
BAD_SHARE = 0.01
FEED_SHARE, PUSH_SHARE = 0.6, 0.3
"""Of the articles that are neither duplicates nor bad: in feeds, pushed; the rest are dropped files."""
ITEMS_PER_FEED = 80
"""Roughly how many articles a feed carries over the day: ten thousand articles are about 75 feeds."""
PUSH_BATCH = 50
OVERLAP = timedelta(minutes=30)
"""A feed lists what was published since this long before the previous tick: those items are polled twice."""
FINAL_FATES = frozenset({"alerted", "not_breaking", "joined", "duplicate", "quarantined"})
VISIBLE_FATES = frozenset({"failed", "unfinished"})
"""Not final, but seen to by an operator: in a dead-letter queue (with its alarm), or marked unfinished by
the sweeper (with its alarm). Counted as accounted for in a run with faults; in a run without, a fault of
our own."""
PUSH_ATTEMPTS = 5
"""How often the driver sends a push that answered 5xx (or failed), as a client that retries would."""
CATCH_ALL = Subscriber(name="catch-all", protocol="https", endpoint="https://hooks.newsroom.example/everything")
SUBSCRIBERS = [
    CATCH_ALL,
    Subscriber(name="disaster desk", protocol="email", endpoint="disaster@newsroom.example", topics=("disaster",)),
    Subscriber(name="sports desk", protocol="sms", endpoint="+15555550123", topics=("sport",)),
]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --------------------------------------------------------------------------------------- the day
@dataclass
class Drop:
    key: str
    data: bytes
    tick: int


@dataclass
class Load:
    """A generated day, as it enters: by tick, what each feed lists, what is pushed and what is dropped."""

    ticks: int
    feeds: dict[str, list[tuple[Report, int]]] = field(default_factory=dict)
    """Feed name to its items, each with the tick it is published for."""
    pushes: list[tuple[int, list[dict[str, str]]]] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)
    duplicates: Counter[str] = field(default_factory=Counter)
    """Exact duplicates sent, by how they came."""
    bad: Counter[str] = field(default_factory=Counter)
    """Bad input sent, by kind."""
    bad_feed_items: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    """Feed name to its malformed items (an item with neither title nor link), each with its tick: listed
    at that tick and the next, as feeds keep their last items (docs/load.md: the ledger counts it twice)."""

    @property
    def articles(self) -> int:
        sent = sum(len(items) for items in self.feeds.values()) + sum(len(b) for _, b in self.pushes) + len(self.drops)
        return sent + sum(len(items) for items in self.bad_feed_items.values())

    def feed_entries(self, name: str) -> int:
        """The intake ledger entries a feed should leave: one per item, however many polls listed it.

        An article the feed lists twice (syndicated into it twice) is two items of each document, told
        apart by their occurrence, so two entries."""
        return len(self.feeds[name]) + len(self.bad_feed_items.get(name, []))

    def tick_time(self, tick: int) -> datetime:
        return START + timedelta(hours=24) * (tick + 1) / self.ticks

    def feed_at(self, name: str, tick: int) -> bytes:
        """The feed's document as polled at ``tick``: its items since a little before the previous tick."""
        since = self.tick_time(tick - 1) - OVERLAP
        listed = [report for report, at in self.feeds[name] if at <= tick and report.published > since]
        document = feed_document(name, sorted(listed, key=lambda r: r.published, reverse=True), limit=len(listed))
        malformed = "".join(item for at, item in self.bad_feed_items.get(name, []) if tick - 1 <= at <= tick)
        return document.replace(b"</channel>", malformed.encode("utf-8") + b"</channel>")


def _text_file(report: Report) -> bytes:
    dateline = f"{report.outlet}      {report.published:%A, %d %B, %Y}"
    when = f"{report.published:%d %B %Y, %H:%M} UTC"
    return "\n\n".join([dateline, report.title, when, report.body]).encode("utf-8")


def _html_file(report: Report) -> bytes:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in report.body.split("\n\n"))
    return (
        f'<!DOCTYPE html><html><head><title>{report.title}</title><link rel="canonical" href="{report.url}">'
        f'<meta property="article:published_time" content="{report.published.isoformat()}">'
        f'<meta property="og:site_name" content="{report.outlet}"></head>'
        f"<body><article><h1>{report.title}</h1>{paragraphs}</article></body></html>"
    ).encode()


def generate_load(articles: int, *, ticks: int = 12, seed: int = SEED, bad_feed_items: bool = True) -> Load:
    """A day of ``articles`` articles (exactly), the same for the same seed.

    ``bad_feed_items`` makes a quarter of the bad input malformed feed items, each listed at two
    polls (ingest quarantines it once: the feed's memory knows it by its content)."""
    rng = random.Random(seed)
    bad = max(1, round(articles * BAD_SHARE)) if articles >= 20 else 0
    duplicates = round(articles * DUPLICATE_SHARE)
    unique = articles - bad - duplicates
    feeds = max(2, math.ceil(unique * FEED_SHARE / ITEMS_PER_FEED))
    outlets = min(len(OUTLETS), max(feeds, 4))
    # One to four outlets per story, 2.5 on average: enough stories for ``unique`` reports.
    day = generate_day(stories=math.ceil(unique / 2.3) + 4, start=START, seed=seed, feeds=outlets, push_share=0.0)
    reports = sorted(day.reports[:unique], key=lambda report: report.published)
    load = Load(ticks=ticks)
    feeds_of: dict[str, list[str]] = defaultdict(list)
    for number in range(feeds):
        name = f"{OUTLETS[number % outlets]} #{number // outlets + 1}"
        feeds_of[OUTLETS[number % outlets]].append(name)
        load.feeds[name] = []

    def tick_of(report: Report) -> int:
        return min(ticks - 1, int((report.published - START) / timedelta(hours=24) * ticks))

    in_feeds: list[tuple[str, Report]] = []
    pushed: list[Report] = []
    dropped: list[Report] = []
    for report in reports:
        channel = rng.random()
        if report.outlet in feeds_of and channel < FEED_SHARE:
            name = rng.choice(feeds_of[report.outlet])
            load.feeds[name].append((report, tick_of(report)))
            in_feeds.append((name, report))
        elif channel < FEED_SHARE + PUSH_SHARE or not report.outlet:
            pushed.append(report)
        else:
            dropped.append(report)

    # Exact duplicates, each a copy of an article sent earlier, in one of four ways.
    push_items: list[tuple[int, dict[str, str]]] = [(tick_of(report), _as_json(report)) for report in pushed]
    drop_list = [
        Drop(
            f"inbox/{index:05d}.{'txt' if index % 2 else 'html'}",
            (_text_file if index % 2 else _html_file)(report),
            tick_of(report),
        )
        for index, report in enumerate(dropped)
    ]
    for number in range(duplicates):
        way = ("second feed", "pushed again", "dropped again", "feed and push")[number % 4]
        if way == "second feed" and in_feeds:
            name, report = rng.choice(in_feeds)
            other = rng.choice([feed for feed in load.feeds if feed != name])
            load.feeds[other].append((report, tick_of(report)))
        elif way == "pushed again" and pushed:
            report = rng.choice(pushed)
            push_items.append((min(ticks - 1, tick_of(report) + rng.randint(0, 1)), _as_json(report)))
        elif way == "dropped again" and drop_list:
            original = rng.choice(drop_list)
            drop_list.append(Drop(f"inbox/again-{number:05d}-{original.key[6:]}", original.data, original.tick))
        else:
            name, report = rng.choice(in_feeds)
            push_items.append((tick_of(report), _as_json(report)))
            way = "feed and push"
        load.duplicates[way] += 1

    # Bad input: an item without a title, a PDF dropped by mistake, a page with no article in it.
    kinds = ["feed item without title or link"] if bad_feed_items else []
    kinds += ["pushed item without a title", "PDF dropped", "page without an article"]
    for number in range(bad):
        kind = kinds[number % len(kinds)]
        tick = rng.randrange(ticks)
        if kind == "feed item without title or link":
            tick = rng.randrange(max(1, ticks - 1))  # listed again at the next tick
            name = rng.choice(sorted(load.feeds))
            malformed = f"<item><description>Draft {number}: to follow.</description></item>"
            load.bad_feed_items.setdefault(name, []).append((tick, malformed))
        elif kind == "pushed item without a title":
            push_items.append((tick, {"source": "Push Desk", "published": START.isoformat(), "summary": "A draft."}))
        elif kind == "PDF dropped":
            drop_list.append(Drop(f"inbox/bad-{number:05d}.pdf", PDF, tick))
        else:
            drop_list.append(Drop(f"inbox/bad-{number:05d}.html", b"<html><body><nav>Home</nav></body></html>", tick))
        load.bad[kind] += 1

    for tick in range(ticks):
        batch = [item for at, item in push_items if at == tick]
        rng.shuffle(batch)
        load.pushes += [(tick, batch[start : start + PUSH_BATCH]) for start in range(0, len(batch), PUSH_BATCH)]
    load.drops = sorted(drop_list, key=lambda drop: drop.tick)
    return load


# ------------------------------------------------------------------------------------- the run
@dataclass
class Stage:
    invocations: int = 0
    records: int = 0
    seconds: float = 0.0


@dataclass
class LoadResult:
    articles: int
    seconds: float
    peak_rss_mb: float
    fates: Counter[str]
    stages: dict[str, Stage]
    phases: dict[str, float]
    problems: list[str]
    alerts: int
    digests: int
    deliveries: int
    faults: FaultInjector | None = None
    unconfirmed: int = 0
    """Alerts whose publish outcome the stack could not confirm (the lead's ledger flag), delivered once or never."""
    retried_pushes: int = 0
    """Push requests sent again after a 5xx or a failure."""
    digests_unnamed: int = 0
    """Digests recorded as sent that no article names: another topic's digest of the same article is named."""

    @property
    def ok(self) -> bool:
        return not self.problems


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports ``ru_maxrss`` in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_load(
    load: Load, *, log: TextIO, say: Callable[[str], None] = print, faults: FaultInjector | None = None
) -> LoadResult:
    """Send the day through the local runtime, drain, and account for every article and alert.

    With ``faults``, the functions' AWS calls are faulted as it says, from the deploy to the end."""
    started = time.perf_counter()
    phases: dict[str, float] = defaultdict(float)
    feed_names = sorted(load.feeds)
    retried_pushes = 0
    with LocalRuntime(ROOT, now=START, log=log, faults=faults) as runtime:
        phases["deploy"] = time.perf_counter() - started
        runtime.subscribe(SUBSCRIBERS)
        bucket = runtime.stack.outputs["IngestBucketName"]
        # Each feed is served as a changing document: one route, the tick's listing behind it.
        documents: dict[str, bytes] = {}
        with serve_documents(documents) as base:
            routes = {name: f"/feeds/{number}.xml" for number, name in enumerate(feed_names)}
            urls = {name: f"{base}{route}" for name, route in routes.items()}
            runtime.register_feeds(list(urls.values()))
            inputs: dict[str, int] = Counter()
            request_ids: list[str] = []
            for tick in range(load.ticks):
                runtime.now = load.tick_time(tick)
                mark = time.perf_counter()
                for drop in (drop for drop in load.drops if drop.tick == tick):
                    runtime.drop_bytes(drop.data, key=drop.key)
                    inputs[f"s3://{bucket}/{drop.key}"] += 1
                for _, batch in (push for push in load.pushes if push[0] == tick):
                    invocation, attempts = _push(runtime, json.dumps(batch))
                    retried_pushes += attempts - 1
                    request_ids.append(_request_input(invocation.result))
                    inputs[request_ids[-1]] += len(batch)
                for name in feed_names:
                    documents[routes[name]] = load.feed_at(name, tick)
                runtime.run_schedules("poll-feeds")
                phases["send"] += time.perf_counter() - mark
                mark = time.perf_counter()
                runtime.drain(_progress_printer(say, f"tick {tick + 1}/{load.ticks}"))
                phases["drain"] += time.perf_counter() - mark
                say(
                    f"tick {tick + 1:>2}/{load.ticks}: {time.perf_counter() - started:6.0f} s, "
                    f"peak {peak_rss_mb():5.0f} MB"
                )
            runtime.run_schedules("send-digests")
            runtime.drain()
        for name in feed_names:
            inputs[urls[name]] = load.feed_entries(name)
        mark = time.perf_counter()
        result = _account(runtime, load, inputs, faulted=faults is not None)
        result.faults, result.retried_pushes = faults, retried_pushes
        phases["account"] = time.perf_counter() - mark
        stages: dict[str, Stage] = defaultdict(Stage)
        for invocation in runtime.history.invocations:
            stage = stages[f"{invocation.function} ({invocation.trigger.split(' ')[0].split(':')[0]})"]
            stage.invocations += 1
            stage.records += invocation.records
            stage.seconds += invocation.seconds
    result.seconds = time.perf_counter() - started
    result.peak_rss_mb = peak_rss_mb()
    result.stages = dict(stages)
    result.phases = dict(phases)
    return result


def _push(runtime: LocalRuntime, body: str) -> tuple[Any, int]:
    """Send a push, and again while it answers 5xx or fails (API Gateway's 500), as a client would."""
    attempts = 0
    while True:
        attempts += 1
        invocation = runtime.push_articles(body)
        status = invocation.result.get("statusCode", 500) if isinstance(invocation.result, dict) else 500
        if (invocation.error is None and status < 500) or attempts == PUSH_ATTEMPTS:
            return invocation, attempts


def _request_input(result: Any) -> str:
    body = json.loads(result["body"]) if isinstance(result, dict) else {}
    origins = [outcome["origin"] for outcome in body.get("results", [])]
    return intake_input(origins[0]) if origins else "api:unknown"


def _progress_printer(say: Callable[[str], None], label: str) -> Callable[[DrainProgress], None]:
    last = [time.perf_counter()]

    def progress(state: DrainProgress) -> None:
        if time.perf_counter() - last[0] >= 15:
            last[0] = time.perf_counter()
            delivered = ", ".join(f"{name} {count}" for name, count in sorted(state.messages.items()))
            say(f"  {label}: draining, {state.batches} batches in {state.seconds:.0f} s ({delivered})")

    return progress


def _account(runtime: LocalRuntime, load: Load, inputs: dict[str, int], *, faulted: bool = False) -> LoadResult:
    """The accounting, from what the stack recorded. ``faulted``: a message in a dead-letter queue, an article
    marked unfinished and an alert marked unconfirmed are accounted for (visible, each with its alarm)."""
    problems: list[str] = []
    accounted = FINAL_FATES | VISIBLE_FATES if faulted else FINAL_FATES
    dead = runtime.dead_letters()
    if not faulted:
        problems += [f"{len(messages)} message(s) in {queue}" for queue, messages in dead.items() if messages]
    items = runtime.table_items()
    dead_ids = dead_article_ids(dead)
    reader = FateReader(items, dead_ids)
    dead_inputs = _dead_inputs(dead)
    fates: Counter[str] = Counter()
    alerted: list[tuple[ArticleFate, dict[str, Any]]] = []
    by_id = {str(item["pk"]).removeprefix("ARTICLE#"): item for item in items if str(item["pk"]).startswith("ARTICLE#")}
    for input_name, expected in sorted(inputs.items()):
        outcomes = [outcome.model_dump(mode="json") for outcome in _ledger(runtime, input_name)]
        if len(outcomes) != expected:
            if faulted and input_name in dead_inputs and len(outcomes) < expected:
                # Its event or poll lies in a dead-letter queue: what it did not ingest waits there.
                fates["failed"] += expected - len(outcomes)
            else:
                problems.append(f"{input_name}: {expected} article(s) sent, {len(outcomes)} in the intake ledger")
        for outcome in outcomes:
            fate = reader.fate(outcome)
            fates[fate.fate] += 1
            if fate.fate not in accounted:
                problems.append(f"{fate.origin}: {fate.article_id} ended {fate.fate} ({fate.reason})")
            if fate.fate == "alerted":
                alerted.append((fate, by_id.get(fate.article_id or "", {})))
    if sum(fates.values()) != load.articles:
        problems.append(f"{load.articles} articles sent, {sum(fates.values())} accounted for")

    # What a failed attempt left (a push that answered 5xx, then sent again): not counted among the
    # articles sent, as the retry's request is, but nothing it claimed may be left unfinished.
    retried = {str(item["pk"]).removeprefix("INTAKE#") for item in items if str(item["pk"]).startswith("INTAKE#api:")}
    for input_name in sorted(retried - set(inputs)):
        for outcome in _ledger(runtime, input_name):
            fate = reader.fate(outcome.model_dump(mode="json"))
            if fate.fate not in accounted:
                problems.append(f"{fate.origin} (a failed attempt): {fate.article_id} ended {fate.fate}")
    # Every article claimed has a fate, whatever the ledger says of the inputs that met it: an article
    # claimed by an attempt that failed, then called a duplicate by the retry, would otherwise pass.
    for article_id, item in sorted(by_id.items()):
        status = str(item.get("status", "missing"))
        if status not in accounted and not (faulted and article_id in dead_ids):
            problems.append(f"article {article_id} ({item.get('origin', '?')}) was claimed and ended {status}")

    # Every alert once: what the articles say went out, against what SNS delivered.
    unconfirmed = {
        f"alert {item['sent_alert_id']}"
        for item in items
        if str(item["pk"]).startswith("STORYALERT#") and item.get("unconfirmed") is True and item.get("sent_alert_id")
    }
    # Or on the article that sent it (``delivery: unconfirmed``) when the ledger's own settle failed too:
    # its publishing claim stays for the story's next article or the sweeper to settle.
    unconfirmed |= {
        f"alert {item['alert_id']}"
        for _, item in alerted
        if item.get("delivery") == "unconfirmed" and item.get("alert_id")
    }
    deliveries = {r.subscriber.name: runtime.mailbox.for_subscription(r.subscription_arn) for r in runtime.recipients}
    for name, received in deliveries.items():
        ids = Counter(_sent_id(delivery.attributes) for delivery in received)
        problems += [f"{name} received {sent} {count} times" for sent, count in ids.items() if count > 1]
    everything = Counter(_sent_id(delivery.attributes) for delivery in deliveries[CATCH_ALL.name])
    named = {f"alert {item['alert_id']}" for _, item in alerted if item.get("alert_id")}
    named |= {f"digest {item['digest_id']}" for _, item in alerted if item.get("digest_id")}
    # An unconfirmed alert may or may not have reached SNS: delivered once or never, both accounted for.
    problems += [
        f"{sent} is named by an article but was never delivered"
        for sent in sorted(named - set(everything) - unconfirmed)
    ]
    # An article held for several topics goes out in each topic's digest, and its item names the last one
    # only (notify records one digest_id): a digest the stack recorded as sent (DIGESTSENT#) is accounted
    # for, and counted apart.
    recorded = {
        f"digest {str(item['pk']).removeprefix('DIGESTSENT#')}"
        for item in items
        if str(item["pk"]).startswith("DIGESTSENT#")
    }
    unnamed = sorted(set(everything) - named)
    problems += [f"{sent} was delivered but no article names it" for sent in unnamed if sent not in recorded]
    return LoadResult(
        articles=load.articles,
        seconds=0.0,
        peak_rss_mb=0.0,
        fates=fates,
        stages={},
        phases={},
        problems=problems,
        alerts=sum(1 for sent in everything if sent.startswith("alert ")),
        digests=sum(1 for sent in everything if sent.startswith("digest ")),
        deliveries=sum(len(received) for received in deliveries.values()),
        unconfirmed=len(unconfirmed),
        digests_unnamed=sum(1 for sent in unnamed if sent in recorded),
    )


def _dead_inputs(dead: dict[str, list[dict[str, Any]]]) -> set[str]:
    """The inputs whose event (a dropped file's S3 notification) or poll (a feed's) lies in a dead-letter queue."""
    found: set[str] = set()
    for messages in dead.values():
        for message in messages:
            try:
                body = json.loads(message["Body"])
            except (json.JSONDecodeError, KeyError):
                continue
            if not isinstance(body, dict):
                continue
            for record in body.get("Records", []):
                s3 = record.get("s3", {}) if isinstance(record, dict) else {}
                if s3.get("bucket", {}).get("name") and s3.get("object", {}).get("key"):
                    found.add(f"s3://{s3['bucket']['name']}/{s3['object']['key']}")
            if isinstance(body.get("url"), str):
                found.add(body["url"])
    return found


def _ledger(runtime: LocalRuntime, input_name: str) -> list[Any]:
    from newsalert.aws.articles_table import ArticlesTable

    return ArticlesTable(runtime.clients.dynamodb, runtime.stack.outputs["ArticlesTableName"]).intake(input_name)


def _sent_id(attributes: dict[str, Any]) -> str:
    """What a delivery was: ``alert <id>`` or ``digest <id>`` (SNS passes attributes on as ``Type`` and ``Value``)."""
    if "digest_id" in attributes:
        return f"digest {attributes['digest_id']['Value']}"
    return f"alert {attributes.get('alert_id', {}).get('Value', '?')}"


# ------------------------------------------------------------------------------------ the report
def report(result: LoadResult, load: Load) -> list[str]:
    lines = [
        f"{result.articles} articles: {load.articles - sum(load.duplicates.values()) - sum(load.bad.values())} "
        f"distinct, {sum(load.duplicates.values())} exact duplicates "
        f"({', '.join(f'{way} {n}' for way, n in sorted(load.duplicates.items()))}), "
        f"{sum(load.bad.values())} bad ({', '.join(f'{kind} {n}' for kind, n in sorted(load.bad.items()))})",
        f"through {len(load.feeds)} feeds, {len(load.pushes)} pushes and {len(load.drops)} dropped files "
        f"in {load.ticks} ticks",
        "",
        "fates: " + ", ".join(f"{fate} {count}" for fate, count in sorted(result.fates.items())),
        f"alerts: {result.alerts} alerts and {result.digests} digests published, "
        f"{result.deliveries} deliveries to {len(SUBSCRIBERS)} subscribers"
        + (f", {result.unconfirmed} alert(s) unconfirmed" if result.unconfirmed else "")
        + (
            f", {result.digests_unnamed} digest(s) named by no article (its article names another topic's digest)"
            if result.digests_unnamed
            else ""
        ),
        "",
        *_stage_table(result),
        "",
        f"| {'function (trigger)':<28} | {'invocations':>11} | {'records':>7} | {'seconds':>7} | {'records/s':>9} |",
        f"|{'-' * 30}|{'-' * 13}|{'-' * 9}|{'-' * 9}|{'-' * 11}|",
    ]
    for name, stage in sorted(result.stages.items()):
        rate = stage.records / stage.seconds if stage.seconds else 0.0
        lines.append(
            f"| {name:<28} | {stage.invocations:>11} | {stage.records:>7} | {stage.seconds:>7.1f} | {rate:>9.1f} |"
        )
    handlers = sum(stage.seconds for stage in result.stages.values())
    lines += [
        "",
        "phases: "
        + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in result.phases.items())
        + f" (of which in the handlers {handlers:.1f} s)",
        f"total: {result.articles} articles in {result.seconds:.1f} s ({result.articles / result.seconds:.1f} "
        f"articles/s), peak RSS {result.peak_rss_mb:.0f} MB",
    ]
    if result.faults is not None:
        lines += ["", *result.faults.report(), f"push requests sent again after a 5xx: {result.retried_pushes}"]
    if result.problems:
        lines += ["", f"ACCOUNTING FAILED: {len(result.problems)} problem(s)"]
        lines += [f"  {problem}" for problem in result.problems[:50]]
        if len(result.problems) > 50:
            lines.append(f"  ... and {len(result.problems) - 50} more")
    else:
        lines += ["", "accounting: every article accounted for, every alert delivered once"]
    return lines


STAGES = {"ingest": "IngestFunction", "classify": "ClassifyFunction", "notify": "NotifyFunction"}


def _stage_table(result: LoadResult) -> list[str]:
    """Articles per second of handler time, by stage: every article that entered goes through ingest,
    every one queued through classify, every breaking one through notify (SQS messages, redeliveries counted)."""
    lines = [
        f"| {'stage':<8} | {'articles':>8} | {'handler seconds':>15} | {'articles/s':>10} |",
        f"|{'-' * 10}|{'-' * 10}|{'-' * 17}|{'-' * 12}|",
    ]
    for stage, function in STAGES.items():
        runs = [figures for name, figures in result.stages.items() if name.startswith(f"{function} ")]
        seconds = sum(figures.seconds for figures in runs)
        handled = sum(figures.records for figures in runs if stage != "ingest")
        articles = result.articles if stage == "ingest" else handled
        rate = articles / seconds if seconds else 0.0
        lines.append(f"| {stage:<8} | {articles:>8} | {seconds:>15.1f} | {rate:>10.1f} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles sent in all (default 10000)")
    parser.add_argument("--ticks", type=int, default=12, help="ticks of the day (default 12, every two hours)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the run to this file")
    parser.add_argument(
        "--no-bad-feed-items",
        dest="bad_feed_items",
        action="store_false",
        help="leave out the malformed feed items (a quarter of the bad input, each polled twice)",
    )
    parser.add_argument(
        "--faults",
        type=float,
        default=0.0,
        metavar="RATE",
        help="throttle the functions' AWS calls with this chance, and answer them 5xx with it again (e.g. 0.01)",
    )
    parser.add_argument(
        "--lost",
        type=float,
        default=0.0,
        metavar="RATE",
        help="with this chance, perform a call and lose its answer (a 500 or a timeout in its place)",
    )
    parser.add_argument("--fault-seed", type=int, default=SEED, help="the seed of the faults' draws")
    parser.add_argument("--log", type=Path, help="keep the functions' logs in this file (large)")
    args = parser.parse_args()
    load = generate_load(args.articles, ticks=args.ticks, seed=args.seed, bad_feed_items=args.bad_feed_items)
    say = partial(print, flush=True)
    faults = None
    if args.faults or args.lost:
        rates = FaultRates(throttle=args.faults, server_error=args.faults, lost=args.lost)
        faults = FaultInjector(rates=rates, seed=args.fault_seed)
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        result = profiler.runcall(run_load, load, log=io.StringIO(), say=say, faults=faults)
        profiler.dump_stats(args.profile)
    elif args.log:
        with args.log.open("w", encoding="utf-8") as log:
            result = run_load(load, log=log, say=say, faults=faults)
    else:
        result = run_load(load, log=NullLog(), say=say, faults=faults)
    print("\n".join(report(result, load)))
    return 0 if result.ok else 1


class NullLog(io.StringIO):
    """The functions' logs, not kept: ten thousand articles write hundreds of megabytes."""

    def write(self, text: str) -> int:
        return len(text)


if __name__ == "__main__":
    sys.exit(main())
