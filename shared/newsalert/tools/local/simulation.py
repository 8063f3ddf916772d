"""``newsalert simulate``: inputs through the whole stack, and what came of each of them.

Inputs go in the way they would in AWS: article files (text, HTML) are dropped in the
inbox bucket, JSON articles are pushed to ``POST /articles``, and feeds are served on
127.0.0.1, listed in the feed list and polled by firing the schedule. Then the queues
are drained and the report says, for every article that entered, where it ended, and,
for every subscriber, what SNS delivered to them.
"""

from __future__ import annotations

import ipaddress
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from newsalert.ingest.errors import UnsupportedInputError
from newsalert.ingest.input_kind import input_kind
from newsalert.notify.subscribers import Subscriber
from newsalert.tools.local.feedserver import serve_feeds
from newsalert.tools.local.runtime import DrainProgress, Invocation, LocalRuntime


class InputError(ValueError):
    """An input the simulation cannot take, with the reason."""


@dataclass
class InputPlan:
    drops: list[Path] = field(default_factory=list)
    pushes: list[Path] = field(default_factory=list)
    feed_files: list[Path] = field(default_factory=list)
    feed_urls: list[str] = field(default_factory=list)


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plan_inputs(inputs: list[str]) -> InputPlan:
    """Sort inputs by how they enter: dropped file, pushed JSON, or polled feed.

    What a file is, its content says, by the rule ingest applies (``newsalert.ingest.input_kind``):
    a feed is served and polled, JSON articles are pushed, anything else is dropped in the inbox.
    """
    plan = InputPlan()
    for given in inputs:
        if given.startswith(("http://", "https://")):
            if not _is_loopback(given):
                raise InputError(f"{given}: simulate fetches only feeds served on this machine (127.0.0.1)")
            plan.feed_urls.append(given)
            continue
        path = Path(given)
        if path.is_dir():
            plan_for_folder = plan_inputs([str(child) for child in sorted(path.iterdir()) if child.is_file()])
            plan.drops += plan_for_folder.drops
            plan.pushes += plan_for_folder.pushes
            plan.feed_files += plan_for_folder.feed_files
            continue
        if not path.is_file():
            raise InputError(f"{given}: no such file")
        try:
            kind = input_kind(path.read_bytes(), path.name)
        except UnsupportedInputError:
            kind = "text"  # dropped in the inbox all the same: ingest quarantines it, naming what it is
        except OSError as error:
            raise InputError(f"{given}: cannot be read: {error.strerror or error}") from None
        {"feed": plan.feed_files, "json": plan.pushes}.get(kind, plan.drops).append(path)
    return plan


@dataclass
class ArticleFate:
    fate: str
    title: str | None
    article_id: str | None
    origin: str
    """Where it came from: the S3 object, the request item (``api:<request id>#<index>``), the feed."""
    reason: str | None = None
    category: str | None = None
    topics: dict[str, float] = field(default_factory=dict)
    alert: str | None = None
    """For an alerted article: which alert of its story it sent, and why (first, or what escalated)."""


@dataclass
class InputReport:
    input: str
    via: str
    articles: list[ArticleFate] = field(default_factory=list)
    error: str | None = None


@dataclass
class SubscriberReport:
    name: str
    protocol: str
    endpoint: str
    topics: list[str]
    received: list[dict[str, Any]] = field(default_factory=list)
    urgency: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


@dataclass
class SimulationReport:
    stack: str
    now: str
    inputs: list[InputReport]
    subscribers: list[SubscriberReport]
    totals: dict[str, int]
    dead_letters: dict[str, int]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


def _outcomes(invocation: Invocation) -> list[dict[str, Any]]:
    result = invocation.result
    if not isinstance(result, dict):
        return []
    if "body" in result:  # an HTTP API response
        try:
            return list(json.loads(result["body"]).get("results", []))
        except (json.JSONDecodeError, AttributeError):
            return []
    return list(result.get("outcomes", []))


class FateReader:
    """Final fates from the articles table, after the queues have drained."""

    def __init__(self, items: list[dict[str, Any]], dead_letter_ids: dict[str, str]) -> None:
        self._articles = {
            str(item["pk"]).removeprefix("ARTICLE#"): item
            for item in items
            if str(item.get("pk", "")).startswith("ARTICLE#")
        }
        self._dead = dead_letter_ids

    def fate(self, outcome: dict[str, Any]) -> ArticleFate:
        article_id = outcome.get("article_id")
        origin = outcome["origin"]
        if outcome["fate"] != "queued":
            return ArticleFate(outcome["fate"], outcome.get("title"), article_id, origin, outcome.get("reason"))
        item = self._articles.get(article_id or "", {})
        status = item.get("status", "missing")
        reason = item.get("reason")
        if status in ("queued", "breaking", "received") and article_id in self._dead:
            status, reason = "failed", f"gave up: message in {self._dead[article_id]}"
        topics = json.loads(item["topics"]) if item.get("topics") else {}
        category = item.get("category") or None
        alert = None
        if item.get("alert_id") and item.get("alert_reason"):
            alert = f"{item['alert_id']}: {item['alert_reason']}"
        return ArticleFate(status, outcome.get("title"), article_id, origin, reason, category, topics, alert)


def read_fates(runtime: LocalRuntime, dead: dict[str, list[dict[str, Any]]] | None = None) -> FateReader:
    """Where every article ended, read from the articles table and the dead-letter queues once the queues are empty."""
    dead = runtime.dead_letters() if dead is None else dead
    return FateReader(runtime.table_items(), dead_article_ids(dead))


def dead_article_ids(dead: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """The article each dead letter was about, to the queue it lies in.

    A message names its article in its ``key`` attribute (``StageQueue.send_many``: the hand-overs to
    classify and to notify) or its ``article_id`` (``StageQueue.send``); reading only the second, an
    article whose message lay in a dead-letter queue was reported as still queued or breaking."""
    found: dict[str, str] = {}
    for queue, messages in dead.items():
        for message in messages:
            attributes = message.get("MessageAttributes", {})
            for name in ("article_id", "key"):
                if value := attributes.get(name, {}).get("StringValue"):
                    found[value] = queue
    return found


def _subscriber_reports(runtime: LocalRuntime) -> list[SubscriberReport]:
    return [
        SubscriberReport(
            name=recipient.subscriber.name or recipient.subscriber.endpoint,
            protocol=recipient.subscriber.protocol,
            endpoint=recipient.subscriber.endpoint,
            topics=list(recipient.subscriber.topics),
            urgency=[level.value for level in recipient.subscriber.urgency],
            languages=list(recipient.subscriber.languages),
            received=[
                {"subject": delivery.subject, "message": delivery.message}
                for delivery in runtime.mailbox.for_subscription(recipient.subscription_arn)
            ],
        )
        for recipient in runtime.recipients
    ]


def run_simulation(
    root: Path,
    plan: InputPlan,
    subscribers: list[Subscriber],
    *,
    now: datetime,
    log: TextIO,
    progress: Callable[[str, int], None] | None = None,
) -> SimulationReport:
    """Send every input in, drain the queues, and report from what the stack recorded.

    ``progress``, if given, hears ``("inputs", n)`` after each input sent and ``("messages", n)``
    as the queues are drained (``n`` so far)."""
    told = progress or (lambda _what, _count: None)
    with LocalRuntime(root, now=now, log=log) as runtime, serve_feeds(plan.feed_files) as served:
        runtime.subscribe(subscribers)
        bucket = runtime.stack.outputs["IngestBucketName"]
        # Each input, with how its outcomes are found once the queues are drained.
        pending: list[tuple[InputReport, Callable[[], list[dict[str, Any]]]]] = []

        for path in plan.drops:
            key = f"inbox/{path.name}"
            report = InputReport(_shown(path), f"dropped in s3://{bucket}/{key}")
            report.error = next((inv.error for inv in runtime.drop_file(path, key=key) if inv.error), None)
            pending.append((report, partial(runtime.intake, f"s3://{bucket}/{key}")))
            told("inputs", len(pending))

        for path in plan.pushes:
            invocation = runtime.push_articles(path.read_bytes())  # its bytes: ingest decides what they hold
            status = invocation.result.get("statusCode") if isinstance(invocation.result, dict) else None
            report = InputReport(_shown(path), f"POST /articles (HTTP {status})", error=invocation.error)
            pending.append((report, partial(_outcomes, invocation)))
            told("inputs", len(pending))

        feeds = {url: _shown(path) for path, url in served.items()} | {url: url for url in plan.feed_urls}
        registered = runtime.register_feeds(list(feeds))
        tick_errors = [inv.error for inv in runtime.run_schedules("poll-feeds") if inv.error] if registered else []

        def drained(where: DrainProgress) -> None:
            told("messages", sum(where.messages.values()))

        runtime.drain(drained)
        # The digests' tick comes last: what the hourly limits held back during the run goes out together.
        runtime.run_schedules("send-digests")
        runtime.drain(drained)

        for url, entry in zip(feeds, registered, strict=True):
            report = InputReport(feeds[url], f"feed at {url}, registered and polled through the poll queue")
            health = runtime.feed(entry.feed_id)
            report.error = health.last_error or next(iter(tick_errors), None)
            pending.append((report, partial(runtime.intake, entry.url)))

        dead = runtime.dead_letters()
        reader = read_fates(runtime, dead)
        inputs = []
        for report, outcomes in pending:
            report.articles = [reader.fate(outcome) for outcome in outcomes()]
            inputs.append(report)
        totals = Counter(article.fate for report in inputs for article in report.articles)
        return SimulationReport(
            stack=runtime.stack.name,
            now=now.isoformat(),
            inputs=inputs,
            subscribers=_subscriber_reports(runtime),
            totals=dict(sorted(totals.items())),
            dead_letters={queue: len(messages) for queue, messages in dead.items()},
        )
