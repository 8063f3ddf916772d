"""The feed registry: which feeds newsalert polls, and the rules of a feed's health.

A registered feed (``FeedEntry``) holds what the operator set (name, language, time zone,
priority) and what polling learned (validators for conditional GET, last success, consecutive
failures, items seen, when the next poll is due). Its rules live here: how often a feed of each
priority is polled, how it is backed off after failures, when it counts as failing or silent.
Where entries are kept is the ``FeedRepository`` port's business (``newsalert.aws.feeds_table``
in AWS). Operators manage the registry with ``newsalert feeds``; the scheduled tick reads it to
fan the due feeds out; each poll records its result in it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from newsalert.models import LanguageCode
from newsalert.urls import canonical_url

Priority = Literal["high", "normal", "low"]
POLL_INTERVALS: dict[str, timedelta] = {
    "high": timedelta(minutes=5),
    "normal": timedelta(minutes=15),
    "low": timedelta(hours=1),
}
"""How often a healthy feed of each priority is polled (never more often than the schedule ticks)."""
MAX_BACKOFF = timedelta(hours=6)
LAST_ERROR_LIMIT = 500


class FeedExistsError(ValueError):
    """The feed is in the registry already."""


class UnknownFeedError(LookupError):
    """No feed with that URL or id is in the registry."""


def feed_id_for(url: str) -> str:
    return "feed-" + hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:24]


class FeedEntry(BaseModel):
    """One registered feed: the operator's settings and its polling health."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    feed_id: str
    url: str
    name: str | None = None
    language: LanguageCode | None = None
    timezone: str | None = None
    priority: Priority = "normal"
    added_at: float
    # What polling learned
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: float | None = None
    last_success_at: float | None = None
    last_new_item_at: float | None = None
    consecutive_failures: int = Field(default=0, ge=0)
    items_seen: int = Field(default=0, ge=0)
    last_error: str | None = None
    next_poll_at: float = 0.0

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Dhaka)") from None
        return value

    @classmethod
    def new(
        cls,
        url: str,
        *,
        added_at: datetime,
        name: str | None = None,
        language: str | None = None,
        timezone: str | None = None,
        priority: Priority = "normal",
    ) -> FeedEntry:
        canonical = canonical_url(url)
        return cls(
            feed_id=feed_id_for(canonical),
            url=canonical,
            name=name,
            language=language,
            timezone=timezone,
            priority=priority,
            added_at=added_at.timestamp(),
        )

    @property
    def interval(self) -> timedelta:
        return POLL_INTERVALS[self.priority]

    def backoff(self, failures: int) -> timedelta:
        """How long to leave a feed alone after ``failures`` failures in a row: doubling, capped."""
        return min(self.interval * (1 << max(failures - 1, 0)), MAX_BACKOFF)

    def after_failure(self, now: datetime, error: str) -> FeedEntry:
        """The entry once a poll at ``now`` has failed with ``error``: one more failure, the next poll put off."""
        failures = self.consecutive_failures + 1
        return self.model_copy(
            update={
                "consecutive_failures": failures,
                "last_polled_at": now.timestamp(),
                "last_error": error[:LAST_ERROR_LIMIT],
                "next_poll_at": (now + self.backoff(failures)).timestamp(),
            }
        )

    def is_failing(self, threshold: int) -> bool:
        return self.consecutive_failures >= threshold

    def is_silent(self, now: datetime, silence: timedelta) -> bool:
        """No new item for ``silence``, counted from the last new item, or from when it was added."""
        since = self.last_new_item_at or self.added_at
        return now.timestamp() - since > silence.total_seconds()


class FeedRepository(Protocol):
    """Where the registry is kept: entries by URL or id, and what each poll learned."""

    def get(self, url_or_id: str) -> FeedEntry:
        """The entry, or ``UnknownFeedError``."""
        ...

    def entries(self) -> Iterator[FeedEntry]: ...

    def reserve(self, entry: FeedEntry, now: datetime) -> bool:
        """Mark a due feed as dispatched; False when another tick got it first (or it is no longer due)."""
        ...

    def record_success(
        self,
        entry: FeedEntry,
        now: datetime,
        *,
        etag: str | None,
        last_modified: str | None,
        items: int,
        new_items: int,
    ) -> None: ...

    def record_failure(self, entry: FeedEntry, now: datetime, error: str) -> FeedEntry:
        """Count a failed poll and put the next one off; returns the entry as it now stands."""
        ...


class FeedMemory(Protocol):
    """What each feed listed at its last poll (``newsalert.aws.feed_memory.FeedMemoryTable``): item
    fingerprints (``newsalert.ingest.admission.item_fingerprint``), so that a poll skips, before any
    write, the items it has already admitted."""

    def listed(self, feed_id: str) -> frozenset[str]: ...

    def remember(self, feed_id: str, fingerprints: Sequence[str], now: datetime) -> None: ...
