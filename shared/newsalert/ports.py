"""What the stages' domain code needs from the outside world, as protocols.

The ports point inward: the domain defines them, the AWS adapters in ``newsalert.aws``
implement them (``ArticlesTable``, ``StageQueue``, ``AlertsTopic``...), and
so do the in-memory fakes of the unit tests. Domain code depends on a protocol here, never on
an adapter or on boto3. (A port that only one stage needs lives in that stage: the feed
registry's is ``newsalert.ingest.feed_registry.FeedRepository``, the stories' is in
``newsalert.classify.stories``, notify's ledger, counters and digests in ``newsalert.notify``.)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel

if TYPE_CHECKING:  # annotations only: a handler that needs no pipeline model builds none
    from newsalert.models import Article, Fate, IngestOutcome


class Claim(StrEnum):
    """What storing a new article found."""

    NEW = "new"
    DUPLICATE = "duplicate"
    UNFINISHED = "unfinished"
    """Stored by an attempt that died before the hand-over to classify: this attempt finishes it."""
    IN_PROGRESS = "in_progress"
    """Stored by an attempt whose lease still runs: it is handing the article over, or died (its
    release failing too) and the lease must run out before another attempt may finish it."""


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    duplicate_of: str | None = None
    busy_until: float | None = None
    """For ``IN_PROGRESS``: when the earlier attempt's lease runs out (epoch seconds)."""


class ArticleRepository(Protocol):
    """Where articles, their fates, quarantined input and the intake ledger are kept."""

    def claim(self, article: Article, *, lease_until: float) -> ClaimResult: ...

    def release(self, article_id: str) -> None: ...

    def set_fate(self, article_id: str, fate: Fate, **details: str) -> bool: ...

    def quarantine(self, *, origin: str, reason: str, raw: bytes | str, received_at: datetime) -> str: ...

    def article_item(self, article_id: str) -> dict[str, str] | None: ...

    def record_intake(self, entries: Sequence[tuple[IngestOutcome, int]], received_at: datetime) -> None: ...


class MessageQueue(Protocol):
    """The queue in front of the next stage: each model is sent as one message."""

    def send(self, body: BaseModel, *, article_id: str) -> str: ...

    def send_many(self, bodies: list[tuple[BaseModel, str]]) -> None: ...


@dataclass(frozen=True)
class Publication:
    """One message to the alerts topic: a body per protocol (``MessageStructure=json``) and its routing."""

    subject: str
    """The email subject."""
    messages: dict[str, str]
    """The body for each protocol: ``default``, ``email``, ``sms``, ``https``, ``APNS``, ``GCM``..."""
    attributes: dict[str, dict[str, str]]
    """Message attributes, as SNS takes them: ``topics`` (``String.Array``) and the others filter policies route on."""

    def sns_message(self) -> str:
        """The ``Message`` parameter: the bodies as one JSON object."""
        return json.dumps(self.messages, ensure_ascii=False)

    def size(self) -> int:
        """Bytes SNS counts against its limit: message, subject, and every attribute's name, type and value."""
        total = len(self.sns_message().encode("utf-8")) + len(self.subject.encode("utf-8"))
        for name, attribute in self.attributes.items():
            total += len(name.encode("utf-8")) + sum(len(value.encode("utf-8")) for value in attribute.values())
        return total


class PublishNotSentError(RuntimeError):
    """The alert sink refused a publish before taking it (throttled past its retries, unreachable,
    invalid): nothing went out, so publishing again cannot repeat an alert. Any other error from
    ``AlertSink.publish`` leaves the outcome unknown: the message may have gone out."""


class AlertSink(Protocol):
    """Where alerts go out to subscribers: one publish per alert, every channel in it."""

    def publish(self, publication: Publication) -> str:
        """Publish; returns the message id. Raises ``PublishNotSentError`` when surely nothing went out."""
        ...


class ObjectReader(Protocol):
    """Reads stored files: a file dropped in the inbox, the operator's taxonomy."""

    def read(self, bucket: str, key: str, *, limit: int) -> bytes | None:
        """At most ``limit`` bytes of the object, or None when there is no such object."""
        ...


class RemainingTime(Protocol):
    """What a stage may know of the invocation it runs in: how long it has left (the Lambda context has this)."""

    def get_remaining_time_in_millis(self) -> int: ...
