"""Polling the registered feeds: the scheduled fan-out, and the poll of one feed.

The schedule's tick does not fetch anything. It reads the registry, reserves each feed
that is due and sends one message per feed to the poll queue; ingest consumes that queue
like any other, so thousands of feeds are polled by parallel invocations (bounded by the
event source mapping's maximum concurrency) instead of one long loop.

Each poll sends the validators of the last success (conditional GET: ``If-None-Match``,
``If-Modified-Since``), admits the items through ingest, and records the feed's health. A
feed that fails is put off with exponential backoff; a failing feed is a feed problem, not
a message problem, so its SQS record succeeds and its health carries the error.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from newsalert.ingest.admission import Ingestor
from newsalert.ingest.feed_registry import FeedEntry, FeedMemory, FeedRepository, UnknownFeedError
from newsalert.ingest.fetch import FetchFailedError, FetchRefusedError, SafeFetcher
from newsalert.ingest.sources import FeedSource, SourceCatalog
from newsalert.models import Fate, IngestOutcome
from newsalert.ports import MessageQueue

RESERVATION_WORKERS = 16


class FeedPollRequest(BaseModel):
    """A message on the poll queue: poll this feed, as of this tick."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    feed_id: str
    url: str
    scheduled_time: AwareDatetime


@dataclass(frozen=True)
class DispatchReport:
    """What one tick did, and the registry's health as it saw it (for metrics and alarms)."""

    registered: int
    due: int
    dispatched: int
    failing: int
    silent: int


@dataclass(frozen=True)
class FeedHealthPolicy:
    failing_after: int = 3
    """Consecutive failures from which a feed counts as failing."""
    silent_after: timedelta = timedelta(hours=24)
    """A feed with no new item for this long counts as silent."""


class PollDispatcher:
    """The tick: fan the due feeds out to the poll queue."""

    def __init__(self, registry: FeedRepository, poll_queue: MessageQueue, health: FeedHealthPolicy) -> None:
        self._registry = registry
        self._queue = poll_queue
        self._health = health

    def dispatch(self, now: datetime) -> DispatchReport:
        registered = failing = silent = 0
        due: list[FeedEntry] = []
        for entry in self._registry.entries():
            registered += 1
            failing += entry.is_failing(self._health.failing_after)
            silent += entry.is_silent(now, self._health.silent_after)
            if entry.next_poll_at <= now.timestamp():
                due.append(entry)
        # Reserved before it is sent: a send that fails leaves the feed for the next interval,
        # which is better than two overlapping ticks polling it twice. The reservations are
        # conditional writes, one per feed, so they go in parallel (boto3 clients are thread-safe).
        with ThreadPoolExecutor(max_workers=RESERVATION_WORKERS) as pool:
            reserved = list(pool.map(lambda entry: self._registry.reserve(entry, now), due))
        requests = [
            FeedPollRequest(feed_id=entry.feed_id, url=entry.url, scheduled_time=now)
            for entry, won in zip(due, reserved, strict=True)
            if won
        ]
        self._queue.send_many([(request, request.feed_id) for request in requests])
        return DispatchReport(registered, len(due), len(requests), failing, silent)


PollStatus = Literal["fetched", "not-modified", "failed", "removed"]


@dataclass(frozen=True)
class FeedPollResult:
    feed_id: str
    url: str
    status: PollStatus
    outcomes: list[IngestOutcome] = field(default_factory=list)
    error: str | None = None


def feed_source(entry: FeedEntry, sources: SourceCatalog) -> FeedSource:
    """How a registered feed is read and named: its registered name, zone, language and priority first."""
    return sources.for_feed(
        entry.url, name=entry.name, timezone=entry.timezone, language=entry.language, priority=entry.priority
    )


class FeedPoller:
    """One poll of one feed: fetch (conditionally), admit the items, record the feed's health."""

    def __init__(
        self, registry: FeedRepository, fetcher: SafeFetcher, sources: SourceCatalog, memory: FeedMemory
    ) -> None:
        self._registry = registry
        self._fetcher = fetcher
        self._sources = sources
        self._memory = memory

    def poll(self, request: FeedPollRequest, ingestor: Ingestor) -> FeedPollResult:
        now = request.scheduled_time
        try:
            entry = self._registry.get(request.feed_id)
        except UnknownFeedError:
            return FeedPollResult(request.feed_id, request.url, "removed")
        headers = {}
        if entry.etag:
            headers["If-None-Match"] = entry.etag
        if entry.last_modified:
            headers["If-Modified-Since"] = entry.last_modified
        try:
            fetched = self._fetcher.fetch(entry.url, headers)
        except (FetchRefusedError, FetchFailedError) as error:
            self._registry.record_failure(entry, now, str(error))
            return FeedPollResult(entry.feed_id, entry.url, "failed", error=str(error))
        if fetched.status == 304:
            self._registry.record_success(
                entry, now, etag=entry.etag, last_modified=entry.last_modified, items=0, new_items=0
            )
            return FeedPollResult(entry.feed_id, entry.url, "not-modified")
        # What the feed listed last time was admitted then: skipped now, before any write. The memory is
        # written only when the list changed, so an unchanged feed costs its health update and nothing more.
        seen = self._memory.listed(entry.feed_id)
        admission = ingestor.admit_feed(
            fetched.body,
            feed_url=entry.url,
            received_at=now,
            source=feed_source(entry, self._sources),
            seen=seen,
        )
        if admission.refused is not None:
            self._registry.record_failure(entry, now, admission.refused)
            return FeedPollResult(entry.feed_id, entry.url, "failed", admission.outcomes, admission.refused)
        self._registry.record_success(
            entry,
            now,
            etag=fetched.headers.get("etag"),
            last_modified=fetched.headers.get("last-modified"),
            items=len(admission.outcomes) + admission.already_seen,
            new_items=sum(outcome.fate is Fate.QUEUED for outcome in admission.outcomes),
        )
        if frozenset(admission.listed) != seen:
            self._memory.remember(entry.feed_id, admission.listed, now)
        return FeedPollResult(entry.feed_id, entry.url, "fetched", admission.outcomes)
