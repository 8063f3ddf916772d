"""The sweeper's rules: what counts as left unfinished, and what becomes of it.

Every stage hands over through a queue with a dead-letter queue and an alarm, so what fails
there is seen. The sweeper is for what no queue holds:

- an article ingest claimed and never handed to classify (its attempt died between the two, and
  the source never tried again: a client that gave up, a feed item that left the feed), or one
  whose message reached a dead-letter queue (classify's or notify's) and waits there;
- an alert claimed and never recorded: its attempt died before the publish (released, so that the
  story's next article sends it), or after reaching it (settled as sent, *unconfirmed*: it may have
  gone out, so it is never published again).

An article still ``received``, ``queued`` or ``breaking`` longer than ``unfinished_after`` after
it arrived, once its claim's lease has run out, is given the fate ``unfinished`` with the stage it
stopped before: counted (``ArticlesUnfinished``, alarmed), and still finished by a redrive of its
message, whose later fate replaces this one. ``unfinished_after`` must exceed the longest a message
can wait in its queues before its dead-letter queue (classify's and notify's: five receives of
three minutes each), so that nothing still on its way is called unfinished.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from newsalert.models import Fate
from newsalert.ports import RemainingTime

CLAIM_GRACE = timedelta(minutes=1)
"""How long after an alert claim's lease ran out the sweeper leaves it to the story's next article."""
TIME_RESERVE_MS = 20_000
"""The sweep stops a page early enough to save where it got to before the invocation ends."""


@dataclass(frozen=True)
class StalledArticle:
    """An article whose item says it is still on its way."""

    article_id: str
    status: Fate
    received_at: datetime
    lease_until: float


@dataclass(frozen=True)
class StalledAlertClaim:
    """A story's alert update, claimed and not recorded."""

    story_id: str
    update: int
    attempt: str
    pending_until: float
    publishing: bool


Stalled = StalledArticle | StalledAlertClaim


class StalledScan(Protocol):
    """Reads the table page by page for what may be stalled, resuming where the last run stopped."""

    def saved_cursor(self) -> str | None: ...

    def page(self, cursor: str | None) -> tuple[list[Stalled], str | None]:
        """One page of candidates from ``cursor`` (None: the start), and the next cursor (None: the end)."""
        ...

    def save_cursor(self, cursor: str | None) -> None: ...


class FateBook(Protocol):
    def set_fate(self, article_id: str, fate: Fate, **details: str) -> bool: ...


class AlertClaims(Protocol):
    def settle_unconfirmed(self, story_id: str, update: int, *, now: float, attempt: str | None = None) -> bool: ...

    def release(self, story_id: str, update: int, *, attempt: str) -> None: ...


@dataclass
class SweepReport:
    unfinished: dict[str, list[str]] = field(default_factory=dict)
    """Article ids marked unfinished, by the stage they stopped before (classify, notify)."""
    alerts_unconfirmed: list[str] = field(default_factory=list)
    """Alert ids (``<story>#<update>``) settled as sent, unconfirmed."""
    claims_released: list[str] = field(default_factory=list)
    """Alert updates whose attempt died before their publish: free for the story's next article."""
    scanned: int = 0
    complete: bool = False
    """The scan reached the end of the table (else it resumes there on the next run)."""

    @property
    def articles_unfinished(self) -> int:
        return sum(len(ids) for ids in self.unfinished.values())


def _stage_before(status: Fate) -> str:
    return "notify" if status is Fate.BREAKING else "classify"


class Sweeper:
    """The sweeper's domain. Receives its adapters; creates no AWS client."""

    def __init__(
        self,
        scan: StalledScan,
        fates: FateBook,
        claims: AlertClaims,
        *,
        unfinished_after: timedelta,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._scan = scan
        self._fates = fates
        self._claims = claims
        self._unfinished_after = unfinished_after
        self._clock = clock

    def sweep(self, now: datetime, remaining: RemainingTime) -> SweepReport:
        """Go through the table from where the last run stopped, until its end or until time runs short.

        ``now`` is the schedule's time, against which articles' arrival times are measured; leases
        are deadlines on the clock the functions run on, and are measured against it."""
        report = SweepReport()
        cursor = self._scan.saved_cursor()
        while True:
            stalled, cursor = self._scan.page(cursor)
            report.scanned += len(stalled)
            for candidate in stalled:
                if isinstance(candidate, StalledArticle):
                    self._article(candidate, now, report)
                else:
                    self._claim(candidate, report)
            if cursor is None:
                report.complete = True
                break
            if remaining.get_remaining_time_in_millis() < TIME_RESERVE_MS:
                break
        self._scan.save_cursor(cursor)
        return report

    def _article(self, article: StalledArticle, now: datetime, report: SweepReport) -> None:
        waited = now - article.received_at
        claimed_by_ingest = article.status is not Fate.BREAKING  # its claim's lease: ingest may be at work
        if waited < self._unfinished_after or (claimed_by_ingest and article.lease_until >= self._clock()):
            return
        stage = _stage_before(article.status)
        hours = waited.total_seconds() / 3600
        reason = (
            f"{article.status.value} at {article.received_at.isoformat()} and not past {stage} {hours:.1f} h later:"
            f" nothing retried it, or its message waits in the {stage} dead-letter queue (a redrive finishes it)"
        )
        if self._fates.set_fate(article.article_id, Fate.UNFINISHED, reason=reason, unfinished_before=stage):
            report.unfinished.setdefault(stage, []).append(article.article_id)

    def _claim(self, claim: StalledAlertClaim, report: SweepReport) -> None:
        clock = self._clock()
        if claim.pending_until >= clock - CLAIM_GRACE.total_seconds():
            return
        alert_id = f"{claim.story_id}#{claim.update}"
        if claim.publishing:
            if self._claims.settle_unconfirmed(claim.story_id, claim.update, now=clock):
                report.alerts_unconfirmed.append(alert_id)
            return
        self._claims.release(claim.story_id, claim.update, attempt=claim.attempt)
        report.claims_released.append(alert_id)
