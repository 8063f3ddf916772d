"""In-memory stand-ins for the adapters (articles table, stage queue, notify's ledger, alerts topic).

They keep the contracts of the adapters in ``newsalert.aws`` that the stages rely on (dedup by id
and by text, leases, fates that only move forward, quarantine ids, conditional claims, capped
counters) and expose what they hold so that tests can look inside.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from pydantic import BaseModel

# The domain's rule of which fate may follow which, as the real table applies it.
from newsalert.models import FATES_BEFORE, Article, Fate, IngestOutcome, intake_input
from newsalert.notify.rate_limits import HeldStory
from newsalert.notify.story_alerts import PendingAlert, StoryAlertState
from newsalert.ports import Claim, ClaimResult, Publication


@dataclass
class StoredArticle:
    article: Article
    status: Fate
    lease_until: float
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QuarantinedInput:
    origin: str
    reason: str
    raw: bytes
    received_at: datetime


class FakeArticlesTable:
    """The articles table in memory, with ``ArticlesTable``'s semantics."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.articles: dict[str, StoredArticle] = {}
        self.text_owners: dict[str, str] = {}
        """Content hash -> id of the first article that carried that text."""
        self.quarantined: dict[str, QuarantinedInput] = {}
        self.ledger: dict[tuple[str, str], IngestOutcome] = {}
        """The intake ledger: (input, entry key) -> the first outcome recorded for it."""
        self._clock = clock

    def record_intake(self, entries: Sequence[tuple[IngestOutcome, int]], received_at: datetime) -> None:
        for outcome, occurrence in entries:
            key = (intake_input(outcome.origin), f"{outcome.origin}|{outcome.article_id or ''}|{occurrence}")
            self.ledger.setdefault(key, outcome)

    def intake(self, input_name: str) -> list[IngestOutcome]:
        return [outcome for (name, _), outcome in sorted(self.ledger.items()) if name == input_name]

    def claim(self, article: Article, *, lease_until: float) -> ClaimResult:
        # As in the real store, the text decides first: a text another article claimed is a duplicate.
        owner = self.text_owners.setdefault(article.content_hash, article.id)
        if owner != article.id:
            return ClaimResult(Claim.DUPLICATE, duplicate_of=owner)
        stored = self.articles.get(article.id)
        if stored is not None:
            if stored.status is Fate.RECEIVED and stored.lease_until < self._clock():
                stored.lease_until = lease_until  # the attempt that stored it is over: take it over
                return ClaimResult(Claim.UNFINISHED, duplicate_of=article.id)
            if stored.status is Fate.RECEIVED:
                return ClaimResult(Claim.IN_PROGRESS, duplicate_of=article.id, busy_until=stored.lease_until)
            return ClaimResult(Claim.DUPLICATE, duplicate_of=article.id)
        self.articles[article.id] = StoredArticle(article, Fate.RECEIVED, lease_until)
        return ClaimResult(Claim.NEW)

    def release(self, article_id: str) -> None:
        stored = self.articles.get(article_id)
        if stored is not None and stored.status is Fate.RECEIVED:
            stored.lease_until = 0.0

    def set_fate(self, article_id: str, fate: Fate, **details: str) -> bool:
        stored = self.articles.get(article_id)
        if stored is None:
            raise LookupError(f"no article {article_id} in the fake store: ingest never stored it")
        if stored.status not in FATES_BEFORE[fate]:
            return False
        stored.status = fate
        stored.details.update(details)
        return True

    def quarantine(self, *, origin: str, reason: str, raw: bytes | str, received_at: datetime) -> str:
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        # The real id: the same input from the same origin lands on the same record.
        quarantine_id = "q-" + hashlib.sha256(origin.encode("utf-8") + b"\0" + data).hexdigest()[:32]
        self.quarantined[quarantine_id] = QuarantinedInput(origin, reason, data, received_at)
        return quarantine_id

    def article_item(self, article_id: str) -> dict[str, str] | None:
        stored = self.articles.get(article_id)
        if stored is None:
            return None
        article = stored.article
        return {
            "status": stored.status.value,
            "title": article.title,
            "source": article.source,
            "language": article.language,
            "received_at": article.received_at.isoformat(),
            "content_hash": article.content_hash,
            "lease_until": f"{stored.lease_until:.3f}",
            **stored.details,
        }


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    article_id: str
    body: str


class FakeStageQueue:
    """A stage queue in memory: remembers every message, in order."""

    def __init__(self) -> None:
        self.messages: list[SentMessage] = []

    def send(self, body: BaseModel, *, article_id: str) -> str:
        message_id = f"message-{len(self.messages) + 1}"
        self.messages.append(SentMessage(message_id, article_id, body.model_dump_json()))
        return message_id

    def send_many(self, bodies: list[tuple[BaseModel, str]]) -> None:
        for body, key in bodies:
            self.send(body, article_id=key)

    def articles(self) -> list[Article]:
        """The articles sent, read back from JSON as the next stage reads them."""
        return [Article.model_validate_json(message.body) for message in self.messages]


class FakeAlertLedger:
    """Notify's ledger, hourly counters and digest box in memory, with the adapter's conditions."""

    def __init__(self) -> None:
        self.states: dict[str, StoryAlertState] = {}
        self.counts: dict[tuple[str, str], int] = {}
        self.waiting: list[HeldStory] = []
        self.digests_claimed: set[str] = set()
        self.pending: dict[str, tuple[str, PendingAlert | None]] = {}
        """Per story, the token of the attempt holding its claim and what it marked publishing."""
        self.attempts = 0

    def state(self, story_id: str) -> StoryAlertState:
        return self.states.get(story_id, StoryAlertState(story_id))

    def claim(self, story_id: str, update: int, *, lease_until: float, now: float) -> str | None:
        state = self.state(story_id)
        in_order = state.sent_update is None if update == 0 else state.sent_update == update - 1
        if not in_order or state.in_flight(now) or state.publishing:
            return None
        self.attempts += 1
        attempt = f"attempt-{self.attempts}"
        self.states[story_id] = replace(state, pending_update=update, pending_until=lease_until, publishing=False)
        self.pending[story_id] = (attempt, None)
        return attempt

    def _holds(self, story_id: str, update: int, attempt: str) -> bool:
        return self.state(story_id).pending_update == update and self.pending.get(story_id, ("", None))[0] == attempt

    def mark_publishing(self, story_id: str, update: int, *, attempt: str, alert: PendingAlert) -> bool:
        if not self._holds(story_id, update, attempt):
            return False
        self.states[story_id] = replace(self.state(story_id), publishing=True)
        self.pending[story_id] = (attempt, alert)
        return True

    def record_sent(self, story_id: str, update: int, *, attempt: str, alert: PendingAlert, held: bool) -> None:
        if not self._holds(story_id, update, attempt):
            raise LookupError(f"{alert.alert_id}: the claim was no longer this attempt's")
        self._sent(story_id, update, alert, held=held, unconfirmed=False)

    def settle_unconfirmed(self, story_id: str, update: int, *, now: float, attempt: str | None = None) -> bool:
        state = self.state(story_id)
        standing, alert = self.pending.get(story_id, ("", None))
        if not state.publishing or state.pending_update != update or alert is None:
            return False
        if (attempt is not None and standing != attempt) or (attempt is None and state.in_flight(now)):
            return False
        self._sent(story_id, update, alert, held=False, unconfirmed=True)
        return True

    def _sent(self, story_id: str, update: int, alert: PendingAlert, *, held: bool, unconfirmed: bool) -> None:
        self.states[story_id] = replace(
            self.state(story_id),
            sent_update=update,
            sent_urgency=alert.urgency,
            sent_outlets=alert.outlets,
            sent_alert_id=alert.alert_id,
            sent_article=alert.article_id,
            held=held,
            unconfirmed=unconfirmed,
            pending_update=None,
            pending_until=None,
            publishing=False,
        )
        self.pending.pop(story_id, None)

    def release(self, story_id: str, update: int, *, attempt: str) -> None:
        if self._holds(story_id, update, attempt):
            self.states[story_id] = replace(
                self.state(story_id), pending_update=None, pending_until=None, publishing=False
            )
            self.pending.pop(story_id, None)

    def take(self, topic: str, hour: str, *, limit: int | None) -> bool:
        count = self.counts.get((topic, hour), 0)
        if limit is not None and count >= limit:
            return False
        self.counts[(topic, hour)] = count + 1
        return True

    def hold(self, held: HeldStory) -> None:
        self.waiting.append(held)

    def held(self) -> list[HeldStory]:
        return sorted(self.waiting, key=lambda story: story.held_at)

    def clear(self, stories: list[HeldStory]) -> None:
        self.waiting = [story for story in self.waiting if story not in stories]

    def claim_digest(self, digest_id: str) -> bool:
        if digest_id in self.digests_claimed:
            return False
        self.digests_claimed.add(digest_id)
        return True

    def release_digest(self, digest_id: str) -> None:
        self.digests_claimed.discard(digest_id)


class FakeAlertsTopic:
    """The alerts topic in memory: every publication, in order."""

    def __init__(self) -> None:
        self.published: list[Publication] = []

    def publish(self, publication: Publication) -> str:
        self.published.append(publication)
        return f"sns-{len(self.published)}"
