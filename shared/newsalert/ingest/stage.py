"""The ingest stage as its handler drives it: one method per way work arrives.

- ``tick``: the schedule's tick fans the due feeds out to the poll queue (``polling``).
- ``poll``: one feed from the poll queue is fetched and its items admitted.
- ``dropped``: files dropped in the inbox are read and their articles admitted.
- ``pushed``: articles a newsroom system pushed to ``POST /articles``.

Every article is admitted by an ``Ingestor`` (``admission``), made per invocation because its
deadline, the invocation's, is the lease on what it claims.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsalert.ingest.admission import Ingestor
from newsalert.ingest.feed_registry import FeedMemory, FeedRepository
from newsalert.ingest.fetch import SafeFetcher
from newsalert.ingest.limits import MAX_DROPPED_FILE_BYTES, size_refusal
from newsalert.ingest.polling import (
    DispatchReport,
    FeedHealthPolicy,
    FeedPoller,
    FeedPollRequest,
    FeedPollResult,
    PollDispatcher,
)
from newsalert.ingest.sources import SourceCatalog
from newsalert.models import Fate, IngestOutcome
from newsalert.ports import ArticleRepository, MessageQueue, ObjectReader, RemainingTime

MAX_FILE_BYTES = MAX_DROPPED_FILE_BYTES
"""A dropped file larger than the largest input kind (a feed) is quarantined unread; each kind's own
limit (``newsalert.ingest.limits``) applies once the content says what the file is."""


@dataclass(frozen=True)
class DroppedFile:
    """A file that arrived in the inbox bucket."""

    bucket: str
    key: str
    size: int
    dropped_at: datetime

    @property
    def origin(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


@dataclass(frozen=True)
class PushResult:
    """What a push came to: each article's outcome, and the answer for the client."""

    outcomes: list[IngestOutcome]
    status: int
    """202 when every item was taken (queued or a duplicate), 400 when any was refused."""
    document: dict[str, Any]


class IngestStage:
    """Ingest's domain. Receives its adapters; creates no AWS client."""

    def __init__(
        self,
        *,
        articles: ArticleRepository,
        classify_queue: MessageQueue,
        sources: SourceCatalog,
        feeds: FeedRepository,
        feed_memory: FeedMemory,
        poll_queue: MessageQueue,
        fetcher: SafeFetcher,
        health: FeedHealthPolicy,
        objects: ObjectReader,
    ) -> None:
        self._articles = articles
        self._classify_queue = classify_queue
        self._sources = sources
        self._objects = objects
        self._dispatcher = PollDispatcher(feeds, poll_queue, health)
        self._poller = FeedPoller(feeds, fetcher, sources, feed_memory)
        self._deadline = 0.0

    def begin_invocation(self, remaining: RemainingTime) -> None:
        """Note when this invocation ends at the latest: the lease on what it claims."""
        self._deadline = time.time() + remaining.get_remaining_time_in_millis() / 1000

    def ingestor(self) -> Ingestor:
        return Ingestor(self._articles, self._classify_queue, self._sources, deadline=self._deadline)

    def tick(self, now: datetime) -> DispatchReport:
        return self._dispatcher.dispatch(now)

    def poll(self, request: FeedPollRequest) -> FeedPollResult:
        return self._poller.poll(request, self.ingestor())

    def dropped(self, files: list[DroppedFile]) -> list[IngestOutcome]:
        """Every article in the dropped files; a file too large is quarantined unread."""
        ingestor = self.ingestor()
        outcomes: list[IngestOutcome] = []
        for dropped in files:
            if dropped.size > MAX_FILE_BYTES:
                reason = size_refusal("the file", dropped.size, MAX_FILE_BYTES)
                outcomes.append(
                    ingestor.refuse(origin=dropped.origin, reason=reason, raw=b"", received_at=dropped.dropped_at)
                )
                continue
            data = self._objects.read(dropped.bucket, dropped.key, limit=MAX_FILE_BYTES + 1) or b""
            outcomes += ingestor.ingest_file(data, key=dropped.origin, received_at=dropped.dropped_at)
        return outcomes

    def pushed(
        self, body: bytes | str, *, request_id: str, received_at: datetime, base64_encoded: bool = False
    ) -> PushResult:
        """Articles pushed in one request: each item stands or falls alone.

        ``base64_encoded``: the body is base64, as API Gateway passes a body it does not read as text.
        """
        outcomes = self.ingestor().ingest_pushed(
            body, origin=f"api:{request_id}", received_at=received_at, base64_encoded=base64_encoded
        )
        refused = sum(outcome.fate is Fate.QUARANTINED for outcome in outcomes)
        document = {
            "accepted": len(outcomes) - refused,
            "refused": refused,
            "results": [outcome.model_dump(mode="json", exclude_none=True) for outcome in outcomes],
        }
        # 202 when anything was taken, even beside refused items: a client that retries on a 4xx would
        # send the taken ones again. The results say which items were refused and why; 400 is for a
        # request of which nothing could be used.
        return PushResult(outcomes, 202 if refused < len(outcomes) else 400, document)
